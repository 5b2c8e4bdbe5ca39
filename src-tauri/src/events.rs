//! What the domain announces while it works, for whoever is watching (the window, the tray,
//! notifications). Owns the event types and the channel; knows nothing of Tauri: `desktop/`
//! turns these into Tauri events.

use serde::Serialize;
use tokio::sync::broadcast;

/// How many unread events a slow watcher may fall behind by before it skips ahead (it then
/// re-reads the current state, so nothing it shows is wrong for long).
const EVENT_BACKLOG: usize = 256;

/// Where a Web Connector session stands, for the live progress on the Sync screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncProgress {
    pub session_id: i64,
    /// The phase as a stable word; [`SyncStage::label`] says it in words.
    pub stage: SyncStage,
    /// Running, or how the session ended.
    pub state: SyncRunState,
    /// 0..=100, never decreasing within a session.
    pub percent: u8,
    pub done: u64,
    pub to_do: u64,
    /// `done + to_do`: what the session knows it has to do (may grow while it runs).
    pub total: u64,
    pub running: bool,
    /// The company file the session works on, once QuickBooks has named it.
    pub company_file: Option<String>,
    /// Why the session failed, in plain words (when `state` is `Failed`).
    pub problem: Option<String>,
}

/// A session's phase as a stable word (the IPC contract's `SyncStage`). Its words for
/// people are [`SyncStage::label`]: the one table, also generated into the window's
/// TypeScript (`SYNC_STAGE_LABELS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SyncStage {
    Starting,
    ReadingCompany,
    ReadingLists,
    Customers,
    Jobs,
    Estimates,
    Invoices,
    Payments,
    Checking,
    Finishing,
    Vendors,
    Expenses,
}

impl SyncStage {
    pub const ALL: [SyncStage; 12] = [
        SyncStage::Starting,
        SyncStage::ReadingCompany,
        SyncStage::ReadingLists,
        SyncStage::Customers,
        SyncStage::Jobs,
        SyncStage::Estimates,
        SyncStage::Invoices,
        SyncStage::Payments,
        SyncStage::Checking,
        SyncStage::Finishing,
        SyncStage::Vendors,
        SyncStage::Expenses,
    ];

    /// The phase in words, as the Sync page and the logs say it.
    pub fn label(self) -> &'static str {
        match self {
            SyncStage::Starting => "Starting",
            SyncStage::ReadingCompany => "Reading the company file",
            SyncStage::ReadingLists => "Reading customers and items from QuickBooks",
            SyncStage::Customers => "Sending customers",
            SyncStage::Jobs => "Sending projects (jobs)",
            SyncStage::Estimates => "Sending service tickets (estimates)",
            SyncStage::Invoices => "Sending invoices",
            SyncStage::Payments => "Sending payments",
            SyncStage::Checking => "Checking what QuickBooks changed",
            SyncStage::Finishing => "Finishing",
            SyncStage::Vendors => "Sending vendors",
            SyncStage::Expenses => "Sending expenses (bills, checks, card charges)",
        }
    }
}

/// Whether a session runs, or how it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SyncRunState {
    Running,
    Finished,
    Failed,
}

/// One thing that happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AppEvent {
    /// A session moved on.
    SyncProgress(SyncProgress),
    /// The connection state changed (a call arrived, a wrong password, the endpoint stopped...).
    ConnectionChanged,
    /// A session ended; `failed` records failed in it.
    SessionFinished {
        session_id: i64,
        outcome: String,
        failed: u64,
    },
    /// Records changed outside a session (an import, a pairing, a mapping).
    RecordsChanged,
    /// A file in the watched folder was imported, or refused (`watch`); `text` says which
    /// and where the file went, for a notification.
    WatchedFile {
        file: String,
        imported: bool,
        text: String,
    },
}

/// A cheap-to-clone sender; every watcher subscribes for its own receiver.
#[derive(Debug, Clone)]
pub struct EventBus {
    tx: broadcast::Sender<AppEvent>,
}

impl Default for EventBus {
    fn default() -> Self {
        Self::new()
    }
}

impl EventBus {
    pub fn new() -> Self {
        let (tx, _) = broadcast::channel(EVENT_BACKLOG);
        Self { tx }
    }

    /// Announces an event; with nobody watching it is simply dropped.
    pub fn emit(&self, event: AppEvent) {
        let _ = self.tx.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<AppEvent> {
        self.tx.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_subscriber_sees_every_event_in_order() {
        let bus = EventBus::new();
        let mut a = bus.subscribe();
        let mut b = bus.subscribe();
        bus.emit(AppEvent::ConnectionChanged);
        bus.emit(AppEvent::RecordsChanged);
        for rx in [&mut a, &mut b] {
            assert_eq!(
                rx.try_recv().unwrap(),
                AppEvent::ConnectionChanged,
                "first in, first out"
            );
            assert_eq!(rx.try_recv().unwrap(), AppEvent::RecordsChanged);
        }
    }

    #[test]
    fn events_serialise_with_a_kind_tag_the_ui_branches_on() {
        let json = serde_json::to_value(AppEvent::SessionFinished {
            session_id: 7,
            outcome: "errors".into(),
            failed: 2,
        })
        .unwrap();
        assert_eq!(json["kind"], "session_finished");
        assert_eq!(json["failed"], 2);
    }
}
