//! FieldBridge: the desktop companion that keeps a field-service business's records in step
//! with QuickBooks Desktop through the QuickBooks Web Connector.
//!
//! Layers (dependencies point one way):
//! - [`qbwc`]: the Web Connector endpoint (HTTP, SOAP, tickets, password, .qwc). Knows
//!   nothing of customers; hands every call to a [`qbwc::QbwcHandler`].
//! - [`sync`]: the engine that implements that handler: planner, batches, appliers.
//! - [`qbxml`]: typed qbXML request builders and response parsers. Depends on nothing of ours.
//! - [`store`]: SQLite (migrations, one module per aggregate).
//! - [`pairing`], [`import`]: matching customers; reading import files.
//! - [`office`], [`app`] and [`ops`]: the operations layer both edges call, with one error
//!   type ([`office::OfficeError`], serialised `{code, message}`).
//! - [`cli`] and `desktop` (feature `desktop`, the only place that names Tauri): the edges.
//!   They share [`options`] and never import each other; the binary's `main` picks one.
// Denied everywhere but `win` (Windows only), the one module that calls the Win32 API.
#![deny(unsafe_code)]

pub mod api;
pub mod app;
pub mod autostart;
pub mod cli;
#[cfg(feature = "desktop")]
pub mod desktop;
pub mod doctor;
pub mod events;
pub mod import;
pub mod link;
pub mod logging;
pub mod money;
pub mod office;
pub mod ops;
pub mod options;
pub mod pairing;
pub mod paths;
pub mod qbwc;
pub mod qbxml;
pub mod shutdown;
pub mod store;
pub mod sync;
pub mod watch;
#[cfg(windows)]
pub mod win;

/// The product version, from Cargo.toml (the one place it is set).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
