//! Reported by `pgready replay` (src/replay), not by a check of statements.

use crate::diagnostic::Severity;
use crate::rules::{Area, FixAvailability, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "replay-warning",
        area: Area::Replay,
        severity: Severity::Info,
        fix: FixAvailability::None,
        summary: "A WARNING PostgreSQL 18 raised on a statement (and the baseline did not)",
        doc: include_str!("../../../rules/replay-warning.md"),
    },
    hooks: &[],
    check: None,
    check_model: None,
    keywords: &[],
};
