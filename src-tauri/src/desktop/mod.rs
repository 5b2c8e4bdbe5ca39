//! The desktop app: the window, the tray icon and the Tauri commands. The only module that
//! names Tauri; everything it shows comes from [`crate::office`] and [`crate::app::App`].
//!
//! - [`run`] starts logging, registers the plugins (single instance first, so a second
//!   launch only focuses the first), then claims the data folder and opens its database
//!   (never before the single-instance check), registers the commands and the state, starts
//!   the Web Connector endpoint on Tauri's runtime, and runs until Quit.
//! - The endpoint failing to start (a port in use) does not stop the window: the Connect
//!   page shows it in red with the sentence saying what to do.
//! - Closing the window hides it to the tray (the first time, a notification says so);
//!   `--minimized` (what start-at-login passes) starts hidden in the tray.
//! - Any change to the data folder's records (this window, a sync, the CLI in another
//!   process) is announced to the window as one `data-changed` event (`ops::changes`).
//! - Quit stops the endpoint gracefully (the request in hand is finished) before exiting.

mod chosen;
mod commands;
mod events;
mod reveal;
mod tray;

#[cfg(test)]
mod ipc_types;
#[cfg(all(test, feature = "desktop-tests"))]
mod tests;

use crate::app::App;
use crate::events::AppEvent;
use crate::office::connection::EndpointState;
use crate::office::customers::Suggestions;
use crate::office::settings as desk_settings;
use crate::office::sync_status::LiveProgress;
use crate::office::OfficeError;
use crate::options::{GlobalOpts, EXIT_FAILED, EXIT_OK};
use crate::paths::{DataDir, InstanceLock};
use std::sync::Mutex;
use std::time::Duration;
use tauri::{AppHandle, Manager, RunEvent, Runtime, WindowEvent};
use tauri_plugin_notification::NotificationExt;

/// The flag start-at-login passes: start hidden in the tray.
pub const MINIMIZED_FLAG: &str = crate::autostart::MINIMIZED_FLAG;
/// The window's label (tauri.conf.json).
const MAIN_WINDOW: &str = "main";
/// How long Quit waits for the endpoint to finish the request in hand.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// What every command works with. Cheap to clone (all shared handles).
#[derive(Clone)]
pub struct Desk {
    pub app: App,
    pub suggestions: Suggestions,
    pub live: LiveProgress,
}

impl Desk {
    pub fn new(app: App) -> Self {
        Self {
            app,
            suggestions: Suggestions::new(),
            live: LiveProgress::new(),
        }
    }
}

/// The endpoint's stop signal and task, taken once by Quit.
#[derive(Default)]
struct Endpoint {
    stop: Mutex<Option<tokio::sync::oneshot::Sender<()>>>,
    task: Mutex<Option<tauri::async_runtime::JoinHandle<()>>>,
}

/// Runs the desktop app until Quit; returns the process exit status.
///
/// Order matters: the single-instance plugin runs first (while the app is built), so a
/// second launch only focuses the first window and exits; then [`claim_then_open`] claims
/// the data folder (a `fieldbridge serve` on it refuses the window) and only then opens and
/// migrates the database. A second launch never touches the database.
pub fn run(global: &GlobalOpts, minimized: bool) -> i32 {
    let data_dir = match DataDir::resolve(global.data_dir.as_deref()) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("fieldbridge: {e}");
            return EXIT_FAILED;
        }
    };
    let _log = crate::logging::init(Some(&data_dir.logs()), "info");
    let port = global.port;
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            show_window(app)
        }))
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .manage(Endpoint::default())
        .manage(chosen::ChosenPaths::default())
        .on_window_event(|window, event| {
            if let WindowEvent::CloseRequested { api, .. } = event {
                api.prevent_close();
                let _ = window.hide();
                tell_once_about_the_tray(window.app_handle());
            }
        })
        .setup(move |app| {
            let (instance, core) = claim_then_open(data_dir, port).map_err(|e| {
                eprintln!("fieldbridge: {e}");
                tracing::error!("{e}");
                e
            })?;
            app.manage(Instance(Mutex::new(instance)));
            let desk = Desk::new(core);
            app.manage(desk.clone());
            setup(app.handle(), desk, minimized)?;
            Ok(())
        });
    match commands::register(builder).build(tauri::generate_context!()) {
        Ok(built) => {
            built.run(|handle, event| {
                if let RunEvent::Exit = event {
                    stop_endpoint(handle);
                }
            });
            EXIT_OK
        }
        Err(e) => {
            tracing::error!("the window could not start: {e}");
            eprintln!("fieldbridge: the window could not start: {e}");
            EXIT_FAILED
        }
    }
}

