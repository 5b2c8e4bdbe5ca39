//! A pull cursor over quick-xml's streaming reader, hardened for input we do not control:
//! the body size is capped, any DOCTYPE (and so any entity declaration) is refused, only
//! the five predefined entities and character references are resolved, nesting depth is
//! capped, and a document that ends with elements open is reported as truncated.
//!
//! The typed parsers walk it element by element (`next_child`, `text`, `skip`); nothing is
//! built into a tree. Owns no qbXML knowledge.

use std::borrow::Cow;

use quick_xml::escape::resolve_xml_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use crate::qbxml::error::{quote, ParseError};

/// The largest response body we parse. A full ItemQuery of a large company file is a few
/// MB; 64 MiB leaves room and still bounds memory for a hostile or broken peer.
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

/// The deepest nesting we accept. qbXML answers nest about ten levels
/// (QBXML/QBXMLMsgsRs/InvoiceQueryRs/InvoiceRet/InvoiceLineGroupRet/InvoiceLineRet/ItemRef/...);
/// anything far deeper is junk meant to exhaust the parser.
pub const MAX_DEPTH: usize = 32;

/// An element just opened: its name and its attributes (entity references resolved).
#[derive(Debug, Clone)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
}

impl Element {
    pub(crate) fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// One step of the document. Text borrows from the document when it can (whitespace
/// between elements, values without references), so reading it allocates nothing.
enum Raw<'a> {
    Start(Element),
    End,
    Text(Cow<'a, str>),
    Eof,
}

pub(crate) struct Cursor<'a> {
    reader: Reader<&'a [u8]>,
    /// Names of the open elements, outermost first.
    stack: Vec<String>,
    /// An `<empty/>` element was reported as opened; its end comes next.
    pending_end: bool,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(xml: &'a str) -> Result<Self, ParseError> {
        if xml.len() > MAX_RESPONSE_BYTES {
            return Err(ParseError::TooLarge {
                limit: MAX_RESPONSE_BYTES,
                found: xml.len(),
            });
        }
        // A byte-order mark is not content (XML 1.0 §4.3.3); some senders prepend one.
        let xml = xml.strip_prefix('\u{FEFF}').unwrap_or(xml);
        let mut reader = Reader::from_str(xml);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.allow_unmatched_ends = false;
        config.allow_dangling_amp = false;
        config.check_comments = true;
        Ok(Cursor {
            reader,
            stack: Vec::new(),
            pending_end: false,
        })
    }

    /// The open elements as a path ("QBXML/QBXMLMsgsRs/CustomerQueryRs/CustomerRet").
    pub(crate) fn path(&self) -> String {
        self.stack.join("/")
    }

    fn malformed(&self, detail: impl std::fmt::Display) -> ParseError {
        ParseError::Malformed {
            position: self.reader.buffer_position(),
            detail: detail.to_string(),
        }
    }

    fn element(&self, start: &BytesStart<'_>) -> Result<Element, ParseError> {
        let name = start.name().0.to_owned();
        let mut attrs = Vec::new();
        for attr in start.attributes() {
            let attr = attr.map_err(|e| self.malformed(e))?;
            let value = attr
                .normalized_value_with(XmlVersion::Implicit1_0, 1, resolve_xml_entity)
                .map_err(|e| {
                    self.malformed(format!("attribute {} of <{name}>: {e}", attr.key.0))
                })?;
            attrs.push((attr.key.0.to_owned(), value.into_owned()));
        }
        Ok(Element { name, attrs })
    }

