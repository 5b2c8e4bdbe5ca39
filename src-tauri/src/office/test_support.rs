//! Fixtures for the office tests: an in-memory store with app customers and QuickBooks'
//! mirror filled in.

use crate::store::customers::{self, Address, Customer};
use crate::store::qb_mirror::{self, QbCustomer};
use crate::store::Store;

pub fn store() -> Store {
    Store::open_in_memory().expect("an in-memory store opens")
}

pub fn customer(id: &str, name: &str, phone: Option<&str>, street: Option<&str>) -> Customer {
    let mut c = Customer::named(id, name);
    c.phone = phone.map(str::to_owned);
    c.billing_address = Address {
        line1: street.map(str::to_owned),
        postal_code: street.map(|_| "06101".to_owned()),
        ..Address::default()
    };
    c
}

pub fn qb(list_id: &str, name: &str, phone: Option<&str>, street: Option<&str>) -> QbCustomer {
    QbCustomer {
        list_id: list_id.into(),
        full_name: name.into(),
        name: name.into(),
        is_active: true,
        phone: phone.map(str::to_owned),
        bill_address: Address {
            line1: street.map(str::to_owned),
            postal_code: street.map(|_| "06101".to_owned()),
            ..Address::default()
        },
        edit_sequence: "1".into(),
        time_modified: "2026-11-01T10:00:00-05:00".into(),
        ..QbCustomer::default()
    }
}

pub fn save_customers(store: &Store, list: &[Customer]) {
    store
        .write(|tx| {
            for c in list {
                customers::save(tx, c)?;
            }
            Ok::<_, crate::store::StoreError>(())
        })
        .expect("customers save");
}

pub fn save_qb(store: &Store, list: &[QbCustomer]) {
    store
        .write(|tx| {
            for c in list {
                qb_mirror::upsert_customer(tx, c)?;
            }
            qb_mirror::set_cursor(tx, "customers", "2026-11-01T10:00:00-05:00")
        })
        .expect("mirror saves");
}
