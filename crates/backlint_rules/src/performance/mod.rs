pub mod n_plus_one_query;
