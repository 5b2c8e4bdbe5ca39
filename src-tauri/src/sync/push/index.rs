//! QuickBooks' customers and jobs as pairing sees them while pushing: the pairing index
//! lives in SQLite (`store::pairing_keys`), filed when pushing starts, and is read one
//! app customer at a time, so a session's memory does not grow with QuickBooks' lists
//! (issue 18). Existing jobs are found by parent through an index on the mirror.
//!
//! Which keys a record is filed under and how a decision is reached are `pairing/`'s
//! ([`pairing::qb_keys`], [`QbLookup`]); this file only connects them to the store.
//!
//! QuickBooks' active vendors are indexed in memory (a [`Matcher`], about 80 bytes a vendor):
//! vendor lists are a few thousand names where customer lists reach a million.

use crate::pairing::{self, Matcher, Party, QbLookup};
use crate::store::customers::Customer;
use crate::store::pairing_keys::{self, QbPartyRow};
use crate::store::vendors::{self, Vendor};
use crate::store::StoreError;
use rusqlite::{Connection, Transaction};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

/// Queued records filed per statement batch: bounds the memory filing takes (about 1 kB per
/// record while its keys are worked out), whatever the size of QuickBooks' lists.
const FILE_CHUNK: usize = 1_000;

/// QuickBooks' customers and jobs, indexed for pairing during one session. Holds nothing
/// of QuickBooks' lists itself: having one means the on-disk index was brought up to date
/// when pushing started.
pub struct QbIndex {
    /// QuickBooks' active vendors (keys: ListIDs), linked ones claimed.
    pub(super) vendors: Matcher,
}

impl QbIndex {
    /// Files the QuickBooks records whose keys are out of date (all of them after the first
    /// pull; those that changed after a later one), once, when pushing starts.
    pub fn build(tx: &Transaction<'_>) -> Result<Self, StoreError> {
        file_queued(tx)?;
        let vendor_parties: Vec<Party> = vendors::qb_vendors(tx)?
            .into_iter()
            .filter(|v| v.is_active)
            .map(|v| Party {
                key: v.list_id,
                name: v.name,
                company_name: v.company_name,
                email: v.email,
                phone: v.phone,
                address_line1: v.line1,
                postal_code: v.postal_code,
            })
            .collect();
        let linked_vendors = vendors::linked_list_ids(tx)?;
        Ok(Self {
            vendors: Matcher::new(vendor_parties).with_links(&linked_vendors),
        })
    }

    /// The pairing rules over the on-disk index, reading through `conn` (the round trip's
    /// transaction). Links are read from `pairings` and the outbox as they stand, so a link
    /// written earlier in the same transaction already claims its QuickBooks record.
    pub fn matcher<'a>(&self, conn: &'a Connection) -> StoredMatcher<'a> {
        StoredMatcher {
            conn,
            parties: RefCell::new(HashMap::new()),
        }
    }

    /// The existing job named `name` (once normalised) under `parent_list_id`: its ListID
    /// and EditSequence. Where two jobs normalise alike, the last by full name.
    pub fn job(
        &self,
        conn: &Connection,
        parent_list_id: &str,
        name: &str,
    ) -> Result<Option<(String, String)>, StoreError> {
        let wanted = pairing::normalize_name(name);
        Ok(pairing_keys::jobs_of(conn, parent_list_id)?
            .into_iter()
            .filter(|(_, _, n)| pairing::normalize_name(n) == wanted)
            .map(|(list_id, edit_sequence, _)| (list_id, edit_sequence))
            .next_back())
    }
}

/// Works out the keys of every queued QuickBooks record and files them, [`FILE_CHUNK`] at
/// a time. Returns how many records were filed.
pub fn file_queued(tx: &Transaction<'_>) -> Result<u64, StoreError> {
    let mut filed = 0u64;
    loop {
        let n = pairing_keys::file_next(tx, FILE_CHUNK, |r| {
            if !r.is_active {
                return Vec::new();
            }
            let k = pairing::qb_keys(&party_of_qb(r));
            let mut all = k.keys;
            all.extend(k.words);
            all
        })?;
        if n == 0 {
            return Ok(filed);
        }
        filed += n as u64;
    }
}

