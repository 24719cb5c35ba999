use crate::diagnostic::Severity;
use crate::rules::{Area, FixAvailability, Rule, RuleMeta};
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "syntax-error",
        area: Area::Syntax,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: concat!("A statement the ", target_name!(), " grammar does not accept"),
        doc: include_str!("../../../rules/syntax-error.md"),
    },
    hooks: &[],
    check: None,
    check_model: None,
    keywords: &[],
};
