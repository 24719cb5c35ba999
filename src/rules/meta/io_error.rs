use crate::diagnostic::Severity;
use crate::rules::{Area, FixAvailability, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "io-error",
        area: Area::Input,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "A path that cannot be read (missing, unreadable, symlink loop)",
        doc: include_str!("../../../rules/io-error.md"),
    },
    hooks: &[],
    check: None,
    check_model: None,
    keywords: &[],
};
