//! Subscriptions pg_upgrade refuses (old cluster 17+): tables still synchronising, or no origin.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Area, FixAvailability, ModelCtx, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "subscription-state",
        area: Area::Replication,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "A subscription whose tables are still synchronising, or without its replication origin: pg_upgrade refuses it",
        doc: include_str!("../../../rules/subscription-state.md"),
    },
    hooks: &[],
    check: None,
    check_model: Some(check_model),
    keywords: &[],
};

fn check_model(m: &ModelCtx, out: &mut Vec<Diagnostic>) {
    let Some(cat) = &m.schema.catalog else { return };
    if cat.major < 17 {
        return;
    }
    for (sub, origin) in &cat.subscriptions {
        if !sub.has_origin {
            out.push(
                RULE.report_at(origin, format!("subscription {} has no replication origin: pg_upgrade refuses it", sub.name))
                    .help("pg_upgrade --check fails at \"Checking for subscription state\". Recreate the subscription."),
            );
        }
        if !sub.tables_not_ready.is_empty() {
            out.push(
                RULE.report_at(origin, format!("subscription {} has tables not yet ready ({}): pg_upgrade refuses it", sub.name, sub.tables_not_ready.join(", ")))
                    .help("pg_upgrade --check fails at \"Checking for subscription state\": every table must be in state i (init) or r (ready). Wait for the initial sync to finish."),
            );
        }
    }
}
