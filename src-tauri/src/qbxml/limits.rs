//! QuickBooks' size limits for the fields FieldBridge writes, as named constants, and the
//! checks the builders (and the engine's pre-flight) run against them.
//!
//! Every number is the `maxLength` in Intuit's qbXML 13.0 schema (`qbxml130.xsd`) unless the
//! comment says it comes from the qbXML reference instead (the schema leaves a few refs
//! unbounded). Lengths are counted in characters, as the schema's `xsd:maxLength` counts.
//! This module owns no XML.

// --- Names ------------------------------------------------------------------------------

/// qbXML 13.0 `CustomerAdd/Name`, `CustomerMod/Name`: maxLength 41.
pub const CUSTOMER_NAME_MAX: usize = 41;
/// qbXML 13.0 `CustomerListRef/FullName` (CustomerRef on every transaction) and
/// `CustomerRet/FullName`: maxLength 209 (parent names joined by ':').
pub const CUSTOMER_FULL_NAME_MAX: usize = 209;
/// `ParentRef/FullName` is a GenericListRef (unbounded in the schema); the parent of a job
/// is a customer or job, so the customer full-name limit (209) applies.
pub const PARENT_FULL_NAME_MAX: usize = CUSTOMER_FULL_NAME_MAX;
/// qbXML 13.0 `ListRef/FullName` (ClassRef, ARAccountRef, DepositToAccountRef): maxLength 159.
pub const LIST_FULL_NAME_MAX: usize = 159;
/// `ItemRef/FullName` is a GenericListRef (unbounded in the schema); the qbXML reference
/// gives 159 for item full names (`ItemServiceRet/FullName` maxLength 159).
pub const ITEM_FULL_NAME_MAX: usize = 159;
/// qbXML 13.0 item `Name` (e.g. `ItemServiceAdd/Name`): maxLength 31.
pub const ITEM_NAME_MAX: usize = 31;
/// qbXML 13.0 `SimpleListRef/FullName` (ItemSalesTaxRef, PaymentMethodRef, TermsRef):
/// maxLength 31.
pub const SIMPLE_LIST_FULL_NAME_MAX: usize = 31;
/// qbXML 13.0 `SalesTaxCodeListRef/FullName` (SalesTaxCodeRef, CustomerSalesTaxCodeRef):
/// maxLength 3 ("Tax", "Non").
pub const SALES_TAX_CODE_NAME_MAX: usize = 3;
/// qbXML 13.0 `IDTYPE` (ListID, TxnID): maxLength 36.
pub const ID_MAX: usize = 36;
/// qbXML 13.0 `EditSequence`: maxLength 16.
pub const EDIT_SEQUENCE_MAX: usize = 16;
/// `IncludeRetElement` (an element name): STRTYPE, `maxLength value="50"`.
pub const INCLUDE_RET_ELEMENT_MAX: usize = 50;
/// Intuit, qbXML reference (QBXMLMsgsRq attributes): "newMessageSetID ... max. 23 characters".
pub const MESSAGE_SET_ID_MAX: usize = 23;

// --- Reference numbers and memos --------------------------------------------------------

/// qbXML 13.0 `InvoiceAdd/RefNumber`: maxLength 11.
pub const INVOICE_REF_NUMBER_MAX: usize = 11;
/// qbXML 13.0 `EstimateAdd/RefNumber`: maxLength 11.
pub const ESTIMATE_REF_NUMBER_MAX: usize = 11;
/// qbXML 13.0 `ReceivePaymentAdd/RefNumber`: maxLength 20.
pub const PAYMENT_REF_NUMBER_MAX: usize = 20;
/// qbXML 13.0 `Memo` on InvoiceAdd, EstimateAdd, ReceivePaymentAdd: maxLength 4095.
pub const MEMO_MAX: usize = 4095;
/// qbXML 13.0 line `Desc` (InvoiceLineAdd, EstimateLineAdd): maxLength 4095.
pub const LINE_DESC_MAX: usize = 4095;
/// qbXML 13.0 `PONumber`: maxLength 25.
pub const PO_NUMBER_MAX: usize = 25;

