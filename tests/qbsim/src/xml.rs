//! A small owned XML element tree: the one representation qbsim uses for qbXML and SOAP in
//! both directions.
//!
//! Owns: streaming parse (quick-xml `Reader`) into [`Element`] values, and writing an
//! [`Element`] back out through quick-xml's `Writer` (so escaping is always the writer's).
//! Does not own: any qbXML meaning; the company and the driver interpret the tree.
//!
//! Input containing a DOCTYPE or an entity declaration is rejected, never expanded: only
//! the five predefined entities and character references are resolved.

use std::borrow::Cow;

use quick_xml::events::{BytesDecl, BytesEnd, BytesPI, BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer, XmlVersion};

/// Deepest nesting accepted. qbXML documents are at most about ten levels deep; the limit
/// stops a hostile document from exhausting the stack of recursive consumers.
pub const MAX_DEPTH: usize = 64;

/// Why a document could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum XmlError {
    #[error("expected well-formed XML, found a syntax error at byte {position}: {message}")]
    Syntax { position: u64, message: String },
    #[error("expected no DOCTYPE (entity declarations are refused, never expanded), found one")]
    DocType,
    #[error("expected only the predefined entities and character references, found `&{0};`")]
    UnknownEntity(String),
    #[error("expected exactly one root element, found {0}")]
    Root(&'static str),
    #[error("expected nesting of at most {MAX_DEPTH} levels, found deeper")]
    TooDeep,
}

/// One XML element: local name (namespace prefix dropped), attributes in document order,
/// child elements, and the text of a leaf (text between child elements is dropped).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub text: String,
}

impl Element {
    pub fn new(name: impl Into<String>) -> Self {
        Element {
            name: name.into(),
            ..Element::default()
        }
    }

    /// A leaf element with text content.
    pub fn leaf(name: impl Into<String>, text: impl Into<String>) -> Self {
        Element {
            name: name.into(),
            text: text.into(),
            ..Element::default()
        }
    }

    pub fn attr(mut self, name: &str, value: impl Into<String>) -> Self {
        self.attrs.push((name.to_string(), value.into()));
        self
    }

