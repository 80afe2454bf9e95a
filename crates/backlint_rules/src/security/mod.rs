pub mod jwt_in_local_storage;
