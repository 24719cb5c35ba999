//! Server settings set from SQL (`SET`, `ALTER SYSTEM`, `ALTER DATABASE/ROLE ... SET`,
//! `set_config()`), judged against the one settings knowledge base.
pub mod log_connections_boolean;
pub mod setting_default_changed;
pub mod setting_invalid_value;
pub mod setting_meaning_changed;
pub mod setting_removed;
pub mod setting_renamed;
pub mod setting_unknown;
