use crate::diagnostic::Severity;
use crate::rules::{Area, FixAvailability, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "invalid-encoding",
        area: Area::Input,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "A file that is not UTF-8 is not checked: one error for it",
        doc: include_str!("../../../rules/invalid-encoding.md"),
    },
    hooks: &[],
    check: None,
    check_model: None,
    keywords: &[],
};
