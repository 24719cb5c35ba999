//! Columns of data types that make `pg_upgrade --check` fail: reg* types, aclitem (from 15 or
//! older), and system composite types — directly, or through domains, arrays, composite types
//! and ranges built on them. pg_upgrade reads the columns of tables, materialized views and
//! indexes; a query's column (CREATE TABLE AS, a materialized view) and an index expression have
//! a type only where the statement shows it: a cast, or a column of a table the model knows.

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
        summary: "A column of a table, materialized view or index of a type pg_upgrade refuses (reg*, aclitem, system composite types), also through domains, arrays and composites",
        doc: include_str!("../../../rules/pg-upgrade-data-type.md"),
    },
    hooks: &[StatementKind::CreateTable, StatementKind::AlterTable, StatementKind::CreateTableAs, StatementKind::CreateIndex],
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
    let mut d = RULE
        .report(
            ctx.file,
            span,
            format!(
                "column `{}.{}`{via} has {why}: pg_upgrade --check refuses it",
                crate::quote::dotted(table),
                crate::quote::name(column)
            ),
        )
        .help(
            "pg_upgrade --check fails (\"Checking data type usage\"). Change the column to a portable type before \
             upgrading — text for reg* values (cast back with ::regclass etc. when reading), or drop it — or upgrade \
             with pg_dump/pg_restore instead.",
        );
    d.remedy = reg_round_trip(ctx, column, type_names, chain.is_empty());
    out.push(d);
}

/// A materialized view's (or CREATE TABLE AS's) or an index's column: the same refusal, with the
/// remedy pg_upgrade leaves: drop it before, create it again after (its content is derived).
/// Whether it reported.
fn report_derived(ctx: &Ctx, out: &mut Vec<Diagnostic>, what: &Derived, column: &str, type_names: &[String], at: usize) -> bool {
    let mut chain = Vec::new();
    let Some(why) = refused(ctx.schema, type_names, ctx.from, &mut chain) else { return false };
    let last = type_names.last().map_or("", String::as_str);
    let span = ctx.ident_span(at, last, at..at + 1);
    let via = if chain.is_empty() { String::new() } else { format!(" (through {})", chain.join(" → ")) };
    let (noun, name, drop) = match what {
        Derived::Table(name) => ("table", name.clone(), None),
        Derived::Matview(name, q) => ("materialized view", name.clone(), Some(format!("DROP MATERIALIZED VIEW {q};"))),
        Derived::Index(name, q) => ("index", name.clone(), q.as_ref().map(|q| format!("DROP INDEX {q};"))),
    };
    let help = match what {
        Derived::Table(_) => {
            "pg_upgrade --check fails (\"Checking data type usage\"). Cast the value to text in the query \
             (cast back with ::regproc etc. when reading), or drop the table before upgrading."
        }
        _ => {
            "pg_upgrade --check fails (\"Checking data type usage\"): it reads the columns of indexes and materialized \
             views too. Drop it before the upgrade and create it again after (its content is derived from the tables), \
             or cast to text in its definition."
        }
    };
    let mut d = RULE
        .report(
            ctx.file,
            span,
            format!("{noun} `{name}`: column `{}`{via} has {why}: pg_upgrade --check refuses it", crate::quote::name(column)),
        )
        .help(help);
    // On a live server the statement is the object's own definition: it can be made again as is.
    if let (Some(catalog), Some(drop)) = (&ctx.schema.catalog, drop) {
        let db = catalog.this_database.as_ref().map(|(d, _)| d.name.clone());
        let create = ctx.text[ctx.range.clone()].trim().trim_end_matches(';').to_string();
        d.remedy = vec![Remedy::old(drop).in_database_if(db.clone()), Remedy::new_cluster(format!("{create};")).in_database_if(db)];
    }
    out.push(d);
    true
}

/// What a derived column belongs to: its name as a message shows it, and as a statement of the
/// remediation script names it.
enum Derived {
    /// CREATE TABLE ... AS.
    Table(String),
    Matview(String, String),
    /// An unnamed index (files only) has no name to drop it by.
    Index(String, Option<String>),
}

