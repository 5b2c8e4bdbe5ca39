//! Reading a SOAP 1.1 request: bytes → [`Request`] (operation + string fields), by streaming
//! with quick-xml's namespace-aware reader. Nothing here knows what an operation means.
//!
//! Rules enforced, with the reason:
//! - The body must be UTF-8 (what the Web Connector sends; the XML declaration is not trusted
//!   to switch encodings).
//! - Any `<!DOCTYPE` is refused: document type declarations are where entities are declared,
//!   and we never expand them (no billion laughs, no external entities). A reference to an
//!   entity other than XML's five predefined ones is refused too.
//! - The root must be `Envelope` in the SOAP 1.1 namespace; another namespace is a
//!   `VersionMismatch` fault (SOAP 1.1 §4.4.1).
//! - SOAP 1.1 §4.2.3: "If a header element is tagged with a SOAP mustUnderstand attribute with
//!   a value of "1", the recipient of that header entry either MUST obey the semantics ... or
//!   MUST fail processing the message". We obey no header, so such an entry is a fault.
//! - The Body's first element is the operation, in `http://developer.intuit.com/`. Its
//!   children are read as text: escaped text, CDATA and character references all count, so
//!   qbXML arrives the same whether the sender escaped it or wrapped it in CDATA. Child
//!   namespaces are not checked (the Web Connector qualifies them, some clients do not).
//! - At most [`MAX_FIELDS`] children, each name once. Parsing runs before authentication, so
//!   its work is bounded by the cap (reading stops at the first field over it) and the
//!   duplicate check is a set lookup, never a scan of the fields read so far.

use std::collections::HashSet;

use quick_xml::escape::{resolve_xml_entity, unescape_with, EscapeError};
use quick_xml::events::BytesText;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::{NsReader, Reader};

use super::{Operation, SoapError, INTUIT_NS, SOAP_ENV_NS};

/// The most child elements an operation may carry. The WSDL's largest operation
/// (sendRequestXML) has six; unknown children are tolerated and ignored, so allow some
/// room, but no client has a reason to send more, and each costs work before the caller
/// is authenticated.
pub const MAX_FIELDS: usize = 16;

/// One Web Connector call as it arrived: which operation, and its child elements as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub operation: Operation,
    pub fields: Fields,
}

/// The operation element's children by local name, each read as text (unescaped).
/// Unknown children are kept and ignored by the operations (e.g. `serverVersion` may carry a
/// `strVersion` or `ticket` child).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Fields {
    items: Vec<(String, String)>,
}

/// Names only: values include passwords and tickets, which never reach a log.
impl std::fmt::Debug for Fields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.names()).finish()
    }
}

impl Fields {
    /// Removes and returns the field named `name`, if it was sent.
    pub fn take(&mut self, name: &str) -> Option<String> {
        let index = self.items.iter().position(|(n, _)| n == name)?;
        Some(self.items.swap_remove(index).1)
    }

    /// The field named `name`, or "" if it was not sent (WSDL: `minOccurs="0"`).
    pub fn take_or_empty(&mut self, name: &str) -> String {
        self.take(name).unwrap_or_default()
    }

    /// The names of the fields still held.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.items.iter().map(|(n, _)| n.as_str())
    }
}

/// Parses a SOAP 1.1 request body.
pub fn parse(body: &[u8]) -> Result<Request, SoapError> {
    let text = std::str::from_utf8(body).map_err(|e| SoapError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut parser = Parser {
        input: text,
        reader: NsReader::from_str(text),
        skipped: 0,
    };
    parser.envelope()
}

/// An element's namespace, owned so the reader can move on.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ns {
    None,
    Bound(String),
}

impl Ns {
    fn is(&self, uri: &str) -> bool {
        matches!(self, Ns::Bound(u) if u == uri)
    }
    fn as_str(&self) -> &str {
        match self {
            Ns::None => "",
            Ns::Bound(u) => u,
        }
    }
}

struct Parser<'i> {
    /// The whole document, for taking a field's text straight out of it.
    input: &'i str,
    reader: NsReader<&'i [u8]>,
    /// Bytes the reader was moved over by slicing its input ([`Parser::plain_text`]), which
    /// its own count of the position does not include.
    skipped: u64,
}

fn local_name(e: &BytesStart<'_>) -> String {
    e.local_name().as_ref().to_owned()
}

