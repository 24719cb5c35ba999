use crate::diagnostic::Severity;
use crate::rules::{Area, FixAvailability, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "config-error",
        area: Area::Config,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "A postgresql.conf, pg_hba.conf or pg_ident.conf line PostgreSQL cannot read, or an include that fails",
        doc: include_str!("../../../rules/config-error.md"),
    },
    hooks: &[],
    check: None,
    check_model: None,
    keywords: &[],
};
