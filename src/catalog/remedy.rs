//! `--fix-script`: the SQL that repairs what the live audit found, as a commented script for a
//! person to review and run. pgready never runs it.

use crate::engine::Run;
use crate::quote::one_line;
use crate::target_name;

/// Write the script; returns how many findings contributed a statement.
pub fn write_script(run: &Run, path: &std::path::Path) -> Result<usize, String> {
    let (out, n) = script(run);
    crate::fix::write_atomic(path, &out).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(n)
}

/// The script's text, and how many findings contributed a statement.
pub fn script(run: &Run) -> (String, usize) {
    let mut out = String::from(concat!(
        "-- Remediation script written by pgready from a live audit.\n\
         -- Review every statement before running it: some are destructive, some must run on the\n\
         -- new ",
        target_name!(),
        " cluster after pg_upgrade (marked so), some only on the old one.\n\n"
    ));
    let mut n = 0;
    for d in &run.diagnostics {
        let Some(sql) = &d.remedy else { continue };
        n += 1;
        // Names in the location and the message are the catalog's, and hostile: each stays on
        // its comment line. The statements quote every name and literal (`crate::quote`); each
        // of their lines goes through the same escape anyway, so that no character can end a
        // comment or split a statement where a reviewer does not see it.
        let statements: Vec<_> = sql.trim_end().lines().map(one_line).collect();
        out += &format!(
            "-- {} [{}]\n--   {}\n{}\n\n",
            one_line(&run.docs[d.file].display),
            d.rule,
            one_line(&d.message),
            statements.join("\n")
        );
    }
    if n == 0 {
        out += "-- Nothing to do.\n";
    }
    (out, n)
}