fn describe(e: &BytesStart<'_>) -> String {
    format!("<{}>", e.name().as_ref())
}

fn is_blank(s: &str) -> bool {
    s.chars().all(|c| matches!(c, ' ' | '\t' | '\r' | '\n'))
}

impl<'i> Parser<'i> {
    fn malformed(&self, err: impl std::fmt::Display) -> SoapError {
        SoapError::Malformed {
            detail: format!(
                "{err} (near byte {})",
                self.reader.error_position() + self.skipped
            ),
        }
    }

    /// The next event that matters, with the namespace of start/empty elements. Comments,
    /// processing instructions and the XML declaration are skipped; a DOCTYPE is refused.
    fn next(&mut self) -> Result<(Ns, Event<'i>), SoapError> {
        loop {
            let (ns, event) = match self.reader.read_resolved_event() {
                Ok((ResolveResult::Unbound, event)) => (Ok(Ns::None), event),
                Ok((ResolveResult::Bound(ns), event)) => {
                    (Ok(Ns::Bound(ns.as_ref().to_owned())), event)
                }
                Ok((ResolveResult::Unknown(prefix), event)) => (Err(prefix), event),
                Err(err) => return Err(self.malformed(err)),
            };
            match event {
                Event::DocType(_) => return Err(SoapError::Doctype),
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) => continue,
                event => {
                    let ns = ns.map_err(|prefix| {
                        self.malformed(format!("the namespace prefix {prefix:?} is not declared"))
                    })?;
                    return Ok((ns, event));
                }
            }
        }
    }

    /// Like `next`, but whitespace between elements is skipped and other text refused.
    fn next_markup(&mut self) -> Result<(Ns, Event<'i>), SoapError> {
        loop {
            match self.next()? {
                (_, Event::Text(t)) if is_blank(&t) => continue,
                (_, Event::Text(t)) => {
                    return Err(SoapError::StrayText {
                        text: t.chars().take(40).collect(),
                    })
                }
                (_, Event::CData(_)) | (_, Event::GeneralRef(_)) => {
                    return Err(SoapError::StrayText {
                        text: "character data".into(),
                    })
                }
                other => return Ok(other),
            }
        }
    }

    fn envelope(&mut self) -> Result<Request, SoapError> {
        let (ns, event) = self.next_markup()?;
        let (root, empty) = match event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::Eof => {
                return Err(SoapError::NotSoap {
                    found: "an empty body".into(),
                })
            }
            other => return Err(self.malformed(format!("unexpected {other:?}"))),
        };
        if root.local_name().as_ref() != "Envelope" {
            return Err(SoapError::NotSoap {
                found: describe(&root),
            });
        }
        if !ns.is(SOAP_ENV_NS) {
            return Err(SoapError::VersionMismatch {
                found: ns.as_str().to_owned(),
            });
        }
        if empty {
            return Err(SoapError::NoBody {
                found: "an empty envelope".into(),
            });
        }
        loop {
            let (ns, event) = self.next_markup()?;
            match event {
                Event::Start(e) if ns.is(SOAP_ENV_NS) && e.local_name().as_ref() == "Header" => {
                    self.header()?
                }
                Event::Empty(e) if ns.is(SOAP_ENV_NS) && e.local_name().as_ref() == "Header" => {}
                Event::Start(e) if ns.is(SOAP_ENV_NS) && e.local_name().as_ref() == "Body" => {
                    let request = self.body()?;
                    self.rest()?;
                    return Ok(request);
                }
                Event::Empty(e) if ns.is(SOAP_ENV_NS) && e.local_name().as_ref() == "Body" => {
                    return Err(SoapError::EmptyBody)
                }
                Event::Start(e) | Event::Empty(e) => {
                    return Err(SoapError::NoBody {
                        found: describe(&e),
                    })
                }
                Event::End(_) => {
                    return Err(SoapError::NoBody {
                        found: "the end of the envelope".into(),
                    })
                }
                Event::Eof => return Err(self.malformed("the document ends inside <Envelope>")),
                other => return Err(self.malformed(format!("unexpected {other:?}"))),
            }
        }
    }

    /// Checks each header entry for mustUnderstand="1" and skips it.
    fn header(&mut self) -> Result<(), SoapError> {
        loop {
            let (_, event) = self.next_markup()?;
            match event {
                Event::Start(e) | Event::Empty(e) if must_understand(&e) => {
                    return Err(SoapError::MustUnderstand {
                        name: local_name(&e),
                    })
                }
                Event::Start(e) => {
                    let end = e.to_end().into_owned();
                    self.reader
                        .read_to_end(end.name())
                        .map_err(|err| self.malformed(err))?;
                }
                Event::Empty(_) => {}
                Event::End(_) => return Ok(()),
                Event::Eof => return Err(self.malformed("the document ends inside <Header>")),
                other => return Err(self.malformed(format!("unexpected {other:?}"))),
            }
        }
    }

    fn body(&mut self) -> Result<Request, SoapError> {
        let (ns, event) = self.next_markup()?;
        let (op, empty) = match event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => return Err(SoapError::EmptyBody),
            Event::Eof => return Err(self.malformed("the document ends inside <Body>")),
            other => return Err(self.malformed(format!("unexpected {other:?}"))),
        };
        let name = local_name(&op);
        let operation = Operation::from_name(&name)
            .ok_or_else(|| SoapError::UnknownOperation { name: name.clone() })?;
        if !ns.is(INTUIT_NS) {
            return Err(SoapError::WrongNamespace {
                name,
                namespace: ns.as_str().to_owned(),
            });
        }
        let mut fields = Fields::default();
        // INVARIANT: holds exactly the names in `fields` (each pushed once, after the check).
        let mut seen = HashSet::new();
        if !empty {
            loop {
                let (_, event) = self.next_markup()?;
                let (field, value) = match event {
                    Event::Start(e) => {
                        let field = local_name(&e);
                        let value = self.text_of(&e, &field)?;
                        if is_nil(&e) {
                            (field, String::new())
                        } else {
                            (field, value)
                        }
                    }
                    Event::Empty(e) => (local_name(&e), String::new()),
                    Event::End(_) => break,
                    Event::Eof => {
                        return Err(self.malformed(format!("the document ends inside <{name}>")))
                    }
                    other => return Err(self.malformed(format!("unexpected {other:?}"))),
                };
                if seen.contains(&field) {
                    return Err(SoapError::DuplicateField {
                        operation: name,
                        field,
                    });
                }
                if fields.items.len() == MAX_FIELDS {
                    return Err(SoapError::TooManyFields {
                        operation: name,
                        limit: MAX_FIELDS,
                    });
                }
                seen.insert(field.clone());
                fields.items.push((field, value));
            }
        }
        Ok(Request { operation, fields })
    }

    /// The text content of the field element `e` just opened, up to its end tag.
    ///
    /// A field is read whole as its raw text (one scan to its end tag) and unescaped in one
    /// pass: `receiveResponseXML`'s `response` is a whole qbXML document escaped as text, a
    /// few hundred kilobytes of `&lt;`/`&gt;` that, read event by event, made one event per
    /// reference. Text with markup in it (CDATA, or a nested element, which is refused) is
    /// read event by event as before; both ways give the same value and the same refusals.
    fn text_of(&mut self, e: &BytesStart<'_>, field: &str) -> Result<String, SoapError> {
        if let Some(raw) = self.plain_text(e)? {
            return unescape_text(raw);
        }
        let raw = self
            .reader
            .read_text(e.name())
            .map_err(|err| self.malformed(err))?;
        if !raw.contains('<') {
            return unescape_text(&raw);
        }
        let mut inner = Reader::from_str(&raw);
        let mut value = String::new();
        loop {
            let event = inner.read_event().map_err(|err| self.malformed(err))?;
            match event {
                Event::Text(t) => value.push_str(&t.xml10_content()),
                Event::CData(c) => value.push_str(&c.xml10_content()),
                Event::GeneralRef(r) => {
                    let resolved = r.resolve_char_ref().map_err(|err| self.malformed(err))?;
                    match resolved {
                        Some(c) => value.push(c),
                        None => value.push(predefined_entity(&r).ok_or_else(|| {
                            SoapError::UndeclaredEntity {
                                name: r.chars().take(40).collect(),
                            }
                        })?),
                    }
                }
                Event::Start(e) | Event::Empty(e) => {
                    return Err(SoapError::NestedElement {
                        field: field.to_owned(),
                        found: e.name().as_ref().to_owned(),
                    })
                }
                Event::Eof => return Ok(value),
                Event::DocType(_) => return Err(SoapError::Doctype),
                Event::End(_) | Event::Comment(_) | Event::PI(_) | Event::Decl(_) => {}
            }
        }
    }

    /// The text of the field `e` just opened when it is plain text, that is when the first
    /// `<` after the start tag opens its end tag (escaped text holds no `<`): found with one
    /// `memchr` and taken from the input as it is, then the end tag is read as usual. This is
    /// what `read_text` would return, without the event per `&lt;` it makes on the way (a
    /// page of a thousand QuickBooks customers is about 300,000 of them). `None` (nothing
    /// read) for anything else: CDATA, a comment, a nested element, a wrong end tag.
    fn plain_text(&mut self, e: &BytesStart<'_>) -> Result<Option<&'i str>, SoapError> {
        // The reader's input itself (`&'i [u8]`), copied out of the borrow of the reader.
        #[allow(clippy::explicit_auto_deref)]
        let rest: &'i [u8] = *self.reader.get_ref();
        let Some(lt) = memchr::memchr(b'<', rest) else {
            return Ok(None);
        };
        let closes = rest[lt..]
            .strip_prefix(b"</")
            .and_then(|tag| tag.strip_prefix(e.name().into_inner().as_bytes()))
            .is_some_and(|tag| tag.trim_ascii_start().starts_with(b">"));
        if !closes {
            return Ok(None);
        }
        // `rest` is the end of `input` (the reader borrows it), and `lt` is at an ASCII `<`,
        // so this is a whole number of characters.
        let start = self.input.len() - rest.len();
        let raw = &self.input[start..start + lt];
        *self.reader.get_mut() = &rest[lt..];
        self.skipped += lt as u64;
        self.reader
            .read_to_end(e.name())
            .map_err(|err| self.malformed(err))?;
        Ok(Some(raw))
    }

    /// Reads to the end of the document so that malformed or hostile trailing content is
    /// still refused; anything after the operation element is otherwise ignored.
    fn rest(&mut self) -> Result<(), SoapError> {
        // Depth 2: inside Envelope and Body.
        let mut depth = 2usize;
        loop {
            match self.next()?.1 {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth = depth.saturating_sub(1),
                Event::GeneralRef(r) if !r.is_char_ref() && predefined_entity(&r).is_none() => {
                    return Err(SoapError::UndeclaredEntity {
                        name: r.chars().take(40).collect(),
                    })
                }
                Event::Eof if depth == 0 => return Ok(()),
                Event::Eof => return Err(self.malformed("the document ends before </Envelope>")),
                _ => {}
            }
        }
    }
}

