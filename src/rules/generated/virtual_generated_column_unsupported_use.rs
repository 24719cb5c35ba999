//! A virtual generated column used where PostgreSQL 18 refuses it: indexes, UNIQUE, PRIMARY
//! KEY, FOREIGN KEY and EXCLUDE constraints, extended statistics, partition keys.

use std::ops::Range;

use pg_query::NodeEnum;
use pg_query::protobuf::{AlterTableType, ConstrType, Constraint, Node};

use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::knowledge::target::TARGET;
use crate::model::{GeneratedKind, Table};
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, StatementKind, with_make_stored_fix};
use crate::sql::tree::{self, expr_facts};
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "virtual-generated-column-unsupported-use",
        area: Area::Generated,
        severity: Severity::Error,
        fix: FixAvailability::Sometimes(Applicability::Unsafe),
        summary: concat!("A virtual generated column in an index, key, constraint, statistics or partition key fails on ", target_name!()),
        doc: include_str!("../../../rules/virtual-generated-column-unsupported-use.md"),
    },
    hooks: &[StatementKind::CreateTable, StatementKind::AlterTable, StatementKind::CreateIndex, StatementKind::CreateStatistics],
    check: Some(check),
    check_model: None,
    keywords: &[],
};

/// `span` is only computed for a column that is reported (most scan the statement's tokens).
fn report(ctx: &Ctx, out: &mut Vec<Diagnostic>, table: &Table, column: &str, span: impl FnOnce() -> Range<usize>, what: &str) {
    let Some(col) = table.column(column) else { return };
    if what == "partition key" {
        return partition_key(ctx, out, table, col, span());
    }
    if col.generated.as_ref().is_none_or(|g| g.kind != GeneratedKind::Virtual) {
        return;
    }
    let span = span();
    let implicit = col.generated.as_ref().is_some_and(|g| !g.explicit);
    let d = RULE
        .report(
            ctx.file,
            span,
            format!(
                "{what} uses virtual generated column `{}.{}`{}: PostgreSQL {TARGET} does not support this",
                crate::quote::dotted(&table.key),
                crate::quote::name(&col.name),
                if implicit { " (virtual by default: no STORED)" } else { "" }
            ),
        )
        .help(format!(
            "PostgreSQL {TARGET} refuses {what_plural} on virtual generated columns (SQLSTATE 0A000). Make `{}` STORED where it \
         is defined, or use the generation expression itself instead of the column.",
            col.name,
            what_plural = plural(what)
        ));
    out.push(with_make_stored_fix(d, col));
}

/// No release accepts a generated column (of either kind) in a partition key (42P17), so
/// making the column STORED is no fix: the key must use the columns the expression reads.
fn partition_key(ctx: &Ctx, out: &mut Vec<Diagnostic>, table: &Table, col: &crate::model::Column, span: Range<usize>) {
    let Some(g) = &col.generated else { return };
    let kind = if g.kind == GeneratedKind::Virtual { "virtual" } else { "stored" };
    out.push(
        RULE.report(ctx.file,
            span,
            format!(
                "partition key uses {kind} generated column `{}.{}`: PostgreSQL does not support this",
                crate::quote::dotted(&table.key),
                crate::quote::name(&col.name)
            ),
        )
        .help("PostgreSQL refuses generated columns in a partition key (SQLSTATE 42P17), stored or virtual. Partition by the columns the generation expression reads, or by that expression."),
    );
}

fn plural(what: &str) -> &'static str {
    match what.split_whitespace().next().unwrap_or("") {
        "index" => "indexes",
        "UNIQUE" => "unique constraints",
        "PRIMARY" => "primary keys",
        "FOREIGN" => "foreign keys",
        "EXCLUDE" => "exclusion constraints",
        "statistics" => "extended statistics",
        _ => "partition keys",
    }
}

fn constraint_label(con: &Constraint) -> Option<&'static str> {
    Some(match ConstrType::try_from(con.contype).ok()? {
        ConstrType::ConstrPrimary => "PRIMARY KEY",
        ConstrType::ConstrUnique => "UNIQUE constraint",
        ConstrType::ConstrForeign => "FOREIGN KEY",
        ConstrType::ConstrExclusion => "EXCLUDE constraint",
        _ => return None,
    })
}

/// A constraint on a column, written in the column's own definition.
fn column_constraints(ctx: &Ctx, out: &mut Vec<Diagnostic>, table: &Table, column: &str, constraints: &[Node]) {
    for c in constraints {
        let Some(NodeEnum::Constraint(con)) = &c.node else { continue };
        if let Some(label) = constraint_label(con) {
            let at = ctx.abs(con.location);
            let span = || at..tree::tokens(ctx.text, at..ctx.range.end).get(1).map_or(at + 1, |t| t.range.end);
            report(ctx, out, table, column, span, label);
        }
    }
}

