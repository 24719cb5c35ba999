//! Settings whose value PostgreSQL 18 reads differently: `autovacuum_max_workers` is capped by
//! the new `autovacuum_worker_slots`, and `max_files_per_process` no longer counts the
//! descriptors a backend inherits from the postmaster.

use crate::diagnostic::{Diagnostic, Severity};
use crate::knowledge::settings;
use crate::knowledge::target::TARGET;
use crate::rules::{Area, FixAvailability, ModelCtx, Rule, RuleMeta, SETTING_HOOKS, judge_statement};
use crate::sql::assign::Assignment;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "setting-meaning-changed",
        area: Area::Settings,
        severity: Severity::Warning,
        fix: FixAvailability::None,
        summary: "A setting PostgreSQL 18 reads differently: autovacuum_max_workers above autovacuum_worker_slots, max_files_per_process",
        doc: include_str!("../../../rules/setting-meaning-changed.md"),
    },
    hooks: SETTING_HOOKS,
    check: Some(check),
    check_model: Some(check_model),
    keywords: &["set_config"],
};

/// `autovacuum_worker_slots`'s default on 18 (it cannot be set from SQL but at server start).
const DEFAULT_WORKER_SLOTS: f64 = 16.0;

fn check(ctx: &crate::rules::Ctx, out: &mut Vec<Diagnostic>) {
    judge_statement(ctx, out, |a, _, out| judge(a, DEFAULT_WORKER_SLOTS, out));
}

fn check_model(m: &ModelCtx, out: &mut Vec<Diagnostic>) {
    for server in &m.schema.servers {
        // The slots the same configuration gives, or the default.
        let slots = server
            .effective("autovacuum_worker_slots")
            .and_then(|a| a.value.as_deref())
            .and_then(|v| settings::parse_number(v, ""))
            .unwrap_or(DEFAULT_WORKER_SLOTS);
        for c in &server.settings {
            judge(&c.assignment, slots, out);
        }
    }
}

fn judge(a: &Assignment, slots: f64, out: &mut Vec<Diagnostic>) {
    let (Some(value), Some(span)) = (&a.value, &a.value_span) else { return };
    match a.name.as_str() {
        "autovacuum_max_workers" => {
            let Some(workers) = settings::parse_number(value, "") else { return };
            if workers > slots {
                out.push(
                    RULE.report(
                        a.file,
                        span.clone(),
                        format!(
                            "autovacuum_max_workers = {value} is above autovacuum_worker_slots ({slots}): PostgreSQL {TARGET} \
                             starts at most {slots} autovacuum workers"
                        ),
                    )
                    .help(
                        "PostgreSQL 18 takes autovacuum workers from a pool of autovacuum_worker_slots (default 16, set at \
                         server start); autovacuum_max_workers can now change on reload but never beyond the pool, and a \
                         higher value only logs a WARNING. Set autovacuum_worker_slots at least as high in postgresql.conf.",
                    ),
                );
            }
        }
        "max_files_per_process" => out.push(
            RULE.report(
                a.file,
                span.clone(),
                format!("max_files_per_process = {value} counts only the files a backend opens itself on PostgreSQL {TARGET}"),
            )
            .help(
                "Before 18 the limit included the descriptors a backend inherits from the postmaster; 18 counts only those \
                 it opens, so the same value lets each backend open more files. A value lowered to fit the kernel's \
                 per-process limit may now exceed it: check `ulimit -n` for the server's user, or raise the limit.",
            ),
        ),
        _ => {}
    }
}