/// Raw text without markup as its value: line ends normalised as XML 1.0 §2.11 says (before
/// references are resolved, so `&#13;` stays a carriage return), then character references
/// and the five predefined entities resolved; any other entity is refused.
fn unescape_text(raw: &str) -> Result<String, SoapError> {
    let text = BytesText::from_escaped(raw);
    let normalised = text.xml10_content();
    match unescape_with(&normalised, resolve_xml_entity) {
        Ok(value) => Ok(value.into_owned()),
        Err(EscapeError::UnrecognizedEntity(_, name)) => Err(SoapError::UndeclaredEntity {
            name: name.chars().take(40).collect(),
        }),
        Err(err) => Err(SoapError::Malformed {
            detail: err.to_string(),
        }),
    }
}

/// XML 1.0 §4.6: "All XML processors MUST recognize these entities whether they are declared
/// or not": lt, gt, amp, apos, quot. No other entity is ever expanded.
fn predefined_entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => None,
    }
}

fn attribute_is(e: &BytesStart<'_>, local: &str, values: &[&str]) -> bool {
    e.attributes()
        .flatten()
        .any(|a| a.key.local_name().as_ref() == local && values.contains(&a.value.trim()))
}

fn must_understand(e: &BytesStart<'_>) -> bool {
    attribute_is(e, "mustUnderstand", &["1", "true"])
}

