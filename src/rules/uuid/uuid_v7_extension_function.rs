//! Calls to the pg_uuidv7 extension's functions (or hand-rolled copies of them) that have a
//! core equivalent on PostgreSQL 18, and `CREATE EXTENSION pg_uuidv7` itself.

use pg_query::NodeEnum;

use crate::diagnostic::{Applicability, Diagnostic, Edit, Severity};
use crate::knowledge::V7_FUNCTIONS_WITH_CORE_EQUIVALENT;
use crate::knowledge::target::TARGET;
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, StatementKind};
use crate::sql::tree;
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "uuid-v7-extension-function",
        area: Area::Uuid,
        severity: Severity::Info,
        fix: FixAvailability::Sometimes(Applicability::Unsafe),
        summary: concat!("pg_uuidv7's uuid_generate_v7() and uuid_v7_to_timestamptz() have core equivalents on ", target_name!()),
        doc: include_str!("../../../rules/uuid-v7-extension-function.md"),
    },
    hooks: &[StatementKind::CreateExtension],
    check: Some(check),
    check_model: None,
    keywords: &["uuid_generate_v7", "uuid_v7_to_timestamptz", "pg_uuidv7"],
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    if let NodeEnum::CreateExtensionStmt(e) = ctx.node {
        if e.extname == "pg_uuidv7" {
            let span = ctx.ident_span(ctx.range.start, "pg_uuidv7", ctx.range.clone());
            out.push(
                RULE.report(ctx.file, span, concat!("extension pg_uuidv7 is redundant on ", target_name!(), ": core has uuidv7()")).help(
                    concat!(
                        "Use uuidv7() and uuid_extract_timestamp() from core. While the extension stays installed, pg_upgrade \
                         needs a ",
                        target_name!(),
                        " build of it on the new server (\"Checking for presence of required libraries\")."
                    ),
                ),
            );
        }
        return;
    }
    if let NodeEnum::CreateFunctionStmt(_) = ctx.node {
        // Defining such a function is not a call; its body is a string anyway.
        return;
    }
    let lower = ctx.stmt_lower();
    if !V7_FUNCTIONS_WITH_CORE_EQUIVALENT.iter().any(|(name, _, _)| lower.contains(name)) {
        return;
    }
    for call in &ctx.statement_facts().functions {
        let Some(name) = call.name.last() else { continue };
        let Some((_, nargs, core)) = V7_FUNCTIONS_WITH_CORE_EQUIVALENT.iter().find(|(n, _, _)| n == name) else { continue };
        if call.nargs != *nargs {
            continue;
        }
        let start = ctx.range.start + call.location;
        // The name as written (maybe schema-qualified) runs up to the `(`.
        let toks = tree::tokens(ctx.text, start..ctx.range.end);
        let Some(open) = toks.iter().position(|t| &ctx.text[t.range.clone()] == "(") else { continue };
        let name_span = start..toks[open - 1].range.end;
        out.push(
            RULE.report(
                ctx.file,
                name_span.clone(),
                format!("{}() has a core equivalent on PostgreSQL {TARGET}: {core}()", call.name.join(".")),
            )
            .help(format!("PostgreSQL {TARGET} ships {core}() in core; calling it removes the dependency on the pg_uuidv7 extension."))
            .fix(format!("Call {core}()"), Applicability::Unsafe, vec![Edit::replace(ctx.file, name_span, *core)]),
        );
    }
}