    pub fn set_attr(&mut self, name: &str, value: impl Into<String>) {
        let value = value.into();
        match self.attrs.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => self.attrs.push((name.to_string(), value)),
        }
    }

    pub fn child(mut self, child: Element) -> Self {
        self.children.push(child);
        self
    }

    pub fn push(&mut self, child: Element) {
        self.children.push(child);
    }

    /// Adds `<name>text</name>`.
    pub fn push_leaf(&mut self, name: &str, text: impl Into<String>) {
        self.children.push(Element::leaf(name, text));
    }

    /// Adds `<name>text</name>` when `text` is present.
    pub fn push_opt(&mut self, name: &str, text: Option<&str>) {
        if let Some(text) = text {
            self.push_leaf(name, text);
        }
    }

    pub fn get_attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first child with this name.
    pub fn first(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// All children with this name, in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of the first child with this name.
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.first(name).map(|c| c.text.as_str())
    }

    /// Follows a path of child names, e.g. `["CustomerRef", "FullName"]`.
    pub fn path(&self, names: &[&str]) -> Option<&Element> {
        let mut at = self;
        for name in names {
            at = at.first(name)?;
        }
        Some(at)
    }

    /// Parses a whole document into its root element.
    pub fn parse(document: &str) -> Result<Element, XmlError> {
        let mut reader = Reader::from_str(document);
        reader.config_mut().check_end_names = true;
        let mut stack: Vec<Element> = Vec::new();
        let mut root: Option<Element> = None;
        loop {
            let position = reader.buffer_position();
            let event = reader.read_event().map_err(|e| XmlError::Syntax {
                position,
                message: e.to_string(),
            })?;
            match event {
                Event::Start(start) => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(XmlError::TooDeep);
                    }
                    if root.is_some() {
                        return Err(XmlError::Root("a second root element"));
                    }
                    stack.push(element_from_start(&start, position)?);
                }
                Event::Empty(start) => {
                    if root.is_some() && stack.is_empty() {
                        return Err(XmlError::Root("a second root element"));
                    }
                    let element = element_from_start(&start, position)?;
                    close(&mut stack, &mut root, element);
                }
                Event::End(_) => {
                    let Some(mut element) = stack.pop() else {
                        return Err(XmlError::Syntax {
                            position,
                            message: "end tag without a start tag".to_string(),
                        });
                    };
                    if !element.children.is_empty() {
                        element.text.clear();
                    }
                    close(&mut stack, &mut root, element);
                }
                Event::Text(text) => {
                    let content = text.xml_content(XmlVersion::Implicit1_0);
                    match stack.last_mut() {
                        Some(open) => open.text.push_str(&content),
                        None if content.trim().is_empty() => {}
                        None => return Err(XmlError::Root("text outside the root element")),
                    }
                }
                Event::CData(data) => {
                    let content = data.xml_content(XmlVersion::Implicit1_0);
                    if let Some(open) = stack.last_mut() {
                        open.text.push_str(&content);
                    }
                }
                Event::GeneralRef(reference) => {
                    let resolved = resolve_reference(&reference)?;
                    if let Some(open) = stack.last_mut() {
                        open.text.push_str(&resolved);
                    }
                }
                Event::DocType(_) => return Err(XmlError::DocType),
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
                Event::Eof => break,
            }
        }
        if !stack.is_empty() {
            return Err(XmlError::Syntax {
                position: reader.buffer_position(),
                message: format!("document ended inside <{}>", stack.len()),
            });
        }
        root.ok_or(XmlError::Root("no element"))
    }

    /// Writes this element (and its subtree) through quick-xml's writer.
    pub fn write_to<W: std::io::Write>(&self, writer: &mut Writer<W>) -> std::io::Result<()> {
        let mut start = BytesStart::new(self.name.as_str());
        for (name, value) in &self.attrs {
            start.push_attribute((name.as_str(), value.as_str()));
        }
        if self.children.is_empty() && self.text.is_empty() {
            return writer.write_event(Event::Empty(start));
        }
        writer.write_event(Event::Start(start))?;
        if self.children.is_empty() {
            writer.write_event(Event::Text(BytesText::new(&self.text)))?;
        } else {
            for child in &self.children {
                child.write_to(writer)?;
            }
        }
        writer.write_event(Event::End(BytesEnd::new(self.name.as_str())))
    }

    /// Serialises as a qbXML document: XML declaration, `<?qbxml version="13.0"?>`, root.
    pub fn to_qbxml_document(&self) -> String {
        let mut writer = Writer::new(Vec::new());
        // Writing into a Vec cannot fail.
        let _ = writer.write_event(Event::Decl(BytesDecl::new("1.0", None, None)));
        let _ = writer.write_event(Event::PI(BytesPI::new(r#"qbxml version="13.0""#)));
        let _ = self.write_to(&mut writer);
        String::from_utf8_lossy(&writer.into_inner()).into_owned()
    }

    /// Serialises as QuickBooks writes its answers: an XML declaration without encoding,
    /// then the root (no `<?qbxml?>` instruction in responses).
    pub fn to_response_document(&self) -> String {
        let mut writer = Writer::new(Vec::new());
        let _ = writer.write_event(Event::Decl(BytesDecl::new("1.0", None, None)));
        let _ = self.write_to(&mut writer);
        String::from_utf8_lossy(&writer.into_inner()).into_owned()
    }

    /// `<?xml version="1.0" encoding="utf-8"?>` + this element, as .NET writes SOAP.
    pub fn to_response_document_utf8(&self) -> String {
        let mut writer = Writer::new(Vec::new());
        let _ = writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)));
        let _ = self.write_to(&mut writer);
        String::from_utf8_lossy(&writer.into_inner()).into_owned()
    }

    /// Serialises this element alone (no declaration).
    pub fn to_xml(&self) -> String {
        let mut writer = Writer::new(Vec::new());
        let _ = self.write_to(&mut writer);
        String::from_utf8_lossy(&writer.into_inner()).into_owned()
    }
}

