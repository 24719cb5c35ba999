//! Reported by `pgready replay` (src/replay), not by a check of statements.

use crate::diagnostic::Severity;
use crate::rules::{Area, FixAvailability, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "replay-changed-object",
        area: Area::Replay,
        severity: Severity::Warning,
        fix: FixAvailability::None,
        summary: "A statement that makes a different object on PostgreSQL 18 than on the baseline",
        doc: include_str!("../../../rules/replay-changed-object.md"),
    },
    hooks: &[],
    check: None,
    check_model: None,
    keywords: &[],
};
