//! Extended statistics objects of a live database: pg_upgrade 18 carries the optimizer's
//! statistics of columns and indexes, but not what ANALYZE computed for `CREATE STATISTICS`
//! objects. Until the new cluster analyzes their tables, plans that relied on them change.

use pg_query::NodeEnum;

use crate::diagnostic::{Diagnostic, Remedy, Severity};
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, StatementKind};
use crate::sql::tree;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "extended-statistics-not-carried",
        area: Area::Upgrade,
        severity: Severity::Info,
        fix: FixAvailability::None,
        summary: "An extended statistics object: pg_upgrade does not carry its data, so its table needs ANALYZE on the new cluster",
        doc: include_str!("../../../rules/extended-statistics-not-carried.md"),
    },
    hooks: &[StatementKind::CreateStatistics],
    check: Some(check),
    check_model: None,
    keywords: &[],
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let NodeEnum::CreateStatsStmt(s) = ctx.node else { return };
    // Only a live database holds statistics an upgrade can lose.
    let Some((db, _)) = ctx.schema.catalog.as_ref().and_then(|c| c.this_database.as_ref()) else { return };
    let Some(NodeEnum::RangeVar(table)) = s.relations.first().and_then(|r| r.node.as_ref()) else { return };
    let name = tree::names(&s.defnames).join(".");
    let last = tree::names(&s.defnames).pop().unwrap_or_default();
    let span = ctx.ident_span(ctx.range.start, &last, ctx.range.start..ctx.range.start + 1);
    let table_name = crate::quote::qualified(if table.schemaname.is_empty() { "public" } else { &table.schemaname }, &table.relname);
    out.push(
        RULE.report(
            ctx.file,
            span,
            format!(
                "statistics object {} on {table_name}: pg_upgrade does not carry its data; ANALYZE the table on the new cluster",
                crate::quote::name(&name)
            ),
        )
        .help(
            "PostgreSQL 18's pg_upgrade keeps the statistics of columns and indexes, so the new cluster plans well at once, \
             but extended statistics (dependencies, ndistinct, MCV lists) are left empty until ANALYZE runs on their table. \
             The plan's `vacuumdb --all --analyze-in-stages --missing-stats-only` does it; ANALYZE the table first where its \
             queries depend on them.",
        )
        .remedy(Remedy::new_cluster(format!("ANALYZE {table_name};")).in_database(&db.name)),
    );
}
