//! A column an inheritance child made nullable while its parent keeps it NOT NULL: PostgreSQL 18
//! refuses the `DROP NOT NULL`, and pg_upgrade refuses a cluster that has one.

use pg_query::NodeEnum;
use pg_query::protobuf::AlterTableType;

use crate::diagnostic::{Diagnostic, Remedy, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, StatementKind};
use crate::sql::tree;
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "not-null-inheritance-inconsistent",
        area: Area::Upgrade,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "DROP NOT NULL on an inheritance child whose parent keeps the column NOT NULL: fails on 18, and pg_upgrade refuses it",
        doc: include_str!("../../../rules/not-null-inheritance-inconsistent.md"),
    },
    hooks: &[StatementKind::AlterTable],
    check: Some(check),
    check_model: None,
    keywords: &[],
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let NodeEnum::AlterTableStmt(a) = ctx.node else { return };
    let Some(rel) = &a.relation else { return };
    let Some(table) = ctx.schema.table(&tree::relation_key(rel)) else { return };
    if table.is_partition || table.parents.is_empty() {
        return;
    }
    // The `DROP NOT NULL` keywords of the statement, in order: one per command.
    let toks = tree::tokens(ctx.text, ctx.range.clone());
    let word = |i: usize| toks.get(i).map(|t| ctx.text[t.range.clone()].to_ascii_lowercase());
    let mut drops = (0..toks.len())
        .filter(|&i| word(i).as_deref() == Some("drop") && word(i + 1).as_deref() == Some("not") && word(i + 2).as_deref() == Some("null"))
        .map(|i| toks[i].range.start..toks[i + 2].range.end);
    for cmd in &a.cmds {
        let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node else { continue };
        if AlterTableType::try_from(cmd.subtype) != Ok(AlterTableType::AtDropNotNull) {
            continue;
        }
        let span = drops.next().unwrap_or(ctx.range.start..ctx.range.start + 1);
        let Some(parent) =
            table.parents.iter().filter_map(|p| ctx.schema.table(p)).find(|p| p.column(&cmd.name).is_some_and(|c| c.not_null))
        else {
            continue;
        };
        let child = table.key.clone();
        out.push(
            RULE.report(
                ctx.file,
                span,
                format!(
                    "`{child}.{}` is NOT NULL in its parent `{}`: PostgreSQL {TARGET} refuses to drop it in a child",
                    cmd.name, parent.key
                ),
            )
            .help(concat!(
                target_name!(),
                " stores NOT NULL as an inherited constraint: this fails with 42P16 (cannot drop inherited \
                 constraint), and pg_upgrade --check refuses an old cluster where a child has it dropped (\"Checking for \
                 not-null constraint inconsistencies\"). Keep the column NOT NULL in the child (fix any NULLs first), or \
                 drop NOT NULL on the parent, which applies to every child."
            ))
            .remedy(
                Remedy::old(format!(
                    "ALTER TABLE ONLY {} ALTER COLUMN {} SET NOT NULL;",
                    crate::quote::qualified(if rel.schemaname.is_empty() { "public" } else { &rel.schemaname }, &rel.relname),
                    crate::quote::ident(&cmd.name)
                ))
                .in_database_if(this_database(ctx)),
            ),
        );
    }
}

/// The audited database a catalog definition belongs to (None for files).
fn this_database(ctx: &Ctx) -> Option<String> {
    ctx.schema.catalog.as_ref().and_then(|c| c.this_database.as_ref()).map(|(d, _)| d.name.clone())
}
