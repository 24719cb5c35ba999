//! VACUUM/ANALYZE of an inheritance parent: PostgreSQL 18 also processes its children.

use pg_query::NodeEnum;

use crate::diagnostic::{Applicability, Diagnostic, Edit, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, Ctx, FixAvailability, ModelCtx, Rule, RuleMeta, StatementKind};
use crate::sql::tree;
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "vacuum-analyze-inheritance",
        area: Area::Upgrade,
        severity: Severity::Info,
        fix: FixAvailability::Sometimes(Applicability::Unsafe),
        summary: concat!("VACUUM/ANALYZE of a table with inheritance children also processes the children on ", target_name!()),
        doc: include_str!("../../../rules/vacuum-analyze-inheritance.md"),
    },
    hooks: &[StatementKind::Vacuum],
    check: Some(check),
    check_model: Some(check_model),
    keywords: &[],
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let NodeEnum::VacuumStmt(v) = ctx.node else { return };
    let verb = if v.is_vacuumcmd { "VACUUM" } else { "ANALYZE" };
    for r in &v.rels {
        let Some(NodeEnum::VacuumRelation(vr)) = &r.node else { continue };
        let Some(rel) = &vr.relation else { continue };
        if !rel.inh {
            continue; // already ONLY
        }
        let key = tree::relation_key(rel);
        let children = ctx.schema.inheritance_children(&ctx.schema.table(&key).map_or(key.clone(), |t| t.key.clone()));
        if children.is_empty() {
            continue;
        }
        let at = ctx.abs(rel.location);
        let names: Vec<&str> = children.iter().map(|t| t.key.as_str()).collect();
        out.push(
            RULE.report(
                ctx.file,
                at..at + rel.relname.len() + if rel.schemaname.is_empty() { 0 } else { rel.schemaname.len() + 1 },
                format!("{verb} {} now also processes its inheritance children ({})", rel.relname, names.join(", ")),
            )
            .help(format!(
                "PostgreSQL {TARGET} makes {verb} recurse into inheritance children, as it always did for partitions: this can \
                 take much longer. `{verb} ONLY {}` keeps the old behaviour (ONLY is new in 18).",
                rel.relname
            ))
            .fix(format!("Write {verb} ONLY"), Applicability::Unsafe, vec![Edit::insert(ctx.file, at, "ONLY ")]),
        );
    }
}

/// On a live server the maintenance scripts are not visible: report each inheritance parent once,
/// so that whoever runs VACUUM/ANALYZE on it knows it now covers the children.
fn check_model(m: &ModelCtx, out: &mut Vec<Diagnostic>) {
    if m.schema.catalog.is_none() {
        return;
    }
    // Children by parent, in one pass: asking for each table's children would be quadratic, and a
    // live schema can hold tens of thousands of tables.
    let mut children: std::collections::BTreeMap<&str, Vec<&str>> = std::collections::BTreeMap::new();
    for child in m.schema.tables.values().filter(|t| !t.is_partition) {
        for parent in &child.parents {
            children.entry(parent.as_str()).or_default().push(child.key.as_str());
        }
    }
    for parent in m.schema.tables.values() {
        let Some(names) = children.get(parent.key.as_str()) else { continue };
        let shown = crate::quote::dotted(&parent.key);
        let names: Vec<String> = names.iter().map(|n| crate::quote::dotted(n)).collect();
        out.push(
            RULE.report(
                parent.origin.file,
                parent.origin.span.clone(),
                format!("{shown} has inheritance children ({}): VACUUM and ANALYZE of it now process them too", names.join(", ")),
            )
            .help(format!(
                concat!(
                    target_name!(),
                    " makes VACUUM and ANALYZE recurse into inheritance children. Maintenance jobs that name `{}` \
                 will take longer; write `VACUUM ONLY {0}` / `ANALYZE ONLY {0}` (new in 18) for the old behaviour."
                ),
                shown
            )),
        );
    }
}
