//! The Items page: QuickBooks' items, depositable accounts and payment methods as last read,
//! and the four item mappings, each checked against that list (valid, not set, missing,
//! wrong type, inactive) with the problem in words.
//!
//! Owns the window's types and the per-role rule of which item types fit. Does not read
//! QuickBooks (the sync does); setting a mapping is `store::mappings`, the same rule as
//! `fieldbridge map`.

use super::OfficeError;
use crate::store::codes::ItemType;
use crate::store::mappings::{self, ItemRole};
use crate::store::{qb_mirror, Store, StoreError};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

/// The four roles, with the contract's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum MappingRole {
    ServiceItem,
    ServiceTaxItem,
    ProjectItem,
    ProjectTaxItem,
}

impl MappingRole {
    pub fn store_role(self) -> ItemRole {
        match self {
            MappingRole::ServiceItem => ItemRole::ServiceItem,
            MappingRole::ServiceTaxItem => ItemRole::ServiceTaxItem,
            MappingRole::ProjectItem => ItemRole::ProjectItem,
            MappingRole::ProjectTaxItem => ItemRole::ProjectTaxItem,
        }
    }

    pub fn of(role: ItemRole) -> Self {
        match role {
            ItemRole::ServiceItem => MappingRole::ServiceItem,
            ItemRole::ServiceTaxItem => MappingRole::ServiceTaxItem,
            ItemRole::ProjectItem => MappingRole::ProjectItem,
            ItemRole::ProjectTaxItem => MappingRole::ProjectTaxItem,
        }
    }

    fn words(self) -> &'static str {
        match self {
            MappingRole::ServiceItem => "service item",
            MappingRole::ServiceTaxItem => "service sales tax item",
            MappingRole::ProjectItem => "project item",
            MappingRole::ProjectTaxItem => "project sales tax item",
        }
    }
}

