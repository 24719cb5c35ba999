//! Deferred triggers: PostgreSQL 18 runs them as the role that queued the event, not the role
//! current at COMMIT.

use pg_query::NodeEnum;

use crate::diagnostic::{Diagnostic, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta};
use crate::sql::tree;
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "deferred-trigger-role",
        area: Area::Upgrade,
        severity: Severity::Info,
        fix: FixAvailability::None,
        summary: concat!(
            "A deferrable constraint trigger: ",
            target_name!(),
            " runs it as the role current when the event was queued, not at COMMIT"
        ),
        doc: include_str!("../../../rules/deferred-trigger-role.md"),
    },
    hooks: &[],
    check: Some(check),
    check_model: None,
    // DEFERRABLE or INITIALLY DEFERRED: CREATE TRIGGER is parsed only when it says one.
    keywords: &["deferr"],
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let NodeEnum::CreateTrigStmt(t) = ctx.node else { return };
    if !t.isconstraint || !(t.deferrable || t.initdeferred) {
        return;
    }
    // A SECURITY DEFINER trigger function runs as its owner either way.
    let func = tree::names(&t.funcname).pop().unwrap_or_default();
    let definer = ctx.schema.functions.get(&func).is_some_and(|fs| !fs.is_empty() && fs.iter().all(|f| f.security_definer));
    if definer {
        return;
    }
    let span = ctx.ident_span(ctx.range.start, &t.trigname, ctx.range.start..ctx.range.start + 1);
    let when = if t.initdeferred { "deferred to COMMIT" } else { "deferrable (SET CONSTRAINTS ... DEFERRED)" };
    out.push(
        RULE.report(
            ctx.file,
            span,
            format!("constraint trigger `{}` is {when}: on PostgreSQL {TARGET} it runs as the role that queued the event", t.trigname),
        )
        .help(
            "Before 18 a deferred trigger ran as the role current when it fired (at COMMIT); 18 runs it as the role current \
             when the row change queued it. Code that changes role between the change and COMMIT (SET ROLE, SET SESSION \
             AUTHORIZATION, changes made inside SECURITY DEFINER functions) now sees another current_user in the trigger, \
             with other privileges: check what the trigger function does with current_user and privileges.",
        ),
    );
}
