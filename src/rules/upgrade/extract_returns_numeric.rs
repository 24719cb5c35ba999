//! `EXTRACT(field FROM x)` in a query's output: PostgreSQL 14 made it return `numeric` instead of
//! `double precision`. The values agree, but what a client receives changes type — node-postgres
//! gives a numeric as a string, psycopg as a `Decimal`, JDBC as a `BigDecimal` — and arithmetic on
//! it (`EXTRACT(epoch FROM d) / 60`) is numeric division, with another number of digits.
//! `date_part('field', x)` still returns double precision. Reported when upgrading from 13, at an
//! EXTRACT that reaches an output column as it is (directly, or through `+ - * /`): a cast or a
//! function around it decides the type itself.

use pg_query::NodeEnum;
use pg_query::protobuf::a_const::Val;

use crate::diagnostic::{Applicability, Diagnostic, Edit, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta};
use crate::sql::tree;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "extract-returns-numeric",
        area: Area::Upgrade,
        severity: Severity::Info,
        fix: FixAvailability::Sometimes(Applicability::Unsafe),
        summary: "EXTRACT in a query's output returns numeric since PostgreSQL 14, not double precision: clients receive another type",
        doc: include_str!("../../../rules/extract-returns-numeric.md"),
    },
    hooks: &[],
    check: Some(check),
    check_model: None,
    keywords: &["extract"],
};

/// The release that made EXTRACT return numeric.
const CHANGED_IN: u32 = 14;

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    // A PL/pgSQL expression's value goes to a variable of its declared type, not to a client.
    if ctx.from >= CHANGED_IN || ctx.expression || !ctx.mentions_keyword_of(&RULE) {
        return;
    }
    let mut calls = Vec::new();
    for (n, ..) in ctx.node.nodes() {
        let pg_query::NodeRef::SelectStmt(s) = n else { continue };
        for t in &s.target_list {
            let Some(NodeEnum::ResTarget(r)) = &t.node else { continue };
            if let Some(v) = r.val.as_ref().and_then(|v| v.node.as_ref()) {
                output_extracts(v, &mut calls);
            }
        }
    }
    report(ctx, &calls, out);
}

/// The EXTRACT calls whose numeric result is what the output column carries.
fn output_extracts<'a>(node: &'a NodeEnum, calls: &mut Vec<&'a pg_query::protobuf::FuncCall>) {
    match node {
        NodeEnum::FuncCall(f) if is_extract(f) => calls.push(f),
        NodeEnum::AExpr(e) if matches!(tree::names(&e.name).as_slice(), [op] if matches!(op.as_str(), "+" | "-" | "*" | "/")) => {
            for side in [&e.lexpr, &e.rexpr].into_iter().flatten() {
                if let Some(n) = side.node.as_ref() {
                    output_extracts(n, calls);
                }
            }
        }
        _ => {}
    }
}

/// A literal, or a cast of one.
fn is_constant(node: &NodeEnum) -> bool {
    match node {
        NodeEnum::AConst(_) => true,
        NodeEnum::TypeCast(c) => c.arg.as_ref().and_then(|a| a.node.as_ref()).is_some_and(is_constant),
        _ => false,
    }
}

/// `EXTRACT(field FROM x)` as the grammar writes it (`pg_catalog.extract`, SQL syntax), not a
/// user's function called extract.
fn is_extract(f: &pg_query::protobuf::FuncCall) -> bool {
    let names = tree::names(&f.funcname);
    names.len() == 2
        && names[0] == "pg_catalog"
        && names[1] == "extract"
        && f.funcformat == pg_query::protobuf::CoercionForm::CoerceSqlSyntax as i32
        && f.args.len() == 2
}

/// One finding per statement, at its first EXTRACT: the query's columns change type together,
/// and the fix rewrites every one.
fn report(ctx: &Ctx, calls: &[&pg_query::protobuf::FuncCall], out: &mut Vec<Diagnostic>) {
    if calls.is_empty() {
        return;
    }
    let mut found: Vec<(usize, String)> = Vec::new();
    let relations = tree::statement_relations(ctx.node);
    for f in calls {
        let Some(NodeEnum::AConst(c)) = f.args[0].node.as_ref() else { continue };
        let Some(Val::Sval(field)) = &c.val else { continue };
        // Of a constant (`EXTRACT(epoch FROM DATE '1970-01-01')`) the answer never changes: that
        // is a check or a test, not a query of the application's data.
        if f.args[1].node.as_ref().is_some_and(is_constant) {
            continue;
        }
        // A call that fails since 14 is extract-time-of-date's: its type does not matter.
        if f.args[1]
            .node
            .as_ref()
            .is_some_and(|x| super::extract_time_of_date::refused(ctx, &relations, &field.sval.to_ascii_lowercase(), x))
        {
            continue;
        }
        let at = ctx.abs(f.location);
        if ctx.text.get(at..at + "extract".len()).is_some_and(|w| w.eq_ignore_ascii_case("extract")) {
            found.push((at, field.sval.to_ascii_lowercase()));
        }
    }
    found.sort();
    let Some((at, field)) = found.first().cloned() else { return };
    let more = match found.len() {
        1 => "this output column is".to_string(),
        n => format!("{n} output columns of this query are"),
    };
    let mut d = RULE
        .report(
            ctx.file,
            at..at + "extract".len(),
            format!("EXTRACT({field} FROM ...) returns numeric since PostgreSQL {CHANGED_IN}: {more} double precision on 13"),
        )
        .help(format!(
            "On {TARGET} the column is numeric: node-postgres returns it as a string, psycopg as a Decimal, JDBC as a BigDecimal, \
             and arithmetic on it is exact decimal arithmetic (a division prints more digits). Check what reads this column; \
             date_part('{field}', x) keeps double precision, a cast (::float8, ::int) states the type the client expects."
        ));
    let edits: Option<Vec<Edit>> = found
        .iter()
        .map(|(at, field)| {
            call_parts(ctx, *at)
                .map(|(range, expr)| Edit::replace(ctx.file, range, format!("date_part({}, {expr})", crate::quote::literal(field))))
        })
        .collect();
    if let Some(edits) = edits {
        let title = if edits.len() == 1 { "Write date_part()".to_string() } else { format!("Write date_part() ({} calls)", edits.len()) };
        d = d.fix(title, Applicability::Unsafe, edits);
    }
    out.push(d);
}

/// The whole call `EXTRACT(field FROM expr)` and the text of `expr`, from the tokens.
fn call_parts(ctx: &Ctx, at: usize) -> Option<(std::ops::Range<usize>, String)> {
    let tokens = tree::tokens(ctx.text, at..ctx.range.end);
    let mut depth = 0usize;
    let mut from_end = None;
    for t in tokens.iter().skip(1) {
        let word = &ctx.text[t.range.clone()];
        match word {
            "(" => depth += 1,
            ")" => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    let expr = ctx.text.get(from_end?..t.range.start)?.trim();
                    return (!expr.is_empty()).then(|| (at..t.range.end, expr.to_string()));
                }
            }
            w if depth == 1 && from_end.is_none() && w.eq_ignore_ascii_case("from") => from_end = Some(t.range.end),
            _ => {}
        }
    }
    None
}
