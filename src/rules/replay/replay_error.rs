//! Reported by `pgready replay` (src/replay), not by a check of statements.

use crate::diagnostic::Severity;
use crate::rules::{Area, FixAvailability, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "replay-error",
        area: Area::Replay,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "A statement that fails on the real PostgreSQL 18 (and not on the baseline)",
        doc: include_str!("../../../rules/replay-error.md"),
    },
    hooks: &[],
    check: None,
    check_model: None,
    keywords: &[],
};
