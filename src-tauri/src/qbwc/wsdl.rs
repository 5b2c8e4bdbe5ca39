//! Our WSDL, served at `GET /qbwc?wsdl`: every operation we answer (the six classic Web
//! Connector methods, serverVersion and clientVersion, and the three interactive-mode ones),
//! SOAP 1.1 document/literal in `http://developer.intuit.com/`.
//!
//! The document is `fieldbridge.wsdl` next to this file, written for FieldBridge. Serving it
//! streams it through quick-xml's reader and writer, changing only `soap:address`'s
//! `location` to the real URL with the configured port.

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use quick_xml::writer::Writer;

/// The WSDL as written (its address is a placeholder).
const TEMPLATE: &str = include_str!("fieldbridge.wsdl");

/// The WSDL with `soap:address location` = `http://localhost:{port}/qbwc`.
pub fn render(port: u16) -> Vec<u8> {
    let url = super::soap_url(port);
    let mut reader = Reader::from_str(TEMPLATE);
    let mut writer = Writer::new(Vec::with_capacity(TEMPLATE.len() + 32));
    loop {
        // INVARIANT: TEMPLATE is our own well-formed file (a test parses it), and writing to
        // a Vec cannot fail; on the impossible error the document written so far is served.
        let event = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(Event::Empty(e)) if e.name().as_ref() == "soap:address" => {
                Event::Empty(with_location(&e, &url))
            }
            Ok(event) => event,
        };
        if writer.write_event(event).is_err() {
            break;
        }
    }
    writer.into_inner()
}

fn with_location(e: &BytesStart<'_>, url: &str) -> BytesStart<'static> {
    let mut out = BytesStart::new(e.name().as_ref().to_owned());
    for attr in e.attributes().flatten() {
        if attr.key.as_ref() != "location" {
            out.push_attribute(attr);
        }
    }
    out.push_attribute(("location", url));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qbwc::soap::Operation;
    use quick_xml::events::Event;

    /// (operations in the portType, operations in the binding, address)
    fn outline(wsdl: &[u8]) -> (Vec<String>, Vec<String>, Vec<String>) {
        let text = std::str::from_utf8(wsdl).expect("UTF-8");
        let mut reader = Reader::from_str(text);
        let (mut port_ops, mut binding_ops, mut addresses) = (vec![], vec![], vec![]);
        let mut section = String::new();
        loop {
            match reader.read_event().expect("our WSDL is well-formed XML") {
                Event::Eof => break,
                Event::Start(e)
                    if e.name().as_ref() == "wsdl:portType"
                        || e.name().as_ref() == "wsdl:binding" =>
                {
                    section = e.name().as_ref().to_owned();
                }
                Event::Start(e) if e.name().as_ref() == "wsdl:operation" => {
                    let name = e
                        .try_get_attribute("name")
                        .expect("attrs")
                        .expect("named")
                        .value
                        .into_owned();
                    if section == "wsdl:portType" {
                        port_ops.push(name);
                    } else {
                        binding_ops.push(name);
                    }
                }
                Event::Empty(e) if e.name().as_ref() == "soap:address" => addresses.push(
                    e.try_get_attribute("location")
                        .expect("attrs")
                        .expect("location")
                        .value
                        .into_owned(),
                ),
                Event::Empty(e) if e.name().as_ref() == "soap:body" => assert_eq!(
                    e.try_get_attribute("use")
                        .expect("attrs")
                        .expect("use")
                        .value,
                    "literal",
                    "document/literal throughout"
                ),
                _ => {}
            }
        }
        (port_ops, binding_ops, addresses)
    }

    #[test]
    fn describes_every_operation_we_answer() {
        let (port_ops, binding_ops, _) = outline(&render(8711));
        for op in Operation::ALL {
            assert!(
                port_ops.iter().any(|n| n == op.name()),
                "{} is answered, so the portType must describe it",
                op.name()
            );
            assert!(
                binding_ops.iter().any(|n| n == op.name()),
                "{} needs a SOAP binding",
                op.name()
            );
        }
        assert_eq!(
            port_ops.len(),
            Operation::ALL.len(),
            "nothing described that we do not answer"
        );
    }

    #[test]
    fn the_address_is_the_real_url() {
        let (_, _, addresses) = outline(&render(51234));
        assert_eq!(
            addresses,
            vec!["http://localhost:51234/qbwc".to_owned()],
            "soap:address carries the configured port"
        );
    }
}
