//! Full-text search and pg_trgm indexes in a database whose default collation is ICU or builtin:
//! PostgreSQL 18 parses text for them with that provider, so they need a REINDEX after pg_upgrade.

use pg_query::NodeEnum;

use crate::diagnostic::{Diagnostic, Remedy, Severity};
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, StatementKind};
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "fts-reindex-after-upgrade",
        area: Area::Upgrade,
        severity: Severity::Info,
        fix: FixAvailability::None,
        summary: "A full-text search or pg_trgm index in an ICU or builtin-collation database: REINDEX it after pg_upgrade to 18",
        doc: include_str!("../../../rules/fts-reindex-after-upgrade.md"),
    },
    hooks: &[StatementKind::CreateIndex],
    check: Some(check),
    check_model: None,
    keywords: &[],
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let NodeEnum::IndexStmt(ix) = ctx.node else { return };
    // Only a live database says which collation provider it uses.
    let Some((db, _)) = ctx.schema.catalog.as_ref().and_then(|c| c.this_database.as_ref()) else { return };
    let provider = match db.locale_provider.as_str() {
        "i" => "ICU",
        "b" => "builtin",
        _ => return,
    };
    let lower = ctx.stmt_lower();
    let trgm = lower.contains("gin_trgm_ops") || lower.contains("gist_trgm_ops");
    let fts = lower.contains("to_tsvector")
        || ix.relation.as_ref().and_then(|r| ctx.schema.table(&crate::sql::tree::relation_key(r))).is_some_and(|t| {
            ix.index_params.iter().any(|p| match &p.node {
                Some(NodeEnum::IndexElem(e)) => t.column(&e.name).is_some_and(|c| c.type_name.last().is_some_and(|n| n == "tsvector")),
                _ => false,
            })
        });
    if !(trgm || fts) {
        return;
    }
    let what = if trgm { "pg_trgm" } else { "full-text search" };
    let span = ctx.ident_span(ctx.range.start, &ix.idxname, ctx.range.start..ctx.range.start + 1);
    let name = if ix.idxname.is_empty() { "this index".to_string() } else { ix.idxname.clone() };
    out.push(
        RULE.report(
            ctx.file,
            span,
            format!(
                "{what} index {name} in database {}, whose default collation provider is {provider}: REINDEX it after the upgrade",
                db.name
            ),
        )
        .help(concat!(
            target_name!(),
            " reads full-text search configuration and dictionaries, and pg_trgm splits words, with the \
             database's default collation provider (it was always libc before). With ICU or builtin, the same text can \
             give other lexemes or trigrams, so indexes built by the old server can miss rows: REINDEX them after pg_upgrade."
        ))
        .remedy(Remedy::new_cluster(format!("REINDEX INDEX CONCURRENTLY {};", index_name(ix))).in_database(&db.name)),
    );
}

/// The index as REINDEX names it: in its table's schema, when the statement names one (the
/// catalog's definitions always do).
pub(super) fn index_name(ix: &pg_query::protobuf::IndexStmt) -> String {
    match ix.relation.as_ref().map(|r| r.schemaname.as_str()) {
        Some(schema) if !schema.is_empty() => crate::quote::qualified(schema, &ix.idxname),
        _ => crate::quote::ident(&ix.idxname),
    }
}
