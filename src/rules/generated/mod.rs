//! Generated columns: PostgreSQL 18 adds VIRTUAL generated columns and makes them the default.
pub mod implicit_virtual;
pub mod virtual_unsupported_use;
pub mod virtual_user_defined;
