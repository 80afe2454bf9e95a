//! Shared knowledge tables. Each table is data, so later configuration can extend it.
pub mod auth;
pub mod browser;
pub mod data_layer;
pub mod http;
pub mod rate_limit;
pub mod secrets;
pub mod sql;
