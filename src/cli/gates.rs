//! What keeps a gate from passing silently: a path that does not exist (a typo in a workflow
//! file), a run that found nothing to check, a change set with nothing in it. Each says so; the
//! first two exit 2, never "All clear".

use std::path::{Path, PathBuf};

use crate::engine::Run;

/// Every path given must exist: a typo would otherwise check nothing and pass. `-` is standard
/// input.
pub fn require_existing(paths: &[PathBuf]) -> Result<(), String> {
    for p in paths {
        if p.as_os_str() != "-" && std::fs::symlink_metadata(p).is_err() {
            return Err(format!("path `{}` does not exist", crate::quote::one_line(&p.display().to_string())));
        }
    }
    Ok(())
}

/// A run over paths that held no file pgready reads: an error, not a clean result.
pub fn require_something_checked(run: &Run, paths: &[PathBuf]) -> Result<(), String> {
    if !run.docs.is_empty() {
        return Ok(());
    }
    let shown: Vec<String> = paths.iter().map(|p| crate::quote::one_line(&p.display().to_string()).into_owned()).collect();
    Err(format!(
        "no SQL or configuration file found in {} (pgready reads *.sql, *.psql, *.pgsql, postgresql.conf, \
         postgresql.auto.conf, pg_hba.conf and pg_ident.conf; --conf/--hba/--ident name others; .gitignore and --exclude apply)",
        shown.join(", ")
    ))
}

/// Which of the run's documents are reported: those below one of `paths` (files or folders),
/// canonical paths compared.
pub fn below(paths: &[PathBuf]) -> impl Fn(&Path) -> bool {
    let roots: Vec<PathBuf> = paths.iter().map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())).collect();
    move |doc: &Path| {
        let doc = std::fs::canonicalize(doc).unwrap_or_else(|_| doc.to_path_buf());
        roots.iter().any(|r| doc.starts_with(r))
    }
}

/// The summary of a run that reports only some files: how many, of how many, and what chose
/// them; `None` when the run reports every file.
pub fn scope_note(reported: usize, of: usize, what: &str) -> String {
    if reported == 0 {
        format!("No {what} SQL or configuration file: nothing to report ({of} file(s) build the schema model).")
    } else {
        format!("Reported: findings in {reported} {what} file(s) of {of}.")
    }
}
