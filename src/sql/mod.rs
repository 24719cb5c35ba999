//! The SQL front end: psql-script splitting, pg_query parsing, the pre-filter and the tree memo,
//! tree helpers and setting assignments. Imports only `diagnostic` (file ids).
pub mod assign;
pub mod body;
pub mod facts;
pub mod front;
pub mod kinds;
pub mod memo;
pub mod parse;
pub mod plpgsql;
pub mod script;
pub mod tree;
