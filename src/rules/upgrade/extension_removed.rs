//! `CREATE EXTENSION` of a contrib extension that PostgreSQL no longer ships: it fails on 18,
//! and an old cluster where it is installed is refused by pg_upgrade (its library is missing).
//! The live audit's installed extensions come here as `CREATE EXTENSION` documents.

use pg_query::NodeEnum;

use crate::diagnostic::{Diagnostic, Severity};
use crate::knowledge::REMOVED_EXTENSIONS;
use crate::knowledge::target::TARGET;
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, StatementKind};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "extension-removed",
        area: Area::Upgrade,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "An extension PostgreSQL no longer ships (adminpack, old_snapshot, PL/Python 2): CREATE EXTENSION fails, pg_upgrade refuses the cluster",
        doc: include_str!("../../../rules/extension-removed.md"),
    },
    hooks: &[StatementKind::CreateExtension, StatementKind::CreateFunction],
    check: Some(check),
    check_model: None,
    keywords: &[],
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    if let NodeEnum::CreateFunctionStmt(f) = ctx.node {
        return function_language(ctx, f, out);
    }
    let NodeEnum::CreateExtensionStmt(e) = ctx.node else { return };
    let Some((name, since, instead)) = REMOVED_EXTENSIONS.iter().find(|(n, since, _)| *n == e.extname && *since > ctx.from) else {
        return;
    };
    let span = ctx.ident_span(ctx.range.start, name, ctx.range.clone());
    out.push(
        RULE.report(
            ctx.file,
            span,
            format!("extension `{name}` is not shipped since PostgreSQL {since}: CREATE EXTENSION fails on {TARGET}, and pg_upgrade refuses a cluster where it is installed"),
        )
        .help(format!(
            "Remove it from the migrations, and on the old server run `DROP EXTENSION {name};` in every database before \
             the upgrade (pg_upgrade --check: \"Checking for presence of required libraries\"). {}.",
            capitalised(instead)
        )),
    );
}

/// A routine written in a procedural language that went with its extension (PL/Python 2): the
/// language no longer exists, so the CREATE FUNCTION fails (42704).
fn function_language(ctx: &Ctx, f: &pg_query::protobuf::CreateFunctionStmt, out: &mut Vec<Diagnostic>) {
    let Some(language) = f.options.iter().find_map(|o| match &o.node {
        Some(NodeEnum::DefElem(d)) if d.defname == "language" => match d.arg.as_ref().and_then(|a| a.node.as_ref()) {
            Some(NodeEnum::String(s)) => Some(s.sval.to_ascii_lowercase()),
            _ => None,
        },
        _ => None,
    }) else {
        return;
    };
    let Some((name, since, instead)) = REMOVED_EXTENSIONS.iter().find(|(n, since, _)| *n == language && *since > ctx.from) else {
        return;
    };
    let span = ctx.ident_span(ctx.range.start, name, ctx.range.clone());
    out.push(
        RULE.report(
            ctx.file,
            span,
            format!("LANGUAGE {name} is not shipped since PostgreSQL {since}: this CREATE FUNCTION fails on {TARGET} (42704, language does not exist)"),
        )
        .help(format!(
            "{}. A function of this language in the old cluster also makes pg_upgrade refuse it (\"Checking for presence of \
             required libraries\"): rewrite it in plpython3u, or drop it, before the upgrade.",
            capitalised(instead)
        )),
    );
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}
