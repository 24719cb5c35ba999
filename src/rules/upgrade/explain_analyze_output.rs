//! EXPLAIN ANALYZE in regression tests: PostgreSQL 18 prints it differently, so expected outputs change.

use std::collections::HashMap;

use pg_query::NodeEnum;

use crate::diagnostic::{Diagnostic, FileId, Origin, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, Ctx, FixAvailability, ModelCtx, Rule, RuleMeta};
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "explain-analyze-output",
        area: Area::Upgrade,
        severity: Severity::Info,
        fix: FixAvailability::None,
        summary: concat!(
            "EXPLAIN ANALYZE in a test whose output is compared with an expected file: ",
            target_name!(),
            " prints buffers and fractional row counts"
        ),
        doc: include_str!("../../../rules/explain-analyze-output.md"),
    },
    hooks: &[],
    check: Some(check),
    check_model: Some(check_model),
    // EXPLAIN statements are read only when they contain these.
    keywords: &["analyze", "analyse"],
};

/// Where the `ANALYZE` option of each file's EXPLAIN ANALYZE statements is written.
type Seen = HashMap<FileId, Vec<Origin>>;

/// Note each EXPLAIN ANALYZE (an ANALYZE option not set off); the report is per file.
fn check(ctx: &Ctx, _out: &mut Vec<Diagnostic>) {
    let NodeEnum::ExplainStmt(e) = ctx.node else { return };
    let analyze = e.options.iter().find_map(|o| match &o.node {
        Some(NodeEnum::DefElem(d)) if d.defname == "analyze" => {
            let off = matches!(d.arg.as_ref().and_then(|a| a.node.as_ref()),
                Some(NodeEnum::String(s)) if matches!(s.sval.to_ascii_lowercase().as_str(), "false" | "off" | "0"));
            (!off).then_some(d.location)
        }
        _ => None,
    });
    if let Some(loc) = analyze {
        let (at, stmt_end) = (ctx.abs(loc), ctx.range.end);
        let end = ctx.text[at..stmt_end].find(|c: char| !c.is_ascii_alphabetic()).map_or(stmt_end, |n| at + n.max(1));
        ctx.state::<Seen>(&RULE).entry(ctx.file).or_default().push(Origin { file: ctx.file, span: at..end });
    }
}

/// One finding per test file, at its first EXPLAIN ANALYZE.
fn check_model(m: &ModelCtx, out: &mut Vec<Diagnostic>) {
    let seen = m.state::<Seen>(&RULE);
    let mut files: Vec<_> = m.schema.expected_outputs.iter().collect();
    files.sort();
    for (file, expected) in files {
        let here: Vec<_> = seen.get(file).map(|v| v.iter().collect()).unwrap_or_default();
        let Some(first) = here.first() else { continue };
        let name = expected.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        out.push(
            RULE.report(
                first.file,
                first.span.clone(),
                format!(
                    "{} EXPLAIN ANALYZE statement(s) in this test: PostgreSQL {TARGET} prints them differently, {name} will change",
                    here.len()
                ),
            )
            .help(concat!(
                "On ",
                target_name!(),
                " EXPLAIN ANALYZE shows buffer usage by default (add BUFFERS OFF to keep the old output), \
                 prints actual row counts with two decimals (rows=1.00), and adds lines such as \"Index Searches\". \
                 Regenerate the expected output on 18, and update filters that match rows=(\\d+)."
            )),
        );
    }
}
