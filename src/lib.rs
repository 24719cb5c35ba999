//! pgready: a linter that tells, before the upgrade, what in a schema, its migrations and its
//! queries breaks or changes on PostgreSQL 18 — and offers the fix.

pub mod baseline;
pub mod cache;
pub mod catalog;
pub mod cli;
pub mod conf;
pub mod config;
pub mod diagnostic;
pub mod engine;
pub mod fix;
pub mod knowledge;
pub mod model;
pub mod quote;
pub mod replay;
pub mod report;
pub mod rules;
pub mod source;
pub mod sql;
