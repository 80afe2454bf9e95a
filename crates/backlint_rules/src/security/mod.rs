pub mod hardcoded_secret;
pub mod jwt_in_local_storage;
pub mod missing_rate_limit;
pub mod string_sql;
