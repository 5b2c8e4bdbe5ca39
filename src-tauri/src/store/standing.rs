//! Where a record stands for a person: THE one decision of whether a record needs someone,
//! and which bucket it is counted in. Every reader (the Connect light and sentence, the tray,
//! the Sync page's counts and attention list, the Customers page's filters, `status --json`,
//! the local API) asks [`Standing::of`] or [`counts`], so they agree by construction.
//!
//! Owns the rule, not the state: the outbox's state machine (`store::outbox`) and the sync's
//! problem codes (`store::codes`) are its inputs.

use super::codes::ProblemCode;
use super::outbox::SyncState;
use super::records::RecordKind;
use super::StoreError;
use rusqlite::Connection;
use serde::Serialize;

/// Records of one kind by state (the contract's four), and the two kinds of waiting inside
/// `needs_attention` that screens name apart. Decided by [`Standing`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StateCounts {
    /// Includes records in flight.
    pub pending: u64,
    pub synced: u64,
    pub failed: u64,
    pub needs_attention: u64,
    /// Of `needs_attention`: waiting for a person to decide which QuickBooks customer.
    pub needs_decision: u64,
    /// Of `needs_attention`: waiting for the record they belong to.
    pub waiting_on_parent: u64,
    /// Dated before the start date (`start-date`): never sent, and nothing for a person to
    /// do (not counted in `needs_attention` or `failed`).
    pub before_start_date: u64,
}

impl StateCounts {
    /// Records a person has to act on (or whose parent they have to act on).
    pub fn needs_person(&self) -> u64 {
        self.failed + self.needs_attention
    }
}

/// Counts for every kind (field names as in `status --json`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RecordCounts {
    pub customers: StateCounts,
    pub projects: StateCounts,
    pub service_tickets: StateCounts,
    pub invoices: StateCounts,
    pub payments: StateCounts,
    pub vendors: StateCounts,
    pub expenses: StateCounts,
}

impl RecordCounts {
    pub fn kind(&self, kind: RecordKind) -> &StateCounts {
        match kind {
            RecordKind::Customer => &self.customers,
            RecordKind::Project => &self.projects,
            RecordKind::ServiceTicket => &self.service_tickets,
            RecordKind::Invoice => &self.invoices,
            RecordKind::Payment => &self.payments,
            RecordKind::Vendor => &self.vendors,
            RecordKind::Expense => &self.expenses,
        }
    }

    /// Records of every kind a person has to act on: the Connect page's, the tray's and the
    /// attention list's number.
    pub fn needs_person(&self) -> u64 {
        RecordKind::ALL
            .iter()
            .map(|k| self.kind(*k).needs_person())
            .sum()
    }

    /// Counts `n` records of `kind` standing so.
    pub(crate) fn add(&mut self, kind: RecordKind, standing: Standing, n: u64) {
        let c = self.kind_mut(kind);
        match standing {
            Standing::Pending => c.pending += n,
            Standing::Synced => c.synced += n,
            Standing::Failed => c.failed += n,
            Standing::NeedsDecision => {
                c.needs_attention += n;
                c.needs_decision += n;
            }
            Standing::WaitingOnParent => {
                c.needs_attention += n;
                c.waiting_on_parent += n;
            }
            Standing::NeedsAttention => c.needs_attention += n,
            Standing::BeforeStartDate => c.before_start_date += n,
        }
    }

    fn kind_mut(&mut self, kind: RecordKind) -> &mut StateCounts {
        match kind {
            RecordKind::Customer => &mut self.customers,
            RecordKind::Project => &mut self.projects,
            RecordKind::ServiceTicket => &mut self.service_tickets,
            RecordKind::Invoice => &mut self.invoices,
            RecordKind::Payment => &mut self.payments,
            RecordKind::Vendor => &mut self.vendors,
            RecordKind::Expense => &mut self.expenses,
        }
    }
}

/// A record's standing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Waiting to be sent, or on its way (a person cannot act on the difference).
    Pending,
    /// QuickBooks has it.
    Synced,
    /// QuickBooks refused it.
    Failed,
    /// A person decides which QuickBooks customer it is (link, or create).
    NeedsDecision,
    /// It waits for the record it belongs to (its customer, job or invoice), which is the
    /// one a person acts on.
    WaitingOnParent,
    /// A person fixes something else (a mapping, a QuickBooks limit, a setting).
    NeedsAttention,
    /// Dated before the start date: held back on purpose, never sent while the date stands
    /// (moving the date releases it at the next run). Not a problem and not a failure.
    BeforeStartDate,
}

impl Standing {
    /// THE rule.
    pub fn of(state: SyncState, code: Option<&ProblemCode>) -> Self {
        match state {
            SyncState::Pending | SyncState::InFlight => Standing::Pending,
            SyncState::Synced => Standing::Synced,
            SyncState::Failed => Standing::Failed,
            SyncState::NeedsAttention => match code {
                Some(c) if c.is_pairing() => Standing::NeedsDecision,
                Some(ProblemCode::WaitingOnParent) => Standing::WaitingOnParent,
                Some(ProblemCode::BeforeStartDate) => Standing::BeforeStartDate,
                _ => Standing::NeedsAttention,
            },
        }
    }

    /// From the outbox's stored state and problem code. Only a parked record's code counts:
    /// a pending one may keep the reason it last waited.
    pub fn from_stored(state: &str, code: Option<&str>) -> Result<Self, StoreError> {
        let state = SyncState::parse(state)?;
        let code = match state {
            SyncState::NeedsAttention => code.map(ProblemCode::parse).transpose()?,
            _ => None,
        };
        Ok(Standing::of(state, code.as_ref()))
    }