/// The data folder's claim, held until the app exits (the lock is not `Sync`, hence the
/// mutex; nothing ever locks it).
struct Instance(#[allow(dead_code)] Mutex<InstanceLock>);

/// Claims the data folder for this window (the same claim `serve` takes), then opens and
/// migrates its database. Refused, the database is not touched.
pub(crate) fn claim_then_open(
    data_dir: DataDir,
    port: Option<u16>,
) -> Result<(InstanceLock, App), OfficeError> {
    let instance = data_dir.claim_instance()?;
    let app = App::open_dir(data_dir, port)?;
    Ok((instance, app))
}

fn setup<R: Runtime>(app: &AppHandle<R>, desk: Desk, minimized: bool) -> tauri::Result<()> {
    tray::create(app)?;
    if !minimized {
        show_window(app);
    }
    start_at_login_on_first_run(app, &desk);
    events::start(app.clone(), desk.clone());
    events::watch_changes(app, &desk);
    start_endpoint(app, desk);
    Ok(())
}

/// Binds the endpoint and serves on Tauri's runtime until Quit. A failure to bind is shown
/// on the Connect page, never fatal.
fn start_endpoint<R: Runtime>(app: &AppHandle<R>, desk: Desk) {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tauri::async_runtime::spawn(async move {
        let core = &desk.app;
        match core.bind_endpoint().await {
            Ok(bound) => {
                tracing::info!(url = %core.endpoint_url(), "listening for the QuickBooks Web Connector");
                core.connection().set_endpoint(EndpointState::Running);
                core.events().emit(AppEvent::ConnectionChanged);
                // The platform link runs beside the endpoint, window open or closed.
                let background = core.start_background();
                bound
                    .run(async {
                        let _ = stopped.await;
                    })
                    .await;
                background.stop().await;
                core.connection().set_endpoint(EndpointState::Down(
                    "The Web Connector endpoint has stopped. Restart FieldBridge.".into(),
                ));
            }
            Err(e) => {
                tracing::error!("the Web Connector endpoint could not start: {e}");
                core.connection()
                    .set_endpoint(EndpointState::Down(e.to_string()));
            }
        }
        core.events().emit(AppEvent::ConnectionChanged);
    });
    let endpoint = app.state::<Endpoint>();
    *endpoint.stop.lock().unwrap_or_else(|p| p.into_inner()) = Some(stop);
    *endpoint.task.lock().unwrap_or_else(|p| p.into_inner()) = Some(task);
}

fn stop_endpoint<R: Runtime>(app: &AppHandle<R>) {
    let endpoint = app.state::<Endpoint>();
    let stop = endpoint
        .stop
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take();
    if let Some(stop) = stop {
        let _ = stop.send(());
    }
}

/// Quit: stop the endpoint, wait (briefly) for the request in hand, then exit.
pub(crate) fn quit<R: Runtime>(app: &AppHandle<R>) {
    stop_endpoint(app);
    let task = app
        .state::<Endpoint>()
        .task
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        if let Some(task) = task {
            if tokio::time::timeout(SHUTDOWN_GRACE, task).await.is_err() {
                tracing::warn!("the endpoint did not stop in time; exiting anyway");
            }
        }
        tracing::info!("FieldBridge quit");
        app.exit(EXIT_OK);
    });
}

/// Shows, un-minimises and focuses the window.
pub(crate) fn show_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = app.get_webview_window(MAIN_WINDOW) {
        let _ = w.show();
        let _ = w.unminimize();
        let _ = w.set_focus();
    }
}

/// Start at login is on by default: switched on at the first run and remembered; a person
/// who turns it off (in the system's settings) is not overruled later.
/// Written by [`crate::autostart`]: HKCU only (tauri-plugin-autostart tried HKLM first when
/// elevated, with an unquoted path).
fn start_at_login_on_first_run<R: Runtime>(_app: &AppHandle<R>, desk: &Desk) {
    match desk_settings::start_at_login(desk.app.store()) {
        Ok(None) => {
            let enabled = crate::autostart::set(true);
            match enabled {
                Ok(()) => tracing::info!("FieldBridge will start when you log in"),
                Err(e) => tracing::warn!("could not set FieldBridge to start at login: {e}"),
            }
            if let Err(e) = desk_settings::set_start_at_login(desk.app.store(), true) {
                tracing::warn!("could not remember the start-at-login choice: {e}");
            }
        }
        Ok(Some(_)) => {}
        Err(e) => tracing::warn!("could not read the start-at-login choice: {e}"),
    }
}

/// The first time the window is closed, say that FieldBridge keeps running in the tray.
fn tell_once_about_the_tray<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    let store = app.state::<Desk>().app.store().clone();
    tauri::async_runtime::spawn_blocking(move || {
        if desk_settings::tray_notice_shown(&store).unwrap_or(true) {
            return;
        }
        let shown = app
            .notification()
            .builder()
            .title("FieldBridge is still running")
            .body("FieldBridge keeps syncing with QuickBooks from the tray. Click its icon to open it again, or choose Quit there to stop it.")
            .show();
        if let Err(e) = shown {
            tracing::warn!("could not show the tray notice: {e}");
        }
        if let Err(e) = desk_settings::note_tray_notice_shown(&store) {
            tracing::warn!("could not remember the tray notice: {e}");
        }
    });
}