    fn open(&mut self, element: &Element) -> Result<(), ParseError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(ParseError::TooDeep { limit: MAX_DEPTH });
        }
        self.stack.push(element.name.clone());
        Ok(())
    }

    fn raw(&mut self) -> Result<Raw<'a>, ParseError> {
        if self.pending_end {
            self.pending_end = false;
            self.stack.pop();
            return Ok(Raw::End);
        }
        loop {
            let event = self.reader.read_event().map_err(|e| self.malformed(e))?;
            return Ok(match event {
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => continue,
                // XML 1.0 §2.8: entity declarations live only in the DOCTYPE. qbXML has
                // none, so refusing the DOCTYPE refuses every declaration with it.
                Event::DocType(_) => return Err(ParseError::Doctype),
                Event::Start(start) => {
                    let element = self.element(&start)?;
                    self.open(&element)?;
                    Raw::Start(element)
                }
                Event::Empty(start) => {
                    let element = self.element(&start)?;
                    self.open(&element)?;
                    self.pending_end = true;
                    Raw::Start(element)
                }
                Event::End(_) => {
                    self.stack.pop();
                    Raw::End
                }
                Event::Text(text) => Raw::Text(text.xml10_content()),
                Event::CData(data) => Raw::Text(data.xml10_content()),
                Event::GeneralRef(reference) => {
                    let resolved = match reference.resolve_char_ref() {
                        Ok(Some(c)) => Cow::Owned(c.to_string()),
                        Ok(None) => match resolve_xml_entity(&reference) {
                            Some(s) => Cow::Borrowed(s),
                            None => {
                                return Err(ParseError::UnknownEntity {
                                    name: quote(&reference),
                                })
                            }
                        },
                        Err(e) => return Err(self.malformed(e)),
                    };
                    Raw::Text(resolved)
                }
                Event::Eof => match self.stack.last() {
                    Some(open) => {
                        return Err(ParseError::Truncated {
                            open_element: open.clone(),
                        })
                    }
                    None => Raw::Eof,
                },
            });
        }
    }

    /// Reads up to the root element, which must be `expected`.
    pub(crate) fn root(&mut self, expected: &'static str) -> Result<Element, ParseError> {
        loop {
            match self.raw()? {
                Raw::Text(t) if t.trim().is_empty() => continue,
                Raw::Text(t) => {
                    return Err(ParseError::MissingElement {
                        context: "the document".into(),
                        expected,
                        found: format!("text {:?}", quote(t.trim())),
                    })
                }
                Raw::Start(e) if e.name == expected => return Ok(e),
                Raw::Start(e) => {
                    return Err(ParseError::MissingElement {
                        context: "the document".into(),
                        expected,
                        found: format!("<{}>", quote(&e.name)),
                    })
                }
                Raw::End => return Err(self.malformed("a closing tag before any element")),
                Raw::Eof => {
                    return Err(ParseError::MissingElement {
                        context: "the document".into(),
                        expected,
                        found: "nothing (empty document)".into(),
                    })
                }
            }
        }
    }

    /// After the root closed: only whitespace and comments may follow.
    pub(crate) fn finish(&mut self) -> Result<(), ParseError> {
        loop {
            match self.raw()? {
                Raw::Eof => return Ok(()),
                Raw::Text(t) if t.trim().is_empty() => continue,
                Raw::Text(_) => return Err(self.malformed("text after the root element")),
                Raw::Start(e) => {
                    return Err(
                        self.malformed(format!("a second root element <{}>", quote(&e.name)))
                    )
                }
                Raw::End => return Err(self.malformed("a closing tag after the root element")),
            }
        }
    }

    /// The next child of the innermost open element, or `None` when that element closes.
    /// Stray text between children is ignored.
    pub(crate) fn next_child(&mut self) -> Result<Option<Element>, ParseError> {
        loop {
            match self.raw()? {
                Raw::Start(e) => return Ok(Some(e)),
                Raw::End | Raw::Eof => return Ok(None),
                Raw::Text(_) => continue,
            }
        }
    }

    /// The text of the element just opened (which must have no child elements); closes it.
    pub(crate) fn text(&mut self) -> Result<String, ParseError> {
        let mut text = String::new();
        loop {
            match self.raw()? {
                Raw::Text(t) => text.push_str(&t),
                Raw::End | Raw::Eof => return Ok(text),
                Raw::Start(e) => {
                    let field = self.stack[..self.stack.len().saturating_sub(1)].join("/");
                    return Err(ParseError::UnexpectedElement {
                        field,
                        found: quote(&e.name),
                    });
                }
            }
        }
    }

    /// Skips the rest of the element just opened, whatever it holds; closes it.
    pub(crate) fn skip(&mut self) -> Result<(), ParseError> {
        let mut depth = 0usize;
        loop {
            match self.raw()? {
                Raw::Start(_) => depth += 1,
                Raw::End | Raw::Eof => {
                    if depth == 0 {
                        return Ok(());
                    }
                    depth -= 1;
                }
                Raw::Text(_) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(xml: &str) -> Result<Vec<String>, ParseError> {
        let mut c = Cursor::new(xml)?;
        c.root("r")?;
        let mut out = Vec::new();
        while let Some(_child) = c.next_child()? {
            out.push(c.text()?);
        }
        c.finish()?;
        Ok(out)
    }

    #[test]
    fn predefined_and_character_references_are_resolved() {
        assert_eq!(
            texts("<r><a>A &amp; B &lt;c&gt; &quot;q&quot; &apos;s&apos; &#233;&#x4E2D;</a><b/><c><![CDATA[<x>]]></c></r>"),
            Ok(vec!["A & B <c> \"q\" 's' é中".to_owned(), String::new(), "<x>".to_owned()])
        );
    }

    #[test]
    fn hostile_documents_are_refused_with_a_clear_error() {
        let billion_laughs = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><r><a>&lol2;</a></r>"#;
        assert_eq!(
            texts(billion_laughs),
            Err(ParseError::Doctype),
            "a DOCTYPE is never expanded"
        );
        let external = r#"<!DOCTYPE r SYSTEM "file:///etc/passwd"><r/>"#;
        assert_eq!(texts(external), Err(ParseError::Doctype));
        assert_eq!(
            texts("<r><a>&xxe;</a></r>"),
            Err(ParseError::UnknownEntity { name: "xxe".into() })
        );
        assert!(
            matches!(texts("<r><a>x</a>"), Err(ParseError::Truncated { .. })),
            "cut short"
        );
        assert!(
            matches!(texts("<r><a>x</b></r>"), Err(ParseError::Malformed { .. })),
            "mismatched tags"
        );
        assert!(
            matches!(texts("<r></r><r></r>"), Err(ParseError::Malformed { .. })),
            "two roots"
        );
        assert!(
            matches!(texts(""), Err(ParseError::MissingElement { .. })),
            "empty body"
        );
        assert!(
            matches!(texts("garbage"), Err(ParseError::MissingElement { .. })),
            "no XML at all"
        );
        assert!(texts("\u{0}\u{1}<<>>&&").is_err(), "binary junk");
        let deep = format!("<r>{}{}</r>", "<a>".repeat(10_000), "</a>".repeat(10_000));
        assert_eq!(
            texts(&deep).err(),
            Some(ParseError::UnexpectedElement {
                field: "r/a".into(),
                found: "a".into()
            })
        );
        let mut c = Cursor::new(&deep).unwrap();
        c.root("r").unwrap();
        assert!(c.next_child().unwrap().is_some());
        assert_eq!(
            c.skip(),
            Err(ParseError::TooDeep { limit: MAX_DEPTH }),
            "depth is capped even while skipping"
        );
        assert!(
            matches!(
                texts("<r><a x='&bad;'/></r>"),
                Err(ParseError::Malformed { .. })
            ),
            "unknown entity in an attribute"
        );
    }

    #[test]
    fn a_byte_order_mark_and_prolog_are_not_content() {
        let xml = "\u{FEFF}<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<?qbxml version=\"13.0\"?>\n<!-- hi -->\n<r>\n  <a>1</a>\n</r>\n";
        assert_eq!(texts(xml), Ok(vec!["1".to_owned()]));
    }

    #[test]
    fn oversized_bodies_are_refused_before_parsing() {
        let big = format!("<r>{}</r>", " ".repeat(MAX_RESPONSE_BYTES));
        assert!(matches!(
            texts(&big),
            Err(ParseError::TooLarge {
                limit: MAX_RESPONSE_BYTES,
                ..
            })
        ));
    }
}
