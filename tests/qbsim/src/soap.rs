//! SOAP 1.1 envelopes shaped like the Web Connector's, in both directions.
//!
//! Owns: writing a QBWC call (`<soap:Envelope ...><soap:Body><op xmlns="http://developer.
//! intuit.com/">...`) with the qbXML entity-escaped inside `<response>` and empty
//! `<hresult />` / `<message />` elements, as in `reference/samples/soap/`; reading an
//! endpoint's `<opResponse><opResult>` (a string, an int or an `ArrayOfString`) or SOAP
//! Fault; and writing such answers (used by test endpoints). Does not own: HTTP.

use crate::xml::Element;

/// The Web Connector's namespace (QBWebConnectorSvc.wsdl targetNamespace).
pub const INTUIT_NS: &str = "http://developer.intuit.com/";
const SOAP_ENV_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema";

/// Why an endpoint's answer could not be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SoapError {
    #[error("expected a SOAP envelope, found unparsable XML: {0}")]
    Xml(String),
    #[error("expected <soap:Body><{0}Response>, found {1}")]
    Shape(String, String),
    #[error("the endpoint answered a SOAP Fault: {code}: {text}")]
    Fault { code: String, text: String },
    #[error("expected an integer in <{0}Result>, found {1:?}")]
    NotInt(String, String),
}

/// What an endpoint answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SoapResult {
    Text(String),
    Strings(Vec<String>),
}

impl SoapResult {
    pub fn text(&self) -> String {
        match self {
            SoapResult::Text(t) => t.clone(),
            SoapResult::Strings(v) => v.join(","),
        }
    }
}

/// One parameter of a call: `Some(text)` or `None` for an empty element (`<hresult />`).
pub type Param<'a> = (&'a str, Option<&'a str>);

fn envelope(body_child: Element) -> String {
    let envelope = Element::new("soap:Envelope")
        .attr("xmlns:soap", SOAP_ENV_NS)
        .attr("xmlns:xsi", XSI_NS)
        .attr("xmlns:xsd", XSD_NS)
        .child(Element::new("soap:Body").child(body_child));
    envelope.to_response_document_utf8()
}

/// The request the Web Connector posts for `operation`.
pub fn call(operation: &str, params: &[Param<'_>]) -> String {
    let mut op = Element::new(operation).attr("xmlns", INTUIT_NS);
    for (name, value) in params {
        match value {
            Some(text) => op.push_leaf(name, *text),
            None => op.push(Element::new(*name)),
        }
    }
    envelope(op)
}

/// An endpoint's answer: `<opResponse><opResult>text</opResult></opResponse>`.
pub fn result_text(operation: &str, text: &str) -> String {
    let response = Element::new(format!("{operation}Response"))
        .attr("xmlns", INTUIT_NS)
        .child(Element::leaf(format!("{operation}Result"), text));
    envelope(response)
}

/// An endpoint's `ArrayOfString` answer (authenticate).
pub fn result_strings(operation: &str, strings: &[&str]) -> String {
    let mut result = Element::new(format!("{operation}Result"));
    for s in strings {
        result.push_leaf("string", *s);
    }
    let response = Element::new(format!("{operation}Response"))
        .attr("xmlns", INTUIT_NS)
        .child(result);
    envelope(response)
}

/// Reads an endpoint's answer to `operation`.
pub fn parse_result(operation: &str, document: &str) -> Result<SoapResult, SoapError> {
    let root = Element::parse(document).map_err(|e| SoapError::Xml(e.to_string()))?;
    let body = root.first("Body").ok_or_else(|| {
        SoapError::Shape(
            operation.to_string(),
            format!("<{}> without Body", root.name),
        )
    })?;
    if let Some(fault) = body.first("Fault") {
        return Err(SoapError::Fault {
            code: fault.text_of("faultcode").unwrap_or("").to_string(),
            text: fault.text_of("faultstring").unwrap_or("").to_string(),
        });
    }
    let wanted = format!("{operation}Response");
    let response = body.first(&wanted).ok_or_else(|| {
        let found = body
            .children
            .first()
            .map(|c| format!("<{}>", c.name))
            .unwrap_or_else(|| "an empty Body".to_string());
        SoapError::Shape(operation.to_string(), found)
    })?;
    let Some(result) = response.first(&format!("{operation}Result")) else {
        // A missing Result element is a null string in .NET's reading.
        return Ok(SoapResult::Text(String::new()));
    };
    if result.children.iter().any(|c| c.name == "string") {
        return Ok(SoapResult::Strings(
            result.all("string").map(|s| s.text.clone()).collect(),
        ));
    }
    Ok(SoapResult::Text(result.text.clone()))
}

/// Reads an int result (receiveResponseXML).
pub fn parse_int(operation: &str, document: &str) -> Result<i32, SoapError> {
    let text = parse_result(operation, document)?.text();
    text.trim()
        .parse()
        .map_err(|_| SoapError::NotInt(operation.to_string(), text))
}

/// Reads a call as an endpoint sees it: operation name and parameters (for test endpoints).
pub fn parse_call(document: &str) -> Result<(String, Element), SoapError> {
    let root = Element::parse(document).map_err(|e| SoapError::Xml(e.to_string()))?;
    let op = root
        .first("Body")
        .and_then(|b| b.children.first())
        .ok_or_else(|| SoapError::Shape("call".to_string(), "no operation in Body".to_string()))?;
    Ok((op.name.clone(), op.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receive_response_xml_is_shaped_like_qbwc_with_escaped_qbxml() {
        let qbxml = r#"<?xml version="1.0" ?><QBXML><QBXMLMsgsRs><CustomerAddRs statusCode="0" statusSeverity="Info" statusMessage="Status OK"><CustomerRet><Name>Smith &amp; Sons</Name></CustomerRet></CustomerAddRs></QBXMLMsgsRs></QBXML>"#;
        let body = call(
            "receiveResponseXML",
            &[
                ("ticket", Some("t-1")),
                ("response", Some(qbxml)),
                ("hresult", None),
                ("message", None),
            ],
        );
        assert!(
            body.contains("<response>&lt;?xml version=&quot;1.0&quot; ?&gt;&lt;QBXML&gt;"),
            "qbXML travels entity-escaped: {body}"
        );
        assert!(
            body.contains("Smith &amp;amp; Sons"),
            "an escaped ampersand is escaped again"
        );
        assert!(
            body.contains("<hresult/><message/>"),
            "empty hresult and message elements are present"
        );
        let (op, params) = parse_call(&body).expect("our call parses");
        assert_eq!(op, "receiveResponseXML");
        assert_eq!(
            params.text_of("response"),
            Some(qbxml),
            "the endpoint gets the qbXML back intact"
        );
    }

    #[test]
    fn reads_results_arrays_and_faults() {
        assert_eq!(
            parse_int(
                "receiveResponseXML",
                &result_text("receiveResponseXML", "42")
            ),
            Ok(42)
        );
        assert_eq!(
            parse_result(
                "authenticate",
                &result_strings("authenticate", &["tkt", ""])
            ),
            Ok(SoapResult::Strings(vec!["tkt".to_string(), String::new()]))
        );
        let fault = r#"<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>boom</faultstring></soap:Fault></soap:Body></soap:Envelope>"#;
        assert!(
            matches!(
                parse_result("getLastError", fault),
                Err(SoapError::Fault { .. })
            ),
            "a Fault is an error"
        );
        assert!(matches!(
            parse_int(
                "receiveResponseXML",
                &result_text("receiveResponseXML", "lots")
            ),
            Err(SoapError::NotInt(..))
        ));
    }
}
