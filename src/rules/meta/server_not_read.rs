//! A server of `--db` (or `--db-file`) that could not be read at all: one finding in every
//! report, so that a fleet's CI artefacts never look complete when a server is missing.

use crate::diagnostic::Severity;
use crate::rules::{Area, FixAvailability, Rule, RuleMeta};

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
    check_model: None,
    keywords: &[],
};