    /// Whether a person has to do something for this record (or for the one it waits on).
    pub fn needs_person(self) -> bool {
        !matches!(
            self,
            Standing::Pending | Standing::Synced | Standing::BeforeStartDate
        )
    }

    /// The state `status --json` and `export` report (the contract's four, and
    /// `before_start_date`).
    pub fn public_state(self) -> &'static str {
        match self {
            Standing::Pending => "pending",
            Standing::Synced => "synced",
            Standing::Failed => "failed",
            Standing::NeedsDecision | Standing::WaitingOnParent | Standing::NeedsAttention => {
                "needs_attention"
            }
            Standing::BeforeStartDate => "before_start_date",
        }
    }

    /// The outbox rows standing in a public state, as SQL over the outbox aliased `o`
    /// (`state` is one of [`Standing::public_state`]'s words). The one translation every
    /// filter (the Records page, the local API) uses.
    pub fn sql_of_public_state(state: &str) -> Option<&'static str> {
        Some(match state {
            "pending" => "o.state IN ('pending', 'in_flight')",
            "synced" => "o.state = 'synced'",
            "failed" => "o.state = 'failed'",
            "needs_attention" => {
                "(o.state = 'needs_attention' AND coalesce(o.problem_code, '') <> 'before-start-date')"
            }
            "before_start_date" => {
                "(o.state = 'needs_attention' AND o.problem_code = 'before-start-date')"
            }
            _ => return None,
        })
    }
}

/// Every record's standing, counted by kind: the numbers every screen shows.
pub fn counts(conn: &Connection) -> Result<RecordCounts, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, state, problem_code, count(*) FROM outbox
         GROUP BY kind, state, problem_code",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut counts = RecordCounts::default();
    for (kind, state, code, n) in rows {
        counts.add(
            RecordKind::parse(&kind)?,
            Standing::from_stored(&state, code.as_deref())?,
            n as u64,
        );
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::mappings::ItemRole;

    #[test]
    fn the_rule() {
        use Standing::*;
        let na = SyncState::NeedsAttention;
        let cases = [
            (SyncState::InFlight, None, Pending),
            (SyncState::Synced, None, Synced),
            (
                SyncState::Failed,
                Some(ProblemCode::QuickBooks(3100)),
                Failed,
            ),
            (na, Some(ProblemCode::AskFirst), NeedsDecision),
            (na, Some(ProblemCode::NameInUse), NeedsDecision),
            (na, Some(ProblemCode::WaitingOnParent), WaitingOnParent),
            (
                na,
                Some(ProblemCode::NeedsMapping(ItemRole::ServiceItem)),
                NeedsAttention,
            ),
            (na, None, NeedsAttention),
            (na, Some(ProblemCode::BeforeStartDate), BeforeStartDate),
            // Released for a fresh check: pending again, whatever it waited for.
            (SyncState::Pending, Some(ProblemCode::AskFirst), Pending),
        ];
        for (state, code, want) in cases {
            assert_eq!(
                Standing::of(state, code.as_ref()),
                want,
                "{state:?} {code:?}"
            );
        }
        assert!(WaitingOnParent.needs_person() && !Pending.needs_person());
        assert_eq!(NeedsDecision.public_state(), "needs_attention");
        assert!(
            !BeforeStartDate.needs_person(),
            "held by the start date: nothing for a person to do"
        );
        assert_eq!(BeforeStartDate.public_state(), "before_start_date");
    }

    #[test]
    fn records_before_the_start_date_are_counted_apart() {
        let store = crate::store::Store::open_in_memory().unwrap();
        store
            .write(|tx| {
                crate::store::customers::save(
                    tx,
                    &crate::store::customers::Customer::named("C-1", "Ecker"),
                )?;
                crate::store::invoices::save(
                    tx,
                    &crate::store::invoices::Invoice::for_test("I-1", "C-1", "10045"),
                )?;
                crate::store::invoices::save(
                    tx,
                    &crate::store::invoices::Invoice::for_test("I-2", "C-1", "10046"),
                )?;
                for (id, code) in [
                    ("I-1", ProblemCode::BeforeStartDate),
                    ("I-2", ProblemCode::NeedsMapping(ItemRole::ServiceItem)),
                ] {
                    crate::store::outbox::mark_needs_attention(
                        tx,
                        &crate::store::RecordRef::new(RecordKind::Invoice, id),
                        &crate::store::outbox::Problem {
                            code: Some(code),
                            text: "held".into(),
                            ..Default::default()
                        },
                    )?;
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
        let c = store.read(counts).unwrap();
        assert_eq!(c.invoices.before_start_date, 1);
        assert_eq!(
            c.invoices.needs_attention, 1,
            "only the mapping needs a person"
        );
        assert_eq!(c.needs_person(), 1);
        for (state, want) in [("before_start_date", 1), ("needs_attention", 1)] {
            let sql = format!(
                "SELECT count(*) FROM outbox o WHERE o.kind = 'invoice' AND {}",
                Standing::sql_of_public_state(state).unwrap()
            );
            let n: i64 = store
                .read(|c| Ok::<_, StoreError>(c.query_row(&sql, [], |r| r.get(0))?))
                .unwrap();
            assert_eq!(n, want, "{state}");
        }
    }
}
