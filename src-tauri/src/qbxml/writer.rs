//! The one place qbXML text is produced: a thin layer over quick-xml's `Writer` that knows
//! qbXML's value types (AMTTYPE, PRICETYPE, DATETYPE, ...), checks every value against its
//! limit while writing, and remembers where in the request it is so an error can name the
//! field ("InvoiceAdd/InvoiceLineAdd[2]/Desc").
//!
//! Escaping is quick-xml's: text goes through `partial_escape`, attributes through
//! `push_attribute`, never through string joining. Owns no request types.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesDecl, BytesEnd, BytesPI, BytesStart, BytesText, Event};
use quick_xml::Writer;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::error::BuildError;
use super::limits::{self, TextProblem};
use super::types::{format_guid, Address, ListRef, OwnerId, QueryIterator};
use crate::money::format_amount;

/// The qbXML version every document we build declares.
pub const QBXML_VERSION: &str = "13.0";

pub(crate) struct QbWriter {
    xml: Writer<Vec<u8>>,
    /// The requestID of the request being written (for error messages).
    request_id: String,
    /// Labels of the open elements below the request element.
    path: Vec<String>,
    /// Every problem found so far; the document is only handed out when this stays empty.
    errors: Vec<BuildError>,
}

impl QbWriter {
    pub(crate) fn new() -> Self {
        QbWriter {
            xml: Writer::new(Vec::new()),
            request_id: String::new(),
            path: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// `<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?>`
    pub(crate) fn prolog(&mut self) {
        self.event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)));
        let pi = format!("qbxml version=\"{QBXML_VERSION}\"");
        self.event(Event::PI(BytesPI::new(pi.as_str())));
    }

    pub(crate) fn set_request(&mut self, request_id: &str) {
        self.request_id = request_id.to_owned();
        self.path.clear();
    }

    pub(crate) fn finish(self) -> Result<String, Vec<BuildError>> {
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        String::from_utf8(self.xml.into_inner()).map_err(|e| vec![BuildError::Write(e.to_string())])
    }

    pub(crate) fn errors(&self) -> &[BuildError] {
        &self.errors
    }

    fn event(&mut self, event: Event<'_>) {
        if let Err(e) = self.xml.write_event(event) {
            self.errors.push(BuildError::Write(e.to_string()));
        }
    }

    fn field(&self, leaf: &str) -> String {
        let mut s = self.path.join("/");
        if !leaf.is_empty() {
            if !s.is_empty() {
                s.push('/');
            }
            s.push_str(leaf);
        }
        s
    }

    pub(crate) fn fail(&mut self, error: BuildError) {
        self.errors.push(error);
    }

    pub(crate) fn conflict(&mut self, detail: impl Into<String>) {
        let e = BuildError::Conflict {
            request_id: self.request_id.clone(),
            detail: detail.into(),
        };
        self.errors.push(e);
    }

    pub(crate) fn empty(&mut self, leaf: &str) {
        let e = BuildError::Empty {
            request_id: self.request_id.clone(),
            field: self.field(leaf),
        };
        self.errors.push(e);
    }

    fn text_problem(&mut self, leaf: &str, value: &str, problem: TextProblem) {
        let request_id = self.request_id.clone();
        let field = self.field(leaf);
        self.errors.push(match problem {
            TextProblem::Empty => BuildError::Empty { request_id, field },
            TextProblem::TooLong { max, found } => BuildError::TooLong { request_id, field, max, found },
            TextProblem::Colon => BuildError::InvalidName {
                request_id,
                field,
                value: value.to_owned(),
                reason: "':' separates a parent from its job in QuickBooks, so a name cannot contain it",
            },
            TextProblem::ControlCharacter(code) => BuildError::InvalidCharacter { request_id, field, code },
        });
    }

    // --- structure -----------------------------------------------------------------------

    /// Opens an element with attributes (attribute values are escaped by quick-xml).
    pub(crate) fn open_with(&mut self, name: &str, attrs: &[(&str, &str)]) {
        let mut start = BytesStart::new(name);
        for (k, v) in attrs {
            start.push_attribute((*k, *v));
        }
        self.event(Event::Start(start));
        self.path.push(name.to_owned());
    }

    pub(crate) fn open(&mut self, name: &str) {
        self.open_with(name, &[]);
    }

    /// Opens a repeated element; errors inside name it `Name[index]` (1-based).
    pub(crate) fn open_indexed(&mut self, name: &str, index: usize) {
        self.event(Event::Start(BytesStart::new(name)));
        self.path.push(format!("{name}[{index}]"));
    }

    pub(crate) fn close(&mut self, name: &str) {
        self.path.pop();
        self.event(Event::End(BytesEnd::new(name)));
    }

    /// Opens a request element `<XxxRq requestID=".." [iterator=".." iteratorID=".."]>`.
    pub(crate) fn open_request(
        &mut self,
        name: &str,
        request_id: &str,
        iterator: Option<&QueryIterator>,
    ) {
        let mut attrs: Vec<(&str, &str)> = vec![("requestID", request_id)];
        match iterator {
            None => {}
            Some(QueryIterator::Start) => attrs.push(("iterator", "Start")),
            Some(QueryIterator::Continue { iterator_id }) => {
                attrs.push(("iterator", "Continue"));
                attrs.push(("iteratorID", iterator_id));
            }
            Some(QueryIterator::Stop { iterator_id }) => {
                attrs.push(("iterator", "Stop"));
                attrs.push(("iteratorID", iterator_id));
            }
        }
        let mut start = BytesStart::new(name);
        for (k, v) in &attrs {
            start.push_attribute((*k, *v));
        }
        self.event(Event::Start(start));
        self.path.clear();
    }

    pub(crate) fn close_request(&mut self, name: &str) {
        self.path.clear();
        self.event(Event::End(BytesEnd::new(name)));
    }

    /// Text content is escaped with quick-xml's `partial_escape` (`<`, `>`, `&`, and `\r` as
    /// `&#13;`): quotes need no escaping in content, and writing them literally spares
    /// QuickBooks' parser any entity it does not strictly need.
    fn leaf(&mut self, name: &str, text: &str) {
        self.event(Event::Start(BytesStart::new(name)));
        self.event(Event::Text(BytesText::from_escaped(partial_escape(text))));
        self.event(Event::End(BytesEnd::new(name)));
    }

    // --- text ----------------------------------------------------------------------------

    /// A text element checked against `max` characters and XML's character rules.
    pub(crate) fn text(&mut self, name: &str, value: &str, max: usize) {
        match limits::check_text(value, max) {
            Ok(()) => self.leaf(name, value),
            Err(p) => self.text_problem(name, value, p),
        }
    }

    pub(crate) fn opt_text(&mut self, name: &str, value: Option<&String>, max: usize) {
        if let Some(v) = value {
            self.text(name, v, max);
        }
    }

    /// A text element that must not be empty.
    pub(crate) fn required_text(&mut self, name: &str, value: &str, max: usize) {
        if value.is_empty() {
            self.empty(name);
        } else {
            self.text(name, value, max);
        }
    }

    /// A list element's own Name: not blank, no ':', at most `max` characters.
    pub(crate) fn list_name(&mut self, name: &str, value: &str, max: usize) {
        match limits::check_list_name(value, max) {
            Ok(()) => self.leaf(name, value),
            Err(p) => self.text_problem(name, value, p),
        }
    }

    /// A list of text elements the schema requires at least one of.
    pub(crate) fn text_list(&mut self, name: &str, values: &[String], max: usize) {
        if values.is_empty() {
            self.empty(name);
        }
        for v in values {
            self.required_text(name, v, max);
        }
    }

    // --- typed values ----------------------------------------------------------------------

    pub(crate) fn bool(&mut self, name: &str, value: bool) {
        self.leaf(name, if value { "true" } else { "false" });
    }

    pub(crate) fn opt_bool(&mut self, name: &str, value: Option<bool>) {
        if let Some(v) = value {
            self.bool(name, v);
        }
    }

    pub(crate) fn int(&mut self, name: &str, value: u32) {
        self.leaf(name, &value.to_string());
    }

    /// AMTTYPE: `[+-]?[0-9]{1,13}(\.[0-9]{2})?`, written with two places (cents rounded half
    /// away from zero, as QuickBooks rounds).
    pub(crate) fn amount(&mut self, name: &str, value: Decimal) {
        let text = format_amount(value);
        let digits = text
            .trim_start_matches('-')
            .split('.')
            .next()
            .map_or(0, str::len);
        if digits as u32 > limits::AMOUNT_INTEGER_DIGITS_MAX {
            self.number_error(name, &text, "AMTTYPE", "at most 13 digits before the point");
        } else {
            self.leaf(name, &text);
        }
    }

    pub(crate) fn opt_amount(&mut self, name: &str, value: Option<Decimal>) {
        if let Some(v) = value {
            self.amount(name, v);
        }
    }

    /// PRICETYPE / QUANTYPE: `[+-]?[0-9]{1,10}(\.[0-9]{1,5})?`, written exactly as given
    /// (trailing zeros beyond five places dropped); a value needing more than five places
    /// is refused, never silently rounded.
    pub(crate) fn price(&mut self, name: &str, value: Decimal, qbxml_type: &'static str) {
        let mut v = value;
        if v.scale() > limits::PRICE_FRACTION_DIGITS_MAX {
            v = v.normalize();
        }
        let text = v.to_string();
        let mut parts = text.trim_start_matches('-').split('.');
        let int_digits = parts.next().map_or(0, str::len) as u32;
        let frac_digits = parts.next().map_or(0, str::len) as u32;
        if frac_digits > limits::PRICE_FRACTION_DIGITS_MAX {
            self.number_error(name, &text, qbxml_type, "at most 5 digits after the point");
        } else if int_digits > limits::PRICE_INTEGER_DIGITS_MAX {
            self.number_error(
                name,
                &text,
                qbxml_type,
                "at most 10 digits before the point",
            );
        } else {
            self.leaf(name, &text);
        }
    }

    fn number_error(
        &mut self,
        name: &str,
        text: &str,
        qbxml_type: &'static str,
        rule: &'static str,
    ) {
        let e = BuildError::NumberOutOfRange {
            request_id: self.request_id.clone(),
            field: self.field(name),
            value: text.to_owned(),
            qbxml_type,
            rule,
        };
        self.errors.push(e);
    }

    /// DATETYPE: `YYYY-MM-DD`.
    pub(crate) fn date(&mut self, name: &str, value: NaiveDate) {
        if !(1..=9999).contains(&value.year()) {
            let e = BuildError::DateOutOfRange {
                request_id: self.request_id.clone(),
                field: self.field(name),
                value: value.to_string(),
            };
            self.errors.push(e);
            return;
        }
        self.leaf(name, &value.format("%Y-%m-%d").to_string());
    }

    pub(crate) fn opt_date(&mut self, name: &str, value: Option<NaiveDate>) {
        if let Some(v) = value {
            self.date(name, v);
        }
    }

    /// DATETIMETYPE with an explicit offset: `2026-10-01T12:00:00-05:00`. qbXML 13.0's
    /// pattern allows `[+-]HH:MM` and no `Z`, so UTC is written `+00:00`.
    pub(crate) fn datetime(&mut self, name: &str, value: DateTime<FixedOffset>) {
        if !(1..=9999).contains(&value.year()) {
            let e = BuildError::DateOutOfRange {
                request_id: self.request_id.clone(),
                field: self.field(name),
                value: value.to_rfc3339(),
            };
            self.errors.push(e);
            return;
        }
        self.leaf(name, &value.format("%Y-%m-%dT%H:%M:%S%:z").to_string());
    }

    pub(crate) fn opt_datetime(&mut self, name: &str, value: Option<DateTime<FixedOffset>>) {
        if let Some(v) = value {
            self.datetime(name, v);
        }
    }

    /// GUIDTYPE (ExternalGUID).
    pub(crate) fn guid(&mut self, name: &str, value: Uuid) {
        self.leaf(name, &format_guid(value));
    }

    pub(crate) fn owner_id(&mut self, value: Option<OwnerId>) {
        match value {
            None => {}
            Some(OwnerId::Zero) => self.leaf("OwnerID", "0"),
            Some(OwnerId::Guid(g)) => self.guid("OwnerID", g),
        }
    }

    /// A ref element holding exactly one of ListID (IDTYPE, 36) or FullName (`full_name_max`).
    pub(crate) fn list_ref(&mut self, name: &str, value: &ListRef, full_name_max: usize) {
        self.open(name);
        match value {
            ListRef::ListId(id) => self.required_text("ListID", id, limits::ID_MAX),
            ListRef::FullName(n) => self.required_text("FullName", n, full_name_max),
        }
        self.close(name);
    }

    pub(crate) fn opt_list_ref(
        &mut self,
        name: &str,
        value: Option<&ListRef>,
        full_name_max: usize,
    ) {
        if let Some(v) = value {
            self.list_ref(name, v, full_name_max);
        }
    }

    /// qbXML `AddressData`, in schema order.
    pub(crate) fn address(&mut self, name: &str, a: &Address) {
        self.open(name);
        self.opt_text("Addr1", a.addr1.as_ref(), limits::ADDRESS_LINE_MAX);
        self.opt_text("Addr2", a.addr2.as_ref(), limits::ADDRESS_LINE_MAX);
        self.opt_text("Addr3", a.addr3.as_ref(), limits::ADDRESS_LINE_MAX);
        self.opt_text("Addr4", a.addr4.as_ref(), limits::ADDRESS_LINE_MAX);
        self.opt_text("Addr5", a.addr5.as_ref(), limits::ADDRESS_LINE_MAX);
        self.opt_text("City", a.city.as_ref(), limits::CITY_MAX);
        self.opt_text("State", a.state.as_ref(), limits::STATE_MAX);
        self.opt_text(
            "PostalCode",
            a.postal_code.as_ref(),
            limits::POSTAL_CODE_MAX,
        );
        self.opt_text("Country", a.country.as_ref(), limits::COUNTRY_MAX);
        self.opt_text("Note", a.note.as_ref(), limits::ADDRESS_NOTE_MAX);
        self.close(name);
    }

    pub(crate) fn opt_address(&mut self, name: &str, a: Option<&Address>) {
        if let Some(a) = a {
            self.address(name, a);
        }
    }
}