/// qbXML 13.0 `BillAdd/RefNumber`: maxLength 20.
pub const BILL_REF_NUMBER_MAX: usize = 20;
/// qbXML 13.0 `CheckAdd/RefNumber` and `CreditCardChargeAdd/RefNumber`: maxLength 11.
pub const CHECK_REF_NUMBER_MAX: usize = 11;
/// qbXML 13.0 `VendorAdd/Name`: maxLength 41 (and, as every list name, no ':').
pub const VENDOR_NAME_MAX: usize = 41;

// --- Customer fields --------------------------------------------------------------------

/// qbXML 13.0 `CompanyName`: maxLength 41.
pub const COMPANY_NAME_MAX: usize = 41;
/// qbXML 13.0 `FirstName`: maxLength 25.
pub const FIRST_NAME_MAX: usize = 25;
/// qbXML 13.0 `LastName`: maxLength 25.
pub const LAST_NAME_MAX: usize = 25;
/// qbXML 13.0 `Phone`, `Mobile`, `AltPhone`, `Fax`: maxLength 21.
pub const PHONE_MAX: usize = 21;
/// qbXML 13.0 `Email`: maxLength 1023.
pub const EMAIL_MAX: usize = 1023;
/// qbXML 13.0 `Contact`: maxLength 41.
pub const CONTACT_MAX: usize = 41;
/// qbXML 13.0 customer `Notes`: maxLength 4095.
pub const NOTES_MAX: usize = 4095;
/// qbXML 13.0 customer `AccountNumber`: maxLength 99.
pub const ACCOUNT_NUMBER_MAX: usize = 99;
/// qbXML 13.0 `JobDesc`: maxLength 99.
pub const JOB_DESC_MAX: usize = 99;

// --- Addresses (qbXML 13.0 group AddressData) ------------------------------------------

/// `Addr1`..`Addr5`: maxLength 41.
pub const ADDRESS_LINE_MAX: usize = 41;
/// `City`: maxLength 31.
pub const CITY_MAX: usize = 31;
/// `State`: maxLength 21.
pub const STATE_MAX: usize = 21;
/// `PostalCode`: maxLength 13.
pub const POSTAL_CODE_MAX: usize = 13;
/// `Country`: maxLength 31.
pub const COUNTRY_MAX: usize = 31;
/// `Note`: maxLength 41.
pub const ADDRESS_NOTE_MAX: usize = 41;

// --- Numbers (qbxmltypes130.xsd) --------------------------------------------------------

/// AMTTYPE pattern `[+-]?[0-9]{1,13}(\.[0-9]{2})?`: 13 digits before the point.
pub const AMOUNT_INTEGER_DIGITS_MAX: u32 = 13;
/// PRICETYPE / QUANTYPE pattern `[+-]?[0-9]{1,10}(\.[0-9]{1,5})?`: 10 digits before the point.
pub const PRICE_INTEGER_DIGITS_MAX: u32 = 10;
/// PRICETYPE / QUANTYPE: at most 5 digits after the point.
pub const PRICE_FRACTION_DIGITS_MAX: u32 = 5;

/// What is wrong with a text value, before it is tied to a request and field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextProblem {
    /// Empty where QuickBooks needs a value.
    Empty,
    /// Longer than the limit.
    TooLong { max: usize, found: usize },
    /// A ':' inside a list name: QuickBooks reads ':' as the parent:child separator.
    Colon,
    /// A control character XML 1.0 cannot carry.
    ControlCharacter(u32),
}

