//! Catalog queries whose results change on PostgreSQL 18 without any error:
//! `pg_backend_memory_contexts.level` counts from 1, and `pg_constraint` holds a row for every
//! NOT NULL constraint (`contype = 'n'`).

use crate::diagnostic::{Diagnostic, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "catalog-meaning-changed",
        area: Area::Upgrade,
        severity: Severity::Warning,
        fix: FixAvailability::None,
        summary: "A catalog query whose result changes on PostgreSQL 18: pg_backend_memory_contexts.level, NOT NULL rows in pg_constraint",
        doc: include_str!("../../../rules/catalog-meaning-changed.md"),
    },
    hooks: &[],
    check: Some(check),
    check_model: None,
    keywords: &["pg_backend_memory_contexts", "pg_constraint"],
};

/// Columns whose use shows a query picks constraints other than NOT NULL ones by itself.
const SELECTIVE_COLUMNS: &[&str] =
    &["contype", "conname", "confrelid", "confkey", "confupdtype", "confdeltype", "confmatchtype", "conindid", "tgconstraint"];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    if !ctx.mentions_keyword_of(&RULE) {
        return;
    }
    let facts = ctx.statement_facts();
    let reads = |rel: &str| {
        facts
            .relations
            .iter()
            .find(|(schema, name, _)| name == rel && (schema.is_empty() || schema == "pg_catalog") && !facts.ctes.contains(name))
    };
    if reads("pg_backend_memory_contexts").is_some() {
        for (column, at) in facts.columns.iter().filter(|(c, _)| c == "level") {
            let at = ctx.abs(*at as i32);
            out.push(
                RULE.report(
                    ctx.file,
                    at..(at + column.len()).min(ctx.range.end),
                    format!("pg_backend_memory_contexts.level starts at 1 on PostgreSQL {TARGET}: the top context was level 0"),
                )
                .help(
                    "PostgreSQL 18 numbers memory context levels from 1 (TopMemoryContext is 1, was 0), so a comparison \
                     or a filter on level selects other contexts than before. Add 1 to the levels the query compares \
                     with, or use the new `path` column to find a context's ancestors.",
                ),
            );
        }
    }
    // A query over pg_constraint that picks neither kinds (contype), nor names, nor what only
    // foreign keys, indexes' or triggers' constraints have, now meets NOT NULL constraints too.
    if let Some((_, name, at)) = reads("pg_constraint")
        && !facts.columns.iter().any(|(c, _)| SELECTIVE_COLUMNS.contains(&c.as_str()))
    {
        let at = ctx.abs(*at as i32);
        out.push(
            RULE.report(
                ctx.file,
                at..(at + name.len()).min(ctx.range.end),
                format!(
                    "pg_constraint has a row for every NOT NULL constraint on PostgreSQL {TARGET} (contype = 'n'): this query \
                     picks constraints neither by contype nor by name"
                ),
            )
            .help(
                "PostgreSQL 18 stores NOT NULL constraints in pg_constraint, with names, so a query that lists or counts a \
                 table's constraints returns more rows than on 17 and older. Filter on contype (for example `contype <> 'n'`) \
                 if the query means the other kinds.",
            ),
        );
    }
}
