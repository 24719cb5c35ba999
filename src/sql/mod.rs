//! The SQL front end: psql-script splitting, pg_query parsing, tree helpers.
pub mod assign;
pub mod parse;
pub mod script;
pub mod tree;
