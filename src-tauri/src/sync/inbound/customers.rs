//! Linked customers and jobs made inactive or deleted in QuickBooks.
//!
//! Qbxml 13.0, CustomerRet `IsActive`: an inactive customer or job cannot be used on a new
//! transaction (QuickBooks refuses an InvoiceAdd, EstimateAdd or ReceivePaymentAdd naming
//! it). So a linked customer or job QuickBooks shows inactive waits for a person, its link
//! kept, and the records billed to it wait on it (the push parks a child whose parent needs
//! attention) instead of failing one by one. Made active again in QuickBooks, it is synced
//! again and what waited goes at that same run. A rename needs nothing here: the link stands
//! and the mirror's trigger keeps the old name for the note.

use crate::store::outbox;
use crate::store::pairings;
use crate::store::qb_changes::{self, InactiveLink};
use crate::store::records::{RecordKind, RecordRef};
use crate::store::StoreError;
use crate::sync::problems::{self, code};
use rusqlite::Transaction;

/// After the customer list is read in full: parks linked customers and jobs QuickBooks shows
/// inactive, releases those it shows active again. Both from the mirror as it now is, so a
/// customer linked while already inactive is caught too.
pub fn after_read(tx: &Transaction<'_>) -> Result<(), StoreError> {
    for link in qb_changes::inactive_links(tx)? {
        outbox::park_inactive_in_quickbooks(tx, &link.record, &inactive_problem(&link))?;
    }
    let parked = code::INACTIVE_IN_QUICKBOOKS.to_text();
    for record in qb_changes::active_again(tx, &parked)? {
        outbox::release_active_in_quickbooks(tx, &record, &code::INACTIVE_IN_QUICKBOOKS)?;
    }
    Ok(())
}

/// What a person is told about a customer or job made inactive in QuickBooks.
fn inactive_problem(link: &InactiveLink) -> crate::store::outbox::Problem {
    let (what, how) = match link.record.kind {
        RecordKind::Project => (
            "job",
            "Or choose Skip on the records that wait for it.".to_owned(),
        ),
        _ => (
            "customer",
            format!(
                "Or link {} to another QuickBooks customer on the Customers page.",
                link.record.id
            ),
        ),
    };
    let name = &link.full_name;
    problems::ours(
        code::INACTIVE_IN_QUICKBOOKS,
        format!(
            "Made inactive in QuickBooks on {}: QuickBooks refuses new invoices, estimates and payments for the {what} \"{name}\", so those for {} {} wait until it is active again.",
            link.changed_on,
            link.record.kind,
            link.record.id
        ),
        format!(
            "In QuickBooks, make \"{name}\" active again (Customer Center, View: All Customers, right-click it, Make Customer:Job Active); the next sync sends what waits. {how}"
        ),
    )
}

