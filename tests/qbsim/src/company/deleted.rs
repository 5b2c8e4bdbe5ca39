//! Deletions: the user deleting list objects and transactions (test API), ListDelRq and
//! TxnDelRq, and ListDeletedQuery / TxnDeletedQuery — the only place QuickBooks shows that
//! something is gone.
//!
//! Owns: QuickBooks' refusals (a customer with jobs or transactions, an item in use, an
//! invoice with payments applied) and the deletion records. Does not own: anything else.

use rust_decimal::Decimal;

use super::model::*;
use super::{malformed, Answer, Company, Handled};
use crate::clock::format_datetime;
use crate::status::{Severity, Status};
use crate::xml::Element;

fn cannot_delete(object: &str, name: &str) -> Status {
    Status {
        code: 3170,
        severity: Severity::Error,
        message: format!(
            "There was an error when deleting {object} \"{name}\".  QuickBooks error message: This object cannot be deleted because it is being used."
        ),
    }
}

/// Deletes a list object when QuickBooks would allow it; returns the deletion record.
pub(crate) fn delete_list(c: &mut Company, list_id: &str) -> Result<Deleted, Status> {
    let now = c.now();
    if let Some(i) = c.customers.iter().position(|x| x.core.list_id == list_id) {
        let full_name = c.customer_full_name(list_id);
        let used = c
            .customers
            .iter()
            .any(|x| x.parent.as_deref() == Some(list_id))
            || c.sales.iter().any(|s| s.customer == list_id)
            || c.payments.iter().any(|p| p.customer == list_id);
        if used {
            return Err(cannot_delete("Customer", &full_name));
        }
        let removed = c.customers.remove(i);
        let record = Deleted {
            del_type: "Customer".to_string(),
            id: list_id.to_string(),
            created: removed.core.created,
            deleted: now,
            label: Some(full_name),
        };
        c.deleted_lists.push(record.clone());
        return Ok(record);
    }
    if let Some(i) = c.items.iter().position(|x| x.core.list_id == list_id) {
        let full_name = c.item_full_name(list_id);
        let used = c.items.iter().any(|x| {
            x.parent.as_deref() == Some(list_id)
                || matches!(&x.kind, ItemKind::SalesTaxGroup { members } if members.iter().any(|m| m == list_id))
        }) || c.sales.iter().any(|s| {
            s.item_sales_tax.as_deref() == Some(list_id) || s.lines.iter().any(|l| l.item.as_deref() == Some(list_id))
        }) || c.customers.iter().any(|x| x.item_sales_tax.as_deref() == Some(list_id))
            || c.prefs.default_item_sales_tax.as_deref() == Some(list_id);
        if used {
            return Err(cannot_delete("Item", &full_name));
        }
        let removed = c.items.remove(i);
        let record = Deleted {
            del_type: removed.kind.object_name().to_string(),
            id: list_id.to_string(),
            created: removed.core.created,
            deleted: now,
            label: Some(full_name),
        };
        c.deleted_lists.push(record.clone());
        return Ok(record);
    }
    if let Some(i) = c
        .payment_methods
        .iter()
        .position(|x| x.core.list_id == list_id)
    {
        if c.payments
            .iter()
            .any(|p| p.payment_method.as_deref() == Some(list_id))
        {
            return Err(cannot_delete("PaymentMethod", &c.payment_methods[i].name));
        }
        let removed = c.payment_methods.remove(i);
        let record = Deleted {
            del_type: "PaymentMethod".to_string(),
            id: list_id.to_string(),
            created: removed.core.created,
            deleted: now,
            label: Some(removed.name),
        };
        c.deleted_lists.push(record.clone());
        return Ok(record);
    }
    Err(Status::object_not_found(list_id))
}

/// Deletes a transaction when QuickBooks would allow it; returns the deletion record.
pub(crate) fn delete_txn(c: &mut Company, txn_id: &str) -> Result<Deleted, Status> {
    let now = c.now();
    if let Some(i) = c.sales.iter().position(|s| s.core.txn_id == txn_id) {
        if c.sales[i].applied > Decimal::ZERO {
            return Err(cannot_delete(
                "Invoice",
                c.sales[i].ref_number.as_deref().unwrap_or(txn_id),
            ));
        }
        let removed = c.sales.remove(i);
        let record = Deleted {
            del_type: removed.kind.object_name().to_string(),
            id: txn_id.to_string(),
            created: removed.core.created,
            deleted: now,
            label: removed.ref_number,
        };
        c.deleted_txns.push(record.clone());
        return Ok(record);
    }
    if let Some(i) = c.payments.iter().position(|p| p.core.txn_id == txn_id) {
        let removed = c.payments.remove(i);
        for a in &removed.applied {
            if let Some(s) = c.sales.iter_mut().find(|s| s.core.txn_id == a.txn_id) {
                s.applied -= a.amount;
                s.core.modified = now;
                s.core.edit_sequence = edit_sequence_after(now, s.core.edit_sequence);
            }
        }
        let record = Deleted {
            del_type: "ReceivePayment".to_string(),
            id: txn_id.to_string(),
            created: removed.core.created,
            deleted: now,
            label: removed.ref_number,
        };
        c.deleted_txns.push(record.clone());
        return Ok(record);
    }
    Err(Status::object_not_found(txn_id))
}

