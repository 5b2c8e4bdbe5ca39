//! The SOAP 1.1 envelope, document/literal, as the QuickBooks Web Connector speaks it.
//!
//! Owns: turning request bytes into an [`Operation`] plus its named string [`Fields`]
//! ([`read`]), and turning an [`Answer`] or a fault into response bytes ([`write`]).
//! Does not own: what any operation means (that is `method/`), HTTP (that is `server`/`routes`).
//!
//! Intuit's WSDL (`QBWebConnectorSvc.wsdl`) declares every operation as one element in the
//! namespace `http://developer.intuit.com/` whose children are strings (or ints), and every
//! answer as `<opResponse><opResult>…</opResult></opResponse>` in the same namespace. We
//! dispatch on the Body's first element, never on the SOAPAction header (the Web Connector
//! quotes it, other clients omit it).

pub mod read;
pub mod write;

pub use read::{parse, Fields, Request};

/// The namespace of every Web Connector operation and answer.
pub const INTUIT_NS: &str = "http://developer.intuit.com/";
/// SOAP 1.1 envelope namespace.
pub const SOAP_ENV_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";

/// The Web Connector operations we answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    ServerVersion,
    ClientVersion,
    Authenticate,
    SendRequestXml,
    ReceiveResponseXml,
    GetLastError,
    ConnectionError,
    CloseConnection,
    GetInteractiveUrl,
    InteractiveDone,
    InteractiveRejected,
}

impl Operation {
    /// Every operation, in the order the WSDL lists them.
    pub const ALL: [Operation; 11] = [
        Operation::ServerVersion,
        Operation::ClientVersion,
        Operation::Authenticate,
        Operation::SendRequestXml,
        Operation::ReceiveResponseXml,
        Operation::GetLastError,
        Operation::ConnectionError,
        Operation::CloseConnection,
        Operation::GetInteractiveUrl,
        Operation::InteractiveDone,
        Operation::InteractiveRejected,
    ];

    /// The element name on the wire (case matters: XML names are case-sensitive).
    pub const fn name(self) -> &'static str {
        match self {
            Operation::ServerVersion => "serverVersion",
            Operation::ClientVersion => "clientVersion",
            Operation::Authenticate => "authenticate",
            Operation::SendRequestXml => "sendRequestXML",
            Operation::ReceiveResponseXml => "receiveResponseXML",
            Operation::GetLastError => "getLastError",
            Operation::ConnectionError => "connectionError",
            Operation::CloseConnection => "closeConnection",
            Operation::GetInteractiveUrl => "getInteractiveURL",
            Operation::InteractiveDone => "interactiveDone",
            Operation::InteractiveRejected => "interactiveRejected",
        }
    }

    /// The operation whose element is named `name`, if we answer it.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.name() == name)
    }
}

/// What an operation answers, before it is wrapped in `<opResponse><opResult>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// `s:string`
    Text(String),
    /// `s:int` (receiveResponseXML's percent)
    Int(i32),
    /// `tns:ArrayOfString` (authenticate): one `<string>` child per item.
    Strings(Vec<String>),
}

/// Who is at fault, as SOAP 1.1 section 4.4.1 names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultCode {
    /// "The processing party found an invalid namespace for the SOAP Envelope element."
    VersionMismatch,
    /// "An immediate child element of the SOAP Header element that was either not understood
    /// or not obeyed by the processing party contained a SOAP mustUnderstand attribute with a
    /// value of "1"."
    MustUnderstand,
    /// "The message was incorrectly formed or did not contain the appropriate information in
    /// order to succeed."
    Client,
    /// "The message could not be processed for reasons not directly attributable to the
    /// contents of the message itself but rather to the processing of the message."
    Server,
}

impl FaultCode {
    /// The local part of the qualified faultcode (`soap:` is prepended when written).
    pub const fn local_name(self) -> &'static str {
        match self {
            FaultCode::VersionMismatch => "VersionMismatch",
            FaultCode::MustUnderstand => "MustUnderstand",
            FaultCode::Client => "Client",
            FaultCode::Server => "Server",
        }
    }
}

/// Why a request body is not a Web Connector call we can answer. Each becomes a SOAP Fault;
/// the message is the faultstring, so it says what was expected and what was found.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SoapError {
    #[error("the request body is not UTF-8 text (byte {offset} is invalid); the Web Connector sends UTF-8 XML")]
    NotUtf8 { offset: usize },
    #[error("the request is not well-formed XML: {detail}")]
    Malformed { detail: String },
    #[error("the request contains a DOCTYPE declaration; FieldBridge refuses document type and entity declarations and never expands them")]
    Doctype,
    #[error("the request uses the entity &{name}; which is not one of XML's five predefined entities; FieldBridge does not expand declared entities")]
    UndeclaredEntity { name: String },
    #[error("expected a SOAP 1.1 <Envelope> in namespace {SOAP_ENV_NS}, found {found}")]
    NotSoap { found: String },
    #[error("expected the SOAP 1.1 envelope namespace {SOAP_ENV_NS}, found the envelope in namespace {found:?}")]
    VersionMismatch { found: String },
    #[error("the SOAP header entry <{name}> is marked mustUnderstand=\"1\", and FieldBridge does not understand it")]
    MustUnderstand { name: String },
    #[error("expected <Body> inside the SOAP envelope, found {found}")]
    NoBody { found: String },
    #[error("the SOAP Body is empty; expected one Web Connector operation element such as <authenticate>")]
    EmptyBody,
    #[error("expected a Web Connector operation in namespace {INTUIT_NS}, found <{name}> in namespace {namespace:?}")]
    WrongNamespace { name: String, namespace: String },
    #[error("unknown operation <{name}>; FieldBridge answers serverVersion, clientVersion, authenticate, sendRequestXML, receiveResponseXML, getLastError, connectionError, closeConnection, getInteractiveURL, interactiveDone and interactiveRejected")]
    UnknownOperation { name: String },
    #[error("expected text inside <{field}>, found the element <{found}> (qbXML must be escaped or wrapped in CDATA)")]
    NestedElement { field: String, found: String },
    #[error("the element <{field}> appears twice in <{operation}>; expected it once")]
    DuplicateField { operation: String, field: String },
    #[error(
        "<{operation}> has more than {limit} child elements; a Web Connector call has at most six"
    )]
    TooManyFields { operation: String, limit: usize },
    #[error("unexpected text {text:?} outside any element of the SOAP envelope")]
    StrayText { text: String },
    #[error("expected an integer in <{field}>, found {found:?}")]
    NotAnInteger { field: &'static str, found: String },
}

impl SoapError {
    /// The SOAP 1.1 faultcode for this error.
    pub fn fault_code(&self) -> FaultCode {
        match self {
            SoapError::VersionMismatch { .. } => FaultCode::VersionMismatch,
            SoapError::MustUnderstand { .. } => FaultCode::MustUnderstand,
            _ => FaultCode::Client,
        }
    }
}
