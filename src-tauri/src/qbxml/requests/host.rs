//! HostQuery, CompanyQuery and PreferencesQuery: the three queries the Web Connector itself
//! answers in `strHCPResponse`. The engine can send them again mid-session (e.g. to re-read
//! preferences after the office manager switched estimates on).

use crate::qbxml::types::OwnerId;
use crate::qbxml::writer::QbWriter;

/// `HostQueryRq`: which QuickBooks is running, which qbXML versions it speaks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostQuery {
    pub request_id: String,
}

/// `CompanyQueryRq`: the open company file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompanyQuery {
    pub request_id: String,
    pub owner_id: Option<OwnerId>,
}

/// `PreferencesQueryRq`: the company's preferences (sales tax, estimates, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PreferencesQuery {
    pub request_id: String,
}

impl HostQuery {
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("HostQueryRq", &self.request_id, None);
        w.close_request("HostQueryRq");
    }
}

impl CompanyQuery {
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("CompanyQueryRq", &self.request_id, None);
        w.owner_id(self.owner_id);
        w.close_request("CompanyQueryRq");
    }
}

impl PreferencesQuery {
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("PreferencesQueryRq", &self.request_id, None);
        w.close_request("PreferencesQueryRq");
    }
}
