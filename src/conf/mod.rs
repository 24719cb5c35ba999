//! Server configuration files: postgresql.conf (and its includes, and postgresql.auto.conf)
//! and pg_hba.conf. Parsed here, includes expanded here (`include`), grouped by server folder
//! (`server`); judged by rules.
pub mod hba;
pub mod ident;
pub mod postgresql;
pub mod server;

pub use server::{ConfSetting, ServerConfig};

use std::ops::Range;

/// A line of pg_hba.conf or pg_ident.conf: an entry, or an include directive (both files
/// include others the same way).
#[derive(Debug, Clone)]
pub enum Line<T> {
    Entry(T),
    Include { kind: postgresql::IncludeKind, path: String, span: Range<usize> },
}
