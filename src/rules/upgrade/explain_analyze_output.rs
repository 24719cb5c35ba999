//! EXPLAIN ANALYZE in regression tests: PostgreSQL 18 prints it differently, so expected outputs change.

use crate::diagnostic::{Diagnostic, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, FixAvailability, ModelCtx, Rule, RuleMeta};
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
    check: None,
    check_model: Some(check_model),
    // The engine keeps the parse tree of EXPLAIN statements that contain these.
    keywords: &["analyze", "analyse"],
};

/// One finding per test file, at its first EXPLAIN ANALYZE.
fn check_model(m: &ModelCtx, out: &mut Vec<Diagnostic>) {
    let mut files: Vec<_> = m.schema.expected_outputs.iter().collect();
    files.sort();
    for (file, expected) in files {
        let here: Vec<_> = m.schema.explain_analyze.iter().filter(|o| o.file == *file).collect();
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