/// The pairing rules' view of the on-disk index during one round trip. Rows are
/// `qb_customers` rowids; the records read are kept for the matcher's short life (one app
/// customer's decision).
pub struct StoredMatcher<'a> {
    conn: &'a Connection,
    parties: RefCell<HashMap<i64, Option<Party>>>,
}

impl StoredMatcher<'_> {
    fn cached(&self, row: i64) -> Result<Option<Party>, StoreError> {
        if let Some(p) = self.parties.borrow().get(&row) {
            return Ok(p.clone());
        }
        let p = pairing_keys::party(self.conn, row)?.map(|r| party_of_qb(&r));
        self.parties.borrow_mut().insert(row, p.clone());
        Ok(p)
    }
}

impl QbLookup for StoredMatcher<'_> {
    type Row = i64;
    type Error = StoreError;

    fn rows(&self, key: u64) -> Result<Vec<i64>, StoreError> {
        pairing_keys::rows(self.conn, key)
    }

    fn word_rows(&self, key: u64) -> Result<Vec<i64>, StoreError> {
        pairing_keys::rows_at_most(self.conn, key, pairing::MAX_WORD_FANOUT)
    }

    fn party(&self, row: i64) -> Result<Option<Cow<'_, Party>>, StoreError> {
        Ok(self.cached(row)?.map(Cow::Owned))
    }

    fn claimed_by_other(&self, row: i64, app_key: &str) -> Result<bool, StoreError> {
        match self.cached(row)? {
            Some(p) => pairing_keys::linked_to_other(self.conn, &p.key, app_key),
            None => Ok(false),
        }
    }

    fn claim(&self, _row: i64, _app_key: &str) -> Result<(), StoreError> {
        // The caller stores the link (`pairings::link`) in the same transaction, and
        // `claimed_by_other` reads it from there.
        Ok(())
    }
}

/// A QuickBooks record as pairing sees it: its billing street, or the shipping one when
/// it has no billing street.
fn party_of_qb(c: &QbPartyRow) -> Party {
    let (line1, postal_code) = if c.bill_line1.is_some() {
        (&c.bill_line1, &c.bill_postal_code)
    } else {
        (&c.ship_line1, &c.ship_postal_code)
    };
    Party {
        key: c.list_id.clone(),
        name: c.name.clone(),
        company_name: c.company_name.clone(),
        email: c.email.clone(),
        phone: c.phone.clone(),
        address_line1: line1.clone(),
        postal_code: postal_code.clone(),
    }
}

/// The app vendor as pairing sees it.
pub fn vendor_party(v: &Vendor) -> Party {
    Party {
        key: v.id.clone(),
        name: v.name.clone(),
        company_name: v.company_name.clone(),
        email: v.email.clone(),
        phone: v.phone.clone(),
        address_line1: v.address.line1.clone(),
        postal_code: v.address.postal_code.clone(),
    }
}

/// The app customer as pairing sees it.
pub fn party_of(c: &Customer) -> Party {
    let address = if c.billing_address.line1.is_some() {
        &c.billing_address
    } else {
        &c.service_address
    };
    Party {
        key: c.id.clone(),
        name: c.name.clone(),
        company_name: c.company_name.clone(),
        email: c.email.clone(),
        phone: c.phone.clone(),
        address_line1: address.line1.clone(),
        postal_code: address.postal_code.clone(),
    }
}

#[cfg(test)]
mod tests {
    //! The on-disk index decides exactly as the in-memory one did (issue 18's rule: pairing
    //! decisions on the same data are identical before and after), on a large generated
    //! company, before and after QuickBooks' records change.

    use super::*;
    use crate::pairing::{Decision, Matcher};
    use crate::store::customers::{self, Address, Customer};
    use crate::store::qb_mirror::{self, QbCustomer};
    use crate::store::{pairings, Store};

