//! Settings tuned for the synchronous I/O of PostgreSQL 17 and older that PostgreSQL 18's
//! asynchronous I/O reads differently.

use pg_query::NodeEnum;
use pg_query::protobuf::Node;

use crate::diagnostic::{Diagnostic, Severity};
use crate::knowledge::settings;
use crate::knowledge::target::TARGET;
use crate::rules::{Area, Ctx, FixAvailability, ModelCtx, Rule, RuleMeta, StatementKind, judge_config, judge_statement};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "aio-setting-review",
        area: Area::Aio,
        severity: Severity::Info,
        fix: FixAvailability::None,
        summary: "An I/O setting pinned to a pre-18 default or needing a special build (io_uring) under asynchronous I/O",
        doc: include_str!("../../../rules/aio-setting-review.md"),
    },
    hooks: &[
        StatementKind::CreateTablespace,
        StatementKind::AlterTablespaceOptions,
        StatementKind::Set,
        StatementKind::AlterSystem,
        StatementKind::AlterDatabaseSet,
        StatementKind::AlterRoleSet,
    ],
    check: Some(check),
    check_model: Some(check_model),
    keywords: &["set_config"],
};

/// (setting, the pre-18 default people copied into their configuration)
const OLD_DEFAULTS: &[(&str, &str)] = &[("effective_io_concurrency", "1"), ("maintenance_io_concurrency", "10")];

fn advice(name: &str, value: &str) -> Option<(String, &'static str)> {
    let lower = value.to_ascii_lowercase();
    if let Some((_, old)) = OLD_DEFAULTS.iter().find(|(n, _)| *n == name) {
        if lower == *old {
            return Some((
                format!("{name} = {value} pins the pre-18 default; PostgreSQL {TARGET}'s default is 16"),
                "With asynchronous I/O this setting bounds how many reads are in flight for one scan. 18 raised the \
                 default to 16; a value copied from old tuning guides keeps read-ahead nearly off. Remove it, or measure \
                 and set it for your storage.",
            ));
        }
        if lower == "0" {
            return Some((
                format!("{name} = 0 disables asynchronous read-ahead on PostgreSQL {TARGET}"),
                "0 turns off the I/O requests that 18 issues ahead of time; make sure that is intended.",
            ));
        }
    }
    match name {
        "io_method" if lower == "io_uring" => Some((
            "io_method = io_uring needs a server built with liburing".into(),
            "Builds without liburing (--with-liburing / -Dliburing) reject it and the server does not start with it in \
             its configuration. `worker` (the default) works everywhere; `sync` is the pre-18 behaviour.",
        )),
        "io_combine_limit" => {
            let blocks = settings::parse_number(value, "8kB")?;
            (blocks > 16.0).then(|| {
                (
                    format!("io_combine_limit = {value} is above the default io_max_combine_limit (128kB)"),
                    "The effective value is min(io_combine_limit, io_max_combine_limit): raise io_max_combine_limit \
                     (server start) as well, or this setting is silently capped.",
                )
            })
        }
        _ => None,
    }
}

fn tablespace_options(ctx: &Ctx, options: &[Node], out: &mut Vec<Diagnostic>) {
    for o in options {
        let Some(NodeEnum::DefElem(d)) = &o.node else { return };
        let value = match d.arg.as_ref().and_then(|a| a.node.as_ref()) {
            Some(NodeEnum::Integer(i)) => i.ival.to_string(),
            Some(NodeEnum::String(s)) => s.sval.clone(),
            Some(NodeEnum::Float(f)) => f.fval.clone(),
            _ => continue,
        };
        if let Some((msg, help)) = advice(&d.defname, &value) {
            let at = ctx.abs(d.location);
            out.push(RULE.report(ctx.file, at..at + d.defname.len(), format!("tablespace option {msg}")).help(help));
        }
    }
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    match ctx.node {
        NodeEnum::CreateTableSpaceStmt(t) => tablespace_options(ctx, &t.options, out),
        NodeEnum::AlterTableSpaceOptionsStmt(t) if !t.is_reset => tablespace_options(ctx, &t.options, out),
        _ => {}
    }
    judge_statement(ctx, out, judge);
}

fn check_model(m: &ModelCtx, out: &mut Vec<Diagnostic>) {
    judge_config(m, out, judge);
    // io_workers only matters with io_method = worker (the default).
    for server in &m.schema.servers {
        let (Some(workers), Some(method)) = (server.effective("io_workers"), server.target_value("io_method")) else { continue };
        if !method.eq_ignore_ascii_case("worker") {
            out.push(
                RULE.report(
                    workers.file,
                    workers.name_span.clone(),
                    format!("io_workers is set but io_method = {method}: it has no effect"),
                )
                .help("I/O worker processes are only used with io_method = worker. Remove io_workers, or use the worker method."),
            );
        }
    }
}

fn judge(a: &crate::sql::assign::Assignment, _from: u32, out: &mut Vec<Diagnostic>) {
    {
        let (Some(value), Some(span)) = (&a.value, &a.value_span) else { return };
        if let Some((msg, help)) = advice(&a.name, value) {
            out.push(RULE.report(a.file, span.clone(), msg).help(help));
        }
    }
}
