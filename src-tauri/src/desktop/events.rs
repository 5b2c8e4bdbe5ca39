//! Turns the domain's [`AppEvent`]s into the window's Tauri events (names and payloads as
//! the IPC contract says), keeps the live sync progress and the tray's colour current, and
//! tells the person when a session ended with failures. The only subscriber that knows
//! Tauri.

use super::{tray, Desk};
use crate::events::AppEvent;
use crate::office::sync_status;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;
use tokio::sync::broadcast::error::RecvError;

pub const CONNECTION_CHANGED: &str = "connection-changed";
pub const SYNC_PROGRESS: &str = "sync-progress";
pub const ATTENTION_CHANGED: &str = "attention-changed";
pub const CUSTOMERS_CHANGED: &str = "customers-changed";
/// Something in the data folder's database changed, whoever wrote it (this process or
/// another, such as `fieldbridge import` in a terminal): every screen reloads what it shows.
pub const DATA_CHANGED: &str = "data-changed";

/// How often the tray's colour is re-checked with nothing happening (a Web Connector that
/// stops calling turns it amber without any event).
const HEALTH_RECHECK: std::time::Duration = std::time::Duration::from_secs(60);

fn emit<R: Runtime, S: serde::Serialize + Clone>(app: &AppHandle<R>, name: &str, payload: S) {
    if let Err(e) = app.emit(name, payload) {
        tracing::warn!(event = name, "could not tell the window: {e}");
    }
}

/// Subscribes to the domain's events and relays them until the app ends.
pub fn start<R: Runtime>(app: AppHandle<R>, desk: Desk) {
    let mut rx = desk.app.events().subscribe();
    let relay_app = app.clone();
    let relay_desk = desk.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match rx.recv().await {
                Ok(event) => relay(&relay_app, &relay_desk, event).await,
                Err(RecvError::Lagged(n)) => {
                    // Fell behind: everything may have changed; the window re-reads.
                    tracing::debug!(skipped = n, "event relay fell behind");
                    for name in [CONNECTION_CHANGED, ATTENTION_CHANGED, CUSTOMERS_CHANGED] {
                        emit(&relay_app, name, ());
                    }
                    tray::refresh(&relay_app, &relay_desk).await;
                }
                Err(RecvError::Closed) => break,
            }
        }
    });
    tauri::async_runtime::spawn(async move {
        let mut tick = tokio::time::interval(HEALTH_RECHECK);
        loop {
            tick.tick().await;
            tray::refresh(&app, &desk).await;
        }
    });
}

/// Watches the database for commits by anyone and tells the window `data-changed`; the
/// watcher lives as long as the app (kept in its state). Without it the window still
/// works, only not current with other processes: a failure to start is logged, not fatal.
pub fn watch_changes<R: Runtime>(app: &AppHandle<R>, desk: &Desk) {
    let emitter = app.clone();
    let watching = crate::ops::changes::watch(
        &desk.app.data_dir().database(),
        crate::ops::changes::POLL,
        move || emit(&emitter, DATA_CHANGED, ()),
    );
    match watching {
        Ok(watcher) => {
            app.manage(watcher);
        }
        Err(e) => tracing::warn!("changes made elsewhere will show only on reload: {e}"),
    }
}

async fn relay<R: Runtime>(app: &AppHandle<R>, desk: &Desk, event: AppEvent) {
    match event {
        AppEvent::SyncProgress(p) => {
            let d = desk.clone();
            let shaped = tauri::async_runtime::spawn_blocking(move || {
                sync_status::progress_of(d.app.store(), &p)
            })
            .await;
            match shaped {
                Ok(Ok(progress)) => {
                    let ended = progress.state != crate::events::SyncRunState::Running;
                    desk.live.set(progress.clone());
                    emit(app, SYNC_PROGRESS, progress);
                    if ended {
                        emit(app, ATTENTION_CHANGED, ());
                        emit(app, CUSTOMERS_CHANGED, ());
                        emit(app, CONNECTION_CHANGED, ());
                        tray::refresh(app, desk).await;
                    }
                }
                Ok(Err(e)) => tracing::warn!("could not read the session for its progress: {e}"),
                Err(e) => tracing::warn!("progress relay stopped: {e}"),
            }
        }
        AppEvent::ConnectionChanged => {
            emit(app, CONNECTION_CHANGED, ());
            tray::refresh(app, desk).await;
        }
        AppEvent::SessionFinished {
            session_id, failed, ..
        } => {
            emit(app, ATTENTION_CHANGED, ());
            if failed > 0 {
                notify_failures(app, session_id, failed);
            }
        }
        AppEvent::RecordsChanged => {
            emit(app, CUSTOMERS_CHANGED, ());
            emit(app, ATTENTION_CHANGED, ());
        }
        AppEvent::WatchedFile { imported, text, .. } => {
            emit(app, CUSTOMERS_CHANGED, ());
            emit(app, ATTENTION_CHANGED, ());
            let title = if imported {
                "FieldBridge: a file was imported"
            } else {
                "FieldBridge: a file was not imported"
            };
            if let Err(e) = app.notification().builder().title(title).body(text).show() {
                tracing::warn!("could not show a notification: {e}");
            }
        }
    }
}

fn notify_failures<R: Runtime>(app: &AppHandle<R>, session_id: i64, failed: u64) {
    let body = format!(
        "{failed} record{} could not be sent to QuickBooks in the last sync (session {session_id}). Open FieldBridge's Sync page to see what to do.",
        if failed == 1 { "" } else { "s" }
    );
    let shown = app
        .notification()
        .builder()
        .title("FieldBridge: some records need you")
        .body(body)
        .show();
    if let Err(e) = shown {
        tracing::warn!("could not show a notification: {e}");
    }
}
