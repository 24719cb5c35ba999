//! Objects whose stored result depends on PostgreSQL's own Unicode tables, which 18 updates
//! (15.1 to 16.0 from 17): indexes, CHECK constraints, partition keys and materialized views
//! that call `normalize()` and its kin in any database, or map case / match regular
//! expressions under a builtin Unicode collation (`pg_c_utf8`, or the default collation of a
//! builtin-provider database). What pg_upgrade's "Checking for objects affected by Unicode
//! update" looks for (from a 17 server).

use pg_query::NodeEnum;

use crate::diagnostic::{Diagnostic, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, StatementKind};
use crate::sql::tree;
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "unicode-update-dependent-object",
        area: Area::Upgrade,
        severity: Severity::Warning,
        fix: FixAvailability::None,
        summary: "An index, constraint or materialized view using normalization, or case mapping and regular expressions under a builtin Unicode collation: Unicode changes in 18",
        doc: include_str!("../../../rules/unicode-update-dependent-object.md"),
    },
    hooks: &[StatementKind::CreateIndex, StatementKind::CreateTable],
    check: Some(check),
    check_model: None,
    keywords: &["materialized"],
};

/// Functions that read PostgreSQL's own Unicode tables whatever the collation.
const UNICODE_FUNCTIONS: &[&str] = &["normalize", "is_normalized", "unicode_assigned", "unicode_version"];
/// Functions and operators that read them under a builtin Unicode collation.
const COLLATED_FUNCTIONS: &[&str] = &["lower", "upper", "initcap", "casefold"];
const OPERATORS: &[&str] = &["~", "~*", "!~", "!~*", "~~*", "!~~*"];
/// The builtin collations with Unicode semantics (pg_upgrade's list; PG_UNICODE_FAST is 18's).
const UNICODE_COLLATIONS: &[&str] = &["pg_c_utf8", "pg_unicode_fast"];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let source = ctx.schema.catalog.as_ref().map_or(ctx.from, |c| c.major);
    let what = match ctx.node {
        NodeEnum::IndexStmt(_) => "index",
        NodeEnum::CreateStmt(_) if ctx.stmt_lower().contains("check") || ctx.stmt_lower().contains("partition by") => "table",
        NodeEnum::CreateTableAsStmt(_) if ctx.stmt_lower().contains("materialized") => "materialized view",
        _ => return,
    };
    let facts = ctx.statement_facts();
    let unicode = facts.functions.iter().find(|f| f.name.last().is_some_and(|n| UNICODE_FUNCTIONS.contains(&n.as_str())));
    let (name, at, under) = if let Some(f) = unicode {
        (format!("{}()", f.name.last().unwrap()), f.location, None)
    } else {
        // Case mapping and regular expressions: only a builtin Unicode collation reads the
        // tables. Those exist from 17 on, so a schema that uses one comes from 17 (whatever
        // `--from` says).
        let Some(under) = unicode_collation(ctx, facts) else { return };
        let func = facts.functions.iter().find(|f| f.name.last().is_some_and(|n| COLLATED_FUNCTIONS.contains(&n.as_str())));
        let op = facts.operators.iter().find(|(n, _)| n.last().is_some_and(|n| OPERATORS.contains(&n.as_str())));
        match (func, op) {
            (Some(f), _) => (format!("{}()", f.name.last().unwrap()), f.location, Some(under)),
            (None, Some((n, at))) => (format!("operator {}", n.last().unwrap()), *at, Some(under)),
            _ => return,
        }
    };
    let at = ctx.abs(at as i32);
    let end = ctx.text[at..ctx.range.end].find(|c: char| c == '(' || c.is_whitespace()).map_or(at + 1, |n| at + n.max(1));
    let source = if under.is_some() { source.max(17) } else { source };
    let from = match source {
        17 => "PostgreSQL 17's were 15.1".to_string(),
        v => format!("newer than PostgreSQL {v}'s"),
    };
    let checked = if source == 17 {
        "pg_upgrade --check warns (\"Checking for objects affected by Unicode update\")"
    } else {
        "pg_upgrade --check looks for this only from a 17 server"
    };
    let message = match &under {
        None => format!("this {what} uses {name}, which reads PostgreSQL's own Unicode tables: PostgreSQL {TARGET} updates them"),
        Some(collation) => format!("this {what} uses {name} under {collation}: PostgreSQL {TARGET} updates Unicode"),
    };
    out.push(RULE.report(ctx.file, at..end, message).help(format!(
        "{}'s Unicode tables are Unicode 16.0 ({from}): normalization, case mapping and character classes can change for newly \
         assigned characters, so stored index entries, constraint results and materialized view rows may no longer match. \
         {checked}. REINDEX such indexes and REFRESH such materialized views after the upgrade, and re-validate \
         constraints if the data may contain such characters.",
        target_name!()
    )));
}

/// The builtin Unicode collation the statement's expressions may use: the database's default
/// (a builtin-provider database, known to the live audit), a `COLLATE pg_c_utf8` written in an
/// index or materialized view, or the collation of a column the expressions read.
fn unicode_collation(ctx: &Ctx, facts: &tree::ExprFacts) -> Option<String> {
    if let Some((db, _)) = ctx.schema.catalog.as_ref().and_then(|c| c.this_database.as_ref())
        && db.locale_provider == "b"
        && matches!(db.locale.as_deref(), Some("C.UTF-8" | "PG_UNICODE_FAST"))
    {
        return Some(format!("the default collation of database {} (builtin provider)", db.name));
    }
    let lower = ctx.stmt_lower();
    if !matches!(ctx.node, NodeEnum::CreateStmt(_)) {
        for c in UNICODE_COLLATIONS {
            if lower.contains(c) {
                return Some(format!("collation {c}"));
            }
        }
    }
    // Columns: of the tables named (the model), and of a CREATE TABLE's own definitions.
    let mut collations: Vec<(String, String)> = Vec::new();
    for (schema, name, _) in &facts.relations {
        let key = format!("{}.{name}", if schema.is_empty() { "public" } else { schema });
        if let Some(t) = ctx.schema.table(&key) {
            collations.extend(t.columns.iter().filter_map(|c| Some((c.name.clone(), c.collation.clone()?))));
        }
    }
    if let NodeEnum::CreateStmt(c) = ctx.node {
        for e in &c.table_elts {
            if let Some(NodeEnum::ColumnDef(d)) = &e.node
                && let Some(coll) = d.coll_clause.as_ref().and_then(|cl| tree::names(&cl.collname).pop())
            {
                collations.push((d.colname.clone(), coll.to_lowercase()));
            }
        }
    }
    facts.columns.iter().find_map(|(col, _)| {
        collations
            .iter()
            .find(|(name, coll)| name == col && UNICODE_COLLATIONS.contains(&coll.as_str()))
            .map(|(name, coll)| format!("collation {coll} (column {name})"))
    })
}
