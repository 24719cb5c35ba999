//! COPY FROM a file or program in CSV format: PostgreSQL 18 no longer stops at a `\.` line.

use pg_query::NodeEnum;

use crate::diagnostic::{Diagnostic, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, StatementKind};
use crate::sql::tree;
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "copy-csv-end-marker",
        area: Area::Upgrade,
        severity: Severity::Info,
        fix: FixAvailability::None,
        summary: concat!("COPY FROM a file or program in CSV format: ", target_name!(), " reads a \\. line as data, not as the end"),
        doc: include_str!("../../../rules/copy-csv-end-marker.md"),
    },
    hooks: &[StatementKind::Copy],
    check: Some(check),
    check_model: None,
    keywords: &[],
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let NodeEnum::CopyStmt(c) = ctx.node else { return };
    // FROM STDIN in a SQL file is psql's \copy protocol, which still ends the data at \.
    if !c.is_from || (c.filename.is_empty() && !c.is_program) {
        return;
    }
    let csv = c.options.iter().find_map(|o| match &o.node {
        Some(NodeEnum::DefElem(d)) if d.defname == "format" => match d.arg.as_ref().and_then(|a| a.node.as_ref()) {
            Some(NodeEnum::String(s)) if s.sval.eq_ignore_ascii_case("csv") => Some(d.location),
            _ => None,
        },
        _ => None,
    });
    let Some(loc) = csv else { return };
    let at = ctx.abs(loc);
    let span = tree::tokens(ctx.text, at..ctx.range.end).first().map_or(at..at + 1, |t| t.range.clone());
    let source = if c.is_program { "program output" } else { "file" };
    out.push(
        RULE.report(
            ctx.file,
            span,
            format!("COPY FROM a {source} in CSV format: on PostgreSQL {TARGET} a \\. line is data, not the end of the data"),
        )
        .help(
            "Before 18, a line holding only \\. ended CSV input early; 18 reads it (and what follows) as data — rows are \
             loaded that were skipped before, or the load fails on the \\. row. Remove such end markers from the files \
             (they are only meant for psql's COPY FROM STDIN and \\copy, which still honour them — with psql 18: the \
             release notes warn that older psql clients may have \\copy problems with an 18 server).",
        ),
    );
}
