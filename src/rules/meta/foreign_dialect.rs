use crate::diagnostic::Severity;
use crate::rules::{Area, FixAvailability, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "foreign-dialect",
        area: Area::Input,
        severity: Severity::Info,
        fix: FixAvailability::None,
        summary: "A file written for another SQL dialect (SQLite, MySQL, ClickHouse, T-SQL) is skipped, reported once",
        doc: include_str!("../../../rules/foreign-dialect.md"),
    },
    hooks: &[],
    check: None,
    check_model: None,
    keywords: &[],
};
