//! More subscriptions than PostgreSQL 18's default max_active_replication_origins allows.

use crate::diagnostic::{Diagnostic, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, FixAvailability, ModelCtx, Rule, RuleMeta};
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "replication-origins-capacity",
        area: Area::Replication,
        severity: Severity::Warning,
        fix: FixAvailability::None,
        summary: concat!(
            "More subscriptions than ",
            target_name!(),
            "'s default max_active_replication_origins (10): raise it on the new cluster"
        ),
        doc: include_str!("../../../rules/replication-origins-capacity.md"),
    },
    hooks: &[],
    check: None,
    check_model: Some(check_model),
    keywords: &[],
};

/// PostgreSQL 18's default `max_active_replication_origins`.
const DEFAULT_ORIGINS: u32 = 10;

fn check_model(m: &ModelCtx, out: &mut Vec<Diagnostic>) {
    let (n, origin) = match &m.schema.catalog {
        Some(cat) => match &cat.subscriptions_in_cluster {
            Some((n, origin)) => (*n, origin.clone()),
            None => return,
        },
        // Migrations: at the subscription that goes over the default.
        None => match m.schema.subscriptions.get(DEFAULT_ORIGINS as usize) {
            Some((_, origin)) => (m.schema.subscriptions.len() as u32, origin.clone()),
            None => return,
        },
    };
    let (n, origin) = (&n, &origin);
    if *n <= DEFAULT_ORIGINS {
        return;
    }
    out.push(
        RULE.report_at(
            origin,
            format!("{n} subscriptions, more than the {DEFAULT_ORIGINS} replication origins PostgreSQL {TARGET} tracks by default"),
        )
        .help(format!(
            "PostgreSQL {TARGET} limits the replication origins (one per subscription) with the new max_active_replication_origins \
             (default {DEFAULT_ORIGINS}, restart to change) instead of max_replication_slots. Set \
             max_active_replication_origins = {n} or more in the new cluster's postgresql.conf: pg_upgrade checks it (from 17), \
             and subscriptions beyond the limit cannot start."
        )),
    );
}
