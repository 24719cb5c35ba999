//! UUIDs: PostgreSQL 18 adds `uuidv7()` and `uuidv4()`.
pub mod builtin_function_shadowed;
pub mod uuid_random_default;
pub mod uuid_v7_extension_function;