/// The type of a query's output column, where the statement shows it: a cast, or a column of a
/// table the model knows (named with its table, or the only table of the FROM list).
fn output_type(ctx: &Ctx, select: &pg_query::protobuf::SelectStmt, expr: &NodeEnum) -> Option<Vec<String>> {
    match expr {
        NodeEnum::TypeCast(c) => c.type_name.as_ref().map(tree::type_names),
        NodeEnum::ColumnRef(c) => {
            let fields = tree::names(&c.fields);
            // The FROM list of this query only; unqualified, a column is one of its single item.
            if fields.len() == 1 && select.from_clause.len() != 1 {
                return None;
            }
            let from: Vec<tree::NamedRelation> = select
                .from_clause
                .iter()
                .filter_map(|f| match &f.node {
                    Some(NodeEnum::RangeVar(r)) => Some(tree::NamedRelation::of(r)),
                    _ => None,
                })
                .collect();
            let (rel, column) = tree::column_relation(&fields, &from)?;
            let rel = rel.relation;
            let table = ctx.schema.table(&tree::relation_key(rel))?;
            Some(table.column(column)?.type_name.clone())
        }
        _ => None,
    }
}

fn check_derived(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    match ctx.node {
        NodeEnum::CreateTableAsStmt(c) => {
            let Some(into) = c.into.as_ref() else { return };
            let Some(rel) = into.rel.as_ref() else { return };
            let Some(NodeEnum::SelectStmt(select)) = c.query.as_ref().and_then(|q| q.node.as_ref()) else { return };
            let name = crate::quote::dotted(&tree::relation_key(rel));
            let what = if pg_query::protobuf::ObjectType::try_from(c.objtype) == Ok(pg_query::protobuf::ObjectType::ObjectMatview) {
                Derived::Matview(
                    name,
                    crate::quote::qualified(if rel.schemaname.is_empty() { "public" } else { &rel.schemaname }, &rel.relname),
                )
            } else {
                Derived::Table(name)
            };
            let renamed: Vec<String> = into
                .col_names
                .iter()
                .filter_map(|n| match &n.node {
                    Some(NodeEnum::String(s)) => Some(s.sval.clone()),
                    _ => None,
                })
                .collect();
            for (i, t) in select.target_list.iter().enumerate() {
                let Some(NodeEnum::ResTarget(r)) = &t.node else { continue };
                let Some(expr) = r.val.as_ref().and_then(|v| v.node.as_ref()) else { continue };
                let Some(type_names) = output_type(ctx, select, expr) else { continue };
                let column = renamed.get(i).cloned().or_else(|| (!r.name.is_empty()).then(|| r.name.clone())).unwrap_or_else(|| {
                    match expr {
                        NodeEnum::ColumnRef(c) => c.fields.last().and_then(|f| match &f.node {
                            Some(NodeEnum::String(s)) => Some(s.sval.clone()),
                            _ => None,
                        }),
                        _ => None,
                    }
                    .unwrap_or_else(|| "?column?".to_string())
                });
                // The refused type's name, or the column, is where the finding points.
                let at = match expr {
                    NodeEnum::TypeCast(c) => c.type_name.as_ref().map_or(r.location, |t| t.location),
                    _ => r.location,
                };
                // One finding per object: pg_upgrade lists the object once.
                if report_derived(ctx, out, &what, &column, &type_names, ctx.abs(at)) {
                    return;
                }
            }
        }
        NodeEnum::IndexStmt(ix) => {
            // A plain column's index is refused with its table, which is reported already.
            for elem in &ix.index_params {
                let Some(NodeEnum::IndexElem(e)) = &elem.node else { continue };
                let Some(NodeEnum::TypeCast(c)) = e.expr.as_ref().and_then(|x| x.node.as_ref()) else { continue };
                let Some(t) = &c.type_name else { continue };
                let Some(rel) = &ix.relation else { return };
                let schema = if rel.schemaname.is_empty() { "public" } else { rel.schemaname.as_str() };
                let (name, quoted) = if ix.idxname.is_empty() {
                    (format!("on {}", crate::quote::dotted(&tree::relation_key(rel))), None)
                } else {
                    (crate::quote::dotted(&format!("{schema}.{}", ix.idxname)), Some(crate::quote::qualified(schema, &ix.idxname)))
                };
                if report_derived(ctx, out, &Derived::Index(name, quoted), "expr", &tree::type_names(t), ctx.abs(t.location)) {
                    return;
                }
            }
        }
        _ => {}
    }
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
    if matches!(ctx.node, NodeEnum::CreateTableAsStmt(_) | NodeEnum::IndexStmt(_)) {
        return check_derived(ctx, out);
    }
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
