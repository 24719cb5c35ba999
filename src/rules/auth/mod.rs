//! Authentication: MD5 passwords are deprecated in PostgreSQL 18.
pub mod md5_password;
