use crate::diagnostic::Severity;
use crate::rules::{Area, FixAvailability, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "syntax-error",
        area: Area::Syntax,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "A statement the PostgreSQL 18 grammar does not accept",
        doc: include_str!("../../../rules/syntax-error.md"),
    },
    hooks: &[],
    check: None,
    check_model: None,
    keywords: &[],
};
