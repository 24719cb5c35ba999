//! A virtual generated column whose type, or whose expression's functions, operators or
//! casts, are user-defined: PostgreSQL 18 allows only built-ins there.

use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::knowledge;
use crate::knowledge::target::TARGET;
use crate::model::{Column, GeneratedKind, Schema, Table};
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, StatementKind, with_make_stored_fix};
use crate::sql::tree::expr_facts;
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "virtual-generated-column-user-defined",
        area: Area::Generated,
        severity: Severity::Error,
        fix: FixAvailability::Always(Applicability::Unsafe),
        summary: concat!("A virtual generated column with a user-defined type, function, operator or cast fails on ", target_name!()),
        doc: include_str!("../../../rules/virtual-generated-column-user-defined.md"),
    },
    hooks: &[StatementKind::CreateTable, StatementKind::AlterTable],
    check: Some(check),
    check_model: None,
    keywords: &[],
};

/// A type name (as written) that is not one of PostgreSQL's built-in types.
fn user_defined_type(schema: &Schema, names: &[String]) -> bool {
    let Some(last) = names.last() else { return false };
    if names.len() > 1 && names[0] != "pg_catalog" {
        return true;
    }
    schema.types.contains(last) || !knowledge::is_builtin_type(knowledge::canonical_type_name(last))
}

fn user_defined_function(schema: &Schema, names: &[String]) -> bool {
    let Some(last) = names.last() else { return false };
    if names.len() > 1 && names[0] != "pg_catalog" {
        return true;
    }
    schema.functions.contains_key(last) || !knowledge::is_builtin_function(last)
}

fn problems(ctx: &Ctx, column: &Column) -> Vec<(std::ops::Range<usize>, String)> {
    let mut found = Vec::new();
    let Some(g) = &column.generated else { return found };
    let type_is_user_defined = user_defined_type(ctx.schema, &column.type_name);
    if type_is_user_defined {
        // The type follows the column name in the definition.
        let span = ctx.ident_span(column.origin.span.end, column.type_name.last().unwrap(), column.origin.span.clone());
        found.push((span, format!("has user-defined type `{}`", column.type_name.join("."))));
    }
    let Some(expr) = &g.expr else { return found };
    let facts = expr_facts(expr);
    for f in &facts.functions {
        if user_defined_function(ctx.schema, &f.name) {
            let at = g.expr_base + f.location;
            found.push((at..at + f.name.join(".").len(), format!("calls user-defined function `{}()`", f.name.join("."))));
        }
    }
    for (names, loc) in &facts.casts {
        // A cast to the column's own user-defined type is the same problem, reported once.
        if user_defined_type(ctx.schema, names) && !(type_is_user_defined && names.last() == column.type_name.last()) {
            let at = g.expr_base + loc;
            found.push((at..at + names.join(".").len(), format!("casts to user-defined type `{}`", names.join("."))));
        }
    }
    for (names, loc) in &facts.operators {
        if names.last().is_some_and(|op| ctx.schema.operators.contains(op)) {
            let at = g.expr_base + loc;
            found.push((at..at + names.last().map_or(1, String::len), format!("uses user-defined operator `{}`", names.join("."))));
        }
    }
    found
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for &(table, column) in ctx.columns_defined_here() {
        if column.generated.as_ref().is_none_or(|g| g.kind != GeneratedKind::Virtual) {
            continue;
        }
        for (span, what) in problems(ctx, column) {
            out.push(diagnostic(ctx, table, column, span, &what));
        }
    }
}

fn diagnostic(ctx: &Ctx, table: &Table, column: &Column, span: std::ops::Range<usize>, what: &str) -> Diagnostic {
    let implicit = column.generated.as_ref().is_some_and(|g| !g.explicit);
    let d = RULE
        .report(
            ctx.file,
            span,
            format!(
                "virtual generated column `{}.{}`{} {what}: PostgreSQL {TARGET} allows only built-ins in virtual columns",
                crate::quote::dotted(&table.key),
                crate::quote::name(&column.name),
                if implicit { " (virtual by default)" } else { "" }
            ),
        )
        .help(concat!(
            target_name!(),
            " refuses virtual generated columns whose type, functions, operators or casts are user-defined \
         (SQLSTATE 0A000); extension objects count as user-defined. Make the column STORED."
        ));
    with_make_stored_fix(d, column)
}
