//! initdb 18 enables data checksums by default; pg_upgrade needs both clusters to agree.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Area, FixAvailability, ModelCtx, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "data-checksums-off",
        area: Area::Upgrade,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "The old cluster has no data checksums, which initdb 18 now enables by default: pg_upgrade refuses the mismatch",
        doc: include_str!("../../../rules/data-checksums-off.md"),
    },
    hooks: &[],
    check: None,
    check_model: Some(check_model),
    keywords: &[],
};

fn check_model(m: &ModelCtx, out: &mut Vec<Diagnostic>) {
    let Some(cat) = &m.schema.catalog else { return };
    if cat.major >= crate::knowledge::target::TARGET {
        return;
    }
    if let Some((false, origin)) = &cat.data_checksums {
        out.push(
            RULE.report_at(origin, "data checksums are off: a cluster made by initdb 18 has them on, and pg_upgrade refuses the mismatch")
                .help(
                    "pg_upgrade to a cluster made by a default initdb stops at \"Checking cluster versions\" (\"old cluster does not \
                     use data checksums but the new one does\"). Create the new cluster with `initdb --no-data-checksums` (keeps \
                     today's behaviour: the upgrade plan's initdb line has it), or enable checksums on the old cluster first with \
                     `pg_checksums --enable` while it is stopped (reads every block: plan the downtime).",
                ),
        );
    }
}
