//! Replication settings PostgreSQL 18 adds or splits: `max_active_replication_origins` (the
//! subscription limit that used to follow `max_replication_slots`) and
//! `idle_replication_slot_timeout`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, FixAvailability, ModelCtx, Rule, RuleMeta};
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "replication-settings-review",
        area: Area::Replication,
        severity: Severity::Info,
        fix: FixAvailability::None,
        summary: "A raised max_replication_slots without max_active_replication_origins, or logical replication without idle_replication_slot_timeout",
        doc: include_str!("../../../rules/replication-settings-review.md"),
    },
    hooks: &[],
    check: None,
    check_model: Some(check_model),
    keywords: &[],
};

fn check_model(m: &ModelCtx, out: &mut Vec<Diagnostic>) {
    for server in m.schema.servers.iter().filter(|s| s.has_conf) {
        let origins_set = server.effective("max_active_replication_origins").is_some();
        if let Some(slots) = server.effective("max_replication_slots") {
            let n: i64 = slots.value.as_deref().and_then(|v| v.trim().parse().ok()).unwrap_or(0);
            if n > 10 && !origins_set {
                out.push(
                    RULE.report(slots.file,
                        slots.value_span.clone().unwrap_or(slots.name_span.clone()),
                        format!("max_replication_slots = {n}, but PostgreSQL {TARGET} limits subscriptions with max_active_replication_origins (default 10)"),
                    )
                    .help(
                        "Before 18, max_replication_slots also bounded the replication origins a subscriber tracks (one per \
                         subscription). 18 splits that into max_active_replication_origins, default 10: a subscriber with more \
                         subscriptions fails to start them, and pg_upgrade --check requires it to be at least the number of \
                         subscriptions. Set it explicitly.",
                    ),
                );
            }
        }
        if let Some(level) = server.effective("wal_level") {
            let logical = level.value.as_deref().is_some_and(|v| v.eq_ignore_ascii_case("logical"));
            if logical && server.effective("idle_replication_slot_timeout").is_none() {
                out.push(
                    RULE.report(
                        level.file,
                        level.value_span.clone().unwrap_or(level.name_span.clone()),
                        "wal_level = logical without idle_replication_slot_timeout: an abandoned slot still retains WAL forever",
                    )
                    .help(concat!(
                        target_name!(),
                        " can invalidate replication slots unused for longer than idle_replication_slot_timeout \
                         (default 0, off), which protects the disk from WAL kept for a dead subscriber. An invalidated slot \
                         breaks its subscriber, so choose a duration longer than any planned outage."
                    )),
                );
            }
        }
    }
}
