//! A publication column list that names a virtual generated column: PostgreSQL 18 refuses it.
//!
//! (This rule used to warn that a publication "stops replicating" virtual columns. Generated
//! columns were never published before 18 and `publish_generated_columns` defaults to none, so
//! nothing stops reaching a subscriber; what does fail is naming a virtual column in a column
//! list, checked on 18.6: 42P10.)

use pg_query::NodeEnum;
use pg_query::protobuf::PublicationObjSpecType;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::GeneratedKind;
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, StatementKind};
use crate::sql::tree;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "publication-virtual-generated-column",
        area: Area::Replication,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "A publication column list naming a virtual generated column: PostgreSQL 18 refuses it",
        doc: include_str!("../../../rules/publication-virtual-generated-column.md"),
    },
    hooks: &[StatementKind::CreatePublication, StatementKind::AlterPublication],
    check: Some(check),
    check_model: None,
    keywords: &[],
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let (pubname, objects) = match ctx.node {
        NodeEnum::CreatePublicationStmt(p) => (&p.pubname, &p.pubobjects),
        NodeEnum::AlterPublicationStmt(p) => (&p.pubname, &p.pubobjects),
        _ => return,
    };
    for o in objects {
        let Some(NodeEnum::PublicationObjSpec(spec)) = &o.node else { continue };
        if PublicationObjSpecType::try_from(spec.pubobjtype) != Ok(PublicationObjSpecType::PublicationobjTable) {
            continue;
        }
        let Some(pubtable) = spec.pubtable.as_ref() else { continue };
        let Some(rel) = pubtable.relation.as_ref() else { continue };
        let Some(table) = ctx.schema.table(&tree::relation_key(rel)) else { continue };
        for c in &pubtable.columns {
            let Some(NodeEnum::String(name)) = &c.node else { continue };
            let Some(column) = table.columns.iter().find(|col| col.name == name.sval) else { continue };
            if !column.generated.as_ref().is_some_and(|g| g.kind == GeneratedKind::Virtual) {
                continue;
            }
            let from = ctx.abs(rel.location);
            let span = ctx.ident_span(from, &name.sval, from..ctx.range.end);
            out.push(
                RULE.report(
                    ctx.file,
                    span,
                    format!(
                        "publication `{pubname}` lists `{}`, a virtual generated column of `{}`: PostgreSQL 18 refuses it (42P10)",
                        name.sval, table.key
                    ),
                )
                .help(
                    "Logical replication never sends virtual generated columns. Leave the column out of the list (a \
                     subscriber can compute it with its own generated column), or make it STORED and publish it with \
                     publish_generated_columns = stored — only if the subscriber's column is a plain column: replication \
                     into a generated column fails.",
                ),
            );
        }
    }
}
