//! The sync engine: the Web Connector handler that plans batches, builds requests and applies
//! responses.
pub mod status;
