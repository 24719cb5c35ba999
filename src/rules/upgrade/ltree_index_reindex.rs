//! Indexes on ltree columns in a database that does not use libc with a single-byte encoding:
//! PostgreSQL 18.2 changed ltree's case folding in its index routines to the database's default
//! collation, so indexes built by an older server can miss entries until they are rebuilt.

use pg_query::NodeEnum;

use crate::diagnostic::{Diagnostic, Remedy, Severity};
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, StatementKind};
use crate::sql::tree;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "ltree-index-reindex",
        area: Area::Upgrade,
        severity: Severity::Warning,
        fix: FixAvailability::None,
        summary: "An index on an ltree column, in a database that is not libc with a single-byte encoding: REINDEX it after the upgrade",
        doc: include_str!("../../../rules/ltree-index-reindex.md"),
    },
    hooks: &[StatementKind::CreateIndex],
    check: Some(check),
    check_model: None,
    keywords: &[],
};

/// The server encodings whose characters take more than one byte (pg_wchar.h).
const MULTIBYTE: &[&str] = &["UTF8", "EUC_CN", "EUC_JP", "EUC_JIS_2004", "EUC_KR", "EUC_TW", "MULE_INTERNAL"];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let NodeEnum::IndexStmt(ix) = ctx.node else { return };
    // Only a live database says its provider and encoding, and holds indexes pg_upgrade keeps.
    let Some((db, _)) = ctx.schema.catalog.as_ref().and_then(|c| c.this_database.as_ref()) else { return };
    let multibyte = db.encoding.as_deref().is_none_or(|e| MULTIBYTE.contains(&e));
    if db.locale_provider == "c" && !multibyte {
        return;
    }
    let Some(table) = ix.relation.as_ref().and_then(|r| ctx.schema.table(&tree::relation_key(r))) else { return };
    let is_ltree = |column: &str| table.column(column).is_some_and(|c| c.type_name.last().is_some_and(|n| n == "ltree"));
    let on_ltree = ix.index_params.iter().any(|p| match &p.node {
        Some(NodeEnum::IndexElem(e)) if !e.name.is_empty() => is_ltree(&e.name),
        Some(NodeEnum::IndexElem(e)) => e.expr.as_ref().and_then(|x| x.node.as_ref()).is_some_and(|x| {
            x.nodes().into_iter().any(|(n, ..)| match n {
                pg_query::NodeRef::ColumnRef(c) => tree::names(&c.fields).last().is_some_and(|f| is_ltree(f)),
                _ => false,
            })
        }),
        _ => false,
    });
    if !on_ltree {
        return;
    }
    let why = match (db.locale_provider.as_str(), multibyte) {
        ("i", _) => "whose default collation provider is ICU",
        ("b", _) => "whose default collation provider is builtin",
        _ => "whose encoding is multibyte",
    };
    let span = ctx.ident_span(ctx.range.start, &ix.idxname, ctx.range.start..ctx.range.start + 1);
    out.push(
        RULE.report(
            ctx.file,
            span,
            format!("index {} on an ltree column in database {}, {why}: REINDEX it after the upgrade", ix.idxname, db.name),
        )
        .help(
            "PostgreSQL 18.2 made ltree's index routines fold case with the database's default collation, as its operators \
             always did; the two agreed only for libc with a single-byte encoding. An index built by the old server (pg_upgrade \
             keeps it as it is) can then miss matching entries, whatever its access method: rebuild it on the new cluster.",
        )
        .remedy(
            Remedy::new_cluster(format!("REINDEX INDEX CONCURRENTLY {};", super::fts_reindex_after_upgrade::index_name(ix)))
                .in_database(&db.name),
        ),
    );
}
