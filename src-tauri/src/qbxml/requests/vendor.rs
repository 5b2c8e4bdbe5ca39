//! VendorAdd and VendorQuery.

use uuid::Uuid;

use super::query::write_list_selection;
use crate::qbxml::limits;
use crate::qbxml::types::{Address, ListSelection, OwnerId, QueryIterator};
use crate::qbxml::writer::QbWriter;

/// `VendorAddRq`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VendorAdd {
    pub request_id: String,
    /// At most 41 characters, no ':'.
    pub name: String,
    pub is_active: Option<bool>,
    pub company_name: Option<String>,
    pub address: Option<Address>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The record's stable FieldBridge id, so a lost answer can be recognised later.
    pub external_guid: Option<Uuid>,
}

/// `VendorQueryRq` (schema group VendorListQuery; iterator allowed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VendorQuery {
    pub request_id: String,
    pub selection: ListSelection,
    pub owner_id: Option<OwnerId>,
    pub iterator: Option<QueryIterator>,
}

impl VendorAdd {
    /// qbXML 13.0 VendorAdd, in schema order (ClassRef, the person's name, JobTitle, ... are
    /// not written): Name, IsActive, CompanyName, VendorAddress, Phone, Email, ExternalGUID.
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("VendorAddRq", &self.request_id, None);
        w.open("VendorAdd");
        w.list_name("Name", &self.name, limits::VENDOR_NAME_MAX);
        w.opt_bool("IsActive", self.is_active);
        w.opt_text(
            "CompanyName",
            self.company_name.as_ref(),
            limits::COMPANY_NAME_MAX,
        );
        w.opt_address("VendorAddress", self.address.as_ref());
        w.opt_text("Phone", self.phone.as_ref(), limits::PHONE_MAX);
        w.opt_text("Email", self.email.as_ref(), limits::EMAIL_MAX);
        if let Some(g) = self.external_guid {
            w.guid("ExternalGUID", g);
        }
        w.close("VendorAdd");
        w.close_request("VendorAddRq");
    }
}

impl VendorQuery {
    pub(crate) fn write(&self, w: &mut QbWriter) {
        w.open_request("VendorQueryRq", &self.request_id, self.iterator.as_ref());
        write_list_selection(w, &self.selection, limits::VENDOR_NAME_MAX);
        w.owner_id(self.owner_id);
        w.close_request("VendorQueryRq");
    }
}
