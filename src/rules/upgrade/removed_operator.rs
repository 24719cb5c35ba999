//! Operators PostgreSQL 14 removed that a statement still calls: the containment operators `@`
//! and `~` of the geometric types, cube, hstore, intarray and seg (long deprecated for `<@` and
//! `@>`), and the prefix factorial `!!`. On 18 each call fails with 42883 (operator does not
//! exist). Reported only where the operands' types are shown by the statement (casts, constants,
//! `ARRAY[...]`, columns of tables the model knows): `~` is also the regular-expression match,
//! and PostGIS keeps its own `@` and `~` for geometries.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, expr_type};
use crate::sql::tree;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "removed-operator",
        area: Area::Upgrade,
        severity: Severity::Error,
        fix: FixAvailability::Sometimes(Applicability::Safe),
        summary: "A call of an operator PostgreSQL 14 removed: `@` and `~` of geometric types, cube, hstore, intarray and seg, or the prefix factorial `!!`",
        doc: include_str!("../../../rules/removed-operator.md"),
    },
    hooks: &[],
    check: Some(check),
    check_model: None,
    keywords: &["@", "~", "!!"],
};

/// The release that removed them.
const REMOVED_IN: u32 = 14;

/// (operator, left type, right type, the operator that does the same since 9.x), as the real 13
/// lists them (with hstore, cube, intarray and seg installed) and 14 no longer does. Note the
/// two directions: for the geometric types `@` is "is contained by" (`<@`), for the contrib
/// types "contains" (`@>`).
pub const REMOVED: &[(&str, &str, &str, &str)] = &[
    ("@", "point", "circle", "<@"),
    ("@", "point", "box", "<@"),
    ("@", "point", "path", "<@"),
    ("@", "point", "polygon", "<@"),
    ("@", "point", "lseg", "<@"),
    ("@", "point", "line", "<@"),
    ("@", "lseg", "box", "<@"),
    ("@", "lseg", "line", "<@"),
    ("@", "box", "box", "<@"),
    ("@", "polygon", "polygon", "<@"),
    ("@", "circle", "circle", "<@"),
    ("@", "_int4", "_int4", "@>"),
    ("@", "hstore", "hstore", "@>"),
    ("@", "cube", "cube", "@>"),
    ("@", "seg", "seg", "@>"),
    ("~", "path", "point", "@>"),
    ("~", "box", "box", "@>"),
    ("~", "polygon", "point", "@>"),
    ("~", "polygon", "polygon", "@>"),
    ("~", "circle", "point", "@>"),
    ("~", "circle", "circle", "@>"),
    ("~", "_int4", "_int4", "<@"),
    ("~", "_aclitem", "aclitem", "@>"),
    ("~", "hstore", "hstore", "<@"),
    ("~", "cube", "cube", "<@"),
    ("~", "seg", "seg", "<@"),
];

/// The operand types of the prefix factorial `!!` (it took bigint; smaller integers were cast).
const FACTORIAL_OPERANDS: &[&str] = &["int2", "int4", "int8"];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    if ctx.from >= REMOVED_IN || !ctx.mentions_keyword_of(&RULE) {
        return;
    }
    let relations = tree::statement_relations(ctx.node);
    for n in tree::nodes_with_ddl_expressions(ctx.node) {
        let pg_query::NodeRef::AExpr(e) = n else { continue };
        let name = tree::names(&e.name);
        // Qualified (`OPERATOR(public.@)`) is somebody's own operator.
        let [op] = name.as_slice() else { continue };
        if !matches!(op.as_str(), "@" | "~" | "!!") || ctx.schema.operators.contains(op.as_str()) {
            continue;
        }
        let left = e.lexpr.as_ref().and_then(|x| x.node.as_ref());
        let Some(right) = e.rexpr.as_ref().and_then(|x| x.node.as_ref()) else { continue };
        let at = ctx.abs(e.location);
        let span = at..at + op.len();
        if ctx.text.get(span.clone()) != Some(op.as_str()) {
            continue;
        }
        let Some(left) = left else {
            // Prefix: `!! 5` was numeric_fac; `@ x` (absolute value) and `~ x` (bitwise not) remain.
            if op == "!!" && expr_type::of(ctx, &relations, right).is_some_and(|t| FACTORIAL_OPERANDS.contains(&t.as_str())) {
                out.push(
                    RULE.report(
                        ctx.file,
                        span,
                        format!("prefix !! (factorial) was removed in PostgreSQL {REMOVED_IN}: the call fails on {TARGET}"),
                    )
                    .help(format!(
                        "PostgreSQL {REMOVED_IN} removed the factorial operators `!` and `!!` and numeric_fac(); on {TARGET} this fails \
                             with 42883 (operator does not exist: !! integer). Write factorial(n), which every supported release has."
                    )),
                );
            }
            continue;
        };
        if op == "!!" {
            continue;
        }
        let lt = expr_type::of(ctx, &relations, left);
        let rt = expr_type::of(ctx, &relations, right);
        // Both sides known, or one known and the other an untyped literal that takes its type
        // from the operator: anything else may be a user's or PostGIS's own operator.
        let known = match (&lt, &rt) {
            (Some(_), Some(_)) => true,
            (Some(_), None) => expr_type::is_untyped_literal(right),
            (None, Some(_)) => expr_type::is_untyped_literal(left),
            (None, None) => false,
        };
        if !known {
            continue;
        }
        let fitting: Vec<&(&str, &str, &str, &str)> = REMOVED
            .iter()
            .filter(|(o, l, r, _)| *o == op && lt.as_deref().is_none_or(|t| t == *l) && rt.as_deref().is_none_or(|t| t == *r))
            .collect();
        if fitting.is_empty() {
            continue;
        }
        // An untyped literal takes the type of the one operator that fits, when only one does.
        let side = |known: &Option<String>, types: Vec<&str>| match known {
            Some(t) => expr_type::display(t),
            None if types.iter().all(|t| *t == types[0]) => expr_type::display(types[0]),
            None => "'...'".to_string(),
        };
        let ls = side(&lt, fitting.iter().map(|r| r.1).collect());
        let rs = side(&rt, fitting.iter().map(|r| r.2).collect());
        let mut d = RULE.report(
            ctx.file,
            span.clone(),
            format!("{ls} {op} {rs} was removed in PostgreSQL {REMOVED_IN}: the call fails on {TARGET}"),
        );
        // The operator that does the same, when every operator that fits agrees on it.
        match fitting.iter().all(|row| row.3 == fitting[0].3).then_some(fitting[0].3) {
            Some(new) => {
                d = d
                    .help(format!(
                        "PostgreSQL {REMOVED_IN} removed the deprecated containment operators `@` and `~` of the geometric types and of cube, \
                         hstore, intarray and seg; on {TARGET} this fails with 42883 (operator does not exist). `{new}` does the same \
                         with the same operands, on every supported release."
                    ))
                    .fix(format!("Write {new}"), Applicability::Safe, vec![Edit::replace(ctx.file, span, new.to_string())]);
            }
            None => {
                d = d.help(format!(
                    "PostgreSQL {REMOVED_IN} removed the deprecated containment operators `@` and `~`; on {TARGET} this fails with 42883. \
                     For the geometric types `a @ b` is `a <@ b` and `a ~ b` is `a @> b`; for cube, hstore, intarray and seg the \
                     other way round (`@` is `@>`, `~` is `<@`)."
                ));
            }
        }
        out.push(d);
    }
}
