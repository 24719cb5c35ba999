//! Gates that cannot pass silently (issue 29): a typo in a path, a folder with nothing to
//! check, an empty change set, `--changed` before the first commit and outside git — each
//! through the binary, as a CI job or a pre-commit hook runs it.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn pgready(dir: &Path, args: &[&str]) -> Output {
    common::pgready_in(dir, args)
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn text(o: &Output) -> (String, String) {
    (String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

const BAD: &str = "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2));\nCREATE INDEX t_b ON t (b);\n";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("db")).unwrap();
    fs::write(dir.path().join("db/V1__t.sql"), BAD).unwrap();
    fs::create_dir(dir.path().join("docs")).unwrap();
    fs::write(dir.path().join("docs/README.txt"), "no SQL here\n").unwrap();
    dir
}

#[test]
fn a_path_that_does_not_exist_is_a_usage_error_whatever_the_selection() {
    let p = project();
    for args in [
        &["check", "db/migratons"][..],
        &["check", "db/migratons", "--select", "generated"],
        &["check", "db/migratons", "--ignore", "input"],
        &["check", "db", "db/migratons", "--format", "json"],
    ] {
        let out = pgready(p.path(), args);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stdout}{stderr}");
        assert!(stderr.contains("path `db/migratons` does not exist"), "{args:?}: {stderr}");
        assert!(!stderr.contains("All clear"), "{stderr}");
    }
}

#[test]
fn a_run_that_finds_nothing_to_check_says_so_and_exits_2() {
    let p = project();
    let out = pgready(p.path(), &["check", "docs"]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no SQL or configuration file found in docs"), "{stderr}");
    assert!(!stderr.contains("All clear"), "{stderr}");
    // Everything excluded is nothing to check, too.
    let out = pgready(p.path(), &["check", "db", "--exclude", "**/*.sql"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out).1);
}

#[test]
fn changed_reports_changed_files_and_says_when_there_are_none() {
    let p = project();
    let d = p.path();
    git(d, &["init", "-q", "-b", "main"]);
    // Before the first commit, the staged files are the change.
    git(d, &["add", "."]);
    let out = pgready(d, &["check", "--changed", "--format", "concise"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("db/V1__t.sql:2:24: virtual-generated-column-unsupported-use"), "{stdout}");
    assert!(stderr.contains("Reported: findings in 1 changed file(s) of 1."), "{stderr}");
    git(d, &["commit", "-qm", "init"]);
    // A clean tree: nothing changed, and said so — not "All clear: 1 file(s) checked".
    let out = pgready(d, &["check", "--changed"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stderr.contains("No changed SQL or configuration file: nothing to report (1 file(s) build the schema model)."), "{stderr}");
    assert!(!stderr.contains("All clear"), "{stderr}");
    // A new migration building on the old one: reported against the model of both.
    fs::write(d.join("db/V2__i.sql"), "CREATE INDEX t_b2 ON t (b);\n").unwrap();
    let out = pgready(d, &["check", "--changed", "--format", "concise"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.starts_with("db/V2__i.sql:1:25: virtual-generated-column-unsupported-use"), "{stdout}");
    assert!(!stdout.contains("V1__t.sql"), "{stdout}");
    assert!(stderr.contains("Reported: findings in 1 changed file(s) of 2."), "{stderr}");
    let out = pgready(d, &["check", "--diff-base", "HEAD", "--format", "concise"]);
    assert_eq!(text(&out).0, stdout);
}

#[test]
fn fix_and_diff_with_a_live_server_point_at_the_fix_script() {
    let p = project();
    for option in ["--fix", "--diff"] {
        // Refused before connecting: the address is never tried.
        let out = pgready(p.path(), &["check", "--db", "host=127.0.0.1 port=1 user=x dbname=x", option]);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(&format!("error: {option} edits files")) && stderr.contains("--fix-script FILE"), "{stderr}");
        assert!(stdout.is_empty() && !stderr.contains("cannot connect"), "{stderr}");
    }
}

#[test]
fn changed_outside_git_is_a_clear_error() {
    let p = project();
    let out = pgready(p.path(), &["check", "--changed", "db"]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--changed and --diff-base need a git repository, and db is not in one"), "{stderr}");
}

#[test]
fn model_root_reports_the_given_files_against_every_file() {
    let p = project();
    let d = p.path();
    fs::write(d.join("db/V2__i.sql"), "CREATE INDEX t_b2 ON t (b);\n").unwrap();
    // As pre-commit passes the staged files: only V2 is reported, checked against V1's table.
    let out = pgready(d, &["check", "--model-root", ".", "--format", "concise", "db/V2__i.sql"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.starts_with("db/V2__i.sql:1:25: virtual-generated-column-unsupported-use"), "{stdout}");
    assert!(stderr.contains("Reported: findings in 1 given file(s) of 2."), "{stderr}");
    // As `pre-commit run --all-files` passes them: everything is reported.
    let out = pgready(d, &["check", "--model-root", ".", "--format", "concise", "db/V1__t.sql", "db/V2__i.sql"]);
    assert_eq!(text(&out).0.lines().count(), 3, "{}", text(&out).0);
    // A given file that does not exist: refused, as any path.
    let out = pgready(d, &["check", "--model-root", ".", "db/V3__gone.sql"]);
    assert_eq!(out.status.code(), Some(2));
}
