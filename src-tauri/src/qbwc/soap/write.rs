//! Writing SOAP 1.1 responses and faults with quick-xml's [`Writer`]; never by joining strings.
//!
//! An answer is `<soap:Envelope><soap:Body><opResponse xmlns="http://developer.intuit.com/">
//! <opResult>…</opResult></opResponse></soap:Body></soap:Envelope>`, the shape Intuit's WSDL
//! declares (`authenticateResult` is an `ArrayOfString`: one `<string>` per item).

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::writer::Writer;

use super::{Answer, FaultCode, Operation, INTUIT_NS, SOAP_ENV_NS};

const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema";

/// The response envelope for `operation` answering `answer`.
pub fn response(operation: Operation, answer: &Answer) -> Vec<u8> {
    let response_name = format!("{}Response", operation.name());
    let result_name = format!("{}Result", operation.name());
    envelope(|w| {
        w.create_element(response_name.as_str())
            .with_attribute(("xmlns", INTUIT_NS))
            .write_inner_content(|w| {
                let result = w.create_element(result_name.as_str());
                match answer {
                    Answer::Text(text) => {
                        result.write_text_content(BytesText::new(&xml_chars(text)))?;
                    }
                    Answer::Int(n) => {
                        result.write_text_content(BytesText::new(&n.to_string()))?;
                    }
                    Answer::Strings(items) => {
                        result.write_inner_content(|w| {
                            for item in items {
                                w.create_element("string")
                                    .write_text_content(BytesText::new(&xml_chars(item)))?;
                            }
                            Ok(())
                        })?;
                    }
                }
                Ok(())
            })?;
        Ok(())
    })
}

/// A SOAP 1.1 Fault (§4.4): `faultcode` qualified with the envelope prefix, `faultstring`
/// the plain-English reason. SOAP 1.1 §6.2 says it travels with HTTP 500.
pub fn fault(code: FaultCode, message: &str) -> Vec<u8> {
    let qualified = format!("soap:{}", code.local_name());
    envelope(|w| {
        w.create_element("soap:Fault").write_inner_content(|w| {
            w.create_element("faultcode")
                .write_text_content(BytesText::new(&qualified))?;
            w.create_element("faultstring")
                .write_text_content(BytesText::new(&xml_chars(message)))?;
            Ok(())
        })?;
        Ok(())
    })
}

fn envelope(body: impl FnOnce(&mut Writer<Vec<u8>>) -> std::io::Result<()>) -> Vec<u8> {
    let mut w = Writer::new(Vec::new());
    // INVARIANT: writing into a Vec<u8> cannot fail; the io::Result exists only for other
    // sinks, so every `?` below is on an Ok and the fallback is never taken.
    let written: std::io::Result<()> = (|| {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
        w.create_element("soap:Envelope")
            .with_attribute(("xmlns:soap", SOAP_ENV_NS))
            .with_attribute(("xmlns:xsi", XSI_NS))
            .with_attribute(("xmlns:xsd", XSD_NS))
            .write_inner_content(|w| {
                w.create_element("soap:Body").write_inner_content(body)?;
                Ok(())
            })?;
        Ok(())
    })();
    debug_assert!(written.is_ok(), "writing to a Vec cannot fail");
    w.into_inner()
}

/// XML 1.0 §2.2: `Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
/// [#x10000-#x10FFFF]`. Any other character cannot appear even escaped, so a handler's text
/// that holds one gets U+FFFD in its place instead of producing a document no one can read.
fn xml_chars(text: &str) -> std::borrow::Cow<'_, str> {
    let allowed = |c: char| matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..);
    // Almost always plain ASCII (a qbXML request): checked a byte at a time, no decoding.
    let plain = |b: &u8| matches!(b, b'\t' | b'\n' | b'\r' | 0x20..=0x7E);
    if text.as_bytes().iter().all(plain) || text.chars().all(allowed) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(
            text.chars()
                .map(|c| if allowed(c) { c } else { '\u{FFFD}' })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qbwc::soap::read::parse;

    fn text(bytes: Vec<u8>) -> String {
        String::from_utf8(bytes).expect("we write UTF-8")
    }

    #[test]
    fn text_answer_is_wrapped_and_escaped() {
        let qbxml = r#"<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"/></QBXML>"#;
        let out = text(response(
            Operation::SendRequestXml,
            &Answer::Text(qbxml.into()),
        ));
        assert!(
            out.contains(r#"<sendRequestXMLResponse xmlns="http://developer.intuit.com/"><sendRequestXMLResult>&lt;?xml"#),
            "the result element sits in the Intuit namespace and the qbXML is escaped: {out}"
        );
        assert!(
            !out.contains("<QBXML>"),
            "qbXML must never appear as markup in the envelope"
        );
    }

    #[test]
    fn array_of_string_has_one_string_element_per_item() {
        let out = text(response(
            Operation::Authenticate,
            &Answer::Strings(vec!["abc".into(), "".into(), "none".into()]),
        ));
        assert!(
            out.contains("<authenticateResult><string>abc</string><string></string><string>none</string></authenticateResult>"),
            "ArrayOfString is a sequence of <string> children, empty ones kept: {out}"
        );
    }

    #[test]
    fn int_answer_is_decimal_text() {
        let out = text(response(Operation::ReceiveResponseXml, &Answer::Int(-1)));
        assert!(
            out.contains("<receiveResponseXMLResult>-1</receiveResponseXMLResult>"),
            "receiveResponseXML answers an s:int: {out}"
        );
    }

    #[test]
    fn fault_has_qualified_code_and_escaped_string() {
        let out = text(fault(
            FaultCode::Client,
            "expected <Envelope> & found nothing",
        ));
        assert!(
            out.contains("<faultcode>soap:Client</faultcode>"),
            "faultcode is a QName: {out}"
        );
        assert!(
            out.contains(
                "<faultstring>expected &lt;Envelope&gt; &amp; found nothing</faultstring>"
            ),
            "faultstring text is escaped: {out}"
        );
    }

    #[test]
    fn characters_xml_cannot_carry_are_replaced() {
        let out = text(response(
            Operation::GetLastError,
            &Answer::Text("bell\u{7}".into()),
        ));
        assert!(
            out.contains("bell\u{FFFD}"),
            "U+0007 is not an XML 1.0 Char: {out}"
        );
    }

    #[test]
    fn our_own_answers_read_back_through_our_reader() {
        // The reader only accepts requests, but the envelope shape is the same: a response
        // element is an unknown operation, which proves the document is well-formed SOAP.
        let out = response(
            Operation::ServerVersion,
            &Answer::Text("FieldBridge".into()),
        );
        let err = parse(&out).expect_err("a response is not a request");
        assert!(
            matches!(err, crate::qbwc::soap::SoapError::UnknownOperation { ref name } if name == "serverVersionResponse"),
            "the written envelope is well-formed and its Body holds serverVersionResponse: {err:?}"
        );
    }
}