/// A table constraint (`UNIQUE (a, b)`, `FOREIGN KEY (a) REFERENCES ...`).
fn table_constraint(ctx: &Ctx, out: &mut Vec<Diagnostic>, table: &Table, con: &Constraint) {
    let Some(label) = constraint_label(con) else { return };
    let at = ctx.abs(con.location);
    let mut columns = tree::names(&con.keys);
    columns.extend(tree::names(&con.fk_attrs));
    columns.extend(tree::names(&con.including));
    for ex in &con.exclusions {
        if let Some(NodeEnum::List(l)) = &ex.node
            && let Some(NodeEnum::IndexElem(e)) = l.items.first().and_then(|n| n.node.as_ref())
        {
            columns.push(e.name.clone());
        }
    }
    for name in columns.iter().filter(|n| !n.is_empty()) {
        report(ctx, out, table, name, || ctx.ident_span(at, name, at..at + 1), label);
    }
}

fn expr_columns(ctx: &Ctx, out: &mut Vec<Diagnostic>, table: &Table, expr: &Node, what: &str) {
    for (name, loc) in expr_facts(expr).columns {
        let at = ctx.range.start + loc;
        report(ctx, out, table, &name, || at..at + name.len(), what);
    }
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    match ctx.node {
        NodeEnum::IndexStmt(idx) => {
            let Some(rel) = &idx.relation else { return };
            let Some(table) = ctx.schema.table(&tree::relation_key(rel)) else { return };
            let what = if idx.idxname.is_empty() { "index".to_string() } else { format!("index `{}`", idx.idxname) };
            let after_table = ctx.abs(rel.location);
            for p in idx.index_params.iter().chain(&idx.index_including_params) {
                let Some(NodeEnum::IndexElem(e)) = &p.node else { continue };
                if !e.name.is_empty() {
                    let span = || ctx.ident_span(after_table + rel.relname.len(), &e.name, after_table..after_table + 1);
                    report(ctx, out, table, &e.name, span, &what);
                }
                if let Some(expr) = &e.expr {
                    expr_columns(ctx, out, table, expr, &what);
                }
            }
            if let Some(w) = &idx.where_clause {
                expr_columns(ctx, out, table, w, &what);
            }
        }
        NodeEnum::CreateStatsStmt(s) => {
            let Some(NodeEnum::RangeVar(rel)) = s.relations.first().and_then(|r| r.node.as_ref()) else { return };
            let Some(table) = ctx.schema.table(&tree::relation_key(rel)) else { return };
            for e in &s.exprs {
                let Some(NodeEnum::StatsElem(e)) = &e.node else { continue };
                if !e.name.is_empty() {
                    let span = || ctx.ident_span(ctx.range.start, &e.name, ctx.range.start..ctx.range.start + 1);
                    report(ctx, out, table, &e.name, span, "statistics object");
                }
                if let Some(expr) = &e.expr {
                    expr_columns(ctx, out, table, expr, "statistics object");
                }
            }
        }
        NodeEnum::CreateStmt(c) => {
            let Some(rel) = &c.relation else { return };
            let Some(table) = ctx.schema.table(&tree::relation_key(rel)) else { return };
            for elt in &c.table_elts {
                match &elt.node {
                    Some(NodeEnum::ColumnDef(cd)) => column_constraints(ctx, out, table, &cd.colname, &cd.constraints),
                    Some(NodeEnum::Constraint(con)) => table_constraint(ctx, out, table, con),
                    _ => {}
                }
            }
            for con in &c.constraints {
                if let Some(NodeEnum::Constraint(con)) = &con.node {
                    table_constraint(ctx, out, table, con);
                }
            }
            if let Some(spec) = &c.partspec {
                for p in &spec.part_params {
                    let Some(NodeEnum::PartitionElem(pe)) = &p.node else { continue };
                    if !pe.name.is_empty() {
                        let at = ctx.abs(pe.location);
                        report(ctx, out, table, &pe.name, || at..at + pe.name.len(), "partition key");
                    }
                    if let Some(expr) = &pe.expr {
                        expr_columns(ctx, out, table, expr, "partition key");
                    }
                }
            }
        }
        NodeEnum::AlterTableStmt(a) => {
            let Some(rel) = &a.relation else { return };
            let Some(table) = ctx.schema.table(&tree::relation_key(rel)) else { return };
            for cmd in &a.cmds {
                let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node else { continue };
                let def = cmd.def.as_ref().and_then(|d| d.node.as_ref());
                match (AlterTableType::try_from(cmd.subtype), def) {
                    (Ok(AlterTableType::AtAddConstraint), Some(NodeEnum::Constraint(con))) => table_constraint(ctx, out, table, con),
                    (Ok(AlterTableType::AtAddColumn), Some(NodeEnum::ColumnDef(cd))) => {
                        column_constraints(ctx, out, table, &cd.colname, &cd.constraints)
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}
