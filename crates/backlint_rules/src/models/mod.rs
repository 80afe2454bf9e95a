//! Models: shared analyses built on the knowledge tables, asked by several rules.
pub mod db_calls;
pub mod routes;
