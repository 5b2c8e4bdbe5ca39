//! Benchmark: `fieldbridge preview` (issue 15) for 10,000 app customers against 50,000
//! QuickBooks customers already read into the mirror, timed through the function the command
//! line and the window call (`ops::safe_start::get_preview`): the whole push planning of the
//! next run (pairing every customer, naming checks, batches built and recorded) inside one
//! transaction that is rolled back. A fifth of the app customers have a QuickBooks twin
//! (same name: linked), the rest are new (added).
//!
//! ```text
//! cargo run --release -p fieldbridge --no-default-features --example bench_preview
//! ```
//! Prints figures; asserts nothing.

#[path = "bench_support/mod.rs"]
mod bench_support;

use bench_support::{field_data, machine, summary};
use fieldbridge::app::App;
use fieldbridge::ops::safe_start;
use fieldbridge::paths::DataDir;
use fieldbridge::store::qb_mirror::{self, QbCustomer};
use fieldbridge::store::StoreError;
use std::time::Instant;

const APP_CUSTOMERS: usize = 10_000;
const QB_CUSTOMERS: usize = 50_000;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("machine: {}", machine());
    let dir = tempfile::tempdir()?;
    let app = App::open_dir(DataDir::resolve(Some(dir.path()))?, None)?;
    let doc = field_data(APP_CUSTOMERS, 0, 15);
    app.import_bytes("bench.json", &serde_json::to_vec(&doc)?)?;
    let qb: Vec<QbCustomer> = (1..=QB_CUSTOMERS)
        .map(|n| {
            // Every fifth app customer ("FS Client 1000nn") has a twin in QuickBooks.
            let name = if n <= APP_CUSTOMERS && n % 5 == 0 {
                format!("FS Client {}", 100_000 + n)
            } else {
                format!("Existing Customer {n}")
            };
            QbCustomer {
                list_id: format!("80000{n:05}-1234567890"),
                full_name: name.clone(),
                name,
                is_active: true,
                edit_sequence: "1".into(),
                time_modified: "2026-10-01T09:00:00-05:00".into(),
                ..Default::default()
            }
        })
        .collect();
    for page in qb.chunks(fieldbridge::sync::PULL_PAGE_SIZE as usize) {
        app.store().write(|tx| {
            for c in page {
                qb_mirror::upsert_customer(tx, c)?;
            }
            Ok::<_, StoreError>(())
        })?;
    }
    let mut samples = Vec::new();
    let mut last = None;
    for _ in 0..3 {
        let t = Instant::now();
        let p = safe_start::get_preview(app.store())?;
        samples.push(t.elapsed());
        last = Some(p);
    }
    let p = last.expect("three runs");
    println!(
        "preview of {APP_CUSTOMERS} app customers against {QB_CUSTOMERS} QuickBooks customers: {}",
        summary(&mut samples)
    );
    println!("customers: {:?}", p.counts.get("customers"));
    Ok(())
}
