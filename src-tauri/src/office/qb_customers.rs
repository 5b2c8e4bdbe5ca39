//! QuickBooks customers and jobs as FieldBridge last read them: the searchable list the
//! Customers page links to, and turning QuickBooks customers into app customers (already
//! linked) for an office whose customer list starts in QuickBooks ("Bring in from
//! QuickBooks", offered only what is not FieldBridge's already: `unlinked_only`).
//!
//! Owns the window's `QbCustomer` shape and the id given to imported customers. Does not read
//! QuickBooks (the sync does) nor own the mirror's SQL (`store::qb_mirror`).

use super::{page_limit, OfficeError};
use crate::store::customers::{self, Customer};
use crate::store::{pairings, qb_mirror, Store};
use serde::{Deserialize, Serialize};

/// A QuickBooks customer or job, as last read from QuickBooks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct QbCustomer {
    pub list_id: String,
    pub full_name: String,
    pub name: String,
    pub company_name: Option<String>,
    pub is_job: bool,
    pub bill_address_line1: Option<String>,
    pub bill_address_line2: Option<String>,
    pub ship_address_line1: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub active: bool,
    pub linked_app_customer_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SearchQbCustomersRequest {
    pub query: String,
    pub unlinked_only: bool,
    pub offset: u64,
    pub limit: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct QbCustomerPage {
    pub rows: Vec<QbCustomer>,
    pub total: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ImportQbCustomersResult {
    pub created: u64,
}

/// The app id given to a customer made from QuickBooks: the ListID, marked so it can never
/// clash with the field app's own ids.
pub const IMPORTED_ID_PREFIX: &str = "QB-";

/// One page of QuickBooks customers (the contract's `search_qb_customers`).
pub fn search(
    store: &Store,
    request: &SearchQbCustomersRequest,
) -> Result<QbCustomerPage, OfficeError> {
    let (rows, total) = store.read(|conn| {
        qb_mirror::search_customers(
            conn,
            &request.query,
            request.unlinked_only,
            request.offset,
            page_limit(request.limit),
        )
    })?;
    Ok(QbCustomerPage {
        rows: rows
            .into_iter()
            .map(|(c, linked)| QbCustomer {
                is_job: c.parent_list_id.is_some(),
                list_id: c.list_id,
                full_name: c.full_name,
                name: c.name,
                company_name: c.company_name,
                bill_address_line1: c.bill_address.line1,
                bill_address_line2: c.bill_address.line2,
                ship_address_line1: c.ship_address.line1,
                phone: c.phone,
                email: c.email,
                active: c.is_active,
                linked_app_customer_id: linked,
            })
            .collect(),
        total,
    })
}

/// Makes an app customer from each QuickBooks customer named, linked to it; ones already
/// linked to an app customer or project, or created by FieldBridge, are skipped (bringing
/// them in would give one QuickBooks customer two app customers). All or nothing.
pub fn import(
    store: &Store,
    qb_list_ids: &[String],
) -> Result<ImportQbCustomersResult, OfficeError> {
    let created = store.write(|tx| {
        let linked = pairings::linked_list_ids(tx)?;
        let mut created = 0;
        for list_id in qb_list_ids {
            if linked.contains_key(list_id) || qb_mirror::is_fieldbridges(tx, list_id)? {
                continue;
            }
            let Some(qb) = qb_mirror::customer(tx, list_id)? else {
                return Err(OfficeError::NotFound(format!(
                    "QuickBooks customer \"{list_id}\" is not in FieldBridge's copy of QuickBooks' list any more. Refresh the list and choose again."
                )));
            };
            let id = format!("{IMPORTED_ID_PREFIX}{list_id}");
            if customers::exists(tx, &id)? {
                // Imported before and unlinked since: link it again rather than copy it twice.
                pairings::link(tx, &id, list_id, pairings::PairingHow::Manual)?;
                continue;
            }
            let customer = Customer {
                id: id.clone(),
                name: qb.name.clone(),
                company_name: qb.company_name.clone(),
                first_name: qb.first_name.clone(),
                last_name: qb.last_name.clone(),
                email: qb.email.clone(),
                phone: qb.phone.clone(),
                billing_address: qb.bill_address.clone(),
                service_address: qb.ship_address.clone(),
                taxable: true,
                active: qb.is_active,
            };
            customers::save(tx, &customer)?;
            pairings::link(tx, &id, list_id, pairings::PairingHow::Manual)?;
            created += 1;
        }
        Ok::<_, OfficeError>(created)
    })?;
    Ok(ImportQbCustomersResult { created })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::office::test_support::*;
    use crate::store::outbox::{self, SyncState};
    use crate::store::{RecordKind, RecordRef};

    fn req(query: &str, unlinked_only: bool) -> SearchQbCustomersRequest {
        SearchQbCustomersRequest {
            query: query.into(),
            unlinked_only,
            offset: 0,
            limit: 10,
        }
    }

    fn fixture() -> Store {
        let store = store();
        let mut job = qb("80-3", "Job A", None, None);
        job.full_name = "Ecker Designs:Job A".into();
        job.parent_list_id = Some("80-1".into());
        save_qb(
            &store,
            &[
                qb(
                    "80-1",
                    "Ecker Designs",
                    Some("555-0100"),
                    Some("12 Mill Rd"),
                ),
                qb("80-2", "Baker Bros", None, None),
                job,
            ],
        );
        save_customers(&store, &[customer("C-1", "Ecker", None, None)]);
        store
            .write(|tx| pairings::link(tx, "C-1", "80-1", pairings::PairingHow::Manual))
            .unwrap();
        store
    }

    #[test]
    fn search_finds_by_name_phone_and_address_and_shows_links() {
        let store = fixture();
        let page = search(&store, &req("", false)).unwrap();
        assert_eq!(page.total, 3);
        let names: Vec<_> = page.rows.iter().map(|r| r.full_name.as_str()).collect();
        assert_eq!(
            names,
            ["Baker Bros", "Ecker Designs", "Ecker Designs:Job A"],
            "by full name"
        );
        assert_eq!(page.rows[1].linked_app_customer_id.as_deref(), Some("C-1"));
        assert!(page.rows[2].is_job, "a job has a parent");
        assert_eq!(
            search(&store, &req("0100", false)).unwrap().total,
            1,
            "phone is searched"
        );
        assert_eq!(
            search(&store, &req("MILL", false)).unwrap().total,
            1,
            "address is searched"
        );
        let unlinked = search(&store, &req("ecker", true)).unwrap();
        assert_eq!(unlinked.total, 1, "the linked customer is left out");
        assert_eq!(unlinked.rows[0].list_id, "80-3");
        let paged = search(
            &store,
            &SearchQbCustomersRequest {
                query: String::new(),
                unlinked_only: false,
                offset: 2,
                limit: 10,
            },
        )
        .unwrap();
        assert_eq!(
            (paged.rows.len(), paged.total),
            (1, 3),
            "offset pages, total stays"
        );
    }

    #[test]
    fn bring_in_leaves_out_what_fieldbridge_linked_or_created() {
        let store = fixture();
        // 80-3 (a job) is an app project's job; 80-5 was created by FieldBridge for C-5,
        // unlinked since; 80-2 is nobody's.
        let mut made = qb("80-5", "Zed Zebra", None, None);
        save_customers(&store, &[customer("C-5", "Zed Zebra", None, None)]);
        store
            .write(|tx| {
                made.external_guid = customers::get(tx, "C-5")?.map(|c| c.guid);
                qb_mirror::upsert_customer(tx, &made)?;
                crate::store::projects::save(
                    tx,
                    &crate::store::projects::Project {
                        id: "P-1".into(),
                        customer_id: "C-1".into(),
                        name: "Job A".into(),
                        active: true,
                    },
                )?;
                outbox::adopt_existing(
                    tx,
                    &RecordRef::new(RecordKind::Project, "P-1"),
                    "80-3",
                    None,
                )
            })
            .unwrap();
        for query in ["", "e", "job a", "zed"] {
            let offered: Vec<String> = search(&store, &req(query, true))
                .unwrap()
                .rows
                .into_iter()
                .map(|r| r.list_id)
                .collect();
            let expected: Vec<&str> = if "baker bros".contains(query) {
                vec!["80-2"]
            } else {
                vec![]
            };
            assert_eq!(offered, expected, "{query:?}: only what is nobody's");
        }
        assert_eq!(
            search(&store, &req("", true)).unwrap().total,
            1,
            "the total agrees"
        );
        assert_eq!(
            search(&store, &req("", false)).unwrap().total,
            4,
            "the Link dialog still sees all"
        );
        assert_eq!(
            import(&store, &["80-3".into(), "80-5".into()])
                .unwrap()
                .created,
            0,
            "a project's job and a customer FieldBridge made are not brought in again"
        );
    }

    #[test]
    fn importing_makes_linked_app_customers_once() {
        let store = fixture();
        let result = import(&store, &["80-1".into(), "80-2".into()]).unwrap();
        assert_eq!(result.created, 1, "the already-linked one is skipped");
        let c = store
            .read(|c| customers::get(c, "QB-80-2"))
            .unwrap()
            .expect("the app customer exists");
        assert_eq!(c.customer.name, "Baker Bros");
        let e = store
            .read(|c| outbox::get(c, &RecordRef::new(RecordKind::Customer, "QB-80-2")))
            .unwrap()
            .unwrap();
        assert_eq!(
            e.state,
            SyncState::Synced,
            "it is QuickBooks' own customer: nothing to send"
        );
        assert_eq!(e.qb_id.as_deref(), Some("80-2"));
        assert_eq!(
            import(&store, &["80-2".into()]).unwrap().created,
            0,
            "twice is once"
        );
        let err = import(&store, &["nope".into()]).unwrap_err();
        assert_eq!(err.code(), "not_found");
    }
}
