//! `CREATE CONVERSION`: PostgreSQL 14 changed what an encoding conversion function takes and
//! returns (a sixth `noError` argument, an integer result), so pg_upgrade refuses a 13 cluster
//! with a user-defined conversion ("Checking for user-defined encoding conversions"), and a
//! conversion function written for 13 is refused by CREATE CONVERSION on 18.

use pg_query::NodeEnum;

use crate::diagnostic::{Diagnostic, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta};
use crate::sql::tree;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "user-encoding-conversion",
        area: Area::Upgrade,
        severity: Severity::Warning,
        fix: FixAvailability::None,
        summary: "A user-defined encoding conversion (CREATE CONVERSION): its function's signature changed in PostgreSQL 14",
        doc: include_str!("../../../rules/user-encoding-conversion.md"),
    },
    hooks: &[],
    check: Some(check),
    check_model: None,
    keywords: &["conversion"],
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let NodeEnum::CreateConversionStmt(c) = ctx.node else { return };
    if ctx.from >= 14 {
        return;
    }
    let name = tree::names(&c.conversion_name).pop().unwrap_or_default();
    let function = tree::names(&c.func_name).join(".");
    let span = ctx.ident_span(ctx.range.start, &name, ctx.range.start..ctx.range.start + 1);
    // In a 13 cluster (the live audit) it stops pg_upgrade; in a file, the statement itself
    // works on 18 when its function has the new signature (a built-in's has).
    let severity = if ctx.schema.catalog.is_some() { Severity::Error } else { Severity::Warning };
    out.push(
        RULE.report(
            ctx.file,
            span,
            format!(
                "conversion `{name}` is user-defined: since PostgreSQL 14 a conversion function takes a sixth argument and returns integer, so pg_upgrade refuses a cluster that has one, and CREATE CONVERSION fails on {TARGET} unless `{function}` has the new signature"
            ),
        )
        .help(
            "Rewrite the conversion function for the new signature (`(integer, integer, cstring, internal, integer, boolean) \
             RETURNS integer`: the boolean asks it not to raise errors, the result is the number of bytes converted). On the old \
             server, drop the conversion before the upgrade (pg_upgrade --check: \"Checking for user-defined encoding \
             conversions\") and create it again on the new one. Built-in conversions cover the encodings PostgreSQL supports.",
        )
        .severity(severity),
    );
}
