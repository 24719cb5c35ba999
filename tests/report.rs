//! The reports for people on the demo (`--format markdown`, `--format html`): snapshots, GFM,
//! and the HTML in a real headless browser. The live audit's report is tested in
//! tests/upgrade_plan.rs.

mod common;

use std::path::Path;

fn report(format: &str, out: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_pgready"))
        .current_dir(root)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1796000000")
        .args(["check", "fixtures/demo", "--no-cache", "--format", format, "-o"])
        .arg(out)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1), "{}", String::from_utf8_lossy(&run.stderr));
    // The commit changes with every commit: a stand-in keeps the snapshot stable.
    let text = std::fs::read_to_string(out).unwrap();
    let long = env!("PGREADY_LONG_VERSION");
    text.replace(&pgready::quote::markdown(long), "PGREADY_VERSION").replace(long, "PGREADY_VERSION")
}

#[test]
fn the_markdown_report_of_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let md = report("markdown", &dir.path().join("report.md"));
    common::assert_gfm(&md);
    assert!(md.contains("**Verdict: blocked**") && md.contains("2026-11-30T00:53:20Z"), "{md}");
    // Application changes: the demo is migrations and queries; its server folder is configuration.
    assert!(md.contains("## 2. The upgrade itself") && md.contains("## 4. Application changes"), "{md}");
    insta::assert_snapshot!("demo_markdown", md);
}

#[test]
fn the_html_report_of_the_demo_opens_in_a_browser() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.html");
    let html = report("html", &path);
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg") && html.contains("Verdict: blocked"), "{html}");
    common::assert_opens_in_a_browser(&path, "demo");
    insta::assert_snapshot!("demo_html", html);
}
