//! Benchmark 3: pairing suggestions for 10,000 app customers against 50,000 QuickBooks
//! customers with [`fieldbridge::pairing::Matcher`], and one search keystroke in the pairing
//! list over 50,000 QuickBooks customers in the store.
//!
//! The store has no search function for the pairing list yet, so the keystroke is the
//! equivalent query on the mirror table the list shows (`qb_customers`): a case-insensitive
//! `LIKE '%text%'` on the full name and company name, ordered by full name, `LIMIT 100`.
//!
//! ```text
//! cargo run --release -p fieldbridge --no-default-features --example bench_pairing
//! ```

#[path = "bench_support/mod.rs"]
mod bench_support;

use bench_support::{machine, summary, Rng};
use fieldbridge::pairing::{Decision, Matcher, Party};
use fieldbridge::store::customers::Address;
use fieldbridge::store::qb_mirror::{self, QbCustomer};
use fieldbridge::store::Store;
use std::time::{Duration, Instant};

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
fn qb_party(rng: &mut Rng, n: usize) -> Party {
    let name = if n % 3 == 0 {
        format!("{} {} {}", pick(rng, &LAST), pick(rng, &TRADE), n)
    } else {
        format!("{} {} {}", pick(rng, &FIRST), pick(rng, &LAST), n)
    };
    Party {
        key: format!("80000{n:05}-1234567890"),
        name,
        company_name: (n % 3 == 0)
            .then(|| format!("{} {} LLC", pick(rng, &LAST), pick(rng, &TRADE))),
        email: (n % 2 == 0).then(|| format!("contact{n}@example.com")),
        phone: Some(format!("(555) {:03}-{:04}", n % 1000, n % 10_000)),
        address_line1: Some(format!("{} {} St", n, pick(rng, &LAST))),
        postal_code: Some(format!("6{:04}", n % 10_000)),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("machine: {}", machine());
    let mut rng = Rng::new(7);
    let qb: Vec<Party> = (1..=50_000).map(|n| qb_party(&mut rng, n)).collect();
    // App customers: a quarter are QuickBooks customers typed again (same name), a quarter
    // share a phone or e-mail with one, half are new.
    let app: Vec<Party> = (1..=10_000)
        .map(|i| {
            let twin = &qb[(i * 5) % qb.len()];
            let mut p = match i % 4 {
                0 => twin.clone(),
                1 => Party {
                    name: format!("{} {} jr", pick(&mut rng, &FIRST), pick(&mut rng, &LAST)),
                    phone: twin.phone.clone(),
                    email: twin.email.clone(),
                    ..Default::default()
                },
                _ => Party {
                    name: format!("New Client {i} {}", pick(&mut rng, &LAST)),
                    address_line1: Some(format!("{i} Elm Ave")),
                    postal_code: Some("62701".into()),
                    ..Default::default()
                },
            };
            p.key = format!("C-{i}");
            p
        })
        .collect();

    let mut runs = Vec::new();
    let (mut links, mut suggestions, mut none) = (0, 0, 0);
    for _ in 0..5 {
        let t = Instant::now();
        let matcher = Matcher::new(qb.clone());
        let decisions: Vec<Decision> = app.iter().map(|a| matcher.decide(a)).collect();
        runs.push(t.elapsed());
        (links, suggestions, none) = (0, 0, 0);
        for d in decisions {
            match d {
                Decision::Link(_) => links += 1,
                Decision::Suggest(_) => suggestions += 1,
                Decision::NoCandidate => none += 1,
            }
        }
    }
    println!(
        "pairing 10,000 app customers against 50,000 QuickBooks customers (index + decide), 5 runs: {}",
        summary(&mut runs)
    );
    println!("  outcome: {links} linked, {suggestions} with suggestions, {none} with no candidate");

    // The keystroke: 50,000 customers in the mirror of a real (file, WAL) store.
    let dir = tempfile::tempdir()?;
    let store = Store::open(&dir.path().join("fieldbridge.sqlite3"))?;
    store.write(|tx| {
        for p in &qb {
            qb_mirror::upsert_customer(
                tx,
                &QbCustomer {
                    list_id: p.key.clone(),
                    full_name: p.name.clone(),
                    name: p.name.clone(),
                    is_active: true,
                    company_name: p.company_name.clone(),
                    email: p.email.clone(),
                    phone: p.phone.clone(),
                    bill_address: Address {
                        line1: p.address_line1.clone(),
                        postal_code: p.postal_code.clone(),
                        ..Default::default()
                    },
                    edit_sequence: "1".into(),
                    time_modified: "2026-10-01T09:00:00-05:00".into(),
                    ..Default::default()
                },
            )?;
        }
        Ok::<_, fieldbridge::store::StoreError>(())
    })?;
    const SEARCH: &str = "SELECT list_id, full_name, company_name, phone, email FROM qb_customers \
         WHERE is_active = 1 AND (full_name LIKE ?1 ESCAPE '\\' OR company_name LIKE ?1 ESCAPE '\\') \
         ORDER BY full_name LIMIT 100";
    let mut keystrokes: Vec<Duration> = Vec::new();
    let mut per_pattern: std::collections::BTreeMap<&str, (Vec<Duration>, usize)> =
        Default::default();
    let mut rows_seen = 0;
    for _ in 0..20 {
        for typed in ["r", "ro", "rob", "robi", "robin", "robins", "zzz"] {
            let pattern = format!("%{typed}%");
            let t = Instant::now();
            let rows = store.read(|c| {
                let mut stmt = c.prepare_cached(SEARCH)?;
                let rows = stmt
                    .query_map([&pattern], |r| r.get::<_, String>(0))?
                    .collect::<Result<Vec<_>, _>>()?;
                Ok::<_, fieldbridge::store::StoreError>(rows)
            })?;
            let took = t.elapsed();
            keystrokes.push(took);
            let e = per_pattern.entry(typed).or_default();
            e.0.push(took);
            e.1 = rows.len();
            rows_seen += rows.len();
        }
    }
    println!(
        "search keystroke (LIKE '%text%' over 50,000, LIMIT 100; 7 patterns x 20): {} ({rows_seen} rows in total)",
        summary(&mut keystrokes)
    );
    for (typed, (samples, rows)) in &mut per_pattern {
        println!("  {typed:>7}: {rows:>3} rows, {}", summary(samples));
    }

    // What a trigram index would give the worst case (a text no name contains: the plain
    // LIKE reads every row). Built in this bench's own database only, not in the product's
    // schema: evidence for the store's future search function.
    let fts = store.write(|tx| {
        tx.execute_batch(
            "CREATE VIRTUAL TABLE bench_qb_customers_fts USING fts5(
                 full_name, company_name, content='qb_customers', tokenize='trigram');
             INSERT INTO bench_qb_customers_fts(rowid, full_name, company_name)
                 SELECT rowid, full_name, company_name FROM qb_customers;",
        )
        .map_err(fieldbridge::store::StoreError::from)
    });
    match fts {
        Err(e) => println!("FTS5 trigram index not available in this SQLite build: {e}"),
        Ok(()) => {
            const TRIGRAM: &str = "SELECT c.list_id, c.full_name FROM bench_qb_customers_fts f \
                 JOIN qb_customers c ON c.rowid = f.rowid \
                 WHERE c.is_active = 1 AND (f.full_name LIKE ?1 OR f.company_name LIKE ?1) \
                 ORDER BY c.full_name LIMIT 100";
            for typed in ["rob", "robins", "zzz"] {
                let pattern = format!("%{typed}%");
                let mut samples = Vec::new();
                let mut n = 0;
                for _ in 0..20 {
                    let t = Instant::now();
                    n = store.read(|c| {
                        let mut stmt = c.prepare_cached(TRIGRAM)?;
                        let rows = stmt
                            .query_map([&pattern], |r| r.get::<_, String>(0))?
                            .count();
                        Ok::<_, fieldbridge::store::StoreError>(rows)
                    })?;
                    samples.push(t.elapsed());
                }
                println!(
                    "  trigram index, {typed:>7}: {n:>3} rows, {}",
                    summary(&mut samples)
                );
            }
        }
    }
    Ok(())
}
