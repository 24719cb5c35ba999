//! Asynchronous I/O: PostgreSQL 18's new I/O subsystem and its changed defaults.
pub mod aio_setting_review;
