//! Invoices QuickBooks created with a sales tax total other than the one the field-service
//! app expected: created, so not a failure, but worth a person's look (the sales tax item,
//! the customer's tax code) until they dismiss it. Owns table `tax_differences`; the sync
//! notes them when it applies an InvoiceAdd's answer.

use super::records::parse_dec;
use super::{now_utc, StoreError};
use crate::money::Decimal;
use rusqlite::{params, Connection, Transaction};

/// One open difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxDifference {
    pub invoice_id: String,
    /// What the app computed (`invoices.expected_tax`).
    pub expected: Decimal,
    /// QuickBooks' SalesTaxTotal.
    pub quickbooks: Decimal,
    pub session_id: Option<i64>,
    pub noted_at: String,
}

/// Notes a difference (again: a later answer for the same invoice replaces it and opens it
/// anew, since the amounts may have changed).
pub fn note(
    tx: &Transaction<'_>,
    invoice_id: &str,
    expected: Decimal,
    quickbooks: Decimal,
    session_id: Option<i64>,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO tax_differences (invoice_id, expected, quickbooks, session_id, noted_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (invoice_id) DO UPDATE SET expected = excluded.expected,
             quickbooks = excluded.quickbooks, session_id = excluded.session_id,
             noted_at = excluded.noted_at, dismissed_at = NULL",
    )?
    .execute(params![
        invoice_id,
        expected.to_string(),
        quickbooks.to_string(),
        session_id,
        now_utc()
    ])?;
    Ok(())
}

/// Every difference nobody dismissed yet, oldest first.
pub fn open(conn: &Connection) -> Result<Vec<TaxDifference>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT invoice_id, expected, quickbooks, session_id, noted_at FROM tax_differences
         WHERE dismissed_at IS NULL ORDER BY noted_at, invoice_id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<i64>>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(invoice_id, expected, quickbooks, session_id, noted_at)| {
            Ok(TaxDifference {
                invoice_id,
                expected: parse_dec("tax_differences.expected", &expected)?,
                quickbooks: parse_dec("tax_differences.quickbooks", &quickbooks)?,
                session_id,
                noted_at,
            })
        })
        .collect()
}

/// A person looked at it. NotFound when there is no open difference for the invoice.
pub fn dismiss(tx: &Transaction<'_>, invoice_id: &str) -> Result<(), StoreError> {
    let n = tx
        .prepare_cached(
            "UPDATE tax_differences SET dismissed_at = ?2
             WHERE invoice_id = ?1 AND dismissed_at IS NULL",
        )?
        .execute(params![invoice_id, now_utc()])?;
    if n == 0 {
        return Err(StoreError::NotFound {
            what: "sales tax difference",
            id: invoice_id.to_owned(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{customers, invoices, Store};

    #[test]
    fn a_difference_stays_open_until_dismissed_and_reopens_when_noted_again() {
        let store = Store::open_in_memory().unwrap();
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        store
            .write(|tx| {
                customers::save(tx, &customers::Customer::named("C-1", "Greenfield"))?;
                invoices::save(tx, &invoices::Invoice::for_test("I-1", "C-1", "10045"))?;
                note(tx, "I-1", d("0.00"), d("6.08"), None)
            })
            .unwrap();
        let open_now = store.read(open).unwrap();
        assert_eq!(open_now.len(), 1);
        assert_eq!(
            (open_now[0].expected, open_now[0].quickbooks),
            (d("0.00"), d("6.08")),
            "both amounts are kept exactly"
        );
        store.write(|tx| dismiss(tx, "I-1")).unwrap();
        assert!(store.read(open).unwrap().is_empty(), "dismissed");
        let err = store.write(|tx| dismiss(tx, "I-1")).unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }), "{err:?}");
        store
            .write(|tx| note(tx, "I-1", d("0.00"), d("5.00"), None))
            .unwrap();
        assert_eq!(store.read(open).unwrap()[0].quickbooks, d("5.00"));
    }
}
