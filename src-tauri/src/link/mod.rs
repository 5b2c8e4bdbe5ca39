//! The platform link (`shared/design/platform-link.md`): FieldBridge calls out to the
//! field-service platform, fetches its new and changed records, and delivers the event feed
//! back, by itself, on its own task beside the Web Connector endpoint.
//!
//! | module | owns |
//! |---|---|
//! | [`client`] | the two HTTP calls, timeouts, TLS, proxies, and sorting answers into what to do |
//! | [`backoff`] | waits after failures: 1 s to 5 minutes with jitter, `Retry-After` honoured |
//! | [`setup`] | `link set / off / status` and "Test connection" (the operations both edges call) |
//! | `run` ([`Link`]) | the task: deliver the feed, poll for changes, wait, and what failures do |
//!
//! The link's durable state (URL, interval, cursors, health) is `store/link.rs`; the
//! key is a file of its own in the data folder (owner-only, never logged).

pub mod backoff;
pub mod client;
mod run;
pub mod setup;

pub use run::Link;
pub use setup::LinkError;
