//! Foreign keys whose two sides use different collations, one of them nondeterministic:
//! PostgreSQL 18 refuses them, so restoring an older schema that has one fails.

use pg_query::NodeEnum;
use pg_query::protobuf::{AlterTableType, ConstrType, Constraint};

use crate::diagnostic::{Diagnostic, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, StatementKind};
use crate::sql::tree;
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "fk-nondeterministic-collation",
        area: Area::Upgrade,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: concat!(
            "A foreign key whose columns and referenced columns use different collations, one nondeterministic: refused by ",
            target_name!()
        ),
        doc: include_str!("../../../rules/fk-nondeterministic-collation.md"),
    },
    hooks: &[StatementKind::CreateTable, StatementKind::AlterTable],
    check: Some(check),
    check_model: None,
    keywords: &[],
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    if ctx.schema.collations.values().all(|deterministic| *deterministic) {
        return; // no nondeterministic collation anywhere: nothing to compare
    }
    let (rel, fks): (_, Vec<(&Constraint, Vec<String>)>) = match ctx.node {
        NodeEnum::CreateStmt(c) => {
            let mut fks = Vec::new();
            for elt in c.table_elts.iter().chain(&c.constraints) {
                match &elt.node {
                    Some(NodeEnum::ColumnDef(cd)) => {
                        for con in foreign_keys(&cd.constraints) {
                            fks.push((con, vec![cd.colname.clone()]));
                        }
                    }
                    Some(NodeEnum::Constraint(con)) if is_fk(con) => fks.push((con.as_ref(), tree::names(&con.fk_attrs))),
                    _ => {}
                }
            }
            (c.relation.as_ref(), fks)
        }
        NodeEnum::AlterTableStmt(a) => {
            let mut fks = Vec::new();
            for cmd in &a.cmds {
                let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node else { continue };
                match (AlterTableType::try_from(cmd.subtype), cmd.def.as_ref().and_then(|d| d.node.as_ref())) {
                    (Ok(AlterTableType::AtAddConstraint), Some(NodeEnum::Constraint(con))) if is_fk(con) => {
                        fks.push((con.as_ref(), tree::names(&con.fk_attrs)))
                    }
                    (Ok(AlterTableType::AtAddColumn), Some(NodeEnum::ColumnDef(cd))) => {
                        for con in foreign_keys(&cd.constraints) {
                            fks.push((con, vec![cd.colname.clone()]));
                        }
                    }
                    _ => {}
                }
            }
            (a.relation.as_ref(), fks)
        }
        _ => return,
    };
    let Some(table) = rel.and_then(|r| ctx.schema.table(&tree::relation_key(r))) else { return };
    for (con, fk_cols) in fks {
        let Some(target) = con.pktable.as_ref().and_then(|p| ctx.schema.table(&tree::relation_key(p))) else { continue };
        let pk_cols = match tree::names(&con.pk_attrs) {
            cols if !cols.is_empty() => cols,
            _ => target.primary_key.clone(),
        };
        for (fk, pk) in fk_cols.iter().zip(&pk_cols) {
            let (Some(from), Some(to)) = (table.column(fk), target.column(pk)) else { continue };
            let a = from.collation.clone().unwrap_or_else(|| "default".into());
            let b = to.collation.clone().unwrap_or_else(|| "default".into());
            let nondeterministic = |c: &str| ctx.schema.collations.get(c) == Some(&false);
            if a == b || !(nondeterministic(&a) || nondeterministic(&b)) {
                continue;
            }
            let at = ctx.abs(con.location);
            let word = ctx.text[at..ctx.range.end].find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(0).max(1);
            let which = if nondeterministic(&a) { &a } else { &b };
            out.push(
                RULE.report(ctx.file,
                    at..at + word,
                    format!(
                        "foreign key `{}.{fk}` → `{}.{pk}` compares collations \"{a}\" and \"{b}\", and \"{which}\" is nondeterministic: PostgreSQL {TARGET} refuses it",
                        table.key, target.key
                    ),
                )
                .help(
                    concat!(target_name!(), " requires both sides of a foreign key to use the same collation when either is \
                     nondeterministic (42804, foreign key constraint cannot be implemented): the old behaviour could let \
                     the key and the referenced row disagree. pg_upgrade --check does not see it, but restoring the schema \
                     on 18 fails. Give both columns the same collation (ALTER TABLE ... ALTER COLUMN ... TYPE text COLLATE ...)."),
                ),
            );
        }
    }
}

fn is_fk(con: &Constraint) -> bool {
    ConstrType::try_from(con.contype) == Ok(ConstrType::ConstrForeign)
}

fn foreign_keys(constraints: &[pg_query::protobuf::Node]) -> impl Iterator<Item = &Constraint> {
    constraints.iter().filter_map(|c| match &c.node {
        Some(NodeEnum::Constraint(con)) if is_fk(con) => Some(con.as_ref()),
        _ => None,
    })
}
