//! The two ways this layer can fail: a request that would break a qbXML rule
//! ([`BuildError`], found before anything is sent) and a response that is not a qbXML answer we
//! can trust ([`ParseError`]). Owns the error types only; the checks live next to the code
//! that enforces them.

/// A request that cannot be written because one of its values breaks a qbXML 13.0 rule.
/// Nothing is written when this is returned: the engine marks the record `needs_attention`
/// and tells the office manager which field to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// A text is longer than QuickBooks accepts for that field.
    #[error("{request_id}: {field} may have at most {max} characters; it has {found}")]
    TooLong {
        request_id: String,
        field: String,
        max: usize,
        found: usize,
    },

    /// A list name QuickBooks would refuse (e.g. a ':' inside a customer name, which
    /// QuickBooks reads as the parent:job separator).
    #[error("{request_id}: {field} {value:?} is not a valid QuickBooks name: {reason}")]
    InvalidName {
        request_id: String,
        field: String,
        value: String,
        reason: &'static str,
    },

    /// A text holds a character that XML 1.0 cannot carry at all (control characters).
    #[error(
        "{request_id}: {field} contains the control character U+{code:04X}, which XML cannot carry"
    )]
    InvalidCharacter {
        request_id: String,
        field: String,
        code: u32,
    },

    /// A number does not fit the qbXML type (AMTTYPE: 13 digits before the point, two
    /// after; PRICETYPE / QUANTYPE: 10 before, at most 5 after).
    #[error("{request_id}: {field} = {value} does not fit {qbxml_type} ({rule})")]
    NumberOutOfRange {
        request_id: String,
        field: String,
        value: String,
        qbxml_type: &'static str,
        rule: &'static str,
    },

    /// A date outside the years QuickBooks can store.
    #[error("{request_id}: {field} = {value} is outside the years 1..=9999")]
    DateOutOfRange {
        request_id: String,
        field: String,
        value: String,
    },

    /// A required value is empty, or a list the schema requires at least one of is empty.
    #[error("{request_id}: {field} must not be empty")]
    Empty { request_id: String, field: String },

    /// Two settings that the qbXML schema does not allow together.
    #[error("{request_id}: {detail}")]
    Conflict { request_id: String, detail: String },

    /// Two requests in one message set share a requestID: their answers could not be told
    /// apart.
    #[error("requestID {request_id:?} is used by more than one request in this message set")]
    DuplicateRequestId { request_id: String },

    /// A message set ID longer than QuickBooks keeps, or empty.
    #[error("{attribute} {value:?} must be 1 to {max} characters")]
    InvalidMessageSetId {
        attribute: &'static str,
        value: String,
        max: usize,
    },

    /// The XML writer itself failed (writing to memory; not expected in practice).
    #[error("could not write the qbXML document: {0}")]
    Write(String),
}

impl BuildError {
    /// The requestID of the request the problem is in (empty for message-set problems).
    pub fn request_id(&self) -> &str {
        match self {
            BuildError::TooLong { request_id, .. }
            | BuildError::InvalidName { request_id, .. }
            | BuildError::InvalidCharacter { request_id, .. }
            | BuildError::NumberOutOfRange { request_id, .. }
            | BuildError::DateOutOfRange { request_id, .. }
            | BuildError::Empty { request_id, .. }
            | BuildError::Conflict { request_id, .. }
            | BuildError::DuplicateRequestId { request_id } => request_id,
            BuildError::InvalidMessageSetId { .. } | BuildError::Write(_) => "",
        }
    }
}

/// A response that could not be read as qbXML. Split by meaning: a body that is too big or
/// cut short is not the same as one that is hostile or simply not what qbXML promises.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The body is larger than we are willing to hold in memory.
    #[error("the response is {found} bytes; at most {limit} are accepted")]
    TooLarge { limit: usize, found: usize },

    /// A DOCTYPE (and with it any entity declaration) was present. qbXML never has one;
    /// we refuse rather than expand anything.
    #[error(
        "the response contains a DOCTYPE or entity declaration, which qbXML never has; refused"
    )]
    Doctype,

    /// An entity reference other than the five XML predefines or a character reference.
    #[error("the response uses the undeclared entity &{name};")]
    UnknownEntity { name: String },

    /// Not well-formed XML.
    #[error("the response is not well-formed XML at byte {position}: {detail}")]
    Malformed { position: u64, detail: String },

    /// The document ended while elements were still open.
    #[error("the response ends before <{open_element}> is closed (truncated?)")]
    Truncated { open_element: String },

    /// Elements nested deeper than any qbXML answer ever is.
    #[error("the response nests elements deeper than {limit} levels")]
    TooDeep { limit: usize },

    /// A required element is missing.
    #[error("expected <{expected}> in {context}, found {found}")]
    MissingElement {
        context: String,
        expected: &'static str,
        found: String,
    },

    /// A required attribute is missing.
    #[error("<{element}> has no {attribute} attribute")]
    MissingAttribute {
        element: String,
        attribute: &'static str,
    },

    /// A value that does not have the qbXML type it must have.
    #[error("{field}: expected {expected}, found {found:?}")]
    InvalidValue {
        field: String,
        expected: &'static str,
        found: String,
    },

    /// An element where only text may be.
    #[error("{field}: expected text, found the element <{found}>")]
    UnexpectedElement { field: String, found: String },

    /// The host (HostRet) answer is missing from strHCPResponse.
    #[error("strHCPResponse has no {part}: {detail}")]
    MissingHcpPart { part: &'static str, detail: String },
}

/// The longest piece of a bad value quoted back in an error message.
const QUOTE_MAX_CHARS: usize = 80;

/// Shortens a bad value for an error message (responses can be hostile; messages stay small).
pub(crate) fn quote(value: &str) -> String {
    if value.chars().count() <= QUOTE_MAX_CHARS {
        value.to_owned()
    } else {
        let mut s: String = value.chars().take(QUOTE_MAX_CHARS).collect();
        s.push('…');
        s
    }
}

/// QuickBooks offers no qbXML version we can speak.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    #[error(
        "QuickBooks supports qbXML up to {highest}, but FieldBridge needs {needed}. \
         Update QuickBooks Desktop (2015 or later) and run the Web Connector again."
    )]
    TooOld {
        highest: String,
        needed: &'static str,
    },
    #[error("QuickBooks listed no qbXML version FieldBridge understands (it sent {offered:?})")]
    NoneUnderstood { offered: Vec<String> },
}
