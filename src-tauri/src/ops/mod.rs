//! Operations both edges offer that the window's pages did not need on their own: the
//! settings by name ([`setting_keys`]), a record's Retry and Skip by kind and id and the
//! list refresh ([`records`]), and noticing changes made by anyone ([`changes`]).
//!
//! The layering, one way: `main` chooses the edge; the edges (`cli`, `desktop`) call
//! [`crate::app::App`], [`crate::office`] and this module; those call the store and the
//! engine. Both edges read their start-up options from [`crate::options`]. Every operation
//! answers with the one error type, [`OfficeError`](crate::office::OfficeError).

pub mod changes;
pub mod records;
pub mod safe_start;
pub mod setting_keys;
