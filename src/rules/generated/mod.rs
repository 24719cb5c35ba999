//! Generated columns: PostgreSQL 18 adds VIRTUAL generated columns and makes them the default.
pub mod generated_column_implicit_virtual;
pub mod virtual_generated_column_unsupported_use;
pub mod virtual_generated_column_user_defined;
