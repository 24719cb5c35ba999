//! Server configuration files: postgresql.conf (and its includes, and postgresql.auto.conf)
//! and pg_hba.conf. Parsed here; folded into the model by the engine; judged by rules.
pub mod hba;
pub mod ident;
pub mod postgresql;

use std::ops::Range;
use std::path::Path;

/// A line of pg_hba.conf or pg_ident.conf: an entry, or an include directive (both files
/// include others the same way).
#[derive(Debug, Clone)]
pub enum Line<T> {
    Entry(T),
    Include { kind: postgresql::IncludeKind, path: String, span: Range<usize> },
}

/// What kind of input a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sql,
    PostgresqlConf,
    Hba,
    /// pg_ident.conf: user name maps for `map=` in pg_hba.conf.
    Ident,
}

/// Classify by file name: `postgresql.conf`, `postgresql.auto.conf`, `pg_hba.conf`; SQL by
/// extension. Anything else is not read unless named with --conf/--hba.
pub fn kind_of(path: &Path) -> Option<Kind> {
    let name = path.file_name()?.to_str()?;
    match name {
        "postgresql.conf" | "postgresql.auto.conf" => Some(Kind::PostgresqlConf),
        "pg_hba.conf" => Some(Kind::Hba),
        "pg_ident.conf" => Some(Kind::Ident),
        _ if crate::source::is_sql_path(path) => Some(Kind::Sql),
        _ => None,
    }
}
