//! Calls of `pg_catalog` functions removed since the version upgraded from
//! (`pg_start_backup()`, `pg_stop_backup()`, the `pg_stat_get_checkpoint_*` family...).

use crate::diagnostic::{Diagnostic, Severity};
use crate::knowledge::functions;
use crate::knowledge::target::TARGET;
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "removed-function",
        area: Area::Upgrade,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "A call of a built-in function removed since the version you upgrade from (pg_start_backup, pg_stop_backup...)",
        doc: include_str!("../../../rules/removed-function.md"),
    },
    hooks: &[],
    check: Some(check),
    check_model: None,
    keywords: KEYWORDS,
};

pub const KEYWORDS: &[&str] = &[
    // knowledge::functions::removed_names() (a test checks they agree).
    "binary_upgrade_set_next_toast_pg_type_oid",
    "close_lb",
    "close_sl",
    "currtid",
    "dist_bl",
    "dist_lb",
    "interval_accum",
    "interval_accum_inv",
    "interval_combine",
    "numeric_fac",
    "path_center",
    "pg_backup_start_time",
    "pg_is_in_backup",
    "pg_read_file_old",
    "pg_rotate_logfile_old",
    "pg_start_backup",
    "pg_stat_get_bgwriter_buf_written_checkpoints",
    "pg_stat_get_bgwriter_requested_checkpoints",
    "pg_stat_get_bgwriter_timed_checkpoints",
    "pg_stat_get_buf_fsync_backend",
    "pg_stat_get_buf_written_backend",
    "pg_stat_get_checkpoint_sync_time",
    "pg_stat_get_checkpoint_write_time",
    "pg_stop_backup",
    "pg_timezone_abbrevs",
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    if !ctx.mentions_keyword_of(&RULE) {
        return;
    }
    for call in &ctx.statement_facts().functions {
        let (schema, name) = match call.name.as_slice() {
            [name] => (None, name),
            [schema, name] => (Some(schema.as_str()), name),
            _ => continue,
        };
        if schema.is_some_and(|s| s != "pg_catalog") || (schema.is_none() && ctx.schema.functions.contains_key(name)) {
            continue; // a user function of that name
        }
        let Some(since) = functions::removed_since(name, ctx.from) else { continue };
        let at = ctx.range.start + call.location;
        let instead = functions::replacement(name).map_or(String::new(), |r| format!(" Use {r}."));
        out.push(
            RULE.report(ctx.file, at..at + call.name.join(".").len(), format!("function {name}() was removed in PostgreSQL {since}"))
                .help(format!("The call fails on PostgreSQL {TARGET} (42883, function does not exist).{instead}")),
        );
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn keywords_are_the_removed_names() {
        assert_eq!(super::KEYWORDS, crate::knowledge::functions::removed_names().as_slice());
    }
}