    /// The path this file replaced, kept here as the reference: every active QuickBooks
    /// record in a [`Matcher`] told the links, and every job in a map (as `QbIndex::build`
    /// read them before issue 18).
    fn in_memory(conn: &Connection) -> (Matcher, HashMap<(String, String), (String, String)>) {
        let mut parties = Vec::new();
        let mut jobs = HashMap::new();
        for c in qb_mirror::customers(conn).unwrap() {
            if let Some(parent) = &c.parent_list_id {
                jobs.insert(
                    (parent.clone(), pairing::normalize_name(&c.name)),
                    (c.list_id.clone(), c.edit_sequence.clone()),
                );
            }
            if !c.is_active {
                continue;
            }
            let address = if c.bill_address.line1.is_some() {
                &c.bill_address
            } else {
                &c.ship_address
            };
            parties.push(Party {
                key: c.list_id.clone(),
                name: c.name.clone(),
                company_name: c.company_name.clone(),
                email: c.email.clone(),
                phone: c.phone.clone(),
                address_line1: address.line1.clone(),
                postal_code: address.postal_code.clone(),
            });
        }
        let linked = pairings::linked_list_ids(conn).unwrap();
        (Matcher::new(parties).with_links(&linked), jobs)
    }

    /// A seeded xorshift: the same company every run.
    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
        fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
            from[self.below(from.len())]
        }
    }

    const FIRST: &[&str] = &[
        "James",
        "Mary",
        "Robert",
        "Patricia",
        "John",
        "Jennifer",
        "Michael",
        "Linda",
        "David",
        "Elizabeth",
        "William",
        "Susan",
        "Joseph",
        "Sarah",
        "Ngozi",
        "Mei",
    ];
    const LAST: &[&str] = &[
        "Smith", "Johnson", "Garcia", "Miller", "Davis", "Okafor", "Lopez", "Wilson", "Anderson",
        "Taylor", "Moore", "Jackson", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis",
        "Ecker", "Andersen",
    ];
    const WORD: &[&str] = &[
        "Hilltop",
        "Hill Top",
        "Summit",
        "Brookside",
        "Riverbend",
        "Oak",
        "Maple",
        "Cedar",
        "Harbor",
        "Valley",
        "Granite",
        "Pioneer",
        "Liberty",
        "Eagle",
        "Sunrise",
        "Lakeside",
        "St. Mark's",
        "Northgate",
        "Copper",
        "Silver",
    ];
    const TRADE: &[&str] = &[
        "Bakery",
        "Dental",
        "Fitness",
        "Hardware",
        "Plumbing",
        "Designs",
        "Auto",
        "Roofing",
        "Cafe",
        "Realty",
        "Landscaping",
        "Electric",
        "Church",
        "Floors",
        "Vet",
    ];
    const KIND: &[&str] = &[
        "", "", "", " LLC", " Inc", " Group", " Center", " & Sons", " Co", " Grp", " Svcs",
    ];
    const STREET: &[&str] = &["Mill Rd", "Main St", "Elm Street", "Oak Ave", "River Road"];
    const ZIP: &[&str] = &["06101", "06268", "06268-1234", "10001", "02139"];

    fn base_name(rng: &mut Rng) -> String {
        if rng.below(3) == 0 {
            format!("{} {}", rng.pick(FIRST), rng.pick(LAST))
        } else {
            format!("{} {}{}", rng.pick(WORD), rng.pick(TRADE), rng.pick(KIND))
        }
    }

    fn contact(rng: &mut Rng) -> (Option<String>, Option<String>, Address) {
        let phone = (rng.below(2) == 0)
            .then(|| format!("(555) {:03}-{:04}", rng.below(20), rng.below(300)));
        let email = (rng.below(3) == 0).then(|| {
            format!(
                "{}.{}@example.com",
                rng.pick(FIRST).to_lowercase(),
                rng.pick(LAST).to_lowercase()
            )
        });
        let address = if rng.below(5) < 2 {
            Address {
                line1: Some(format!("{} {}", 1 + rng.below(200), rng.pick(STREET))),
                postal_code: Some(rng.pick(ZIP).to_owned()),
                ..Address::default()
            }
        } else {
            Address::default()
        };
        (phone, email, address)
    }

    /// QuickBooks' side: `n` customers (numbered where a name repeats, as QuickBooks users
    /// do), one in twelve inactive, every tenth with jobs, contacts on some.
    fn qb_company(rng: &mut Rng, n: usize) -> Vec<QbCustomer> {
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut out = Vec::with_capacity(n + n / 5);
        for i in 0..n {
            let base = base_name(rng);
            let count = seen.entry(base.clone()).or_default();
            *count += 1;
            let name = if *count == 1 {
                base
            } else {
                format!("{base} {count}")
            };
            let (phone, email, address) = contact(rng);
            let list_id = format!("{:X}-{i}", 0x8000_0000u32 + i as u32);
            let (bill, ship) = if rng.below(4) == 0 {
                (Address::default(), address)
            } else {
                (address, Address::default())
            };
            out.push(QbCustomer {
                list_id: list_id.clone(),
                full_name: name.clone(),
                name: name.clone(),
                is_active: i % 12 != 5,
                company_name: (rng.below(6) == 0).then(|| format!("{name} Holdings")),
                email,
                phone,
                bill_address: bill,
                ship_address: ship,
                edit_sequence: format!("{}", 1000 + i),
                time_modified: "2026-11-01T10:00:00-05:00".into(),
                ..QbCustomer::default()
            });
            if i % 10 == 0 {
                for (j, job) in ["Kitchen Remodel", "Office Repairs", "office repairs."]
                    .iter()
                    .enumerate()
                    .take(1 + rng.below(3))
                {
                    out.push(QbCustomer {
                        list_id: format!("{list_id}-J{j}"),
                        full_name: format!("{name}:{job}"),
                        name: (*job).to_owned(),
                        parent_list_id: Some(list_id.clone()),
                        sublevel: 1,
                        is_active: j != 1 || i % 20 != 0,
                        edit_sequence: format!("{}", 5000 + i),
                        time_modified: "2026-11-01T10:00:00-05:00".into(),
                        ..QbCustomer::default()
                    });
                }
            }
        }
        out
    }

    /// The app's side: the same names (respelled), near names, the same phone, e-mail or
    /// street under another name, names twice, and names QuickBooks does not have.
    fn app_customers(rng: &mut Rng, qb: &[QbCustomer], n: usize) -> Vec<Customer> {
        let mut out: Vec<Customer> = Vec::with_capacity(n);
        for i in 0..n {
            let q = &qb[rng.below(qb.len())];
            let id = format!("C-{i}");
            let mut c = match rng.below(10) {
                0..=2 => Customer::named(&id, &q.name.to_uppercase().replace('.', "")),
                3 | 4 => Customer::named(&id, &format!("{} Inc.", q.name)),
                5 => {
                    let mut c = Customer::named(&id, &base_name(rng));
                    c.phone = q.phone.clone();
                    c.email = q.email.clone();
                    c.billing_address = q.bill_address.clone();
                    c
                }
                6 if !out.is_empty() => {
                    let twin = &out[rng.below(out.len())];
                    Customer::named(&id, &twin.name.clone())
                }
                _ => Customer::named(&id, &format!("{} {}", base_name(rng), rng.below(50))),
            };
            if c.phone.is_none() && c.email.is_none() {
                let (phone, email, address) = contact(rng);
                c.phone = phone;
                c.email = email;
                if c.billing_address.line1.is_none() {
                    c.billing_address = address;
                }
            }
            if rng.below(8) == 0 {
                c.company_name = Some(q.name.clone());
            }
            out.push(c);
        }
        out
    }

    /// Decides every unlinked app customer with both keepers, in order, linking as pushing
    /// does; asserts each decision, the best candidate's record and `name_taken` agree.
    /// Returns (links, suggestions, no candidate).
    fn decide_both(store: &Store, app: &[Customer]) -> (usize, usize, usize) {
        store
            .write(|tx| -> Result<_, StoreError> {
                let index = QbIndex::build(tx)?;
                assert_eq!(
                    pairing_keys::queue_len(tx)?,
                    0,
                    "building files every record"
                );
                let (memory, jobs) = in_memory(tx);
                let mut counts = (0, 0, 0);
                for c in app {
                    if pairings::get(tx, &c.id)?.is_some() {
                        continue;
                    }
                    let party = party_of(c);
                    let stored = index.matcher(tx);
                    let before = memory.decide(&party);
                    let after = stored.decide(&party)?;
                    assert_eq!(after, before, "{} ({}) is decided alike", c.name, c.id);
                    assert_eq!(
                        stored.name_taken(&c.name)?,
                        memory.name_taken(&c.name),
                        "name_taken({:?}) agrees",
                        c.name
                    );
                    match &after {
                        Decision::Link(list_id) => {
                            counts.0 += 1;
                            pairings::link(tx, &c.id, list_id, pairings::PairingHow::Auto)?;
                        }
                        Decision::Suggest(candidates) => {
                            counts.1 += 1;
                            let best = &candidates[0].list_id;
                            assert_eq!(
                                stored.party_of_list_id(best)?.as_ref(),
                                memory.party(best),
                                "the best candidate's record is the same"
                            );
                        }
                        Decision::NoCandidate => counts.2 += 1,
                    }
                }
                for ((parent, name), found) in &jobs {
                    assert_eq!(
                        index.job(tx, parent, name)?.as_ref(),
                        Some(found),
                        "job {name:?} under {parent} is found"
                    );
                    assert_eq!(index.job(tx, parent, "No Such Job")?, None);
                }
                Ok(counts)
            })
            .unwrap()
    }

    #[test]
    fn pairing_decisions_on_a_large_company_are_those_of_the_in_memory_matcher() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let qb = qb_company(&mut rng, 20_000);
        let app = app_customers(&mut rng, &qb, 3_000);
        let store = Store::open_in_memory().unwrap();
        store
            .write(|tx| -> Result<(), StoreError> {
                for c in &qb {
                    qb_mirror::upsert_customer(tx, c)?;
                }
                for c in &app {
                    customers::save(tx, c)?;
                }
                // Links a person made before: those records are no candidate for others.
                for (c, q) in app
                    .iter()
                    .zip(qb.iter().filter(|q| q.is_active))
                    .step_by(97)
                {
                    pairings::link(tx, &c.id, &q.list_id, pairings::PairingHow::Manual)?;
                }
                Ok(())
            })
            .unwrap();
        let (links, suggestions, none) = decide_both(&store, &app[..1_500]);
        // The generated company must exercise every outcome, or the comparison says little.
        assert!(
            links > 50 && suggestions > 200 && none > 50,
            "every outcome is compared: {links} links, {suggestions} suggestions, {none} none"
        );

        // QuickBooks changes: renames, deactivations, reactivations, new contacts, deletions.
        // The triggers queue them, building files them, and the decisions still agree.
        store
            .write(|tx| -> Result<(), StoreError> {
                for (i, q) in qb.iter().enumerate().step_by(7) {
                    let mut c = q.clone();
                    match i % 4 {
                        0 => c.name = format!("{} Renamed", q.name),
                        1 => c.is_active = !q.is_active,
                        2 => c.phone = Some("(555) 000-0001".into()),
                        _ => {
                            tx.execute(
                                "DELETE FROM qb_customers WHERE list_id = ?1",
                                [&q.list_id],
                            )?;
                            continue;
                        }
                    }
                    qb_mirror::upsert_customer(tx, &c)?;
                }
                Ok(())
            })
            .unwrap();
        let (links, suggestions, none) = decide_both(&store, &app[1_500..]);
        assert!(
            links > 50 && suggestions > 200 && none > 50,
            "after changes: {links} links, {suggestions} suggestions, {none} none"
        );
    }
}
