//! A server of `--db` (or `--db-file`) that could not be read at all: one finding in every
//! report, so that a fleet's CI artefacts never look complete when a server is missing.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Area, FixAvailability, ModelCtx, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "server-not-read",
        area: Area::Meta,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "A server given with --db that could not be read: nothing of it was checked",
        doc: include_str!("../../../rules/server-not-read.md"),
    },
    hooks: &[],
    check: None,
    check_model: Some(check_model),
    keywords: &[],
};

/// A database of a server that was read, whose own objects could not be: the server's other
/// databases are reported, this one is named as not checked. (A server not read at all is
/// reported by the command line, which has no model of it.)
fn check_model(m: &ModelCtx, out: &mut Vec<Diagnostic>) {
    let Some(cat) = &m.schema.catalog else { return };
    for (u, origin) in &cat.unread_databases {
        out.push(
            RULE.report_at(origin, format!("database {} not read: {}", u.name, u.why))
                .help("Nothing of this database was checked; the server's other databases were. Run the audit again when the lock is released, or raise --lock-timeout."),
        );
    }
}
