//! Every rule page's examples, run through pgready with only that rule enabled: a bad example
//! (`expect_diagnostic`) gives exactly one diagnostic of the rule, at the stated line; a good
//! example gives none. Fixes of bad examples remove the diagnostic and re-parse cleanly.

mod common;

use pgready::diagnostic::Applicability;
use pgready::engine::Options;
use pgready::rules::{FixAvailability, REGISTRY};

fn only(rule: &str) -> Options {
    Options { select: vec![rule.to_string()], ..Options::default() }
}

const HEADINGS: &[&str] = &["## What it does"];
const SQL_RULE_HEADINGS: &[&str] = &["## What it does", "## Example", "## Use instead"];

#[test]
fn every_page_has_the_required_sections() {
    for rule in REGISTRY {
        let doc = rule.meta.doc;
        let needed = if rule.check.is_some() { SQL_RULE_HEADINGS } else { HEADINGS };
        for h in needed {
            assert!(doc.lines().any(|l| l == *h), "rules/{}.md lacks `{h}`", rule.meta.id);
        }
        if rule.check.is_some() {
            assert!(doc.contains("## Why it matters for PostgreSQL 18"), "rules/{}.md lacks its why", rule.meta.id);
        }
        if rule.meta.fix != FixAvailability::None {
            assert!(doc.contains("## Fix safety"), "rules/{}.md must explain its fix safety", rule.meta.id);
        }
        assert_eq!(
            doc.lines().nth(2).map(|l| l.trim_end_matches('.')),
            Some(rule.meta.summary),
            "rules/{}.md: the summary line must match",
            rule.meta.id
        );
    }
}

/// The page's `- Fix:` line says what the binary does: `none`, or `always`/`sometimes` and, first in
/// the parentheses, `safe` or `unsafe`.
#[test]
fn every_page_states_the_fix_the_binary_makes() {
    for rule in REGISTRY {
        let line = rule
            .meta
            .doc
            .lines()
            .find(|l| l.starts_with("- Fix:"))
            .unwrap_or_else(|| panic!("rules/{}.md has no `- Fix:` line", rule.meta.id));
        let want = match rule.meta.fix.safety() {
            None => "- Fix: none".to_string(),
            Some(Applicability::Safe) => format!("- Fix: {} (safe", rule.meta.fix.as_str()),
            Some(Applicability::Unsafe) => format!("- Fix: {} (unsafe", rule.meta.fix.as_str()),
        };
        assert!(line.starts_with(&want), "rules/{}.md: `{line}`, the binary: `{want}...`", rule.meta.id);
    }
}

#[test]
fn every_rule_with_a_check_has_bad_and_good_examples() {
    for rule in REGISTRY.iter().filter(|r| r.check.is_some()) {
        // Rules that only a live server can trigger prove themselves with `live` examples.
        let mut ex = common::examples(rule);
        ex.extend(common::live_examples(rule));
        assert!(ex.iter().any(|e| e.expect_diagnostic), "{} has no bad example", rule.meta.id);
        assert!(ex.iter().any(|e| !e.expect_diagnostic), "{} has no good example", rule.meta.id);
    }
}

#[test]
fn examples_fire_exactly_where_the_page_says() {
    let mut checked = 0;
    for rule in REGISTRY {
        for ex in common::examples(rule) {
            let (run, doc) = ex.lint(&ex.sql, &only(rule.meta.id));
            let mine: Vec<_> = run.diagnostics.iter().filter(|d| d.rule == rule.meta.id).collect();
            let others: Vec<_> = run.diagnostics.iter().filter(|d| d.rule != rule.meta.id).collect();
            assert!(others.is_empty(), "{}: example produced other diagnostics {others:?}\n{}", rule.meta.id, ex.sql);
            if ex.expect_diagnostic {
                assert_eq!(mine.len(), 1, "{}: bad example must give exactly one diagnostic:\n{}\n{mine:?}", rule.meta.id, ex.sql);
                assert_eq!(mine[0].file, doc, "{}: the diagnostic is in another file", rule.meta.id);
                let (line, _) = run.docs[doc].line_col(mine[0].span.start);
                if let Some(want) = ex.line {
                    assert_eq!(line, want, "{}: diagnostic on line {line}, page says {want}\n{}", rule.meta.id, ex.sql);
                }
                assert!(mine[0].span.end >= mine[0].span.start && mine[0].span.end <= ex.sql.len());
                if rule.meta.fix.is_always() {
                    assert!(mine[0].fix.is_some(), "{}: fix is `always` but the example got none", rule.meta.id);
                }
                if let Some(fix) = &mine[0].fix {
                    assert_eq!(Some(fix.applicability), rule.meta.fix.safety(), "{}: the fix's safety is not the rule's", rule.meta.id);
                }
            } else {
                assert!(mine.is_empty(), "{}: good example must be clean:\n{}\n{mine:?}", rule.meta.id, ex.sql);
            }
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} examples found");
}

/// Applies every fix of a bad example; the result must not trigger the rule again, must parse,
/// and a second round must change nothing (fixes converge).
pub fn fixed_text(ex: &common::Example, rule: &str, text: &str) -> Option<String> {
    let (run, doc) = ex.lint(text, &only(rule));
    let (fixed, refused) = pgready::fix::plan(&run, Applicability::Unsafe);
    assert!(refused.is_empty(), "{rule}: fix refused");
    fixed.into_iter().find(|f| f.file == doc).map(|f| f.after)
}

#[test]
fn fixes_remove_the_diagnostic_and_converge() {
    let mut fixed_count = 0;
    for rule in REGISTRY.iter().filter(|r| r.meta.fix != FixAvailability::None) {
        for ex in common::examples(rule).into_iter().filter(|e| e.expect_diagnostic) {
            let Some(after) = fixed_text(&ex, rule.meta.id, &ex.sql) else {
                assert!(!rule.meta.fix.is_always(), "{}: no fix for\n{}", rule.meta.id, ex.sql);
                continue;
            };
            let (run, _) = ex.lint(&after, &Options::default());
            assert!(
                !run.diagnostics.iter().any(|d| d.rule == rule.meta.id || d.rule == "syntax-error"),
                "{}: after the fix:\n{after}\n{:?}",
                rule.meta.id,
                run.diagnostics
            );
            assert_eq!(fixed_text(&ex, rule.meta.id, &after), None, "{}: a second fix round changed something", rule.meta.id);
            fixed_count += 1;
        }
    }
    assert!(fixed_count >= 5);
}

#[test]
fn readme_lists_every_rule() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for rule in REGISTRY {
        assert!(readme.contains(&format!("[{}](rules/{}.md)", rule.meta.id, rule.meta.id)), "README lacks {}", rule.meta.id);
    }
    let table = std::process::Command::new(env!("CARGO_BIN_EXE_pgready")).args(["rules", "--format", "markdown"]).output().unwrap();
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(readme.contains(&table), "README's rule table is stale: paste `pgready rules --format markdown`");
}

