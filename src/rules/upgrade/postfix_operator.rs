//! `CREATE OPERATOR` with a left argument and no right one: a postfix operator, which
//! PostgreSQL 14 removed. The statement fails on 18, and pg_upgrade refuses a 13 cluster that has
//! one ("Checking for user-defined postfix operators").

use pg_query::NodeEnum;
use pg_query::protobuf::ObjectType;

use crate::diagnostic::{Diagnostic, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, StatementKind};
use crate::sql::tree;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "postfix-operator",
        area: Area::Upgrade,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "A postfix operator (CREATE OPERATOR with LEFTARG and no RIGHTARG), removed in PostgreSQL 14",
        doc: include_str!("../../../rules/postfix-operator.md"),
    },
    hooks: &[StatementKind::Define],
    check: Some(check),
    check_model: None,
    keywords: &[],
};

/// The release that removed postfix operators.
const REMOVED_IN: u32 = 14;

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let NodeEnum::DefineStmt(d) = ctx.node else { return };
    if ctx.from >= REMOVED_IN || ObjectType::try_from(d.kind) != Ok(ObjectType::ObjectOperator) {
        return;
    }
    let has =
        |name: &str| d.definition.iter().any(|o| matches!(&o.node, Some(NodeEnum::DefElem(e)) if e.defname.eq_ignore_ascii_case(name)));
    if !has("leftarg") || has("rightarg") {
        return;
    }
    let op = tree::names(&d.defnames).pop().unwrap_or_default();
    let span = crate::sql::tree::find_ident(ctx.text, ctx.range.clone(), "operator")
        .map(|r| {
            // The operator's name, after OPERATOR.
            let rest = &ctx.text[r.end..ctx.range.end];
            let lead = rest.len() - rest.trim_start().len();
            let len = rest.trim_start().find(|c: char| c.is_whitespace() || c == '(').unwrap_or(0);
            r.end + lead..r.end + lead + len.max(1)
        })
        .unwrap_or(ctx.range.start..ctx.range.start + 1);
    out.push(
        RULE.report(
            ctx.file,
            span,
            format!(
                "operator `{op}` is a postfix operator (no RIGHTARG): PostgreSQL {REMOVED_IN} removed them, so CREATE OPERATOR fails on {TARGET} (42P13) and pg_upgrade refuses a cluster that has one"
            ),
        )
        .help(
            "Make it a prefix operator (RIGHTARG instead of LEFTARG: `!!! 5` instead of `5 !!!`) or call its function. On the \
             old server, drop the operator and rewrite the queries that use it before the upgrade (pg_upgrade --check: \
             \"Checking for user-defined postfix operators\").",
        ),
    );
}
