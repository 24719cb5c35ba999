//! Diagnostics the engine itself emits (unreadable input, syntax errors, suppressions). They are
//! registered like rules so that `--select`/`--ignore`, `explain` and the renderers treat them alike.
pub mod catalog_not_read;
pub mod config_error;
pub mod foreign_dialect;
pub mod invalid_encoding;
pub mod io_error;
pub mod server_not_read;
pub mod syntax_error;
pub mod template_not_judged;
pub mod unused_suppression;
