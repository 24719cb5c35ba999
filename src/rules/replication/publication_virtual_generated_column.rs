//! A publication of a table with virtual generated columns: their values are not replicated.

use pg_query::NodeEnum;
use pg_query::protobuf::PublicationObjSpecType;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{GeneratedKind, Table};
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, StatementKind};
use crate::sql::tree;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "publication-virtual-generated-column",
        area: Area::Replication,
        severity: Severity::Warning,
        fix: FixAvailability::None,
        summary: "A publication of a table with virtual generated columns: logical replication does not send them",
        doc: include_str!("../../../rules/publication-virtual-generated-column.md"),
    },
    hooks: &[StatementKind::CreatePublication],
    check: Some(check),
    check_model: None,
    keywords: &[],
};

fn virtual_columns(t: &Table) -> Vec<&str> {
    t.columns.iter().filter(|c| c.generated.as_ref().is_some_and(|g| g.kind == GeneratedKind::Virtual)).map(|c| c.name.as_str()).collect()
}

fn report(ctx: &Ctx, out: &mut Vec<Diagnostic>, span: std::ops::Range<usize>, pubname: &str, t: &Table) {
    let cols = virtual_columns(t);
    if cols.is_empty() {
        return;
    }
    out.push(
        RULE.report(
            ctx.file,
            span,
            format!(
                "publication `{pubname}` publishes `{}`, whose virtual generated column(s) {} are not replicated",
                t.key,
                cols.join(", ")
            ),
        )
        .help(HELP),
    );
}

const HELP: &str = "Logical replication sends stored generated columns at most (publish_generated_columns = stored), \
    never virtual ones. Subscribers compute their own value if their column is generated, or get NULL. Make the column \
    STORED if its value must reach subscribers.";

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let NodeEnum::CreatePublicationStmt(p) = ctx.node else { return };
    if p.for_all_tables {
        // One finding per publication, naming every affected table.
        let span = ctx.ident_span(ctx.range.start, &p.pubname, ctx.range.start..ctx.range.start + 1);
        let affected: Vec<String> = ctx
            .schema
            .tables
            .values()
            .filter(|t| !virtual_columns(t).is_empty())
            .map(|t| format!("{} ({})", t.key, virtual_columns(t).join(", ")))
            .collect();
        if !affected.is_empty() {
            out.push(
                RULE.report(
                    ctx.file,
                    span,
                    format!(
                        "publication `{}` (FOR ALL TABLES) does not replicate virtual generated columns of {}",
                        p.pubname,
                        affected.join(", ")
                    ),
                )
                .help(HELP),
            );
        }
        return;
    }
    for o in &p.pubobjects {
        let Some(NodeEnum::PublicationObjSpec(spec)) = &o.node else { continue };
        if PublicationObjSpecType::try_from(spec.pubobjtype) != Ok(PublicationObjSpecType::PublicationobjTable) {
            continue;
        }
        let Some(rel) = spec.pubtable.as_ref().and_then(|t| t.relation.as_ref()) else { continue };
        // An explicit column list that leaves the virtual columns out says what it means.
        if spec.pubtable.as_ref().is_some_and(|t| !t.columns.is_empty()) {
            continue;
        }
        if let Some(t) = ctx.schema.table(&tree::relation_key(rel)) {
            let at = ctx.abs(rel.location);
            report(ctx, out, at..at + rel.relname.len(), &p.pubname, t);
        }
    }
}
