use crate::diagnostic::Severity;
use crate::rules::{Area, FixAvailability, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "unused-suppression",
        area: Area::Suppression,
        severity: Severity::Warning,
        fix: FixAvailability::None,
        summary: "A pgready suppression comment that names an unknown rule or suppresses nothing",
        doc: include_str!("../../../rules/unused-suppression.md"),
    },
    hooks: &[],
    check: None,
    check_model: None,
    keywords: &[],
};
