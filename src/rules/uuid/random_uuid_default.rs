//! A column default that generates random (v4) UUIDs, where PostgreSQL 18's `uuidv7()` gives
//! time-ordered keys.

use pg_query::NodeEnum;
use pg_query::protobuf::{AlterTableType, ConstrType, Node};

use crate::diagnostic::{Applicability, Diagnostic, Edit, Severity};
use crate::knowledge::RANDOM_UUID_FUNCTIONS;
use crate::rules::{Ctx, FixAvailability, Hook, Rule, RuleMeta};
use crate::sql::tree::{self, expr_facts};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "uuid-random-default",
        area: "uuid",
        severity: Severity::Info,
        fix: FixAvailability::Always,
        summary: "A column default of gen_random_uuid()/uuid_generate_v4(): consider uuidv7() on PostgreSQL 18",
        doc: include_str!("../../../rules/uuid-random-default.md"),
    },
    hooks: &[Hook::CreateTable, Hook::AlterTable],
    check: Some(check),
};

fn is_primary_key(constraints: &[Node]) -> bool {
    constraints.iter().any(|c| {
        matches!(&c.node, Some(NodeEnum::Constraint(con)) if ConstrType::try_from(con.contype) == Ok(ConstrType::ConstrPrimary))
    })
}

fn check_default(ctx: &Ctx, out: &mut Vec<Diagnostic>, table: &str, column: &str, primary_key: bool, expr: &Node) {
    for call in expr_facts(expr).functions {
        let Some(name) = call.name.last() else { continue };
        if call.nargs != 0 || !RANDOM_UUID_FUNCTIONS.contains(&name.as_str()) {
            continue;
        }
        let start = ctx.range.start + call.location;
        // The call ends at the `)` that closes its (empty) argument list.
        let toks = tree::tokens(ctx.text, start..ctx.range.end);
        let Some(close) = toks.iter().find(|t| &ctx.text[t.range.clone()] == ")") else { continue };
        let written = call.name.join(".");
        let what = if primary_key { "primary key" } else { "column" };
        let d = Diagnostic::new(
            RULE.meta.id,
            RULE.meta.severity,
            ctx.file,
            start..close.range.end,
            format!("{what} `{table}.{column}` defaults to {written}(), a random (v4) UUID: PostgreSQL 18 has uuidv7()"),
        )
        .help(
            "uuidv7() values are time-ordered, so new rows land at the end of the index (fewer page splits, better cache \
             locality) instead of at random places. They embed their creation time: keep v4 where that must stay secret.",
        )
        .fix("Use uuidv7()", Applicability::Unsafe, vec![Edit::replace(ctx.file, start..close.range.end, "uuidv7()")]);
        out.push(d);
    }
}

fn column_default(ctx: &Ctx, out: &mut Vec<Diagnostic>, table: &str, cd: &pg_query::protobuf::ColumnDef) {
    let pk = is_primary_key(&cd.constraints);
    for c in &cd.constraints {
        if let Some(NodeEnum::Constraint(con)) = &c.node {
            if ConstrType::try_from(con.contype) == Ok(ConstrType::ConstrDefault) {
                if let Some(e) = &con.raw_expr {
                    check_default(ctx, out, table, &cd.colname, pk, e);
                }
            }
        }
    }
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    if !ctx.stmt_text().to_ascii_lowercase().contains("uuid") {
        return;
    }
    match ctx.node {
        NodeEnum::CreateStmt(c) => {
            let Some(rel) = &c.relation else { return };
            let key = tree::relation_key(rel);
            for elt in &c.table_elts {
                if let Some(NodeEnum::ColumnDef(cd)) = &elt.node {
                    column_default(ctx, out, &key, cd);
                }
            }
        }
        NodeEnum::AlterTableStmt(a) => {
            let Some(rel) = &a.relation else { return };
            let key = tree::relation_key(rel);
            for cmd in &a.cmds {
                let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node else { continue };
                let def = cmd.def.as_ref().and_then(|d| d.node.as_ref());
                match (AlterTableType::try_from(cmd.subtype), def) {
                    (Ok(AlterTableType::AtAddColumn), Some(NodeEnum::ColumnDef(cd))) => column_default(ctx, out, &key, cd),
                    (Ok(AlterTableType::AtColumnDefault), Some(_)) => {
                        let pk = false;
                        check_default(ctx, out, &key, &cmd.name, pk, cmd.def.as_ref().unwrap());
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}
