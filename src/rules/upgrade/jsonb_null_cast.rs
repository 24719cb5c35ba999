//! A jsonb value cast to a scalar type (`(doc -> 'age')::int`): a JSON `null` made the cast fail
//! before 18 (22023, cannot cast jsonb null to type integer); PostgreSQL 18 gives SQL NULL. A
//! query, CHECK constraint or trigger that relied on the error now lets the row through.
//! Reported where the operand is known to be jsonb.

use crate::diagnostic::{Diagnostic, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, expr_type};
use crate::sql::tree;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "jsonb-null-cast",
        area: Area::Upgrade,
        severity: Severity::Info,
        fix: FixAvailability::None,
        summary: "A jsonb value cast to a scalar type: a JSON null was an error before PostgreSQL 18, and is NULL on 18",
        doc: include_str!("../../../rules/jsonb-null-cast.md"),
    },
    hooks: &[],
    check: Some(check),
    check_model: None,
    keywords: &["jsonb", "->", "#>"],
};

/// The release that made a JSON null cast to NULL.
const CHANGED_IN: u32 = 18;

/// The scalar types jsonb has casts to (pg_cast, castsource = jsonb).
const SCALAR_TYPES: &[&str] = &["bool", "numeric", "int2", "int4", "int8", "float4", "float8"];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    // A statement that tests jsonb_typeof() handles JSON nulls itself.
    if ctx.from >= CHANGED_IN || !ctx.mentions_keyword_of(&RULE) || ctx.stmt_lower().contains("jsonb_typeof") {
        return;
    }
    let relations = tree::statement_relations(ctx.node);
    for n in tree::nodes_with_ddl_expressions(ctx.node) {
        let pg_query::NodeRef::TypeCast(c) = n else { continue };
        let Some(t) = c.type_name.as_ref() else { continue };
        if !t.array_bounds.is_empty() {
            continue;
        }
        let Some(target) = tree::type_names(t).last().map(|n| crate::knowledge::canonical_type_name(n).to_string()) else { continue };
        if !SCALAR_TYPES.contains(&target.as_str()) {
            continue;
        }
        let Some(arg) = c.arg.as_ref().and_then(|a| a.node.as_ref()) else { continue };
        if expr_type::of(ctx, &relations, arg).as_deref() != Some("jsonb") {
            continue;
        }
        // A constant document that is not `null` itself cannot be a JSON null.
        if is_constant_not_null(arg) {
            continue;
        }
        let Some(span) = cast_span(ctx, c) else { continue };
        let target = expr_type::display(&target);
        out.push(
            RULE.report(
                ctx.file,
                span,
                format!("jsonb cast to {target}: a JSON null fails here before PostgreSQL {CHANGED_IN} and is NULL on {TARGET}"),
            )
            .help(format!(
                "Before {CHANGED_IN} the cast of a JSON null raised 22023 (cannot cast jsonb null to type {target}); {TARGET} returns \
                 SQL NULL instead. Nothing to change where a JSON null never reaches this cast; where the error was the check \
                 (a CHECK constraint, a validation query), test it explicitly: jsonb_typeof(x) <> 'null'."
            )),
        );
    }
}

/// Where the cast is written: its `::` or `CAST` keyword (the cast's own location).
fn cast_span(ctx: &Ctx, c: &pg_query::protobuf::TypeCast) -> Option<std::ops::Range<usize>> {
    if c.location < 0 {
        return None;
    }
    let at = ctx.abs(c.location);
    let token = crate::sql::tree::tokens(ctx.text, at..ctx.range.end).into_iter().next()?;
    Some(token.range)
}

/// `'12.5'::jsonb`: a jsonb constant whose value is not `null`.
fn is_constant_not_null(arg: &pg_query::NodeEnum) -> bool {
    let pg_query::NodeEnum::TypeCast(c) = arg else { return false };
    let Some(pg_query::NodeEnum::AConst(k)) = c.arg.as_ref().and_then(|a| a.node.as_ref()) else { return false };
    matches!(&k.val, Some(pg_query::protobuf::a_const::Val::Sval(s)) if !s.sval.trim().eq_ignore_ascii_case("null"))
}
