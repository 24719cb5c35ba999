//! `EXTRACT(hour FROM <date>)` and the other time-of-day fields of a date: PostgreSQL 13
//! answered 0, 14 and later refuse the unit (0A000). Reported where the operand is known to be a
//! date: a date literal or cast, `current_date`, or a date column of a table the model knows.

use pg_query::NodeEnum;
use pg_query::protobuf::SqlValueFunctionOp;

use crate::diagnostic::{Diagnostic, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta};
use crate::sql::tree;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "extract-time-of-date",
        area: Area::Upgrade,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "EXTRACT of a time-of-day field (hour, minute, second...) from a date: 0 on 13, refused since PostgreSQL 14",
        doc: include_str!("../../../rules/extract-time-of-date.md"),
    },
    hooks: &[],
    check: Some(check),
    check_model: None,
    keywords: &["extract"],
};

/// The release that made EXTRACT of a date reject time-of-day units.
const REFUSED_SINCE: u32 = 14;

/// The fields a date has no value for (date.c, extract_date).
const TIME_FIELDS: &[&str] = &[
    "hour",
    "minute",
    "second",
    "milliseconds",
    "microseconds",
    "timezone",
    "timezone_hour",
    "timezone_minute",
    "timezone_m",
    "timezone_h",
];

/// Whether an expression is a date, as the statement shows it.
fn is_date(ctx: &Ctx, relations: &[tree::NamedRelation], node: &NodeEnum) -> bool {
    match node {
        NodeEnum::TypeCast(c) => c.type_name.as_ref().is_some_and(|t| tree::type_names(t).last().is_some_and(|n| n == "date")),
        NodeEnum::SqlvalueFunction(f) => SqlValueFunctionOp::try_from(f.op) == Ok(SqlValueFunctionOp::SvfopCurrentDate),
        NodeEnum::ColumnRef(c) => {
            let fields = tree::names(&c.fields);
            let Some((r, column)) = tree::column_relation(&fields, relations) else { return false };
            ctx.schema
                .table(&tree::relation_key(r.relation))
                .and_then(|t| t.column(column))
                .is_some_and(|c| c.type_name.last().is_some_and(|n| n == "date"))
        }
        _ => false,
    }
}

/// Whether `EXTRACT(field FROM x)` asks a date for a time-of-day field: the call fails since 14.
pub(super) fn refused(ctx: &Ctx, relations: &[tree::NamedRelation], field: &str, source: &NodeEnum) -> bool {
    TIME_FIELDS.contains(&field) && is_date(ctx, relations, source)
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    if ctx.from >= REFUSED_SINCE {
        return;
    }
    let relations = tree::statement_relations(ctx.node);
    for (n, ..) in ctx.node.nodes() {
        let pg_query::NodeRef::FuncCall(f) = n else { continue };
        if tree::names(&f.funcname).last().is_none_or(|n| n != "extract") || f.args.len() != 2 {
            continue;
        }
        let field = match f.args[0].node.as_ref() {
            Some(NodeEnum::AConst(c)) => match &c.val {
                Some(pg_query::protobuf::a_const::Val::Sval(s)) => s.sval.to_ascii_lowercase(),
                _ => continue,
            },
            _ => continue,
        };
        if !TIME_FIELDS.contains(&field.as_str()) || !f.args[1].node.as_ref().is_some_and(|a| is_date(ctx, &relations, a)) {
            continue;
        }
        let at = ctx.abs(f.location);
        out.push(
            RULE.report(
                ctx.file,
                at..at + "extract".len(),
                format!("EXTRACT({field} FROM <date>): a date has no {field}; PostgreSQL 14 and later refuse it"),
            )
            .help(format!(
                "PostgreSQL 13 answered 0; 14 made EXTRACT of a date its own function, which fails on {TARGET} with: unit \
                     \"{field}\" not supported for type date (0A000). Extract from a timestamp if one is meant \
                     (`EXTRACT({field} FROM d::timestamp)` gives 0, as before), or drop the field."
            )),
        );
    }
}
