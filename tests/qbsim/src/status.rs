//! qbXML status attributes: the codes and messages the simulated company answers with.
//!
//! Owns: the status triple (`statusCode`, `statusSeverity`, `statusMessage`) and the exact
//! message texts, copied from real QuickBooks answers in `reference/samples/responses/`
//! where one exists (marked "verbatim"), otherwise worded in QuickBooks' style (marked
//! "modelled"). Does not own: when a status applies (the request handlers decide).

use crate::xml::Element;

/// qbXML statusSeverity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Info,
    Warn,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "Info",
            Severity::Warn => "Warn",
            Severity::Error => "Error",
        }
    }
}

/// One response's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub code: u32,
    pub severity: Severity,
    pub message: String,
}

/// Appended to QuickBooks' "invalid reference" messages (verbatim, batch-mixed-errors and
/// SalesOrderAddRs samples; note the two spaces QuickBooks puts after each sentence).
const NOT_IN_LIST: &str =
    "  QuickBooks error message: Invalid argument.  The specified record does not exist in the list.";

impl Status {
    /// 0, verbatim.
    pub fn ok() -> Status {
        Status {
            code: 0,
            severity: Severity::Info,
            message: "Status OK".to_string(),
        }
    }

    /// 1: a query matched nothing (verbatim, ItemInventoryQueryRs-status1 sample).
    pub fn no_match() -> Status {
        Status {
            code: 1,
            severity: Severity::Info,
            message: "A query request did not find a matching object in QuickBooks".to_string(),
        }
    }

    /// 500: some of the requested names were not found (modelled on Intuit's code table).
    pub fn some_not_found(name: &str) -> Status {
        Status {
            code: 500,
            severity: Severity::Warn,
            message: format!(
                "The query request has not been fully completed. There was a required element (\"{name}\") that could not be found in QuickBooks."
            ),
        }
    }

    /// 1030: the simulator does not model this request (Intuit's "Unsupported message").
    pub fn unsupported(what: &str) -> Status {
        Status {
            code: 1030,
            severity: Severity::Error,
            message: format!(
                "This request is not supported by this implementation. (qbsim does not model {what}.)"
            ),
        }
    }

    /// 1060: requestID too long (Intuit's status code table).
    pub fn invalid_request_id(id: &str) -> Status {
        Status {
            code: 1060,
            severity: Severity::Error,
            message: format!(
                "The request ID \"{id}\" is invalid, possibly too long. (The maximum is 50 characters.)"
            ),
        }
    }

    /// 3000: an id in the request is not valid, e.g. an expired iterator (Intuit's table).
    pub fn invalid_object_id(value: &str, field: &str) -> Status {
        Status {
            code: 3000,
            severity: Severity::Error,
            message: format!(
                "The given object ID \"{value}\" in the field \"{field}\" is invalid."
            ),
        }
    }

    /// 3100, verbatim (batch-mixed-errors sample).
    pub fn name_in_use(name: &str) -> Status {
        Status {
            code: 3100,
            severity: Severity::Error,
            message: format!("The name \"{name}\" of the list element is already in use."),
        }
    }

    /// 3120, verbatim (CustomerQueryRs.error3120 sample).
    pub fn object_not_found(id: &str) -> Status {
        Status {
            code: 3120,
            severity: Severity::Error,
            message: format!(
                "Object \"{id}\" specified in the request cannot be found.{NOT_IN_LIST}"
            ),
        }
    }

    /// 3130, verbatim (batch-mixed-errors sample).
    pub fn bad_parent(parent: &str, list: &str) -> Status {
        Status {
            code: 3130,
            severity: Severity::Error,
            message: format!(
                "There is an invalid reference to a parent \"{parent}\" in the {list} list.{NOT_IN_LIST}"
            ),
        }
    }

    /// 3140, verbatim shape (SalesOrderAddRs sample): `object` is what was referenced
    /// ("Customer", "Item"...), `owner` the object being saved ("Invoice", "Customer"...).
    pub fn bad_reference(object: &str, name: &str, owner: &str) -> Status {
        Status {
            code: 3140,
            severity: Severity::Error,
            message: format!(
                "There is an invalid reference to QuickBooks {object} \"{name}\" in the {owner}.{NOT_IN_LIST}"
            ),
        }
    }

    /// 3175: the record or list is in use by someone else (modelled; transient).
    pub fn in_use(object: &str, name: &str) -> Status {
        Status {
            code: 3175,
            severity: Severity::Error,
            message: format!(
                "There was an error when modifying a {object}, element \"{name}\". QuickBooks error message: This record is in use by another user. Try again later."
            ),
        }
    }

    /// 3180, verbatim shape (CustomerAddRs.error3180 sample; transient).
    pub fn save_failed(object: &str, name: &str) -> Status {
        Status {
            code: 3180,
            severity: Severity::Error,
            message: format!(
                "There was an error when saving a {object}, element \"{name}\". QuickBooks error message: This list has been modified by another user."
            ),
        }
    }

    /// 3200: EditSequence out of date (modelled on QuickBooks' wording).
    pub fn stale_edit_sequence(given: &str) -> Status {
        Status {
            code: 3200,
            severity: Severity::Error,
            message: format!("The provided edit sequence \"{given}\" is out-of-date. "),
        }
    }

    /// 3210, verbatim (ReceivePaymentAddRs.error3210 sample, severity Info as captured).
    pub fn invalid_field(field: &str, value: &str, why: &str) -> Status {
        Status {
            code: 3210,
            severity: Severity::Info,
            message: format!(
                "The \"{field}\" field has an invalid value \"{value}\".  QuickBooks error message: {why}"
            ),
        }
    }

    /// 3250, verbatim (batch-mixed-errors sample).
    pub fn feature_off() -> Status {
        Status {
            code: 3250,
            severity: Severity::Error,
            message: "This feature is not enabled or not available in this version of QuickBooks."
                .to_string(),
        }
    }

    /// Whether stopOnError stops after this status. Only Error severity does (a 3210 that
    /// QuickBooks reports as Info does not stop the set, as captured).
    pub fn stops(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn is_ok(&self) -> bool {
        self.code == 0
    }

    /// The `XxxRs` element for request `rq` (named `XxxRq`), with requestID echoed.
    pub fn rs_for(&self, rq: &Element) -> Element {
        let name = match rq.name.strip_suffix("Rq") {
            Some(stem) => format!("{stem}Rs"),
            None => format!("{}Rs", rq.name),
        };
        let mut rs = Element::new(name);
        if let Some(id) = rq.get_attr("requestID") {
            rs.set_attr("requestID", id);
        }
        rs.set_attr("statusCode", self.code.to_string());
        rs.set_attr("statusSeverity", self.severity.as_str());
        rs.set_attr("statusMessage", self.message.clone());
        rs
    }
}