/// Account types a payment can be deposited to (qbXML AccountType values that hold money).
const DEPOSIT_ACCOUNT_TYPES: &[&str] = &["Bank", "OtherCurrentAsset"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct QbItem {
    pub list_id: String,
    pub full_name: String,
    pub item_type: ItemType,
    pub active: bool,
    /// Sales tax items: the rate in percent, exact decimal text (shown in the pickers).
    pub rate: Option<String>,
    /// The mappings this item can be chosen for: the store's one rule
    /// ([`ItemRole::accepts`]), so the pickers offer what the sync would send.
    pub roles: Vec<MappingRole>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct QbAccount {
    pub list_id: String,
    pub full_name: String,
    pub account_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct QbPaymentMethod {
    pub list_id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct QbLists {
    pub ever_read: bool,
    pub read_at: Option<String>,
    pub items: Vec<QbItem>,
    pub deposit_accounts: Vec<QbAccount>,
    pub payment_methods: Vec<QbPaymentMethod>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum MappingStatus {
    Valid,
    NotSet,
    Missing,
    WrongType,
    Inactive,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ItemMapping {
    pub role: MappingRole,
    pub item_full_name: Option<String>,
    pub item_list_id: Option<String>,
    /// The chosen sales tax item's rate in percent (exact decimal text), when it has one.
    pub rate: Option<String>,
    pub status: MappingStatus,
    pub problem: Option<String>,
}

/// QuickBooks' lists as last read (the contract's `get_qb_lists`).
pub fn qb_lists(store: &Store) -> Result<QbLists, OfficeError> {
    Ok(store.read(|conn| {
        let read_at = qb_mirror::read_at(conn, "items")?;
        let items = qb_mirror::items(conn)?
            .into_iter()
            .map(|i| QbItem {
                roles: ItemRole::ALL
                    .into_iter()
                    .filter(|r| r.accepts(i.item_type))
                    .map(MappingRole::of)
                    .collect(),
                item_type: i.item_type,
                rate: i.tax_rate.map(|r| r.to_string()),
                list_id: i.list_id,
                full_name: i.full_name,
                active: i.is_active,
            })
            .collect::<Vec<_>>();
        Ok::<_, StoreError>(QbLists {
            ever_read: read_at.is_some() || !items.is_empty(),
            read_at,
            items,
            deposit_accounts: qb_mirror::accounts_of_types(conn, DEPOSIT_ACCOUNT_TYPES)?
                .into_iter()
                .map(|(list_id, full_name, account_type)| QbAccount {
                    list_id,
                    full_name,
                    account_type,
                })
                .collect(),
            payment_methods: qb_mirror::payment_methods(conn)?
                .into_iter()
                .map(|m| QbPaymentMethod {
                    list_id: m.list_id,
                    name: m.name,
                })
                .collect(),
        })
    })?)
}

/// The four mappings, each validated (the contract's `get_item_mappings`).
pub fn mappings(store: &Store) -> Result<Vec<ItemMapping>, OfficeError> {
    Ok(store.read(|conn| {
        mappings::items(conn)?
            .into_iter()
            .map(|(role, name)| validate(conn, MappingRole::of(role), name))
            .collect::<Result<Vec<_>, StoreError>>()
    })?)
}

/// Sets one mapping and returns it validated. QuickBooks' item list must have been read: a
/// name typed blind would only fail at the next sync.
pub fn set_mapping(
    store: &Store,
    role: MappingRole,
    item_full_name: &str,
) -> Result<ItemMapping, OfficeError> {
    let name = item_full_name.trim();
    if name.is_empty() {
        return Err(OfficeError::InvalidInput(format!(
            "Choose an item for the {}.",
            role.words()
        )));
    }
    if name.chars().count() > mappings::ITEM_FULL_NAME_MAX {
        return Err(OfficeError::InvalidInput(format!(
            "An item name can be at most {} characters long in QuickBooks; this one has {}.",
            mappings::ITEM_FULL_NAME_MAX,
            name.chars().count()
        )));
    }
    store.write(|tx| {
        if qb_mirror::read_at(tx, "items")?.is_none() && qb_mirror::items(tx)?.is_empty() {
            return Err(OfficeError::QuickBooksNotRead(
                "FieldBridge has not read QuickBooks' items yet. Run the Web Connector once, then choose the item.".into(),
            ));
        }
        mappings::set_item(tx, role.store_role(), name)?;
        Ok(validate(tx, role, Some(name.to_owned()))?)
    })
}

/// Checks one mapping against QuickBooks' item list as last read.
fn validate(
    conn: &Connection,
    role: MappingRole,
    name: Option<String>,
) -> Result<ItemMapping, StoreError> {
    let mapping = |status, list_id, problem: Option<String>| ItemMapping {
        role,
        item_full_name: name.clone(),
        item_list_id: list_id,
        rate: None,
        status,
        problem,
    };
    let Some(full_name) = name.as_deref() else {
        return Ok(mapping(
            MappingStatus::NotSet,
            None,
            Some(format!("No {} is chosen yet.", role.words())),
        ));
    };
    let Some(item) = qb_mirror::item_by_full_name(conn, full_name)? else {
        return Ok(mapping(
            MappingStatus::Missing,
            None,
            Some(format!("QuickBooks has no item named \"{full_name}\".")),
        ));
    };
    let list_id = Some(item.list_id.clone());
    // The one rule, shared with the sync's pre-flight.
    if !role.store_role().accepts(item.item_type) {
        return Ok(mapping(
            MappingStatus::WrongType,
            list_id,
            Some(format!(
                "\"{full_name}\" is {} item in QuickBooks; the {} must be {}.",
                item.item_type.a_words(),
                role.words(),
                role.store_role().accepted_words()
            )),
        ));
    }
    if !item.is_active {
        return Ok(mapping(
            MappingStatus::Inactive,
            list_id,
            Some(format!(
                "The item \"{full_name}\" is inactive in QuickBooks. Make it active there, or choose another."
            )),
        ));
    }
    Ok(ItemMapping {
        rate: item.tax_rate.map(|r| r.to_string()),
        ..mapping(MappingStatus::Valid, list_id, None)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Decimal;
    use crate::office::test_support::store;
    use crate::store::qb_mirror::QbNamed;

    fn item(list_id: &str, name: &str, t: ItemType, active: bool) -> qb_mirror::QbItem {
        qb_mirror::QbItem {
            list_id: list_id.into(),
            full_name: name.into(),
            item_type: t,
            is_active: active,
            tax_rate: (t == ItemType::SalesTax).then(|| "6.35".parse::<Decimal>().unwrap()),
            edit_sequence: None,
            time_modified: None,
            income_account: None,
        }
    }

    fn read_lists(store: &Store) {
        store
            .write(|tx| {
                qb_mirror::upsert_item(tx, &item("1", "Labor", ItemType::Service, true))?;
                qb_mirror::upsert_item(tx, &item("2", "CT Sales Tax", ItemType::SalesTax, true))?;
                qb_mirror::upsert_item(tx, &item("3", "Old Labor", ItemType::Service, false))?;
                qb_mirror::upsert_item(tx, &item("4", "Widget", ItemType::Inventory, true))?;
                let bank = QbNamed {
                    list_id: "A1".into(),
                    name: "Checking".into(),
                    is_active: true,
                };
                qb_mirror::upsert_account(tx, &bank, "Bank")?;
                let income = QbNamed {
                    list_id: "A2".into(),
                    name: "Sales".into(),
                    is_active: true,
                };
                qb_mirror::upsert_account(tx, &income, "Income")?;
                qb_mirror::upsert_payment_method(
                    tx,
                    &QbNamed {
                        list_id: "M1".into(),
                        name: "Visa".into(),
                        is_active: true,
                    },
                )?;
                qb_mirror::set_cursor(tx, "items", "2026-11-01T10:00:00-05:00")
            })
            .unwrap();
    }

    #[test]
    fn lists_say_whether_quickbooks_was_read_and_hold_only_depositable_accounts() {
        let store = store();
        let lists = qb_lists(&store).unwrap();
        assert!(!lists.ever_read, "nothing read yet");
        read_lists(&store);
        let lists = qb_lists(&store).unwrap();
        assert!(lists.ever_read && lists.read_at.is_some());
        assert_eq!(lists.items.len(), 4);
        let tax = lists.items.iter().find(|i| i.list_id == "2").unwrap();
        assert_eq!(tax.item_type, ItemType::SalesTax);
        assert_eq!(
            tax.roles,
            [MappingRole::ServiceTaxItem, MappingRole::ProjectTaxItem]
        );
        let widget = lists.items.iter().find(|i| i.list_id == "4").unwrap();
        assert_eq!(
            widget.roles,
            [MappingRole::ServiceItem, MappingRole::ProjectItem],
            "the pickers offer an inventory item for lines, as the sync sends it"
        );
        assert_eq!(
            tax.rate.as_deref(),
            Some("6.35"),
            "the rate is an exact decimal string"
        );
        let accounts: Vec<_> = lists
            .deposit_accounts
            .iter()
            .map(|a| a.full_name.as_str())
            .collect();
        assert_eq!(
            accounts,
            ["Checking"],
            "an income account cannot take a deposit"
        );
        assert_eq!(lists.payment_methods[0].name, "Visa");
    }

    #[test]
    fn every_mapping_status_is_reported_with_its_problem() {
        let store = store();
        let err = set_mapping(&store, MappingRole::ServiceItem, "Labor").unwrap_err();
        assert_eq!(
            err.code(),
            "quickbooks_not_read",
            "no item list to choose from yet"
        );
        read_lists(&store);
        let all = mappings(&store).unwrap();
        assert_eq!(all.len(), 4, "the four roles");
        assert!(all
            .iter()
            .all(|m| m.status == MappingStatus::NotSet && m.problem.is_some()));

        let m = set_mapping(&store, MappingRole::ServiceItem, "labor").unwrap();
        assert_eq!(
            m.status,
            MappingStatus::Valid,
            "QuickBooks compares names without case"
        );
        assert_eq!(m.item_list_id.as_deref(), Some("1"));
        assert_eq!(m.problem, None);
        let m = set_mapping(&store, MappingRole::ProjectItem, "Nope").unwrap();
        assert_eq!(m.status, MappingStatus::Missing);
        assert!(m.problem.unwrap().contains("no item named \"Nope\""));
        let m = set_mapping(&store, MappingRole::ServiceTaxItem, "Labor").unwrap();
        assert_eq!(
            m.status,
            MappingStatus::WrongType,
            "a service item cannot be the tax item"
        );
        let m = set_mapping(&store, MappingRole::ServiceTaxItem, "Widget").unwrap();
        assert_eq!(
            m.status,
            MappingStatus::WrongType,
            "an inventory item cannot be the tax item"
        );
        assert_eq!(
            m.problem.as_deref(),
            Some("\"Widget\" is an inventory item in QuickBooks; the service sales tax item must be a sales tax item or sales tax group."),
        );
        let m = set_mapping(&store, MappingRole::ProjectItem, "Old Labor").unwrap();
        assert_eq!(m.status, MappingStatus::Inactive);
        let m = set_mapping(&store, MappingRole::ProjectTaxItem, "CT Sales Tax").unwrap();
        assert_eq!(m.status, MappingStatus::Valid);
        assert_eq!(
            m.rate.as_deref(),
            Some("6.35"),
            "the tax item picker shows the chosen item's rate"
        );
        assert_eq!(
            set_mapping(&store, MappingRole::ProjectItem, "  ")
                .unwrap_err()
                .code(),
            "invalid_input"
        );
        let again = mappings(&store).unwrap();
        assert_eq!(
            again[2].item_full_name.as_deref(),
            Some("Old Labor"),
            "saved and re-read"
        );
    }

    /// Issue 10: the Items page refused an Inventory item that the sync would send.
    #[test]
    fn an_inventory_item_the_sync_would_send_is_accepted() {
        let store = store();
        read_lists(&store);
        let m = set_mapping(&store, MappingRole::ProjectItem, "Widget").unwrap();
        assert_eq!(
            m.status,
            MappingStatus::Valid,
            "qbXML invoice lines take inventory items, and the sync sends them: {:?}",
            m.problem
        );
        let m = set_mapping(&store, MappingRole::ServiceItem, "Widget").unwrap();
        assert_eq!(m.status, MappingStatus::Valid, "{:?}", m.problem);
    }
}