/// XML 1.0 §2.2: `Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]`.
/// Rust strings cannot hold surrogates, so only the C0 controls and U+FFFE/U+FFFF remain.
fn first_forbidden_char(value: &str) -> Option<u32> {
    value
        .chars()
        .find(|&c| {
            let u = c as u32;
            (u < 0x20 && !matches!(c, '\t' | '\n' | '\r')) || u == 0xFFFE || u == 0xFFFF
        })
        .map(|c| c as u32)
}

/// Checks a free text against a maximum length (characters) and XML's character rules.
pub fn check_text(value: &str, max: usize) -> Result<(), TextProblem> {
    if let Some(code) = first_forbidden_char(value) {
        return Err(TextProblem::ControlCharacter(code));
    }
    let found = value.chars().count();
    if found > max {
        return Err(TextProblem::TooLong { max, found });
    }
    Ok(())
}

/// Checks a list element's own `Name` (customer, job, item).
///
/// qbXML 13.0: a FullName is the chain of Names joined by ':' ("Parent:Job"), so a ':'
/// inside a Name is not allowed (see qbwc-notes.md, "Limits from the schema").
pub fn check_list_name(name: &str, max: usize) -> Result<(), TextProblem> {
    if name.trim().is_empty() {
        return Err(TextProblem::Empty);
    }
    if name.contains(':') {
        return Err(TextProblem::Colon);
    }
    check_text(name, max)
}

/// Pre-flight for a customer or job name (41 characters, no ':').
pub fn check_customer_name(name: &str) -> Result<(), TextProblem> {
    check_list_name(name, CUSTOMER_NAME_MAX)
}

/// Pre-flight for an invoice or estimate RefNumber (11 characters).
pub fn check_invoice_ref_number(ref_number: &str) -> Result<(), TextProblem> {
    check_text(ref_number, INVOICE_REF_NUMBER_MAX)
}

/// Pre-flight for a payment RefNumber (20 characters).
pub fn check_payment_ref_number(ref_number: &str) -> Result<(), TextProblem> {
    check_text(ref_number, PAYMENT_REF_NUMBER_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_names_follow_quickbooks_rules() {
        assert_eq!(
            check_customer_name("Acme Plumbing"),
            Ok(()),
            "a plain name is fine"
        );
        assert_eq!(
            check_customer_name(&"x".repeat(41)),
            Ok(()),
            "41 characters is exactly the limit"
        );
        assert_eq!(
            check_customer_name(&"x".repeat(42)),
            Err(TextProblem::TooLong { max: 41, found: 42 }),
            "42 characters is one too many"
        );
        assert_eq!(
            check_customer_name("Acme:Job"),
            Err(TextProblem::Colon),
            "':' separates parent and job, so it cannot be inside a name"
        );
        assert_eq!(
            check_customer_name("  "),
            Err(TextProblem::Empty),
            "a blank name is no name"
        );
        assert_eq!(
            check_customer_name(&"é".repeat(41)),
            Ok(()),
            "limits count characters, not UTF-8 bytes"
        );
    }

    #[test]
    fn control_characters_are_refused_but_tabs_and_newlines_are_text() {
        assert_eq!(
            check_text("a\u{1}b", 10),
            Err(TextProblem::ControlCharacter(1))
        );
        assert_eq!(
            check_text("a\tb\nc\r", 10),
            Ok(()),
            "XML allows tab, LF and CR"
        );
        assert_eq!(
            check_text("\u{FFFF}", 10),
            Err(TextProblem::ControlCharacter(0xFFFF))
        );
    }

    #[test]
    fn ref_numbers_have_their_own_limits() {
        assert!(
            check_invoice_ref_number("FS-10001234").is_ok(),
            "11 characters fit"
        );
        assert!(
            check_invoice_ref_number("FS-100012345").is_err(),
            "12 do not"
        );
        assert!(
            check_payment_ref_number("CHK-0000000000000001").is_ok(),
            "20 characters fit"
        );
        assert!(
            check_payment_ref_number("CHK-00000000000000012").is_err(),
            "21 do not"
        );
    }
}
