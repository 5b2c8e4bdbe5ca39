//! Benchmark 3: pairing suggestions for 10,000 app customers against 50,000 QuickBooks
//! customers, and search keystrokes in both pairing lists, timed through the functions the
//! desktop window calls, on a real data folder (SQLite in WAL mode, `synchronous=FULL`):
//!
//! - **suggestions**: the first `office::customers::list` on a fresh [`Suggestions`] cache
//!   (reads both lists, builds the matcher's index, decides every unpaired app customer);
//! - **Customers page keystroke**: `office::customers::list` with the text typed, filter
//!   "all", the window's page of 100, suggestions already cached (as they are while a person
//!   types);
//! - **QuickBooks picker keystroke**: `office::qb_customers::search` with the text typed, the
//!   picker's page of 50, all customers and unlinked only;
//! - **the search index's cost on writes**: the first sync's pull of 50,000 QuickBooks
//!   customers (`qb_mirror::upsert_customer`, one transaction per page of
//!   `sync::PULL_PAGE_SIZE` as the sync applies them) with the index's triggers, against the
//!   same pull into a data folder whose triggers were dropped; a re-read of the same 50,000
//!   unchanged; and forgetting them all (`qb_mirror::clear_customers`);
//! - **the matcher alone**: `pairing::Matcher::new` over the 50,000 QuickBooks customers as
//!   the sync builds it, `decide` for the 10,000 app customers, and the heap the index holds
//!   per QuickBooks customer (counted by this example's allocator; issue 18 moves the index to
//!   SQLite, until then it must not grow).
//!
//! ```text
//! cargo run --release -p fieldbridge --no-default-features --example bench_pairing
//! cargo run --release -p fieldbridge --no-default-features --example bench_pairing -- --matcher-only
//! ```
//! Prints figures; asserts nothing.

#[path = "bench_support/mod.rs"]
mod bench_support;

use bench_support::{machine, summary, Rng};
use fieldbridge::app::App;
use fieldbridge::office::customers::{self, CustomerFilter, ListCustomersRequest, Suggestions};
use fieldbridge::office::qb_customers::{self, SearchQbCustomersRequest};
use fieldbridge::pairing::{Decision, Matcher, Party};
use fieldbridge::paths::DataDir;
use fieldbridge::store::customers::Address;
use fieldbridge::store::qb_mirror::{self, QbCustomer};
use fieldbridge::store::{Store, StoreError};
use serde_json::json;
use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

/// The system allocator, counting the bytes currently held (to size the matcher's index).
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; only a counter is added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            HELD.fetch_add(layout.size(), Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        HELD.fetch_sub(layout.size(), Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            HELD.fetch_add(new_size, Relaxed);
            HELD.fetch_sub(layout.size(), Relaxed);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const QB_CUSTOMERS: usize = 50_000;
const APP_CUSTOMERS: usize = 10_000;
/// Rows per page: the Customers page asks for 100, the QuickBooks picker for 50 (ui/src).
const CUSTOMERS_PAGE: u64 = 100;
const PICKER_PAGE: u64 = 50;
/// Times each text is typed.
const REPEATS: usize = 30;

/// What a person types: 1, 2, 3 and 5+ characters, texts many names contain, texts that
/// nothing contains, a phone fragment, an e-mail, a street, two words.
const TYPED: [&str; 16] = [
    "r",
    "ro",
    "rob",
    "robin",
    "robinson",
    "q",
    "zq",
    "zqx",
    "zqxjv",
    "555) 2",
    "contact123",
    "elm ave",
    "plumbing",
    "new client 77",
    "garcia dental",
    "62701",
];

const FIRST: [&str; 24] = [
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
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Carlos",
    "Maria",
    "Wei",
    "Aisha",
    "Olga",
    "Kenji",
];
const LAST: [&str; 30] = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
];
const TRADE: [&str; 10] = [
    "Plumbing",
    "Heating",
    "Electric",
    "Roofing",
    "Landscaping",
    "Property Management",
    "Dental",
    "Bakery",
    "Realty",
    "Construction",
];

fn pick<'a>(rng: &mut Rng, from: &[&'a str]) -> &'a str {
    from[rng.next() as usize % from.len()]
}

