//! backlint's rules and the knowledge they share.
//!
//! - [`registry`]: THE list of rules, one line each (rule type + its doc).
//! - [`knowledge`]: data tables about libraries, frameworks and naming that every rule reuses
//!   (what Web Storage is, what an auth token is called…). Rules never re-recognise a library.
//! - [`names`]: identifier helpers (splitting `accessToken`/`ACCESS_TOKEN`/`access-token` into words).
//! - one module per rule, grouped by category (`security/`, `performance/`, `suppression/`).
pub mod knowledge;
pub mod models;
pub mod names;
pub mod performance;
pub mod registry;
pub mod security;
pub mod suppression;

pub use registry::{all, doc, lookup, RegisteredRule};