fn is_nil(e: &BytesStart<'_>) -> bool {
    attribute_is(e, "nil", &["true", "1"])
}

#[cfg(test)]
mod tests {
    use super::*;

    const REAL_SOAP_SAMPLES: &[&str] = &[
        "receiveResponseXML.InvoiceAddRs.flowlink.xml",
        "receiveResponseXML.ItemInventoryQuery-status1+SalesOrderAddRs.flowlink.xml",
        "receiveResponseXML.ItemInventoryQueryRs.flowlink.xml",
        "receiveResponseXML.ReceivePaymentAddRs.flowlink.xml",
    ];

    fn reference(path: &str) -> Vec<u8> {
        let full = crate::qbwc::test_support::reference_path(path);
        std::fs::read(&full).unwrap_or_else(|e| panic!("reference file {}: {e}", full.display()))
    }

    fn envelope(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>{body}</soap:Body></soap:Envelope>"#
        )
    }

    #[test]
    fn real_receive_response_envelopes_parse_to_the_unescaped_qbxml() {
        qbsim::skip_without_reference!();
        for name in REAL_SOAP_SAMPLES {
            let mut request = parse(&reference(&format!("samples/soap/{name}")))
                .unwrap_or_else(|e| panic!("{name} is a real Web Connector call: {e}"));
            assert_eq!(
                request.operation,
                Operation::ReceiveResponseXml,
                "{name}: the Body's first element names the operation"
            );
            assert_eq!(
                request.fields.take("ticket").as_deref(),
                Some("354f40b4-b661-4472-a13f-8abf13a743c3"),
                "{name}: the ticket is read as plain text"
            );
            let response = request.fields.take("response").unwrap_or_default();
            assert!(
                response.starts_with("<?xml version=\"1.0\" ?>\n<QBXML>"),
                "{name}: the entity-escaped qbXML must come back unescaped, got {:?}",
                &response[..response.len().min(60)]
            );
            assert!(
                response.trim_end().ends_with("</QBXML>"),
                "{name}: the whole qbXML is kept"
            );
            assert_eq!(
                request.fields.take("hresult").as_deref(),
                Some(""),
                "{name}: an empty <hresult /> is an empty string"
            );
            assert_eq!(
                request.fields.take("message").as_deref(),
                Some(""),
                "{name}: an empty <message /> is an empty string"
            );
        }
    }

    #[test]
    fn escaped_quotes_inside_qbxml_attributes_survive_unescaping() {
        qbsim::skip_without_reference!();
        let mut request = parse(&reference(
            "samples/soap/receiveResponseXML.ItemInventoryQuery-status1+SalesOrderAddRs.flowlink.xml",
        ))
        .expect("a real envelope parses");
        let response = request.fields.take_or_empty("response");
        assert!(
            response.contains("&quot;nononononoImNotThereAlrightDylan&quot;"),
            "&amp;quot; in the SOAP text is &quot; in the qbXML (one level of unescaping only)"
        );
    }

    #[test]
    fn cdata_and_escaped_response_give_the_same_qbxml() {
        let qbxml = r#"<?xml version="1.0" ?><QBXML><QBXMLMsgsRs><CustomerAddRs requestID="1" statusCode="0" statusSeverity="Info" statusMessage="Status OK"/></QBXMLMsgsRs></QBXML>"#;
        let escaped = quick_xml::escape::escape(qbxml);
        let as_text = envelope(&format!(
            r#"<receiveResponseXML xmlns="http://developer.intuit.com/"><ticket>t</ticket><response>{escaped}</response><hresult/><message/></receiveResponseXML>"#
        ));
        let as_cdata = envelope(&format!(
            r#"<receiveResponseXML xmlns="http://developer.intuit.com/"><ticket>t</ticket><response><![CDATA[{qbxml}]]></response><hresult/><message/></receiveResponseXML>"#
        ));
        let mut a = parse(as_text.as_bytes()).expect("escaped qbXML is accepted");
        let mut b = parse(as_cdata.as_bytes()).expect("CDATA qbXML is accepted");
        assert_eq!(
            a.fields.take("response").as_deref(),
            Some(qbxml),
            "escaped text unescapes to the original qbXML"
        );
        assert_eq!(
            b.fields.take("response").as_deref(),
            Some(qbxml),
            "CDATA gives the original qbXML verbatim"
        );
    }

    #[test]
    fn a_field_read_whole_equals_the_same_field_read_event_by_event() {
        // The same value written four ways: plain escaped text (read whole), and with a
        // CDATA section, a comment or both in it (read event by event). Literal line ends
        // are normalised; a carriage return written as a reference stays.
        let ways = [
            "a&lt;b&gt;\r\nc &amp; d&#13;&#x21;&quot;&apos;\re",
            "a<![CDATA[<b>]]>\r\nc &amp; d&#13;&#x21;&quot;&apos;\re",
            "a&lt;b<!-- note -->&gt;\r\nc &amp; d&#13;&#x21;&quot;&apos;\re",
            "<!-- x -->a&lt;b&gt;<![CDATA[\r\nc & d]]>&#13;&#x21;\"'\re",
        ];
        for way in ways {
            let xml = envelope(&format!(
                r#"<authenticate xmlns="http://developer.intuit.com/"><strUserName>{way}</strUserName><strPassword>p</strPassword></authenticate>"#
            ));
            let mut request = parse(xml.as_bytes()).unwrap_or_else(|e| panic!("{way:?}: {e}"));
            assert_eq!(
                request.fields.take("strUserName").as_deref(),
                Some("a<b>\nc & d\r!\"'\ne"),
                "{way:?}"
            );
            assert_eq!(request.fields.take("strPassword").as_deref(), Some("p"));
        }
        let refused = [
            ("a & b", "a dangling ampersand"),
            ("a &amp b", "an unterminated reference"),
            ("&#0;", "a reference to no character"),
            ("&#xZZ;", "a bad number"),
            ("a&lt;b<x/>", "an element after text"),
            ("&nbsp;", "an entity XML does not predefine"),
        ];
        for (way, what) in refused {
            let xml = envelope(&format!(
                r#"<authenticate xmlns="http://developer.intuit.com/"><strUserName>{way}</strUserName></authenticate>"#
            ));
            let e = parse(xml.as_bytes()).expect_err(what);
            assert!(
                matches!(
                    e,
                    SoapError::Malformed { .. }
                        | SoapError::UndeclaredEntity { .. }
                        | SoapError::NestedElement { .. }
                ),
                "{what}: {e:?}"
            );
        }
    }

    #[test]
    fn a_plain_field_is_taken_whole_to_its_exact_end_tag() {
        let field = |inner: &str| {
            envelope(&format!(
                r#"<i:authenticate xmlns:i="http://developer.intuit.com/">{inner}<i:strPassword>p</i:strPassword></i:authenticate>"#
            ))
        };
        // Whitespace before `>` and a prefix are part of a well-formed end tag.
        let mut request = parse(field("<i:strUserName>a&lt;b</i:strUserName \r\n>").as_bytes())
            .expect("an end tag with whitespace closes the field");
        assert_eq!(request.fields.take("strUserName").as_deref(), Some("a<b"));
        assert_eq!(request.fields.take("strPassword").as_deref(), Some("p"));
        // An end tag that only starts like the field's is not its end tag.
        for wrong in ["</i:strUserNameX>", "</strUserName>", "</i:strUser>"] {
            let xml = field(&format!("<i:strUserName>a{wrong}"));
            assert!(
                matches!(parse(xml.as_bytes()), Err(SoapError::Malformed { .. })),
                "{wrong} must not close <i:strUserName>"
            );
        }
        // Positions in errors count the bytes taken whole: a plain field and the same field
        // with an (empty) CDATA section, read event by event, put the same fault 12 bytes
        // (the section's length) apart.
        let long = "x&amp;".repeat(2_000);
        let near = |value: &str| {
            let xml = envelope(&format!(
                r#"<authenticate xmlns="http://developer.intuit.com/"><strUserName>{value}</strUserName><strPassword>p</strWrong></authenticate>"#
            ));
            match parse(xml.as_bytes()) {
                Err(SoapError::Malformed { detail }) => {
                    let at = detail.rsplit("near byte ").next().unwrap();
                    at.trim_end_matches(')').parse::<usize>().unwrap()
                }
                other => panic!("a wrong end tag is malformed: {other:?}"),
            }
        };
        let plain = near(&long);
        let evented = near(&format!("{long}<![CDATA[]]>"));
        assert_eq!(evented - plain, "<![CDATA[]]>".len());
        assert!(
            plain > long.len(),
            "the fault is after the long field: {plain}"
        );
    }

    #[test]
    fn character_references_and_prefixed_children_are_read() {
        let xml = envelope(
            r#"<i:authenticate xmlns:i="http://developer.intuit.com/"><i:strUserName>A&#38;B&#x21;</i:strUserName><i:strPassword xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/></i:authenticate>"#,
        );
        let mut request = parse(xml.as_bytes()).expect("prefixed operation elements are fine");
        assert_eq!(
            request.operation,
            Operation::Authenticate,
            "prefix is irrelevant, namespace counts"
        );
        assert_eq!(
            request.fields.take("strUserName").as_deref(),
            Some("A&B!"),
            "char refs resolve"
        );
        assert_eq!(
            request.fields.take("strPassword").as_deref(),
            Some(""),
            "nil is empty"
        );
    }

    #[test]
    fn a_soap_header_without_must_understand_is_ignored() {
        let xml = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><x:Trace xmlns:x="urn:x"><x:id>1</x:id></x:Trace></s:Header><s:Body><serverVersion xmlns="http://developer.intuit.com/"/></s:Body></s:Envelope>"#;
        let request = parse(xml.as_bytes()).expect("optional headers are skipped");
        assert_eq!(
            request.operation,
            Operation::ServerVersion,
            "Body is still found"
        );
    }

    #[test]
    fn every_operation_name_round_trips() {
        for op in Operation::ALL {
            let xml = envelope(&format!(
                r#"<{} xmlns="http://developer.intuit.com/"/>"#,
                op.name()
            ));
            let request = parse(xml.as_bytes()).expect("each known operation parses");
            assert_eq!(
                request.operation,
                op,
                "dispatch is on the element name {}",
                op.name()
            );
        }
    }

    /// A poor man's fuzz pass over the parser's entry point: every truncation point (in
    /// steps) and byte corruption of real envelopes must give Ok or a typed error, never a
    /// panic, and a truncated envelope must never parse as complete.
    #[test]
    fn truncated_or_corrupted_envelopes_never_panic() {
        qbsim::skip_without_reference!();
        for name in REAL_SOAP_SAMPLES {
            let bytes = reference(&format!("samples/soap/{name}"));
            let end = bytes.len()
                - bytes
                    .iter()
                    .rev()
                    .take_while(|b| b.is_ascii_whitespace())
                    .count();
            for cut in (0..end).step_by(89) {
                assert!(
                    parse(&bytes[..cut]).is_err(),
                    "{name}: cut at {cut} of {end} bytes is incomplete and must be refused"
                );
            }
            let mut state = 0x2545_f491_u32;
            for _ in 0..200 {
                let mut corrupted = bytes.clone();
                for _ in 0..4 {
                    // xorshift32: deterministic positions and values, no dependency.
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    let at = state as usize % corrupted.len();
                    corrupted[at] = (state >> 8) as u8;
                }
                let _ = parse(&corrupted);
            }
        }
    }

    #[test]
    fn bad_input_table() {
        let intuit = |inner: &str| envelope(inner);
        type Case = (&'static str, String, fn(&SoapError) -> bool);
        let cases: Vec<Case> = vec![
            ("empty body", String::new(), |e| matches!(e, SoapError::NotSoap { .. })),
            ("not xml", "hello".into(), |e| matches!(e, SoapError::StrayText { .. })),
            ("truncated", r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><serverVersion xmlns="http://developer.intuit.com/">"#.into(), |e| matches!(e, SoapError::Malformed { .. })),
            ("mismatched end tag", intuit(r#"<authenticate xmlns="http://developer.intuit.com/"><strUserName>a</strPassword></authenticate>"#), |e| matches!(e, SoapError::Malformed { .. })),
            ("not soap", "<html><body/></html>".into(), |e| matches!(e, SoapError::NotSoap { .. })),
            ("soap 1.2", r#"<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body/></e:Envelope>"#.into(), |e| matches!(e, SoapError::VersionMismatch { .. })),
            ("no body", r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header/></soap:Envelope>"#.into(), |e| matches!(e, SoapError::NoBody { .. })),
            ("empty Body", intuit(""), |e| matches!(e, SoapError::EmptyBody)),
            ("unknown op", intuit(r#"<deleteEverything xmlns="http://developer.intuit.com/"/>"#), |e| matches!(e, SoapError::UnknownOperation { name } if name == "deleteEverything")),
            ("wrong case op", intuit(r#"<SendRequestXML xmlns="http://developer.intuit.com/"/>"#), |e| matches!(e, SoapError::UnknownOperation { .. })),
            ("wrong ns", intuit(r#"<authenticate xmlns="urn:other"/>"#), |e| matches!(e, SoapError::WrongNamespace { .. })),
            ("unbound prefix", intuit(r#"<q:authenticate/>"#), |e| matches!(e, SoapError::Malformed { .. })),
            ("doctype", format!(r#"<!DOCTYPE lol [<!ENTITY lol "lol">]>{}"#, intuit(r#"<authenticate xmlns="http://developer.intuit.com/"><strUserName>&lol;</strUserName></authenticate>"#)), |e| matches!(e, SoapError::Doctype)),
            ("external entity", format!(r#"<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>{}"#, intuit(r#"<authenticate xmlns="http://developer.intuit.com/"><strUserName>&xxe;</strUserName></authenticate>"#)), |e| matches!(e, SoapError::Doctype)),
            ("undeclared entity", intuit(r#"<authenticate xmlns="http://developer.intuit.com/"><strUserName>&lol;</strUserName></authenticate>"#), |e| matches!(e, SoapError::UndeclaredEntity { name } if name == "lol")),
            ("nested element in string", intuit(r#"<receiveResponseXML xmlns="http://developer.intuit.com/"><response><QBXML/></response></receiveResponseXML>"#), |e| matches!(e, SoapError::NestedElement { .. })),
            ("duplicate field", intuit(r#"<getLastError xmlns="http://developer.intuit.com/"><ticket>a</ticket><ticket>b</ticket></getLastError>"#), |e| matches!(e, SoapError::DuplicateField { .. })),
            ("must understand", r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><x:Sec xmlns:x="urn:x" s:mustUnderstand="1"/></s:Header><s:Body><serverVersion xmlns="http://developer.intuit.com/"/></s:Body></s:Envelope>"#.into(), |e| matches!(e, SoapError::MustUnderstand { .. })),
        ];
        for (name, body, expected) in cases {
            match parse(body.as_bytes()) {
                Ok(r) => panic!("{name}: must be refused, was parsed as {r:?}"),
                Err(e) => assert!(expected(&e), "{name}: refused for the wrong reason: {e:?}"),
            }
        }
        assert!(
            matches!(
                parse(b"\xff\xfe<x/>"),
                Err(SoapError::NotUtf8 { offset: 0 })
            ),
            "non-UTF-8 bytes are refused with their offset"
        );
    }

    /// `n` distinct fields in one authenticate call, then `tail` before the end tag.
    fn many_fields(n: usize, tail: &str) -> String {
        let fields: String = (0..n).map(|i| format!("<f{i}>x</f{i}>")).collect();
        envelope(&format!(
            r#"<authenticate xmlns="http://developer.intuit.com/">{fields}{tail}</authenticate>"#
        ))
    }

    #[test]
    fn up_to_the_field_cap_is_read() {
        let request = parse(many_fields(MAX_FIELDS, "").as_bytes())
            .expect("MAX_FIELDS fields are allowed (unknown ones are ignored)");
        assert_eq!(request.fields.names().count(), MAX_FIELDS);
    }

    #[test]
    fn many_fields_are_refused_at_the_cap_without_reading_the_rest() {
        let err = parse(many_fields(100_000, "").as_bytes()).expect_err("over the cap");
        assert_eq!(
            err,
            SoapError::TooManyFields {
                operation: "authenticate".into(),
                limit: MAX_FIELDS
            },
            "a clear refusal naming the limit"
        );
        assert!(
            err.to_string().contains("more than 16 child elements"),
            "the faultstring says what was wrong: {err}"
        );
        // Malformed XML right after the first field over the cap: still TooManyFields, so
        // reading stopped there and the work is bounded by the cap, not the body's size.
        let err =
            parse(many_fields(MAX_FIELDS + 1, "<broken").as_bytes()).expect_err("over the cap");
        assert!(
            matches!(err, SoapError::TooManyFields { .. }),
            "the parser stops at the first field over the cap: {err:?}"
        );
    }

    #[test]
    fn a_duplicate_is_found_among_many_fields() {
        let err = parse(many_fields(MAX_FIELDS - 1, "<f3>again</f3>").as_bytes())
            .expect_err("a duplicate");
        assert_eq!(
            err,
            SoapError::DuplicateField {
                operation: "authenticate".into(),
                field: "f3".into()
            }
        );
    }
}