/// A QuickBooks customer: a person or a business, with a unique number in the name as
/// QuickBooks demands unique names.
fn qb_customer(rng: &mut Rng, n: usize) -> QbCustomer {
    let name = if n % 3 == 0 {
        format!("{} {} {}", pick(rng, &LAST), pick(rng, &TRADE), n)
    } else {
        format!("{} {} {}", pick(rng, &FIRST), pick(rng, &LAST), n)
    };
    QbCustomer {
        list_id: format!("80000{n:05}-1234567890"),
        full_name: name.clone(),
        name,
        is_active: true,
        company_name: (n % 3 == 0)
            .then(|| format!("{} {} LLC", pick(rng, &LAST), pick(rng, &TRADE))),
        email: (n % 2 == 0).then(|| format!("contact{n}@example.com")),
        phone: Some(format!("(555) {:03}-{:04}", n % 1000, n % 10_000)),
        bill_address: Address {
            line1: Some(format!("{} {} St", n, pick(rng, &LAST))),
            city: Some("Springfield".into()),
            state: Some("IL".into()),
            postal_code: Some(format!("6{:04}", n % 10_000)),
            ..Default::default()
        },
        edit_sequence: "1".into(),
        time_modified: "2026-10-01T09:00:00-05:00".into(),
        ..Default::default()
    }
}

/// App customers as an import document: a quarter are QuickBooks customers typed again
/// (same name and address), a quarter share a phone or e-mail with one, half are new.
fn app_customers(rng: &mut Rng, qb: &[QbCustomer]) -> serde_json::Value {
    let customers: Vec<serde_json::Value> = (1..=APP_CUSTOMERS)
        .map(|i| {
            let twin = &qb[(i * 5) % qb.len()];
            let id = format!("C-{i}");
            match i % 4 {
                0 => json!({
                    "id": id, "name": twin.name, "company_name": twin.company_name,
                    "email": twin.email, "phone": twin.phone,
                    "billing_address": {"line1": twin.bill_address.line1,
                        "city": twin.bill_address.city, "state": twin.bill_address.state,
                        "postal_code": twin.bill_address.postal_code},
                }),
                1 => json!({
                    "id": id,
                    "name": format!("{} {} jr", pick(rng, &FIRST), pick(rng, &LAST)),
                    "email": twin.email, "phone": twin.phone,
                }),
                _ => json!({
                    "id": id,
                    "name": format!("New Client {i} {}", pick(rng, &LAST)),
                    "billing_address": {"line1": format!("{i} Elm Ave"), "city": "Springfield",
                        "state": "IL", "postal_code": "62701"},
                }),
            }
        })
        .collect();
    json!({ "customers": customers })
}

/// The first sync's pull: every customer, one transaction per page as the sync applies it.
fn pull(store: &Store, qb: &[QbCustomer]) -> Result<Duration, StoreError> {
    let t = Instant::now();
    for page in qb.chunks(fieldbridge::sync::PULL_PAGE_SIZE as usize) {
        store.write(|tx| {
            for c in page {
                qb_mirror::upsert_customer(tx, c)?;
            }
            Ok::<_, StoreError>(())
        })?;
    }
    Ok(t.elapsed())
}

fn open(dir: &std::path::Path) -> Result<App, Box<dyn std::error::Error>> {
    Ok(App::open_dir(DataDir::resolve(Some(dir))?, None)?)
}

/// The triggers that keep the search index in step, by name (none before migration 3).
fn index_triggers(store: &Store) -> Result<Vec<String>, StoreError> {
    store.read(|c| {
        let mut stmt = c.prepare(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'qb_customers'",
        )?;
        let names = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(names)
    })
}

/// One typed text's samples and what it found.
#[derive(Default)]
struct TextFigures {
    /// Customers page keystrokes.
    page: Vec<Duration>,
    /// Picker keystrokes (all and unlinked only).
    picker: Vec<Duration>,
    /// Customers matching on the Customers page.
    total: u64,
    /// QuickBooks customers matching, all / unlinked only.
    qb_total: u64,
    unlinked: u64,
}

/// A QuickBooks customer as the sync's pairing index sees it.
fn qb_party(c: &QbCustomer) -> Party {
    Party {
        key: c.list_id.clone(),
        name: c.name.clone(),
        company_name: c.company_name.clone(),
        email: c.email.clone(),
        phone: c.phone.clone(),
        address_line1: c.bill_address.line1.clone(),
        postal_code: c.bill_address.postal_code.clone(),
    }
}

/// An app customer of the import document as pairing sees it.
fn app_party(c: &serde_json::Value) -> Party {
    let text = |v: &serde_json::Value| v.as_str().map(str::to_owned);
    Party {
        key: c["id"].as_str().unwrap_or_default().to_owned(),
        name: c["name"].as_str().unwrap_or_default().to_owned(),
        company_name: text(&c["company_name"]),
        email: text(&c["email"]),
        phone: text(&c["phone"]),
        address_line1: text(&c["billing_address"]["line1"]),
        postal_code: text(&c["billing_address"]["postal_code"]),
    }
}

