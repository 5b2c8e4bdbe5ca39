//! What people do in QuickBooks between runs, read back into FieldBridge (issue 11, "QuickBooks
//! to app"). The pull ([`super::pull`]) reads the pages; this module decides what each means
//! for the records FieldBridge follows and stores it through `store::qb_changes` and the
//! outbox. Every event it causes is written by a trigger in the same transaction.
//!
//! | in QuickBooks | in FieldBridge |
//! |---|---|
//! | an invoice created for a linked customer or job | kept in full with its lines, exported with `"source": "quickbooks"`, `invoice.created_in_quickbooks` ([`invoices`]) |
//! | an unpaid invoice's amounts or due date changed (ours or theirs) | total, balance and due date follow, `invoice.changed_in_quickbooks` ([`invoices`]) |
//! | an invoice voided | balance 0, `voided_in_quickbooks`, `record.deleted_in_quickbooks` ([`invoices`]) |
//! | an invoice created there deleted | forgotten, `record.deleted_in_quickbooks` ([`invoices`]) |
//! | a payment entered there deleted | gone from the export, `record.deleted_in_quickbooks`; its invoice's balance follows (the pull's invoice step) |
//! | a linked customer or job made inactive | it waits with a plain-English problem (QuickBooks refuses new transactions for it), so do the records billed to it; active again: they go ([`customers`]) |
//! | a linked customer or job renamed | still linked; the QuickBooks name and a note show (a trigger on the mirror, `store::qb_changes`) |
//! | a linked customer deleted | unlinked, waits for a pairing decision with the day it was deleted ([`customers`]) |
//!
//! Owns no SQL and no qbXML: it speaks typed `*Ret`s in and store calls out.

pub mod customers;
pub mod invoices;
