//! The desktop window, tray and Tauri commands: the only module that names Tauri.
