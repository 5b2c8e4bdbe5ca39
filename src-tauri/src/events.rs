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
    /// A short plain-English phase, e.g. "Reading customers from QuickBooks".
    pub phase: String,
    /// 0..=100, never decreasing within a session.
    pub percent: u8,
    pub done: u64,
    pub to_do: u64,
    pub running: bool,
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
