//! Catalog queries whose results change on PostgreSQL 18 without any error:
//! `pg_backend_memory_contexts.level` counts from 1, `pg_constraint` holds a row for every
//! NOT NULL constraint (`contype = 'n'`), and `attstattarget` is NULL for the default (17).

use crate::diagnostic::{Diagnostic, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "catalog-meaning-changed",
        area: Area::Upgrade,
        severity: Severity::Warning,
        fix: FixAvailability::None,
        summary: "A catalog query whose result changes on PostgreSQL 18: pg_backend_memory_contexts.level, NOT NULL rows in pg_constraint, attstattarget NULL",
        doc: include_str!("../../../rules/catalog-meaning-changed.md"),
    },
    hooks: &[],
    check: Some(check),
    check_model: None,
    keywords: &["pg_backend_memory_contexts", "pg_constraint", "attstattarget", "stxstattarget"],
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
    // pg_attribute.attstattarget and pg_statistic_ext.stxstattarget: NULL for the default since
    // 17, where 16 and older said -1.
    if ctx.from < 17 {
        for (column, at) in facts.columns.iter().filter(|(c, _)| c == "attstattarget" || c == "stxstattarget") {
            let at = ctx.abs(*at as i32);
            if !compared_with_a_number(ctx, at) {
                continue;
            }
            out.push(
                RULE.report(
                    ctx.file,
                    at..(at + column.len()).min(ctx.range.end),
                    format!("{column} is NULL for the default statistics target since PostgreSQL 17 (was -1): a comparison with -1 finds nothing"),
                )
                .help(format!(
                    "PostgreSQL 17 stores the default statistics target as NULL, so `{column} = -1` or `{column} < 0` no longer \
                     selects the columns that use the default, and `ALTER TABLE ... SET STATISTICS -1` is stored as NULL. Write \
                     `{column} IS NULL` (or `coalesce({column}, -1)` where the query must run on both)."
                )),
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

/// Whether the column at `at` is compared with a number (`= -1`, `< 0`, `<> -1`...): the
/// comparisons the NULL default turns from true to unknown.
fn compared_with_a_number(ctx: &Ctx, at: usize) -> bool {
    let tokens = crate::sql::tree::tokens(ctx.text, at..ctx.range.end);
    let text = |i: usize| tokens.get(i).and_then(|t| ctx.text.get(t.range.clone())).unwrap_or("");
    let comparison = matches!(text(1), "=" | "<>" | "!=" | "<" | ">" | "<=" | ">=");
    let number = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    comparison && (number(text(2)) || (text(2) == "-" && number(text(3))))
}