fn close(stack: &mut [Element], root: &mut Option<Element>, element: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None => *root = Some(element),
    }
}

fn local(name: &str) -> String {
    match name.rsplit_once(':') {
        Some((_, local)) => local.to_string(),
        None => name.to_string(),
    }
}

fn element_from_start(start: &BytesStart<'_>, position: u64) -> Result<Element, XmlError> {
    let mut element = Element::new(local(start.name().as_ref()));
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| XmlError::Syntax {
            position,
            message: e.to_string(),
        })?;
        let key: &str = attribute.key.as_ref();
        if key == "xmlns" || key.starts_with("xmlns:") {
            continue;
        }
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| match e {
                quick_xml::Error::Escape(quick_xml::escape::EscapeError::UnrecognizedEntity(
                    _,
                    name,
                )) => XmlError::UnknownEntity(name),
                other => XmlError::Syntax {
                    position,
                    message: other.to_string(),
                },
            })?;
        element.attrs.push((local(key), value.into_owned()));
    }
    Ok(element)
}

fn resolve_reference(reference: &quick_xml::events::BytesRef<'_>) -> Result<String, XmlError> {
    if let Ok(Some(ch)) = reference.resolve_char_ref() {
        return Ok(ch.to_string());
    }
    let name: Cow<'_, str> = reference.xml_content(XmlVersion::Implicit1_0);
    let resolved = match name.as_ref() {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        other => return Err(XmlError::UnknownEntity(other.to_string())),
    };
    Ok(resolved.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_entities_in_text_and_attributes() {
        let doc = r#"<?xml version="1.0"?><a x="&quot;q&quot; &amp; r"><b>A &amp; B &#65;</b></a>"#;
        let root = Element::parse(doc).expect("well-formed");
        assert_eq!(
            root.get_attr("x"),
            Some("\"q\" & r"),
            "attribute entities must be resolved"
        );
        assert_eq!(
            root.text_of("b"),
            Some("A & B A"),
            "text references must be stitched back in place"
        );
    }

    #[test]
    fn refuses_doctype_and_unknown_entities() {
        let doc = r#"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "boom">]><a>&e;</a>"#;
        assert_eq!(
            Element::parse(doc),
            Err(XmlError::DocType),
            "a DOCTYPE must be refused before any entity could be expanded"
        );
        assert_eq!(
            Element::parse("<a>&e;</a>"),
            Err(XmlError::UnknownEntity("e".into())),
            "an undeclared entity must be an error, not silently dropped"
        );
    }

    #[test]
    fn round_trips_through_the_writer_with_escaping() {
        let mut root = Element::new("R").attr("m", "say \"hi\" <now>");
        root.push_leaf("T", "a < b & c");
        let text = root.to_xml();
        assert!(
            text.contains("&quot;hi&quot;"),
            "quotes in attributes are escaped by the writer: {text}"
        );
        let back = Element::parse(&text).expect("our own output parses");
        assert_eq!(back, root, "write then parse must give the same tree");
    }

    #[test]
    fn drops_prefixes_and_namespace_declarations() {
        let doc = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><x xmlns="http://developer.intuit.com/"><r/></x></soap:Body></soap:Envelope>"#;
        let root = Element::parse(doc).expect("well-formed");
        assert_eq!(root.name, "Envelope", "prefix is dropped");
        assert!(
            root.path(&["Body", "x", "r"]).is_some(),
            "children are reachable by local name"
        );
        assert!(
            root.attrs.is_empty(),
            "xmlns declarations are not attributes"
        );
    }
}
