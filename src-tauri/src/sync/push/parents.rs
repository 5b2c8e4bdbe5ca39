//! How a parent stands for its children: a project's customer, a ticket's or invoice's
//! customer or job, a payment's invoice. Ready (QuickBooks has it), on its way (wait), or
//! needing a person (the child is parked with the parent's reason).

use super::context::Context;
use super::kind::{Hold, ParentBlocked};
use crate::store::codes::ProblemCode;
use crate::store::outbox::{OutboxEntry, SyncState};
use crate::store::records::{RecordKind, RecordRef};
use crate::sync::problems;

/// QuickBooks' id of `parent`, or why the child (named `label`) cannot go yet.
pub(super) fn ready(
    tx: &rusqlite::Transaction<'_>,
    ctx: &Context,
    label: &str,
    parent: &RecordRef,
) -> Result<String, Hold> {
    let Some(e) = ctx.parent(tx, parent)? else {
        return Err(blocked(
            label,
            parent,
            problems::words_only(format!("{parent} is missing from FieldBridge")),
        ));
    };
    let OutboxEntry {
        state,
        qb_id,
        problem,
        ..
    } = e;
    // A parent QuickBooks has that waits only over a change of its own fields (both sides
    // changed it, or QuickBooks refuses the change because of payments) is still the right
    // QuickBooks record for its children.
    let own_fields_only = problem
        .as_ref()
        .and_then(|p| p.code.as_ref())
        .is_some_and(|c| matches!(c, ProblemCode::EditConflict | ProblemCode::PaidInvoice));
    match (state, qb_id) {
        (_, Some(id)) if state != SyncState::NeedsAttention || own_fields_only => Ok(id),
        (SyncState::Failed | SyncState::NeedsAttention, _) => {
            Err(blocked(label, parent, problem.unwrap_or_default()))
        }
        _ => Err(Hold::Wait),
    }
}

fn blocked(label: &str, parent: &RecordRef, problem: crate::store::outbox::Problem) -> Hold {
    Hold::ParentBlocked(Box::new(ParentBlocked {
        label: label.to_owned(),
        parent: parent.clone(),
        problem,
    }))
}

/// The customer or job a ticket or invoice is billed to.
pub(super) fn billed_to(customer_id: &str, project_id: Option<&str>) -> RecordRef {
    match project_id {
        Some(p) => RecordRef::new(RecordKind::Project, p),
        None => RecordRef::new(RecordKind::Customer, customer_id),
    }
}
