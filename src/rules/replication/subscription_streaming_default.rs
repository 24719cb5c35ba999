//! `CREATE SUBSCRIPTION` without `streaming`: the default changed from `off` to `parallel`.

use pg_query::NodeEnum;

use crate::diagnostic::{Applicability, Diagnostic, Edit, Severity};
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, StatementKind};
use crate::sql::tree;
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "subscription-streaming-default",
        area: Area::Replication,
        severity: Severity::Warning,
        fix: FixAvailability::Always(Applicability::Safe),
        summary: concat!("CREATE SUBSCRIPTION without a streaming option streams in parallel on ", target_name!(), " (was off)"),
        doc: include_str!("../../../rules/subscription-streaming-default.md"),
    },
    hooks: &[StatementKind::CreateSubscription],
    check: Some(check),
    check_model: None,
    keywords: &[],
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let NodeEnum::CreateSubscriptionStmt(s) = ctx.node else { return };
    if s.options.iter().any(|o| matches!(&o.node, Some(NodeEnum::DefElem(d)) if d.defname == "streaming")) {
        return;
    }
    let span = ctx.ident_span(ctx.range.start, &s.subname, ctx.range.start..ctx.range.start + 1);
    // Add the option to an existing WITH (...) list, or append a WITH clause.
    let edit = match s
        .options
        .iter()
        .filter_map(|o| match &o.node {
            Some(NodeEnum::DefElem(d)) => Some(d.location),
            _ => None,
        })
        .max()
    {
        Some(_) => {
            let toks = tree::tokens(ctx.text, ctx.range.clone());
            let close = toks.iter().rev().find(|t| &ctx.text[t.range.clone()] == ")").map(|t| t.range.start);
            match close {
                Some(at) => Edit::insert(ctx.file, at, ", streaming = off"),
                None => return,
            }
        }
        None => Edit::insert(ctx.file, ctx.range.end, " WITH (streaming = off)"),
    };
    out.push(
        RULE.report(
            ctx.file,
            span,
            format!(
                concat!("subscription `{}` has no streaming option: ", target_name!(), " defaults to streaming = parallel (was off)"),
                s.subname
            ),
        )
        .help(
            "With parallel streaming, large in-progress transactions are applied by parallel apply workers, which take \
             slots from max_logical_replication_workers and max_worker_processes. Say what you want: `streaming = off` \
             keeps the behaviour this subscription had before 18; `on` or `parallel` stream large transactions.",
        )
        .fix("Add streaming = off (the pre-18 behaviour)", Applicability::Safe, vec![edit]),
    );
}
