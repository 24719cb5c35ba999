//! Queries and views that use catalog columns removed since the version upgraded from
//! (`pg_stat_wal.wal_write`, `pg_stat_bgwriter.checkpoints_timed`, ...).
//!
//! Column references are resolved against the relations of their own `FROM` clause, with
//! aliases; an unqualified column is only judged when every relation in scope is a catalog
//! relation (a user table could have a column of that name). In views, `SELECT *` over such a
//! relation is reported too: pg_dump expands `*` to the old column list, and the restore of the
//! view during pg_upgrade fails.

use std::ops::Range;

use pg_query::NodeEnum;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Severity};
use crate::knowledge::catalog;
use crate::knowledge::target::TARGET;
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta};
use crate::sql::tree;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "removed-catalog-column",
        area: Area::Upgrade,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "A query or view uses a catalog column removed since the version you upgrade from",
        doc: include_str!("../../../rules/removed-catalog-column.md"),
    },
    hooks: &[],
    check: Some(check),
    check_model: None,
    keywords: &["pg_stat_", "pg_backend_memory_contexts", "pg_attribute", "pg_database", "pg_collation", "element_types"],
};

/// A relation of a FROM clause: the known relation when it is one, and the name queries use.
struct InScope {
    catalog: Option<catalog::Relation>,
    visible_name: String,
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().filter_map(|n| n.pointer("/node/String/sval").and_then(Value::as_str).map(str::to_string)).collect())
        .unwrap_or_default()
}

fn from_items(v: &Value, ctx: &Ctx, ctes: &[String], out: &mut Vec<InScope>) {
    match v {
        Value::Array(items) => items.iter().for_each(|i| from_items(i, ctx, ctes, out)),
        Value::Object(map) => {
            if let Some(node) = map.get("node") {
                return from_items(node, ctx, ctes, out);
            }
            if let Some(rv) = map.get("RangeVar") {
                let schema = rv["schemaname"].as_str().unwrap_or("");
                let rel = rv["relname"].as_str().unwrap_or("").to_string();
                let alias = rv.pointer("/alias/aliasname").and_then(Value::as_str).map(str::to_string);
                // A user table of that name shadows nothing we can be sure of. Nor does a CTE of
                // the statement named like a catalog view (`WITH pg_stat_wal AS ...`).
                let user_table = if schema.is_empty() {
                    ctx.schema.table(&format!("public.{rel}")).is_some() || ctes.contains(&rel)
                } else {
                    ctx.schema.table(&format!("{schema}.{rel}")).is_some()
                };
                let known = if user_table { None } else { catalog::relation(schema, &rel) };
                out.push(InScope { catalog: known, visible_name: alias.unwrap_or(rel) });
            } else if let Some(j) = map.get("JoinExpr") {
                from_items(&j["larg"], ctx, ctes, out);
                from_items(&j["rarg"], ctx, ctes, out);
            } else if map.contains_key("RangeSubselect") || map.contains_key("RangeFunction") || map.contains_key("RangeTableFunc") {
                // Derived tables have columns of their own making: unknown to us.
                out.push(InScope { catalog: None, visible_name: String::new() });
            }
        }
        _ => {}
    }
}

/// Column references of this query level: stops at nested queries, which have their own scope.
fn column_refs<'v>(v: &'v Value, out: &mut Vec<&'v Value>) {
    match v {
        Value::Object(map) => {
            for (k, inner) in map {
                match k.as_str() {
                    "SelectStmt" => {}
                    "ColumnRef" => out.push(inner),
                    _ => column_refs(inner, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| column_refs(x, out)),
        _ => {}
    }
}

fn ref_span(ctx: &Ctx, location: usize) -> Range<usize> {
    let start = ctx.range.start + location;
    let toks = tree::tokens(ctx.text, start..ctx.range.end);
    let mut end = start;
    for (i, t) in toks.iter().enumerate() {
        let s = &ctx.text[t.range.clone()];
        let expect_ident = i % 2 == 0;
        if expect_ident && s != "." && s != "*" && s.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '"') {
            end = t.range.end;
        } else if !expect_ident && s == "." {
            continue;
        } else if expect_ident && s == "*" {
            end = t.range.end;
            break;
        } else {
            break;
        }
    }
    start..end.max(start + 1)
}

struct Finding {
    span: Range<usize>,
    rel: catalog::Relation,
    col: String,
    since: u32,
}

struct Walk<'a> {
    in_view: bool,
    /// Names of the statement's CTEs (anywhere in it: a name no catalog relation should hide).
    ctes: &'a [String],
}