/// What each example of a page gives, in full: every finding's exact span, severity, message
/// and help, and its fix as a diff. One snapshot per rule (tests/snapshots/rule_docs__<id>.snap):
/// a change to any of them shows up in review.
#[test]
fn every_example_is_snapshotted() {
    for rule in REGISTRY {
        let examples = common::examples(rule);
        if examples.is_empty() {
            continue;
        }
        let mut out = String::new();
        for (i, ex) in examples.iter().enumerate() {
            let (run, doc) = ex.lint(&ex.sql, &only(rule.meta.id));
            let verdict = if ex.expect_diagnostic { "bad" } else { "good" };
            out += &format!("## example {} ({verdict}, {})\n{}\n", i + 1, ex.file_name(), ex.sql.trim_end());
            if run.diagnostics.is_empty() {
                out += "-> no finding\n";
            }
            for d in &run.diagnostics {
                let (l1, c1) = run.docs[d.file].line_col(d.span.start);
                let (l2, c2) = run.docs[d.file].line_col(d.span.end);
                let text = &run.docs[d.file].text[d.span.clone()];
                out += &format!("-> {l1}:{c1}-{l2}:{c2} {} {} `{text}`\n   {}\n", d.severity.as_str(), d.rule, d.message);
                if let Some(help) = &d.help {
                    out += &format!("   help: {help}\n");
                }
                if let Some(fix) = &d.fix {
                    out += &format!("   fix ({:?}): {}\n", fix.applicability, fix.title);
                }
            }
            let (fixed, _) = pgready::fix::plan(&run, Applicability::Unsafe);
            for f in fixed.iter().filter(|f| f.file == doc) {
                out += &pgready::fix::unified_diff(f);
            }
            out.push('\n');
        }
        insta::assert_snapshot!(rule.meta.id, out);
    }
}

/// Hooks and keywords lose nothing on any page's example: with `PGREADY_KEEP_ALL_TREES=1`
/// every statement is parsed and every rule is called on every statement, and the findings
/// are the same (the robustness test checks the same over the corpus).
#[test]
fn hooks_and_keywords_lose_no_finding_of_any_example() {
    let dir = tempfile::tempdir().unwrap();
    let mut n = 0;
    for rule in REGISTRY {
        for ex in common::examples(rule) {
            let sub = dir.path().join(format!("{}-{n}", rule.meta.id));
            std::fs::create_dir_all(&sub).unwrap();
            if ex.regress_test {
                ex.write_regress_test(&sub, &ex.sql);
            } else {
                std::fs::write(sub.join(ex.file_name()), &ex.sql).unwrap();
            }
            if ex.with_postgresql_conf {
                std::fs::write(sub.join("postgresql.conf"), "").unwrap();
            }
            n += 1;
        }
    }
    let run = |keep_all: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_pgready"))
            .current_dir(dir.path())
            .args(["check", ".", "--format", "concise"])
            .env("PGREADY_KEEP_ALL_TREES", keep_all)
            .env("PGREADY_NO_CACHE", "1")
            .output()
            .unwrap()
            .stdout
    };
    let (shortcut, everything) = (run("0"), run("1"));
    assert!(n >= 60 && shortcut.len() > 1000, "{n} examples, {} bytes of findings", shortcut.len());
    assert_eq!(String::from_utf8_lossy(&shortcut), String::from_utf8_lossy(&everything));
}
