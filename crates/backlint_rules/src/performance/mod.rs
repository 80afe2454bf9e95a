pub mod n_plus_one_query;
pub mod unbounded_query;
