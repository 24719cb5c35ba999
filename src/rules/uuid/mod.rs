//! UUIDs: PostgreSQL 18 adds `uuidv7()` and `uuidv4()`.
pub mod builtin_function_shadowed;
pub mod random_uuid_default;
pub mod v7_extension_function;
