//! An aggregate or operator built on one of the array functions whose signatures PostgreSQL 14
//! changed from `anyarray`/`anyelement` to `anycompatiblearray`/`anycompatible`
//! (`array_append`, `array_cat`...), declared with the old polymorphic types: the function it
//! names no longer exists with those arguments, so the statement fails on 18, and pg_upgrade
//! refuses a 13 cluster that has one ("Checking for incompatible polymorphic functions").

use pg_query::NodeEnum;
use pg_query::protobuf::ObjectType;

use crate::diagnostic::{Applicability, Diagnostic, Edit, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, StatementKind};
use crate::sql::tree;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "old-polymorphic-signature",
        area: Area::Upgrade,
        severity: Severity::Error,
        fix: FixAvailability::Always(Applicability::Safe),
        summary: "An aggregate or operator over array_append, array_cat... declared with anyarray/anyelement, which PostgreSQL 14 changed to anycompatible",
        doc: include_str!("../../../rules/old-polymorphic-signature.md"),
    },
    hooks: &[StatementKind::Define],
    check: Some(check),
    check_model: None,
    keywords: &[],
};

/// The built-ins PostgreSQL 14 moved to the anycompatible family (pg_upgrade's list, check.c).
const CHANGED_IN_14: &[&str] =
    &["array_append", "array_prepend", "array_cat", "array_position", "array_positions", "array_remove", "array_replace", "width_bucket"];

/// The old polymorphic types and what replaces each.
const REPLACEMENTS: &[(&str, &str)] =
    &[("anyarray", "anycompatiblearray"), ("anyelement", "anycompatible"), ("anynonarray", "anycompatiblenonarray")];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let NodeEnum::DefineStmt(d) = ctx.node else { return };
    let kind = ObjectType::try_from(d.kind);
    if ctx.from >= 14 || !matches!(kind, Ok(ObjectType::ObjectAggregate) | Ok(ObjectType::ObjectOperator)) {
        return;
    }
    // The support functions it names (sfunc, finalfunc, combinefunc, procedure/function...).
    let named = d.definition.iter().find_map(|o| {
        let Some(NodeEnum::DefElem(e)) = &o.node else { return None };
        let name = match e.arg.as_ref().and_then(|a| a.node.as_ref()) {
            Some(NodeEnum::TypeName(t)) => tree::type_names(t).pop(),
            Some(NodeEnum::List(l)) => tree::names(&l.items).pop(),
            Some(NodeEnum::String(s)) => Some(s.sval.clone()),
            _ => None,
        }?;
        let name = name.to_ascii_lowercase();
        CHANGED_IN_14.contains(&name.as_str()).then_some(name)
    });
    let Some(function) = named else { return };
    // Every old polymorphic type written in the statement, as a whole word outside quotes.
    let edits: Vec<Edit> = tree::tokens(ctx.text, ctx.range.clone())
        .iter()
        .filter_map(|t| {
            let word = ctx.text[t.range.clone()].to_ascii_lowercase();
            REPLACEMENTS.iter().find(|(old, _)| *old == word).map(|(_, new)| Edit::replace(ctx.file, t.range.clone(), *new))
        })
        .collect();
    let Some(first) = edits.first().map(|e| e.range.clone()) else { return };
    let what = if kind == Ok(ObjectType::ObjectAggregate) { "aggregate" } else { "operator" };
    out.push(
        RULE.report(
            ctx.file,
            first,
            format!(
                "this {what} uses {function}() with the old polymorphic types: since PostgreSQL 14 it takes anycompatiblearray/anycompatible, so the statement fails on {TARGET} (42883) and pg_upgrade refuses a cluster that has it"
            ),
        )
        .help(format!(
            "Declare it with anycompatiblearray/anycompatible instead of anyarray/anyelement. On the old server, drop the {what} before \
             the upgrade and create it again on {TARGET} (pg_upgrade --check: \"Checking for incompatible polymorphic functions\")."
        ))
        .fix("Use the anycompatible types", Applicability::Safe, edits),
    );
}
