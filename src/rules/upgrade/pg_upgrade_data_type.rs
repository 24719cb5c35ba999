//! Columns of data types that make `pg_upgrade --check` fail: reg* types, aclitem (from 15 or
//! older), and system composite types — directly, or through domains, arrays, composite types
//! and ranges built on them.

use pg_query::NodeEnum;
use pg_query::protobuf::AlterTableType;

use crate::diagnostic::{Diagnostic, Remedy, Severity};
use crate::knowledge::{self, PG_UPGRADE_REFUSED_TYPES, catalog};
use crate::model::Schema;
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, StatementKind};
use crate::sql::tree;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "pg-upgrade-data-type",
        area: Area::Upgrade,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "A table column of a type pg_upgrade refuses (reg*, aclitem, system composite types), also through domains, arrays and composites",
        doc: include_str!("../../../rules/pg-upgrade-data-type.md"),
    },
    hooks: &[StatementKind::CreateTable, StatementKind::AlterTable],
    check: Some(check),
    check_model: None,
    keywords: &[],
};

/// Why pg_upgrade refuses `names` (a type as written), with the chain of user types leading there.
fn refused(schema: &Schema, names: &[String], from: u32, chain: &mut Vec<String>) -> Option<String> {
    let last = names.last()?;
    let qualified_elsewhere = names.len() > 1 && names[0] != "pg_catalog";
    // information_schema's row types are refused; its domains (sql_identifier...) are not.
    const INFORMATION_SCHEMA_DOMAINS: &[&str] = &["cardinal_number", "character_data", "sql_identifier", "time_stamp", "yes_or_no"];
    if names.len() > 1 && names[0] == "information_schema" && !INFORMATION_SCHEMA_DOMAINS.contains(&last.as_str()) {
        return Some(format!("the system composite type `information_schema.{last}` (its layout may change between releases)"));
    }
    let base = last.strip_prefix('_').filter(|b| knowledge::is_builtin_type(b)).unwrap_or(last);
    if !qualified_elsewhere && !schema.types.contains(base) {
        if let Some((t, newest, why)) = PG_UPGRADE_REFUSED_TYPES.iter().find(|(t, ..)| *t == base) {
            return (from <= *newest).then(|| format!("type `{t}` ({why})"));
        }
        if catalog::is_catalog_relation(base) && !knowledge::is_builtin_type_non_composite(base) {
            return Some(format!("the row type of system catalog `{base}` (its layout may change between releases)"));
        }
    }
    if chain.len() > 8 || chain.iter().any(|c| c == base) {
        return None;
    }
    let parts = schema.type_parts.get(base)?;
    chain.push(base.to_string());
    for p in parts {
        if let Some(why) = refused(schema, p, from, chain) {
            return Some(why);
        }
    }
    chain.pop();
    None
}

/// `span` is only computed for a column that is reported (it scans the statement's tokens).
fn report(
    ctx: &Ctx,
    out: &mut Vec<Diagnostic>,
    table: &str,
    column: &str,
    type_names: &[String],
    span: impl FnOnce() -> std::ops::Range<usize>,
) {
    let mut chain = Vec::new();
    let Some(why) = refused(ctx.schema, type_names, ctx.from, &mut chain) else { return };
    let span = span();
    let via = if chain.is_empty() { String::new() } else { format!(" (through {})", chain.join(" → ")) };
    let mut d = RULE.report(ctx.file, span, format!("column `{table}.{column}`{via} has {why}: pg_upgrade --check refuses it")).help(
        "pg_upgrade --check fails (\"Checking data type usage\"). Change the column to a portable type before \
             upgrading — text for reg* values (cast back with ::regclass etc. when reading), or drop it — or upgrade \
             with pg_dump/pg_restore instead.",
    );
    d.remedy = reg_round_trip(ctx, column, type_names, chain.is_empty());
    out.push(d);
}

/// A live table's reg* column: text keeps each value's name, which the new cluster reads back
/// into the type (the names resolve to the new cluster's OIDs): the column goes to text before
/// pg_upgrade and back after it. Only for a column of the type itself (not through a domain or
/// an array), in a catalog definition, whose statement names the table.
fn reg_round_trip(ctx: &Ctx, column: &str, type_names: &[String], direct: bool) -> Vec<Remedy> {
    let Some(catalog) = &ctx.schema.catalog else { return Vec::new() };
    let Some(reg) = type_names.last().filter(|t| t.starts_with("reg")) else { return Vec::new() };
    let NodeEnum::CreateStmt(c) = ctx.node else { return Vec::new() };
    let Some(rel) = c.relation.as_ref().filter(|r| !r.schemaname.is_empty()) else { return Vec::new() };
    let array = c.table_elts.iter().any(|e| {
        matches!(&e.node, Some(NodeEnum::ColumnDef(cd)) if cd.colname == column
            && cd.type_name.as_ref().is_some_and(|t| !t.array_bounds.is_empty()))
    });
    if !direct || array {
        return Vec::new();
    }
    let (table, col) = (crate::quote::qualified(&rel.schemaname, &rel.relname), crate::quote::ident(column));
    let db = catalog.this_database.as_ref().map(|(d, _)| d.name.clone());
    vec![
        Remedy::old(format!("ALTER TABLE {table} ALTER COLUMN {col} TYPE text USING {col}::text;")).in_database_if(db.clone()),
        Remedy::new_cluster(format!("ALTER TABLE {table} ALTER COLUMN {col} TYPE {reg} USING {col}::{reg};")).in_database_if(db),
    ]
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for &(table, column) in ctx.columns_defined_here() {
        let Some(last) = column.type_name.last() else { continue };
        let span = || ctx.ident_span(column.origin.span.end, last, column.origin.span.clone());
        report(ctx, out, &table.key, &column.name, &column.type_name, span);
    }
    // ALTER TABLE ... ALTER COLUMN ... TYPE
    if let NodeEnum::AlterTableStmt(a) = ctx.node {
        let Some(rel) = &a.relation else { return };
        for cmd in &a.cmds {
            let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node else { continue };
            if AlterTableType::try_from(cmd.subtype) != Ok(AlterTableType::AtAlterColumnType) {
                continue;
            }
            let Some(NodeEnum::ColumnDef(cd)) = cmd.def.as_ref().and_then(|d| d.node.as_ref()) else { continue };
            let Some(t) = &cd.type_name else { continue };
            let names = tree::type_names(t);
            let at = ctx.abs(t.location);
            let span = || at..at + names.last().map_or(1, String::len);
            report(ctx, out, &tree::relation_key(rel), &cmd.name, &names, span);
        }
    }
}
