//! What the live audit could not read with the role it connected as.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Area, FixAvailability, ModelCtx, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "catalog-not-read",
        area: Area::Meta,
        severity: Severity::Info,
        fix: FixAvailability::None,
        summary: "Part of the catalog the live audit could not read with its role: those checks did not run",
        doc: include_str!("../../../rules/catalog-not-read.md"),
    },
    hooks: &[],
    check: None,
    check_model: Some(check_model),
    keywords: &[],
};

fn check_model(m: &ModelCtx, out: &mut Vec<Diagnostic>) {
    let Some(cat) = &m.schema.catalog else { return };
    for (s, origin) in &cat.skipped {
        out.push(
            RULE.report_at(origin, format!("not read: {} ({})", s.what, s.why))
                .help(format!("The checks that need it did not run. Connect as {} to include them.", s.needs)),
        );
    }
}
