//! A payment: sent (ReceivePaymentAdd) applied to its invoice, once that invoice is in
//! QuickBooks; with the mapped payment method, into Undeposited Funds (then deposited by
//! `push::deposit` when a deposit account is chosen). Once there, changed
//! (ReceivePaymentMod) when the app changes it, and removed (TxnDel) when the platform
//! reverses it (qbXML 13.0 cannot void a ReceivePayment; deleting it frees the invoice,
//! which is open again).

use super::kind::{before_start, guid, Hold, Kind, Planning, Prepared};
use super::owned;
use super::parents;
use crate::qbxml::{
    AppliedToTxn, ListRef, PaymentApplication, ReceivePaymentAdd, ReceivePaymentMod, TxnDel,
    TxnDelType,
};
use crate::store::deposits::{self, Source};
use crate::store::outbox::{self, OutboxEntry};
use crate::store::records::{RecordKind, RecordRef};
use crate::store::{edits, invoices, mappings, payments, qb_mirror, StoreError};
use crate::sync::batch::{PushPlan, Removal};
use crate::sync::problems::{self, code};
use crate::sync::session::Phase;
use crate::sync::status::capitalise;
use rusqlite::Transaction;

pub(super) const KIND: Kind = Kind {
    phase: Phase::Payments,
    label,
    prepare,
};

/// The ReceivePaymentRet elements a ReceivePaymentMod asks back: what applying the answer
/// reads (its ids, amount and where it is applied).
const PAYMENT_RETURNS: &[&str] = &[
    "TxnID",
    "TimeModified",
    "EditSequence",
    "TxnDate",
    "RefNumber",
    "TotalAmount",
    "PaymentMethodRef",
    "AppliedToTxnRet",
];

fn label(tx: &Transaction<'_>, id: &str) -> Result<Option<String>, StoreError> {
    Ok(payments::get(tx, id)?.map(|p| payment_label(&p.payment)))
}

fn payment_label(p: &payments::Payment) -> String {
    format!(
        "payment {} of {} on invoice {}",
        p.id,
        crate::money::format_amount(p.amount),
        p.invoice_id
    )
}

fn prepare(tx: &Transaction<'_>, planning: &Planning<'_>, entry: &OutboxEntry) -> Prepared {
    let ctx = planning.ctx;
    let record = &entry.record;
    let Some(stored) = payments::get(tx, &record.id)? else {
        return Err(Hold::Wait);
    };
    let p = &stored.payment;
    let label = payment_label(p);
    match (&entry.qb_id, p.reversed) {
        (Some(txn_id), true) => {
            let request = TxnDel {
                request_id: String::new(),
                txn_del_type: TxnDelType::ReceivePayment,
                txn_id: txn_id.clone(),
            };
            return Ok((
                request.into(),
                PushPlan::remove(record, label, Removal::Delete),
            ));
        }
        (None, true) => {
            return Err(Hold::Park(problems::ours(
                code::REVERSED,
                format!(
                    "{} was reversed in your field-service app before it reached QuickBooks, so FieldBridge does not send it.",
                    capitalise(&label)
                ),
                "Nothing to do.",
            )));
        }
        _ => {}
    }
    before_start(ctx, &label, p.date)?;
    let invoice_ref = RecordRef::new(RecordKind::Invoice, p.invoice_id.clone());
    let invoice_txn = parents::ready(tx, ctx, &label, &invoice_ref)?;
    let Some(invoice) = invoices::get(tx, &p.invoice_id)? else {
        return Err(Hold::Wait);
    };
    let billed = parents::billed_to(
        &invoice.invoice.customer_id,
        invoice.invoice.project_id.as_deref(),
    );
    let Some(customer) = outbox::get(tx, &billed)?.and_then(|e| e.qb_id) else {
        return Err(Hold::Wait);
    };
    let method = match p.method.as_deref() {
        None => None,
        Some(app_method) => {
            let wanted = mappings::payment_method(tx, app_method)?.unwrap_or(app_method.to_owned());
            match qb_mirror::payment_method_by_name(tx, &wanted)? {
                Some(m) if m.is_active => Some(ListRef::full_name(m.name)),
                _ => {
                    return Err(Hold::Park(problems::ours(
                        code::MISSING_PAYMENT_METHOD,
                        format!("{} cannot be sent: QuickBooks has no active payment method named \"{wanted}\".", capitalise(&label)),
                        "Add it in QuickBooks (Lists > Customer & Vendor Profile Lists > Payment Method List), or map the method to one QuickBooks has on the Items page.",
                    )));
                }
            }
        }
    };
    // Payments go to Undeposited Funds; with a deposit account chosen, FieldBridge then
    // deposits them there itself, a day's payments in one deposit (`push::deposit`).
    let undeposited = qb_mirror::account_by_name(tx, "Undeposited Funds")?
        .filter(|a| a.is_active)
        .map(|a| ListRef::full_name(a.name));
    let deposit = match &ctx.deposit_account {
        Some(account) => match qb_mirror::account_by_name(tx, account)? {
            Some(a) if a.is_active => match undeposited {
                Some(uf) => {
                    deposits::note_undeposited(tx, Source::Payment, &p.id, p.date, p.amount)?;
                    Some(uf)
                }
                // No Undeposited Funds account: straight to the bank, as QuickBooks would.
                None => Some(ListRef::full_name(a.name)),
            },
            _ => {
                return Err(Hold::Park(problems::ours(
                    code::MISSING_ACCOUNT,
                    format!("{} cannot be sent: QuickBooks has no active account named \"{account}\" to deposit it to.", capitalise(&label)),
                    "Choose where payments are deposited on the Items page.",
                )));
            }
        },
        None => {
            deposits::forget_payment(tx, &p.id)?;
            undeposited
        }
    };
    if let Some(txn_id) = &entry.qb_id {
        let Some(edit_sequence) = entry.edit_sequence.clone() else {
            return Err(Hold::Wait);
        };
        let request = ReceivePaymentMod {
            request_id: String::new(),
            txn_id: txn_id.clone(),
            edit_sequence,
            txn_date: Some(p.date),
            ref_number: p.reference.clone(),
            total_amount: Some(p.amount),
            payment_method: method,
            memo: None,
            applied: vec![AppliedToTxn {
                txn_id: invoice_txn,
                payment_amount: Some(p.amount),
            }],
            include_ret: PAYMENT_RETURNS,
        };
        let sent = owned::payment_mod_sent(&request);
        edits::note_sent(tx, record, &sent)?;
        return Ok((request.into(), PushPlan::modify(record, label).owning(sent)));
    }
    let request = ReceivePaymentAdd {
        request_id: String::new(),
        customer: ListRef::list_id(customer),
        txn_date: Some(p.date),
        ref_number: p.reference.clone(),
        total_amount: Some(p.amount),
        payment_method: method,
        deposit_to_account: deposit,
        external_guid: guid(&stored.guid),
        application: PaymentApplication::ToTxns(vec![AppliedToTxn {
            txn_id: invoice_txn,
            payment_amount: Some(p.amount),
        }]),
        ..ReceivePaymentAdd::default()
    };
    let sent = owned::payment_add_sent(&request);
    Ok((request.into(), PushPlan::add(record, label).owning(sent)))
}
