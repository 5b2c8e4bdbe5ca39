//! The tray icon: its colour follows the connection's health (green good, amber warning,
//! red problem, grey while starting), its tooltip says why, its menu opens the window or
//! quits, and a left click opens the window.

use super::Desk;
use crate::office::connection::{ConnectionHealth, EndpointState};
use tauri::image::Image;
use tauri::menu::{Menu, MenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Runtime};

const TRAY_ID: &str = "fieldbridge";
const MENU_OPEN: &str = "open";
const MENU_QUIT: &str = "quit";

const ICON_OK: &[u8] = include_bytes!("../../../assets/icons/tray-ok.png");
const ICON_WARN: &[u8] = include_bytes!("../../../assets/icons/tray-warn.png");
const ICON_ERROR: &[u8] = include_bytes!("../../../assets/icons/tray-error.png");
const ICON_IDLE: &[u8] = include_bytes!("../../../assets/icons/tray-idle.png");

/// Creates the tray icon (grey until the first health check).
pub fn create<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let open = MenuItem::with_id(app, MENU_OPEN, "Open FieldBridge", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, MENU_QUIT, "Quit FieldBridge", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&open, &quit])?;
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(Image::from_bytes(ICON_IDLE)?)
        .tooltip("FieldBridge")
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| match event.id.as_ref() {
            MENU_OPEN => super::show_window(app),
            MENU_QUIT => super::quit(app),
            _ => {}
        })
        .on_tray_icon_event(|tray, event| {
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                super::show_window(tray.app_handle());
            }
        })
        .build(app)?;
    Ok(())
}

/// Re-reads the connection's health and sets the icon and tooltip to match.
pub async fn refresh<R: Runtime>(app: &AppHandle<R>, desk: &Desk) {
    let d = desk.clone();
    let status = tauri::async_runtime::spawn_blocking(move || {
        d.app
            .connection_status()
            .map(|s| (s, d.app.connection().endpoint()))
    })
    .await;
    let Ok(Ok((status, endpoint))) = status else {
        return;
    };
    let bytes = match (status.health, endpoint) {
        (_, EndpointState::Starting) => ICON_IDLE,
        (ConnectionHealth::Good, _) => ICON_OK,
        (ConnectionHealth::Warning, _) => ICON_WARN,
        (ConnectionHealth::Problem, _) => ICON_ERROR,
    };
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let result = Image::from_bytes(bytes)
        .and_then(|icon| tray.set_icon(Some(icon)))
        .and_then(|()| tray.set_tooltip(Some(format!("FieldBridge: {}", status.reason))));
    if let Err(e) = result {
        tracing::warn!("could not update the tray icon: {e}");
    }
}
