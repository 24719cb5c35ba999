use crate::diagnostic::Severity;
use crate::rules::{Area, FixAvailability, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "template-not-judged",
        area: Area::Input,
        severity: Severity::Info,
        fix: FixAvailability::None,
        summary: "Template statements that do not parse with a stand-in for their placeholders are not judged, reported once per file",
        doc: include_str!("../../../rules/template-not-judged.md"),
    },
    hooks: &[],
    check: None,
    check_model: None,
    keywords: &[],
};