fn check_select(select: &Value, ctx: &Ctx, w: &Walk, found: &mut Vec<Finding>, stars: &mut Vec<(Range<usize>, catalog::Relation)>) {
    let in_view = w.in_view;
    let mut scope = Vec::new();
    from_items(&select["from_clause"], ctx, w.ctes, &mut scope);
    if scope.iter().all(|s| s.catalog.is_none()) {
        return;
    }
    let mut refs = Vec::new();
    for key in ["target_list", "where_clause", "group_clause", "having_clause", "sort_clause", "distinct_clause"] {
        column_refs(&select[key], &mut refs);
    }
    for r in refs {
        let loc = r["location"].as_i64().unwrap_or(0).max(0) as usize;
        let fields = r["fields"].as_array().cloned().unwrap_or_default();
        let is_star = fields.last().is_some_and(|f| f.pointer("/node/AStar").is_some());
        let names = strs(&r["fields"]);
        if is_star {
            if in_view {
                let targets: Vec<&InScope> = match names.as_slice() {
                    [] => scope.iter().collect(),
                    [q] | [_, q] => scope.iter().filter(|s| &s.visible_name == q).collect(),
                    _ => Vec::new(),
                };
                for s in targets {
                    if let Some(rel) = s.catalog
                        && !catalog::removed_columns(rel, ctx.from).is_empty()
                    {
                        stars.push((ref_span(ctx, loc), rel));
                    }
                }
            }
            continue;
        }
        let (qualifier, col) = match names.as_slice() {
            [col] => (None, col.clone()),
            [q, col] => (Some(q.clone()), col.clone()),
            [schema, q, col] if schema == "pg_catalog" => (Some(q.clone()), col.clone()),
            _ => continue,
        };
        let target = match &qualifier {
            Some(q) => scope.iter().find(|s| &s.visible_name == q),
            None => {
                // Unqualified: only when every relation in scope is a known catalog relation and
                // exactly one of them had the column.
                if scope.iter().any(|s| s.catalog.is_none()) {
                    continue;
                }
                let had: Vec<&InScope> =
                    scope.iter().filter(|s| s.catalog.is_some_and(|r| catalog::removed_since(r, &col, ctx.from).is_some())).collect();
                let still: bool = scope.iter().any(|s| s.catalog.is_some_and(|r| catalog::has_target_column(r, &col)));
                if had.len() == 1 && !still { had.into_iter().next() } else { None }
            }
        };
        let Some(rel) = target.and_then(|t| t.catalog) else { continue };
        if let Some(since) = catalog::removed_since(rel, &col, ctx.from) {
            found.push(Finding { span: ref_span(ctx, loc), rel, col, since });
        }
    }
}

