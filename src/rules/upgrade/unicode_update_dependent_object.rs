//! Objects whose result depends on Unicode character properties, in a PostgreSQL 17 database using
//! the builtin collation provider: PostgreSQL 18 updates Unicode, and pg_upgrade warns about them.

use pg_query::NodeEnum;

use crate::diagnostic::{Diagnostic, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, StatementKind};
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "unicode-update-dependent-object",
        area: Area::Upgrade,
        severity: Severity::Warning,
        fix: FixAvailability::None,
        summary: "An index, constraint or materialized view using case mapping, regular expressions or normalization in a builtin-collation database: Unicode changes in 18",
        doc: include_str!("../../../rules/unicode-update-dependent-object.md"),
    },
    hooks: &[StatementKind::CreateIndex, StatementKind::CreateTable],
    check: Some(check),
    check_model: None,
    keywords: &["materialized"],
};

/// What pg_upgrade's check_for_unicode_update looks for.
const FUNCTIONS: &[&str] = &["lower", "upper", "initcap", "casefold", "normalize", "is_normalized", "unicode_assigned", "unicode_version"];
const OPERATORS: &[&str] = &["~", "~*", "!~", "!~*", "~~*", "!~~*"];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(cat) = &ctx.schema.catalog else { return };
    // The builtin provider exists from 17; 18 moves it from Unicode 15.1 to 16.0.
    if cat.major != 17 {
        return;
    }
    let Some((db, _)) = &cat.this_database else { return };
    if db.locale_provider != "b" {
        return;
    }
    let what = match ctx.node {
        NodeEnum::IndexStmt(_) => "index",
        NodeEnum::CreateStmt(_) if ctx.stmt_lower().contains("check") || ctx.stmt_lower().contains("partition by") => "table",
        NodeEnum::CreateTableAsStmt(_) if ctx.stmt_lower().contains("materialized") => "materialized view",
        _ => return,
    };
    let facts = ctx.statement_facts();
    let func = facts.functions.iter().find(|f| f.name.last().is_some_and(|n| FUNCTIONS.contains(&n.as_str())));
    let op = facts.operators.iter().find(|(n, _)| n.last().is_some_and(|n| OPERATORS.contains(&n.as_str())));
    let (name, at) = match (func, op) {
        (Some(f), _) => (format!("{}()", f.name.last().unwrap()), f.location),
        (None, Some((n, at))) => (format!("operator {}", n.last().unwrap()), *at),
        _ => return,
    };
    let at = ctx.abs(at as i32);
    let end = ctx.text[at..ctx.range.end].find(|c: char| c == '(' || c.is_whitespace()).map_or(at + 1, |n| at + n.max(1));
    out.push(
        RULE.report(
            ctx.file,
            at..end,
            format!(
                "this {what} uses {name} in database {}, whose collation provider is builtin: PostgreSQL {TARGET} updates Unicode",
                db.name
            ),
        )
        .help(concat!(
            target_name!(),
            " moves the builtin collation provider from Unicode 15.1 to 16.0: case mapping, character classes \
             and normalization can change for newly assigned characters, so stored index entries, constraint results and \
             materialized view rows may no longer match. pg_upgrade --check warns (\"Checking for objects affected by \
             Unicode update\"); REINDEX such indexes and REFRESH such materialized views after the upgrade, and re-validate \
             constraints if the data may contain such characters."
        )),
    );
}
