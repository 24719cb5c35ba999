//! A column default that generates random (v4) UUIDs, where PostgreSQL 18's `uuidv7()` gives
//! time-ordered keys.

use pg_query::NodeEnum;
use pg_query::protobuf::{AlterTableType, ConstrType, Node};

use crate::diagnostic::{Applicability, Diagnostic, Edit, Severity};
use crate::knowledge::RANDOM_UUID_FUNCTIONS;
use crate::knowledge::target::TARGET;
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, StatementKind};
use crate::sql::tree::{self, expr_facts};
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "uuid-random-default",
        area: Area::Uuid,
        severity: Severity::Info,
        fix: FixAvailability::Always,
        summary: concat!(
            "A primary or unique key defaulting to gen_random_uuid()/uuid_generate_v4(): consider uuidv7() on ",
            target_name!()
        ),
        doc: include_str!("../../../rules/uuid-random-default.md"),
    },
    hooks: &[StatementKind::CreateTable, StatementKind::AlterTable],
    check: Some(check),
    check_model: None,
    keywords: &[],
};

/// How the column is keyed in its own statement: a primary key, a unique key, or not at all.
/// Only keyed columns are reported: index locality is what uuidv7() improves.
fn key_kind(column: &str, constraints: &[Node], table_constraints: &[&pg_query::protobuf::Constraint]) -> Option<&'static str> {
    let kind = |con: &pg_query::protobuf::Constraint| match ConstrType::try_from(con.contype) {
        Ok(ConstrType::ConstrPrimary) => Some("primary key"),
        Ok(ConstrType::ConstrUnique) => Some("unique key"),
        _ => None,
    };
    constraints
        .iter()
        .filter_map(|c| match &c.node {
            Some(NodeEnum::Constraint(con)) => kind(con),
            _ => None,
        })
        .chain(
            table_constraints.iter().filter(|con| tree::names(&con.keys).first().is_some_and(|k| k == column)).filter_map(|con| kind(con)),
        )
        .min()
}

fn check_default(ctx: &Ctx, out: &mut Vec<Diagnostic>, table: &str, column: &str, key: &str, expr: &Node) {
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
        let what = key;
        let d = RULE
            .report(
                ctx.file,
                start..close.range.end,
                format!("{what} `{table}.{column}` defaults to {written}(), a random (v4) UUID: PostgreSQL {TARGET} has uuidv7()"),
            )
            .help(
                "uuidv7() values are time-ordered, so new rows land at the end of the index (fewer page splits, better cache \
             locality) instead of at random places. They embed their creation time: keep v4 where that must stay secret.",
            )
            .fix("Use uuidv7()", Applicability::Unsafe, vec![Edit::replace(ctx.file, start..close.range.end, "uuidv7()")]);
        out.push(d);
    }
}

fn column_default(
    ctx: &Ctx,
    out: &mut Vec<Diagnostic>,
    table: &str,
    cd: &pg_query::protobuf::ColumnDef,
    table_constraints: &[&pg_query::protobuf::Constraint],
) {
    let Some(key) = key_kind(&cd.colname, &cd.constraints, table_constraints) else { return };
    for c in &cd.constraints {
        if let Some(NodeEnum::Constraint(con)) = &c.node
            && ConstrType::try_from(con.contype) == Ok(ConstrType::ConstrDefault)
            && let Some(e) = &con.raw_expr
        {
            check_default(ctx, out, table, &cd.colname, key, e);
        }
    }
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    if !ctx.stmt_lower().contains("uuid") {
        return;
    }
    match ctx.node {
        NodeEnum::CreateStmt(c) => {
            let Some(rel) = &c.relation else { return };
            let key = tree::relation_key(rel);
            let table_constraints: Vec<&pg_query::protobuf::Constraint> = c
                .table_elts
                .iter()
                .chain(&c.constraints)
                .filter_map(|e| match &e.node {
                    Some(NodeEnum::Constraint(con)) => Some(con.as_ref()),
                    _ => None,
                })
                .collect();
            for elt in &c.table_elts {
                if let Some(NodeEnum::ColumnDef(cd)) = &elt.node {
                    column_default(ctx, out, &key, cd, &table_constraints);
                }
            }
        }
        NodeEnum::AlterTableStmt(a) => {
            let Some(rel) = &a.relation else { return };
            let key = tree::relation_key(rel);
            for cmd in &a.cmds {
                let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node else { continue };
                let def = cmd.def.as_ref().and_then(|d| d.node.as_ref());
                if let (Ok(AlterTableType::AtAddColumn), Some(NodeEnum::ColumnDef(cd))) = (AlterTableType::try_from(cmd.subtype), def) {
                    column_default(ctx, out, &key, cd, &[])
                }
            }
        }
        _ => {}
    }
}
