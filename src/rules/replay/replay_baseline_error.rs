//! Reported by `pgready replay` (src/replay), not by a check of statements.

use crate::diagnostic::Severity;
use crate::rules::{Area, FixAvailability, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "replay-baseline-error",
        area: Area::Replay,
        severity: Severity::Info,
        fix: FixAvailability::None,
        summary: "A statement that fails on the baseline as well as on PostgreSQL 18: not an upgrade problem",
        doc: include_str!("../../../rules/replay-baseline-error.md"),
    },
    hooks: &[],
    check: None,
    check_model: None,
    keywords: &[],
};
