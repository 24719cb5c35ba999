//! A materialized view or an index that calls a function whose body names relations,
//! functions or types outside `pg_catalog` without a schema, and that sets no search_path of
//! its own: since PostgreSQL 17 these maintenance operations run functions with
//! `search_path = pg_catalog, pg_temp`, where the names no longer resolve.

use pg_query::NodeEnum;
use pg_query::protobuf::ObjectType;

use crate::diagnostic::{Diagnostic, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, StatementKind};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "search-path-dependent-function",
        area: Area::Upgrade,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "A materialized view or index calls a function whose body depends on search_path: fails since PostgreSQL 17",
        doc: include_str!("../../../rules/search-path-dependent-function.md"),
    },
    hooks: &[StatementKind::CreateIndex],
    check: Some(check),
    check_model: None,
    keywords: &["materialized"],
};

/// The release that made maintenance operations use a safe search_path.
const SAFE_SEARCH_PATH_SINCE: u32 = 17;

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    if ctx.from >= SAFE_SEARCH_PATH_SINCE {
        return;
    }
    let (what, fails) = match ctx.node {
        NodeEnum::IndexStmt(_) => ("index", "CREATE INDEX (when the function is inlined or the table has rows), REINDEX and ANALYZE"),
        NodeEnum::CreateTableAsStmt(c) if ObjectType::try_from(c.objtype) == Ok(ObjectType::ObjectMatview) => {
            ("materialized view", "CREATE MATERIALIZED VIEW and REFRESH MATERIALIZED VIEW")
        }
        _ => return,
    };
    for call in &ctx.statement_facts().functions {
        for function in ctx.schema.functions_called(&call.name, call.nargs) {
            let unqualified = function.unqualified_references();
            let Some(first) = unqualified.first() else { continue };
            let name = call.name.join(".");
            let at = ctx.abs(call.location as i32);
            let span = at..(at + name.len()).min(ctx.range.end);
            // The advice names the schemas where these objects really are (the function's own
            // first), not `public`: a search_path or a qualification that misses them still fails.
            let own = function.schema.clone().unwrap_or_else(|| "public".into());
            let home = |u: &crate::model::Unqualified| -> Option<String> {
                use crate::model::Unqualified::{Function, Relation, Type};
                match u {
                    Relation(n) => ctx.schema.tables.keys().find_map(|k| k.strip_suffix(&format!(".{n}")).map(String::from)),
                    Function(n) => ctx.schema.functions.get(n).and_then(|fs| fs.iter().find_map(|f| f.schema.clone())),
                    Type(_) => None,
                }
            };
            let mut schemas = vec![own.clone()];
            for s in unqualified.iter().filter_map(home) {
                if !schemas.contains(&s) {
                    schemas.push(s);
                }
            }
            let path: Vec<String> = schemas.iter().map(|s| crate::quote::ident(s)).collect();
            let first_home = home(first).unwrap_or_else(|| own.clone());
            let fname = call.name.last().cloned().unwrap_or_default();
            let more = match unqualified.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            out.push(
                RULE.report(
                    ctx.file,
                    span,
                    format!(
                        "this {what} calls `{name}()`, whose body uses {first}{more} without a schema: it fails on {TARGET}, \
                         where {fails} run the function with search_path = pg_catalog, pg_temp"
                    ),
                )
                .help(format!(
                    "PostgreSQL {SAFE_SEARCH_PATH_SINCE} made maintenance operations (CREATE INDEX, REINDEX, CREATE and REFRESH \
                     MATERIALIZED VIEW, ANALYZE, VACUUM, CLUSTER) evaluate functions with a safe search_path. The {what} fails \
                     where the body runs (42P01 relation / 42883 function does not exist), and a restore of a dump fails the \
                     same way. Give the function its own search_path (`ALTER FUNCTION {} SET search_path = {}`, or \
                     `SET search_path = ...` in CREATE FUNCTION), or qualify the names in its body (`{}`).",
                    crate::quote::qualified(&own, &fname),
                    path.join(", "),
                    crate::quote::qualified(&first_home, first.name())
                )),
            );
        }
    }
}