/// The matcher alone: build time, decide time for every app customer, and the heap held.
fn matcher_alone(qb: &[QbCustomer], doc: &serde_json::Value) {
    let apps: Vec<Party> = doc["customers"]
        .as_array()
        .map(|a| a.iter().map(app_party).collect())
        .unwrap_or_default();
    let (mut builds, mut decides) = (Vec::new(), Vec::new());
    let (mut index_bytes, mut party_bytes) = (0, 0);
    let mut outcome = (0, 0, 0);
    for _ in 0..5 {
        let start = HELD.load(Relaxed);
        let parties: Vec<Party> = qb.iter().map(qb_party).collect();
        let with_parties = HELD.load(Relaxed);
        let t = Instant::now();
        let matcher = Matcher::new(parties);
        builds.push(t.elapsed());
        party_bytes = with_parties.saturating_sub(start);
        index_bytes = HELD.load(Relaxed).saturating_sub(with_parties);
        let t = Instant::now();
        outcome = (0, 0, 0);
        for app in &apps {
            match matcher.decide(app) {
                Decision::Link(_) => outcome.0 += 1,
                Decision::Suggest(_) => outcome.1 += 1,
                Decision::NoCandidate => outcome.2 += 1,
            }
        }
        decides.push(t.elapsed());
    }
    println!(
        "matcher alone, {} QuickBooks customers: Matcher::new {}; decide x {}: {}",
        qb.len(),
        summary(&mut builds),
        apps.len(),
        summary(&mut decides)
    );
    println!(
        "  decisions: {} link, {} ask a person, {} no candidate; heap per QuickBooks customer: {:.0} bytes of index beside {:.0} bytes of Party records",
        outcome.0,
        outcome.1,
        outcome.2,
        index_bytes as f64 / qb.len() as f64,
        party_bytes as f64 / qb.len() as f64
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("machine: {}", machine());
    let mut rng = Rng::new(7);
    let qb: Vec<QbCustomer> = (1..=QB_CUSTOMERS)
        .map(|n| qb_customer(&mut rng, n))
        .collect();
    let doc = app_customers(&mut rng, &qb);
    matcher_alone(&qb, &doc);
    if std::env::args().any(|a| a == "--matcher-only") {
        return Ok(());
    }

    // The index's cost on the first sync's pull: the same 50,000 into a folder without the
    // triggers, then into the real one.
    let bare_dir = tempfile::tempdir()?;
    let bare = open(bare_dir.path())?;
    let triggers = index_triggers(bare.store())?;
    bare.store().write(|tx| {
        for t in &triggers {
            tx.execute_batch(&format!("DROP TRIGGER \"{t}\""))?;
        }
        Ok::<_, StoreError>(())
    })?;
    let without = pull(bare.store(), &qb)?;
    drop(bare);
    drop(bare_dir);

    let dir = tempfile::tempdir()?;
    let app = open(dir.path())?;
    let store = app.store();
    let with = pull(store, &qb)?;
    println!(
        "first pull of {QB_CUSTOMERS} QuickBooks customers ({} per transaction): {:.0} ms with the search index ({} triggers), {:.0} ms without: the index adds {:.0} ms ({:.2} ms per page of {})",
        fieldbridge::sync::PULL_PAGE_SIZE,
        ms(with),
        triggers.len(),
        ms(without),
        ms(with.saturating_sub(without)),
        ms(with.saturating_sub(without)) / (QB_CUSTOMERS as f64 / f64::from(fieldbridge::sync::PULL_PAGE_SIZE)),
        fieldbridge::sync::PULL_PAGE_SIZE,
    );
    let again = pull(store, &qb)?;
    println!(
        "re-read of the same {QB_CUSTOMERS}, unchanged (overlapping incremental read): {:.0} ms",
        ms(again)
    );
    let t = Instant::now();
    store.write(qb_mirror::clear_customers)?;
    let cleared = t.elapsed();
    let refill = pull(store, &qb)?;
    println!(
        "clear_customers of {QB_CUSTOMERS} (before a full re-read): {:.0} ms; the full re-read after it: {:.0} ms",
        ms(cleared),
        ms(refill)
    );

    app.import_bytes("bench.json", &serde_json::to_vec(&doc)?)?;

    // Suggestions: the first list on a fresh cache builds them all.
    let all = ListCustomersRequest {
        query: String::new(),
        filter: CustomerFilter::All,
        offset: 0,
        limit: CUSTOMERS_PAGE,
    };
    let mut runs = Vec::new();
    let mut page = None;
    for _ in 0..5 {
        let fresh = Suggestions::new();
        let t = Instant::now();
        page = Some(customers::list(store, &fresh, &all)?);
        runs.push(t.elapsed());
    }
    println!(
        "pairing suggestions, {APP_CUSTOMERS} app x {QB_CUSTOMERS} QuickBooks customers (first Customers page on a fresh cache), 5 runs: {}",
        summary(&mut runs)
    );
    if let Some(p) = page {
        println!(
            "  counts: {} suggested ({} exact), {} need a decision, {} will be created, {} linked",
            p.counts.suggested,
            p.exact_matches,
            p.counts.needs_decision,
            p.counts.will_create,
            p.counts.linked
        );
    }

    // Keystrokes, suggestions cached as they are while a person types.
    let suggestions = Suggestions::new();
    customers::list(store, &suggestions, &all)?;
    let mut page_all: Vec<Duration> = Vec::new();
    let mut picker_all: Vec<Duration> = Vec::new();
    let mut per_text: BTreeMap<usize, TextFigures> = BTreeMap::new();
    for _ in 0..REPEATS {
        for (i, typed) in TYPED.iter().enumerate() {
            let t = Instant::now();
            let p = customers::list(
                store,
                &suggestions,
                &ListCustomersRequest {
                    query: (*typed).into(),
                    ..all.clone()
                },
            )?;
            let page_took = t.elapsed();
            let mut picked = Vec::new();
            let mut totals = (0, 0);
            for unlinked_only in [false, true] {
                let t = Instant::now();
                let q = qb_customers::search(
                    store,
                    &SearchQbCustomersRequest {
                        query: (*typed).into(),
                        unlinked_only,
                        offset: 0,
                        limit: PICKER_PAGE,
                    },
                )?;
                picked.push(t.elapsed());
                if unlinked_only {
                    totals.1 = q.total;
                } else {
                    totals.0 = q.total;
                }
            }
            page_all.push(page_took);
            picker_all.extend(&picked);
            let e = per_text.entry(i).or_default();
            e.page.push(page_took);
            e.picker.extend(picked);
            (e.total, e.qb_total, e.unlinked) = (p.total, totals.0, totals.1);
        }
    }
    println!(
        "Customers page keystroke (office::customers::list, page of {CUSTOMERS_PAGE}, {} texts x {REPEATS}): {}",
        TYPED.len(),
        summary(&mut page_all)
    );
    println!(
        "QuickBooks picker keystroke (office::qb_customers::search, page of {PICKER_PAGE}, all and unlinked only, {} texts x {REPEATS} x 2): {}",
        TYPED.len(),
        summary(&mut picker_all)
    );
    println!("  per text: Customers page (total) | picker (total all / unlinked)");
    for (i, f) in &mut per_text {
        println!(
            "  {:>16}: page {} ({}) | picker {} ({} / {})",
            format!("{:?}", TYPED[*i]),
            summary(&mut f.page),
            f.total,
            summary(&mut f.picker),
            f.qb_total,
            f.unlinked
        );
    }

    // Where a Customers page keystroke goes: its parts, timed alone.
    let time = |f: &dyn Fn(&rusqlite::Connection) -> Result<usize, StoreError>| {
        let mut samples = Vec::new();
        let mut n = 0;
        for _ in 0..REPEATS {
            let t = Instant::now();
            n = store.read(f).unwrap_or_default();
            samples.push(t.elapsed());
        }
        (summary(&mut samples), n)
    };
    println!("  parts of a Customers page keystroke:");
    let (s, _) = time(&|c| suggestions.current(c).map(|m| m.len()));
    println!("    suggestions cache check (3 fingerprints, cache hit): {s}");
    let (s, _) = time(&|c| qb_mirror::customers_fingerprint(c).map(|_| 0));
    println!("      of which qb_mirror::customers_fingerprint: {s}");
    let (s, _) = time(&|c| fieldbridge::store::customers::fingerprint(c).map(|_| 0));
    println!("      of which store::customers::fingerprint: {s}");
    let (s, _) = time(&|c| fieldbridge::store::pairings::fingerprint(c).map(|_| 0));
    println!("      of which store::pairings::fingerprint: {s}");
    for typed in ["", "r", "ro", "rob", "zq", "zqx", "elm ave"] {
        let (s, n) =
            time(&|c| fieldbridge::store::customers::pairing_rows(c, typed).map(|r| r.len()));
        println!("    store::customers::pairing_rows({typed:?}), {n} rows: {s}");
    }
    Ok(())
}