fn walk(v: &Value, ctx: &Ctx, w: &Walk, found: &mut Vec<Finding>, stars: &mut Vec<(Range<usize>, catalog::Relation)>) {
    match v {
        Value::Object(map) => {
            for (k, inner) in map {
                if k == "SelectStmt" {
                    check_select(inner, ctx, w, found, stars);
                }
                walk(inner, ctx, w, found, stars);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| walk(x, ctx, w, found, stars)),
        _ => {}
    }
}

fn cte_names(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            if let Some(name) = map.get("CommonTableExpr").and_then(|c| c["ctename"].as_str()) {
                out.push(name.to_string());
            }
            map.values().for_each(|x| cte_names(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| cte_names(x, out)),
        _ => {}
    }
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    // Cheap filter: only statements that name a catalog relation that lost columns.
    if !ctx.mentions_keyword_of(&RULE) {
        return;
    }
    // Only a statement that names a relation which lost columns can use one of them; the
    // relations named are among the statement's facts, which the walk below (over the serde
    // form of the whole tree, built for it) would cost far more to find.
    let names_one = |(schema, name, _): &(String, String, usize)| catalog::relation(schema, name).is_some_and(catalog::lost_columns);
    if !ctx.statement_facts().relations.iter().any(names_one) {
        return;
    }
    let in_view = matches!(ctx.node, NodeEnum::ViewStmt(_) | NodeEnum::CreateTableAsStmt(_));
    let Some(v) = ctx.statement_json() else { return };
    let (mut found, mut stars) = (Vec::new(), Vec::new());
    let mut ctes = Vec::new();
    // Only a statement with WITH has CTEs (the walk over its tree is not free).
    if ctx.stmt_lower().contains("with") {
        cte_names(v, &mut ctes);
    }
    walk(v, ctx, &Walk { in_view, ctes: &ctes }, &mut found, &mut stars);
    for f in found {
        let instead = catalog::replacement(f.rel, &f.col).map_or(String::new(), |r| format!(" Use {r} instead."));
        let (what, when) = lost(f.rel, f.since);
        out.push(
            RULE.report(ctx.file, f.span, format!("column `{}.{}` was removed in {what}", f.rel.display(), f.col))
                .help(format!("{when}{instead}{}", blocker(f.rel, in_view))),
        );
    }
    for (span, rel) in stars {
        let cols: Vec<String> = catalog::removed_columns(rel, ctx.from).iter().map(|(c, v)| format!("{c} ({v})")).collect();
        let restore = match rel.extension() {
            None => format!("pg_dump writes the view with the old column list, so restoring it on PostgreSQL {TARGET} fails."),
            Some(ext) => {
                format!("pg_dump writes the view with the old column list, so restoring it where {ext} has {TARGET}'s version fails.")
            }
        };
        out.push(
            RULE.report(ctx.file, span, format!("view selects * from `{}`, which lost columns: {}", rel.display(), cols.join(", ")))
                .help(format!("{restore}{} List the columns the view needs.", blocker(rel, true))),
        );
    }
}

/// What removed the column, and when a statement using it fails.
fn lost(rel: catalog::Relation, since: u32) -> (String, String) {
    match rel.extension() {
        None => (format!("PostgreSQL {since}"), format!("The statement fails on PostgreSQL {TARGET} (42703, column does not exist).")),
        Some(ext) => (
            format!("the {ext} extension of PostgreSQL {since}"),
            format!(
                "The statement fails (42703) where {ext} has PostgreSQL {TARGET}'s version: a new installation, a dump restored \
                 into {TARGET}, and a pg_upgraded cluster once `ALTER EXTENSION {ext} UPDATE` has run (pg_upgrade keeps the \
                 installed version and writes that command to update_extensions.sql)."
            ),
        ),
    }
}

/// Why a view using the column stands in the way of the upgrade.
fn blocker(rel: catalog::Relation, in_view: bool) -> String {
    match (in_view, rel.extension()) {
        (false, _) => String::new(),
        (true, None) => {
            " This view exists on the old server: pg_upgrade's restore of it fails, so fix it (or drop it) before upgrading.".into()
        }
        (true, Some(ext)) => format!(
            " While any view depends on {}, `ALTER EXTENSION {ext} UPDATE` fails (2BP01, it drops and recreates the view): drop \
             the view, update the extension, and create the view again with the new columns.",
            rel.name
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cheap filter lets through every statement that names a relation that lost a column.
    #[test]
    fn keywords_cover_every_relation_that_lost_a_column() {
        let relations = catalog::relations_with_removed_columns();
        assert!(relations.len() >= 10, "{relations:?}");
        for rel in relations {
            assert!(RULE.keywords.iter().any(|k| rel.name.contains(k)), "no keyword lets `{}` through", rel.name);
        }
    }
}
