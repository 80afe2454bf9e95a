pub mod hardcoded_secret;
pub mod jwt_in_local_storage;
pub mod string_sql;