/// A customer or job FieldBridge follows was deleted in QuickBooks (ListDeletedQuery) on
/// `deleted_on` (YYYY-MM-DD, QuickBooks' time). A customer is unlinked and waits for a
/// pairing decision (link it to another QuickBooks customer, or create it again); a project's
/// job is never re-added by itself. Records billed to either wait on it.
pub fn deleted(
    tx: &Transaction<'_>,
    list_id: &str,
    name: Option<&str>,
    deleted_on: &str,
) -> Result<(), StoreError> {
    let shown = name.unwrap_or(list_id);
    let Some(linked) = qb_changes::linked_to(tx, list_id)? else {
        return Ok(());
    };
    let id = linked.record.id.clone();
    match linked.record.kind {
        RecordKind::Customer => {
            let record = RecordRef::new(RecordKind::Customer, id.clone());
            // Flagged as deleted while the outbox still has the ListID (so the trigger reports
            // `record.deleted_in_quickbooks` with it), unlinked, then waiting for the decision
            // a person makes on the Customers page.
            outbox::flag_gone_from_quickbooks(
                tx,
                &record,
                &problems::ours(
                    code::DELETED_IN_QUICKBOOKS,
                    format!(
                        "Deleted in QuickBooks on {deleted_on}: customer {id} was linked to \"{shown}\". It is unlinked, and its records wait until you choose what it is now."
                    ),
                    "Link it to another QuickBooks customer on the Customers page, or choose Create in QuickBooks.",
                ),
            )?;
            pairings::forget_deleted(tx, &id)?;
            outbox::wait_for_pairing(tx, &record, &code::NEEDS_PAIRING)
        }
        _ => outbox::flag_gone_from_quickbooks(
            tx,
            &linked.record,
            &problems::ours(
                code::DELETED_IN_QUICKBOOKS,
                format!("Deleted in QuickBooks on {deleted_on}: project {id} was the QuickBooks job \"{shown}\". FieldBridge will not add it again by itself."),
                "Choose Retry to add it to QuickBooks again, or Skip to leave it out.",
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::codes::PairingHow;
    use crate::store::outbox::SyncState;
    use crate::store::qb_mirror::{self, QbCustomer};
    use crate::store::{events, Store};

    fn qb(active: bool, es: &str) -> QbCustomer {
        QbCustomer {
            list_id: "80-1".into(),
            full_name: "Acme Plumbing".into(),
            name: "Acme Plumbing".into(),
            is_active: active,
            edit_sequence: es.into(),
            time_modified: "2026-12-02T09:30:00-05:00".into(),
            ..QbCustomer::default()
        }
    }

    fn state(store: &Store) -> (SyncState, Option<String>, Option<String>) {
        let e = store
            .read(|c| outbox::get(c, &RecordRef::new(RecordKind::Customer, "C-1")))
            .unwrap()
            .unwrap();
        let text = e.problem.as_ref().map(|p| p.text.clone());
        (e.state, e.qb_id, text)
    }

    #[test]
    fn a_linked_customer_made_inactive_waits_with_its_link_and_goes_when_active_again() {
        let store = Store::open_in_memory().unwrap();
        crate::import::import_bytes(
            &store,
            "d.json",
            br#"{"customers": [{"id": "C-1", "name": "Acme Plumbing"}]}"#,
        )
        .unwrap();
        store
            .write(|tx| {
                qb_mirror::upsert_customer(tx, &qb(true, "1"))?;
                pairings::link(tx, "C-1", "80-1", PairingHow::Manual)
            })
            .unwrap();
        let before = store.read(events::last_seq).unwrap();
        store
            .write(|tx| {
                qb_mirror::upsert_customer(tx, &qb(false, "2"))?;
                after_read(tx)
            })
            .unwrap();
        let (st, qb_id, text) = state(&store);
        assert_eq!(st, SyncState::NeedsAttention, "it waits for a person");
        assert_eq!(qb_id.as_deref(), Some("80-1"), "and keeps its link");
        let text = text.unwrap();
        assert!(
            text.starts_with("Made inactive in QuickBooks on 2026-12-02:"),
            "says when, in QuickBooks' own day: {text}"
        );
        assert!(text.contains("wait until it is active again"), "{text}");
        let feed = store.read(|c| events::after(c, before, 100)).unwrap();
        let attention: Vec<_> = feed
            .iter()
            .filter(|e| e.event_type == "record.needs_attention")
            .collect();
        assert_eq!(attention.len(), 1, "{feed:?}");
        assert_eq!(attention[0].data["code"], "inactive-in-quickbooks");
        assert!(
            feed.iter()
                .any(|e| e.event_type == "quickbooks.customer_changed" && e.data["active"] == false),
            "the customer change itself is in the feed too"
        );

        store.write(after_read).unwrap();
        assert_eq!(
            state(&store).0,
            SyncState::NeedsAttention,
            "reading again changes nothing"
        );
        store
            .write(|tx| {
                qb_mirror::upsert_customer(tx, &qb(true, "3"))?;
                after_read(tx)
            })
            .unwrap();
        let (st, qb_id, text) = state(&store);
        assert_eq!(st, SyncState::Synced, "active again: linked and synced");
        assert_eq!(qb_id.as_deref(), Some("80-1"));
        assert_eq!(text, None);
    }
}
