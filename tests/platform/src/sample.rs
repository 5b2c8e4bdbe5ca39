//! Made-up records for demos and load tests: customers with invoices (two lines each, one
//! taxable part) and a payment on every third invoice, as one import-format document.
//! Deterministic in `seed`, ids prefixed so two generations can coexist.

use serde_json::{json, Value};

const FIRST: [&str; 12] = [
    "Maple",
    "Cedar",
    "Granite",
    "Harbor",
    "Summit",
    "Prairie",
    "Lakeside",
    "Riverbend",
    "Oakridge",
    "Pinecrest",
    "Willow",
    "Bayview",
];
const SECOND: [&str; 10] = [
    "Dental", "Bakery", "Fitness", "Hardware", "Motors", "Florist", "Academy", "Clinic", "Brewing",
    "Laundry",
];

/// `customers` customers with `invoices_each` invoices each, ids `{prefix}C-n`, `{prefix}I-n`,
/// `{prefix}PAY-n`. Names are unique within one generation.
pub fn generate(prefix: &str, customers: usize, invoices_each: usize, seed: u64) -> Value {
    let mut cs = Vec::with_capacity(customers);
    let mut invs = Vec::with_capacity(customers * invoices_each);
    let mut pays = Vec::new();
    let mut n_inv = 0usize;
    for c in 0..customers {
        let pick = (c as u64).wrapping_mul(2654435761).wrapping_add(seed) as usize;
        let name = format!(
            "{} {} {}{}",
            FIRST[pick % FIRST.len()],
            SECOND[(pick / FIRST.len()) % SECOND.len()],
            prefix,
            c + 1
        );
        let id = format!("{prefix}C-{}", c + 1);
        cs.push(json!({
            "id": id, "name": name, "taxable": c % 5 != 0,
            "billing_address": {"line1": format!("{} Main St", 10 + c), "city": "Springfield",
                                "state": "IL", "postal_code": "62701"}
        }));
        for _ in 0..invoices_each {
            n_inv += 1;
            let inv = format!("{prefix}I-{n_inv}");
            let cents = 5_000 + (pick + n_inv * 37) % 40_000;
            invs.push(json!({
                "id": inv, "customer_id": id, "number": format!("{prefix}{n_inv}").chars().take(11).collect::<String>(),
                "date": "2026-11-02", "due_date": "2026-12-02",
                "lines": [
                    {"description": "Service call labor", "quantity": "2",
                     "rate": format!("{}.{:02}", cents / 200, cents % 100), "taxable": false},
                    {"description": "Filter 20x25x1", "quantity": "1", "rate": "12.50", "taxable": true}
                ]
            }));
            if n_inv.is_multiple_of(3) {
                pays.push(json!({
                    "id": format!("{prefix}PAY-{n_inv}"), "invoice_id": inv, "date": "2026-11-05",
                    "amount": "10.00", "method": "Credit Card"
                }));
            }
        }
    }
    json!({"customers": cs, "invoices": invs, "payments": pays})
}
