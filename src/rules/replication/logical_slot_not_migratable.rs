//! Logical replication slots: pg_upgrade carries them over only from 17, and only valid ones.

use crate::diagnostic::{Diagnostic, Remedy, Severity};
use crate::rules::{Area, FixAvailability, ModelCtx, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "logical-slot-not-migratable",
        area: Area::Replication,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "A logical replication slot pg_upgrade refuses (invalidated, from 17) or drops (from 16 and older)",
        doc: include_str!("../../../rules/logical-slot-not-migratable.md"),
    },
    hooks: &[],
    check: None,
    check_model: Some(check_model),
    keywords: &[],
};

fn check_model(m: &ModelCtx, out: &mut Vec<Diagnostic>) {
    let Some(cat) = &m.schema.catalog else { return };
    for (slot, origin) in cat.replication_slots.iter().filter(|(s, _)| s.kind == "logical") {
        if cat.major >= 17 {
            if let Some(reason) = &slot.invalid {
                out.push(
                    RULE.report_at(origin, format!("logical slot {} is invalidated ({reason}): pg_upgrade refuses the cluster", slot.name))
                        .help("pg_upgrade --check fails at \"Checking for valid logical replication slots\". Drop the slot and resync its consumer after the upgrade.")
                        .remedy(Remedy::old(format!("SELECT pg_drop_replication_slot({});", crate::quote::literal(&slot.name)))),
                );
            }
        } else {
            out.push(
                RULE.report_at(
                    origin,
                    format!("logical slot {} is not carried over: pg_upgrade migrates logical slots only from PostgreSQL 17", slot.name),
                )
                .severity(Severity::Warning)
                .help(
                    "After the upgrade the slot is gone and its consumer (subscriber, CDC tool) must be resynchronised. \
                           Plan it, or upgrade to 17 first and then to 18 with pg_upgrade, which keeps caught-up slots.",
                ),
            );
        }
    }
}