/// ListDelRq: ListDelType + ListID.
pub(crate) fn list_del(c: &mut Company, rq: &Element) -> Handled {
    let del_type = rq
        .text_of("ListDelType")
        .ok_or_else(|| malformed(rq, "<ListDelType>"))?
        .to_string();
    let list_id = rq
        .text_of("ListID")
        .ok_or_else(|| malformed(rq, "<ListID>"))?
        .trim()
        .to_string();
    let matches_type = c
        .customers
        .iter()
        .any(|x| x.core.list_id == list_id && del_type == "Customer")
        || c.items
            .iter()
            .any(|x| x.core.list_id == list_id && x.kind.object_name() == del_type)
        || c.payment_methods
            .iter()
            .any(|x| x.core.list_id == list_id && del_type == "PaymentMethod");
    if !matches_type {
        return Ok(Answer::status(Status::object_not_found(&list_id)));
    }
    match delete_list(c, &list_id) {
        Ok(record) => Ok(Answer {
            status: Status::ok(),
            rets: vec![
                Element::leaf("ListDelType", record.del_type),
                Element::leaf("ListID", record.id),
                Element::leaf("TimeDeleted", format_datetime(&record.deleted)),
                Element::leaf("FullName", record.label.unwrap_or_default()),
            ],
            attrs: Vec::new(),
        }),
        Err(status) => Ok(Answer::status(status)),
    }
}

/// TxnDelRq: TxnDelType + TxnID.
pub(crate) fn txn_del(c: &mut Company, rq: &Element) -> Handled {
    let del_type = rq
        .text_of("TxnDelType")
        .ok_or_else(|| malformed(rq, "<TxnDelType>"))?
        .to_string();
    let txn_id = rq
        .text_of("TxnID")
        .ok_or_else(|| malformed(rq, "<TxnID>"))?
        .trim()
        .to_string();
    let matches_type = c
        .sales
        .iter()
        .any(|s| s.core.txn_id == txn_id && s.kind.object_name() == del_type)
        || c.payments
            .iter()
            .any(|p| p.core.txn_id == txn_id && del_type == "ReceivePayment");
    if !matches_type {
        return Ok(Answer::status(Status::object_not_found(&txn_id)));
    }
    match delete_txn(c, &txn_id) {
        Ok(record) => {
            let mut rets = vec![
                Element::leaf("TxnDelType", record.del_type),
                Element::leaf("TxnID", record.id),
                Element::leaf("TimeDeleted", format_datetime(&record.deleted)),
            ];
            if let Some(r) = record.label {
                rets.push(Element::leaf("RefNumber", r));
            }
            Ok(Answer {
                status: Status::ok(),
                rets,
                attrs: Vec::new(),
            })
        }
        Err(status) => Ok(Answer::status(status)),
    }
}

fn deleted_in_range(c: &Company, rq: &Element, record: &Deleted, types: &[&str]) -> bool {
    let range = rq.first("DeletedDateRangeFilter");
    let from = range
        .and_then(|r| r.text_of("FromDeletedDate"))
        .and_then(|t| c.clock.parse_datetime(t));
    let to = range
        .and_then(|r| r.text_of("ToDeletedDate"))
        .and_then(|t| c.clock.parse_datetime(t));
    types.contains(&record.del_type.as_str())
        && from.is_none_or(|f| record.deleted >= f)
        && to.is_none_or(|t| record.deleted <= t)
}

/// ListDeletedQuery: ListDeletedRet rows of the asked types.
pub(crate) fn list_deleted_query(c: &mut Company, rq: &Element) -> Handled {
    let types: Vec<&str> = rq.all("ListDelType").map(|e| e.text.trim()).collect();
    let rets: Vec<Element> = c
        .deleted_lists
        .iter()
        .filter(|d| deleted_in_range(c, rq, d, &types))
        .map(|d| {
            let mut ret = Element::new("ListDeletedRet");
            ret.push_leaf("ListDelType", d.del_type.clone());
            ret.push_leaf("ListID", d.id.clone());
            ret.push_leaf("TimeCreated", format_datetime(&d.created));
            ret.push_leaf("TimeDeleted", format_datetime(&d.deleted));
            ret.push_opt("FullName", d.label.as_deref());
            ret
        })
        .collect();
    let status = if rets.is_empty() {
        Status::no_match()
    } else {
        Status::ok()
    };
    Ok(Answer {
        status,
        rets,
        attrs: Vec::new(),
    })
}

/// TxnDeletedQuery: TxnDeletedRet rows of the asked types.
pub(crate) fn txn_deleted_query(c: &mut Company, rq: &Element) -> Handled {
    let types: Vec<&str> = rq.all("TxnDelType").map(|e| e.text.trim()).collect();
    let rets: Vec<Element> = c
        .deleted_txns
        .iter()
        .filter(|d| deleted_in_range(c, rq, d, &types))
        .map(|d| {
            let mut ret = Element::new("TxnDeletedRet");
            ret.push_leaf("TxnDelType", d.del_type.clone());
            ret.push_leaf("TxnID", d.id.clone());
            ret.push_leaf("TimeCreated", format_datetime(&d.created));
            ret.push_leaf("TimeDeleted", format_datetime(&d.deleted));
            ret.push_opt("RefNumber", d.label.as_deref());
            ret
        })
        .collect();
    let status = if rets.is_empty() {
        Status::no_match()
    } else {
        Status::ok()
    };
    Ok(Answer {
        status,
        rets,
        attrs: Vec::new(),
    })
}
