//! The command line as a user runs it: output formats (snapshots), exit codes, options,
//! configuration, suppressions and fixes.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn pgready(dir: &Path, args: &[&str]) -> Output {
    common::pgready_in(dir, args)
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// A scratch project with the given files.
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    dir
}

#[test]
fn concise_output_on_the_demo() {
    let out = pgready(&root(), &["check", "fixtures/demo", "--format", "concise"]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("demo_concise", stdout(&out));
    for line in stdout(&out).lines() {
        let mut parts = line.splitn(4, ':');
        let (path, l, c) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
        assert!(Path::new(path).is_file() && l.parse::<usize>().is_ok() && c.parse::<usize>().is_ok(), "{line}");
    }
}

#[test]
fn human_output_on_the_demo() {
    let out = pgready(&root(), &["check", "fixtures/demo"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!stdout(&out).contains('\x1b'), "NO_COLOR must disable colours");
    insta::assert_snapshot!("demo_human", stdout(&out));
    assert!(stderr(&out).contains("Found 4 errors, 5 warnings and 5 recommendations in 9 file(s), 14 statement(s)"), "{}", stderr(&out));
}

#[test]
fn json_output_on_the_demo_follows_the_schema() {
    let out = pgready(&root(), &["check", "fixtures/demo", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    insta::assert_snapshot!("demo_json", text);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["version"], 1);
    let diags = v["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 14);
    for d in diags {
        for key in ["rule", "severity", "area", "path", "start", "end", "message", "help", "fix"] {
            assert!(d.get(key).is_some(), "missing {key} in {d}");
        }
        for pos in ["start", "end"] {
            for key in ["line", "column", "offset"] {
                assert!(d[pos][key].as_u64().is_some());
            }
        }
    }
    // The index in V10 is fixed by editing the column definition, earlier in the same file.
    let idx = diags.iter().find(|d| d["rule"] == "virtual-generated-column-unsupported-use").unwrap();
    let edit = &idx["fix"]["edits"][0];
    assert_eq!(edit["path"], "fixtures/demo/migrations/V10__account_search.sql");
    assert_eq!(edit["content"], " STORED");
    assert_eq!(idx["fix"]["applicability"], "unsafe");
}

#[test]
fn exit_codes() {
    let p =
        project(&[("clean.sql", "CREATE TABLE t (a int);\n"), ("warn.sql", "CREATE TABLE g (a int, b int GENERATED ALWAYS AS (a));\n")]);
    assert_eq!(pgready(p.path(), &["check", "clean.sql"]).status.code(), Some(0));
    assert_eq!(pgready(p.path(), &["check", "warn.sql"]).status.code(), Some(1));
    assert_eq!(pgready(p.path(), &["check", "warn.sql", "--fail-on", "error"]).status.code(), Some(0));
    // Recommendations alone do not fail a run by default; --fail-on info makes them.
    fs::write(p.path().join("info.sql"), "CREATE TABLE u (id uuid PRIMARY KEY DEFAULT gen_random_uuid());\n").unwrap();
    let info = pgready(p.path(), &["check", "info.sql", "--format", "concise"]);
    assert!(stdout(&info).contains("uuid-random-default"), "{}", stdout(&info));
    assert_eq!(info.status.code(), Some(0));
    assert_eq!(pgready(p.path(), &["check", "info.sql", "--fail-on", "info"]).status.code(), Some(1));
    assert_eq!(pgready(p.path(), &["check", "--select", "no-such-rule"]).status.code(), Some(2));
    assert_eq!(pgready(p.path(), &["check", "--from", "12"]).status.code(), Some(2));
    assert_eq!(pgready(p.path(), &["check", "--format", "xml"]).status.code(), Some(2));
    assert_eq!(pgready(p.path(), &["explain", "no-such-rule"]).status.code(), Some(2));
    // A path that cannot be read (here a dangling symlink) is a finding; one that does not
    // exist is a usage error (tests/gates.rs).
    std::os::unix::fs::symlink("nowhere.sql", p.path().join("missing.sql")).unwrap();
    let missing = pgready(p.path(), &["check", "missing.sql", "--format", "concise"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stdout(&missing).starts_with("missing.sql:1:1: io-error error "), "{}", stdout(&missing));
}

#[test]
fn select_and_ignore_take_ids_and_areas() {
    let p =
        project(&[("a.sql", "CREATE TABLE t (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), a int, b int GENERATED ALWAYS AS (a));\n")]);
    let rules = |args: &[&str]| -> Vec<String> {
        let mut a = vec!["check", "a.sql", "--format", "concise"];
        a.extend_from_slice(args);
        stdout(&pgready(p.path(), &a)).lines().map(|l| l.split(' ').nth(1).unwrap().to_string()).collect()
    };
    assert_eq!(rules(&[]), ["uuid-random-default", "generated-column-implicit-virtual"]);
    assert_eq!(rules(&["--select", "uuid"]), ["uuid-random-default"]);
    assert_eq!(rules(&["--ignore", "uuid-random-default"]), ["generated-column-implicit-virtual"]);
    assert_eq!(rules(&["--select", "generated,uuid", "--ignore", "generated"]), ["uuid-random-default"]);
}

#[test]
fn config_file_is_found_above_the_checked_path() {
    let p = project(&[
        (
            "pgready.toml",
            "ignore = [\"uuid\"]\nexclude = [\"vendor/**\"]\nfail-on = \"error\"\n[per-path-ignores]\n\"**/legacy/*.sql\" = [\"generated-column-implicit-virtual\"]\n",
        ),
        ("db/a.sql", "CREATE TABLE t (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), a int, b int GENERATED ALWAYS AS (a));\n"),
        ("db/legacy/b.sql", "CREATE TABLE u (a int, b int GENERATED ALWAYS AS (a));\n"),
        ("db/vendor/c.sql", "CREATE TABLE v (a int, b int GENERATED ALWAYS AS (a));\n"),
    ]);
    let out = pgready(p.path(), &["check", "db", "--format", "concise"]);
    assert_eq!(
        stdout(&out),
        "db/a.sql:1:77: generated-column-implicit-virtual warning generated column `public.t.b` has neither STORED nor VIRTUAL: PostgreSQL 18 makes it VIRTUAL\n"
    );
    assert_eq!(out.status.code(), Some(0), "fail-on = error, only a warning");
    let bad = project(&[("pgready.toml", "selct = []\n"), ("a.sql", "select 1;")]);
    let out = pgready(bad.path(), &["check", "a.sql"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown field"), "{}", stderr(&out));
}

#[test]
fn suppressions() {
    let p = project(&[(
        "a.sql",
        "-- pgready: ignore uuid-random-default -- public ids\nCREATE TABLE t (id uuid PRIMARY KEY DEFAULT gen_random_uuid());\n\
         CREATE TABLE u (id uuid PRIMARY KEY DEFAULT gen_random_uuid());\n-- pgready: ignore no-such-rule\nSELECT 1;\n\
         -- pgready: ignore generated -- nothing to hide here\nSELECT 2;\n",
    )]);
    let out = stdout(&pgready(p.path(), &["check", "a.sql", "--format", "concise"]));
    let got: Vec<&str> = out.lines().collect();
    assert_eq!(
        got,
        [
            "a.sql:3:45: uuid-random-default info primary key `public.u.id` defaults to gen_random_uuid(), a random (v4) UUID: PostgreSQL 18 has uuidv7()",
            "a.sql:4:20: unused-suppression warning unknown rule `no-such-rule` in suppression",
            "a.sql:6:20: unused-suppression warning suppression of `generated` hides nothing",
        ]
    );
    let p = project(&[(
        "b.sql",
        "-- pgready: ignore-file uuid\nCREATE TABLE t (id uuid PRIMARY KEY DEFAULT gen_random_uuid());\nCREATE TABLE u (id uuid UNIQUE DEFAULT uuid_generate_v4());\n",
    )]);
    assert_eq!(stdout(&pgready(p.path(), &["check", "b.sql", "--format", "concise"])), "");
    // After a statement, on its line: that statement's finding, not the next one's (issue 32).
    let p = project(&[(
        "c.sql",
        "SET password_encryption = 'md5'; -- pgready: ignore md5-password -- legacy clients
SET password_encryption = 'md5';
",
    )]);
    let out = stdout(&pgready(p.path(), &["check", "c.sql", "--format", "concise", "--select", "md5-password,unused-suppression"]));
    let got: Vec<&str> = out.lines().collect();
    assert_eq!(got.len(), 1, "{out}");
    assert!(got[0].starts_with("c.sql:2:") && got[0].contains("md5-password"), "{out}");
}

#[test]
fn rules_and_explain() {
    let out = stdout(&pgready(&root(), &["rules"]));
    for r in pgready::rules::REGISTRY {
        assert!(out.contains(r.meta.id), "{} missing from `pgready rules`", r.meta.id);
    }
    let json: serde_json::Value = serde_json::from_str(&stdout(&pgready(&root(), &["rules", "--format", "json"]))).unwrap();
    assert_eq!(json.as_array().unwrap().len(), pgready::rules::REGISTRY.len());
    let page = stdout(&pgready(&root(), &["explain", "generated-column-implicit-virtual"]));
    let source = fs::read_to_string(root().join("rules/generated-column-implicit-virtual.md")).unwrap();
    // The page as written, but the fenced blocks' test tags are for the harness, not the reader.
    assert!(source.contains("```sql,expect_diagnostic"), "the page has tagged examples");
    assert!(!page.contains("expect_diagnostic") && !page.contains("pg18="), "{page}");
    assert_eq!(page.lines().count(), source.lines().count());
    for (shown, written) in page.lines().zip(source.lines()) {
        if !written.starts_with("```") {
            assert_eq!(shown, written);
        }
    }
}

/// `--diff` prints; `--fix` writes; a machine format or an output file would be another report:
/// combining them is refused rather than one silently winning.
#[test]
fn diff_refuses_fix_format_and_output() {
    let p = project(&[("m.sql", "SELECT 1;\n")]);
    for extra in [&["--fix"][..], &["--format", "json"], &["--output", "r.txt"]] {
        let mut args = vec!["check", "m.sql", "--diff"];
        args.extend_from_slice(extra);
        let out = pgready(p.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("cannot be used with"), "{}", stderr(&out));
    }
}

/// A diff of an absolute path is headed as git writes it.
#[test]
fn diff_of_an_absolute_path_has_git_headers() {
    let p = project(&[("m.sql", MIGRATION)]);
    let abs = p.path().join("m.sql");
    // Run from elsewhere: the path is shown absolute.
    let out = pgready(&root(), &["check", abs.to_str().unwrap(), "--diff", "--unsafe-fixes", "--no-cache"]);
    let diff = stdout(&out);
    let shown = abs.to_str().unwrap().trim_start_matches('/');
    assert!(diff.contains(&format!("--- a/{shown}\n")) && diff.contains(&format!("+++ b/{shown}\n")), "{diff}");
    assert!(!diff.contains("a//"), "{diff}");
}

const MIGRATION: &str = "CREATE TABLE t (\r\n  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),\r\n  a int,\r\n  b int GENERATED ALWAYS AS (a * 2)\r\n);\r\nCREATE INDEX t_b ON t (b);\r\n";

#[test]
fn diff_shows_fixes_without_writing() {
    let p = project(&[("m.sql", MIGRATION)]);
    let out = pgready(p.path(), &["check", "m.sql", "--diff", "--unsafe-fixes"]);
    let diff = stdout(&out);
    assert!(diff.contains("--- a/m.sql") && diff.contains("+++ b/m.sql"), "{diff}");
    assert!(diff.contains("+  b int GENERATED ALWAYS AS (a * 2) STORED\r\n"), "{diff}");
    assert!(diff.contains("+  id uuid PRIMARY KEY DEFAULT uuidv7(),"), "{diff}");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(fs::read_to_string(p.path().join("m.sql")).unwrap(), MIGRATION, "--diff must not write");
    // Safe fixes only: none of these fixes is safe.
    assert_eq!(stdout(&pgready(p.path(), &["check", "m.sql", "--diff"])), "");
}

#[test]
fn fix_writes_atomically_keeps_permissions_and_line_endings_and_is_idempotent() {
    let p = project(&[("m.sql", MIGRATION), ("other.sql", "SELECT 1;\n")]);
    let path = p.path().join("m.sql");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    let out = pgready(p.path(), &["check", ".", "--fix", "--unsafe-fixes", "--format", "concise"]);
    assert!(stderr(&out).contains("Fixed 3 problem(s)."), "{}", stderr(&out));
    assert_eq!(stdout(&out), "", "nothing left to report");
    assert_eq!(out.status.code(), Some(0));
    let fixed = fs::read_to_string(&path).unwrap();
    assert_eq!(
        fixed,
        "CREATE TABLE t (\r\n  id uuid PRIMARY KEY DEFAULT uuidv7(),\r\n  a int,\r\n  b int GENERATED ALWAYS AS (a * 2) STORED\r\n);\r\nCREATE INDEX t_b ON t (b);\r\n"
    );
    assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
    assert_eq!(fs::read_to_string(p.path().join("other.sql")).unwrap(), "SELECT 1;\n", "untouched file changed");
    let leftovers: Vec<_> = fs::read_dir(p.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".pgready-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");
    // Idempotent: a second run finds nothing to fix and changes nothing.
    let again = pgready(p.path(), &["check", ".", "--fix", "--unsafe-fixes"]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(fs::read_to_string(&path).unwrap(), fixed);
}

#[test]
fn cross_file_fix_edits_the_defining_migration() {
    let p = project(&[
        ("migrations/V7__add.sql", "ALTER TABLE t ADD COLUMN b int GENERATED ALWAYS AS (a + 1) VIRTUAL;\n"),
        ("migrations/V30__idx.sql", "CREATE INDEX t_b ON t (b);\n"),
        ("migrations/V1__t.sql", "CREATE TABLE t (a int);\n"),
    ]);
    let out = pgready(p.path(), &["check", "migrations", "--format", "concise"]);
    assert_eq!(
        stdout(&out),
        "migrations/V30__idx.sql:1:24: virtual-generated-column-unsupported-use error index `t_b` uses virtual generated column `public.t.b`: PostgreSQL 18 does not support this\n"
    );
    pgready(p.path(), &["check", "migrations", "--fix", "--unsafe-fixes"]);
    assert_eq!(
        fs::read_to_string(p.path().join("migrations/V7__add.sql")).unwrap(),
        "ALTER TABLE t ADD COLUMN b int GENERATED ALWAYS AS (a + 1) STORED;\n"
    );
    assert_eq!(fs::read_to_string(p.path().join("migrations/V30__idx.sql")).unwrap(), "CREATE INDEX t_b ON t (b);\n");
}

#[test]
fn down_migrations_are_linted_but_not_applied() {
    let p = project(&[
        ("m/2024-01-01-000000_a/up.sql", "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a) STORED);\n"),
        ("m/2024-01-01-000000_a/down.sql", "DROP TABLE t;\n"),
        ("m/2024-02-01-000000_b/up.sql", "CREATE INDEX ON t (b);\n"),
        (
            "m/2024-02-01-000000_b/down.sql",
            "ALTER TABLE t DROP COLUMN b;\nALTER TABLE t ADD COLUMN b int GENERATED ALWAYS AS (a) VIRTUAL;\nCREATE INDEX ON t (b);\n",
        ),
    ]);
    let out = stdout(&pgready(p.path(), &["check", "m", "--format", "concise"]));
    // Only the down migration's own virtual column is reported: `DROP TABLE t` in the first
    // down.sql did not remove the table from the model.
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with("m/2024-02-01-000000_b/down.sql:3:20: virtual-generated-column-unsupported-use"), "{out}");
}

#[test]
fn baseline_hides_known_findings_even_when_lines_move() {
    let old = "CREATE TABLE t (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), b int GENERATED ALWAYS AS (1));\n";
    let p = project(&[("m.sql", old)]);
    let w = pgready(p.path(), &["check", ".", "--write-baseline", "pgready-baseline.json"]);
    assert_eq!(w.status.code(), Some(0));
    assert!(stderr(&w).contains("Baseline of 2 finding(s)"), "{}", stderr(&w));
    // Unrelated edits move the old statement down; a new problem is added.
    fs::write(p.path().join("m.sql"), format!("-- header\nCREATE TABLE u (a int, c int GENERATED ALWAYS AS (a));\n\n{old}")).unwrap();
    let out = pgready(p.path(), &["check", ".", "--baseline", "pgready-baseline.json", "--format", "concise"]);
    assert_eq!(
        stdout(&out),
        "m.sql:2:30: generated-column-implicit-virtual warning generated column `public.u.c` has neither STORED nor VIRTUAL: PostgreSQL 18 makes it VIRTUAL\n"
    );
    assert!(stderr(&out).contains("2 finding(s) hidden by the baseline"), "{}", stderr(&out));
    let bad = pgready(p.path(), &["check", ".", "--baseline", "m.sql"]);
    assert_eq!(bad.status.code(), Some(2), "a file that is not a baseline is a usage error");
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git").current_dir(dir).args(args).output().unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn git_repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let p = project(files);
    git(p.path(), &["init", "-q", "-b", "main"]);
    git(p.path(), &["-c", "user.name=t", "-c", "user.email=t@example.com", "add", "."]);
    git(p.path(), &["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "init"]);
    p
}

#[test]
fn changed_files_mode_reports_only_changed_files_but_reads_them_all() {
    let p = git_repo(&[
        ("migrations/V1__t.sql", "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a));\n"),
        ("migrations/V2__x.sql", "CREATE TABLE x (id uuid PRIMARY KEY DEFAULT gen_random_uuid());\n"),
    ]);
    // A new migration indexes the virtual column created in an old, unchanged file.
    fs::write(p.path().join("migrations/V3__idx.sql"), "CREATE INDEX t_b ON t (b);\n").unwrap();
    let all = stdout(&pgready(p.path(), &["check", "migrations", "--format", "concise"]));
    assert_eq!(all.lines().count(), 3, "{all}");
    for args in [&["--changed"][..], &["--diff-base", "main"][..]] {
        let mut a = vec!["check", "migrations", "--format", "concise"];
        a.extend_from_slice(args);
        let out = pgready(p.path(), &a);
        assert_eq!(
            stdout(&out),
            "migrations/V3__idx.sql:1:24: virtual-generated-column-unsupported-use error index `t_b` uses virtual generated column `public.t.b` (virtual by default: no STORED): PostgreSQL 18 does not support this\n",
            "{args:?}"
        );
        assert_eq!(out.status.code(), Some(1));
    }
    assert_eq!(pgready(p.path(), &["check", "migrations", "--diff-base", "no-such-ref"]).status.code(), Some(2));
}

/// `--fix --changed` edits only the changed files: an applied migration (Flyway and Liquibase
/// checksum them) is left as it is, even where it has a fixable finding (issue 32).
#[test]
fn fix_with_changed_edits_only_the_changed_files() {
    let old = "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2));\n";
    let p = git_repo(&[("migrations/V1__t.sql", old)]);
    let new = "CREATE TABLE u (a int, b int GENERATED ALWAYS AS (a * 3));\n";
    fs::write(p.path().join("migrations/V2__u.sql"), new).unwrap();
    let out = pgready(p.path(), &["check", "migrations", "--fix", "--unsafe-fixes", "--changed"]);
    assert!(stderr(&out).contains("Fixed 1 problem(s)."), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(p.path().join("migrations/V1__t.sql")).unwrap(), old, "the applied migration was edited");
    assert_ne!(fs::read_to_string(p.path().join("migrations/V2__u.sql")).unwrap(), new, "the new migration was not fixed");
}

/// goose: what `-- +goose StatementEnd` closes is one statement, with or without its `;`; the
/// Down section is linted but never changes the model, so a later migration still sees what Up
/// made (issue 32).
#[test]
fn goose_sections_are_read_as_goose_runs_them() {
    let p = project(&[
        (
            "migrations/00001_init.sql",
            "-- +goose Up\nCREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) STORED);\n-- +goose StatementBegin\n\
             CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND\n$$\n-- +goose StatementEnd\n\n\
             -- +goose Down\nDROP FUNCTION f();\nALTER TABLE t ALTER COLUMN b DROP EXPRESSION;\nALTER TABLE t DROP COLUMN b;\n\
             ALTER TABLE t ADD COLUMN b int GENERATED ALWAYS AS (a * 3);\n",
        ),
        ("migrations/00002_idx.sql", "-- +goose Up\nCREATE INDEX t_b ON t (b);\n-- +goose Down\nDROP INDEX t_b;\n"),
    ]);
    let out = stdout(&pgready(p.path(), &["check", "migrations", "--format", "concise"]));
    let rules: Vec<&str> = out.lines().map(|l| l.split(' ').nth(1).unwrap_or("")).collect();
    // The Down section's own hazard is reported where it is; Up's STORED column is what the
    // index sees (had Down been folded, the column would be virtual and the index an error).
    assert_eq!(rules, ["generated-column-implicit-virtual"], "{out}");
    assert!(out.starts_with("migrations/00001_init.sql:15:"), "{out}");
}

#[test]
fn config_fixes_keep_comments_order_and_formatting() {
    let conf = "# tuned in 2021\nssl_ecdh_curve = 'prime256v1'   # keep this comment\n\nlog_connections=on\nwork_mem = 4MB\n";
    let hba = "# TYPE DATABASE USER ADDRESS METHOD\nhost    all   all   10.0.0.0/8   md5   # office\n";
    let p = project(&[("data/postgresql.conf", conf), ("data/pg_hba.conf", hba)]);
    // Every fix here writes what only the new cluster accepts: none is safe, --fix changes nothing.
    let out = pgready(p.path(), &["check", "data", "--fix", "--format", "concise"]);
    assert!(!stderr(&out).contains("Fixed"), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(p.path().join("data/postgresql.conf")).unwrap(), conf);
    assert_eq!(fs::read_to_string(p.path().join("data/pg_hba.conf")).unwrap(), hba, "the md5 fix is unsafe: not applied by --fix");
    let out = pgready(p.path(), &["check", "data", "--fix", "--unsafe-fixes"]);
    assert!(stderr(&out).contains("Fixed 3 problem(s)."), "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(p.path().join("data/postgresql.conf")).unwrap(),
        "# tuned in 2021\nssl_groups = 'prime256v1'   # keep this comment\n\nlog_connections='receipt,authentication,authorization'\nwork_mem = 4MB\n"
    );
    assert_eq!(
        fs::read_to_string(p.path().join("data/pg_hba.conf")).unwrap(),
        "# TYPE DATABASE USER ADDRESS METHOD\nhost    all   all   10.0.0.0/8   scram-sha-256   # office\n"
    );
    let again = pgready(p.path(), &["check", "data", "--fix", "--unsafe-fixes", "--format", "concise"]);
    assert_eq!(stdout(&again), "", "nothing left, nothing fixed twice");
}

#[test]
fn config_includes_cycles_and_missing_files() {
    let p = project(&[
        ("s/postgresql.conf", "include 'a.conf'\ninclude_if_exists 'optional.conf'\ninclude 'nowhere.conf'\n"),
        ("s/a.conf", "include 'b.conf'\n"),
        ("s/b.conf", "include 'a.conf'\nold_snapshot_threshold = -1\n"),
        ("s/postgresql.auto.conf", "work_mem = 8MB\n"),
    ]);
    let out = stdout(&pgready(p.path(), &["check", "s", "--format", "concise", "--from", "16"]));
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.iter().any(|l| l.starts_with("s/b.conf:1:1: config-error error include cycle")), "{out}");
    assert!(lines.iter().any(|l| l.starts_with("s/postgresql.conf:3:1: config-error error could not open configuration file")), "{out}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("s/b.conf:2:1: setting-removed error setting `old_snapshot_threshold` was removed in PostgreSQL 17")),
        "{out}"
    );
    assert_eq!(lines.len(), 3, "{out}");
}

#[test]
fn suppressions_in_configuration_files() {
    let p = project(&[
        (
            "data/postgresql.conf",
            "# pgready: ignore aio-setting-review -- measured on our SAN\neffective_io_concurrency = 1\nlog_connections = on  # pgready: ignore log-connections-boolean\n",
        ),
        (
            "data/pg_hba.conf",
            "host all all 10.0.0.0/8 md5   # pgready: ignore md5-password -- legacy app, until 2027\nhost all all 10.1.0.0/16 md5\n# pgready: ignore hba-hostssl-ssl-off\n",
        ),
    ]);
    let out = stdout(&pgready(p.path(), &["check", "data", "--format", "concise"]));
    assert_eq!(
        out,
        "data/pg_hba.conf:2:26: md5-password warning pg_hba.conf record uses the deprecated md5 method\n\
         data/pg_hba.conf:3:19: unused-suppression warning suppression of `hba-hostssl-ssl-off` hides nothing\n"
    );
}

/// explain-analyze-output fires once per regression test that has an expected output file, and
/// never for other SQL files.
#[test]
fn explain_analyze_is_reported_only_for_tests_with_expected_output() {
    let dir = tempfile::tempdir().unwrap();
    let suite = dir.path().join("suite");
    std::fs::create_dir_all(suite.join("sql")).unwrap();
    std::fs::create_dir_all(suite.join("expected")).unwrap();
    let sql = "CREATE TABLE t (id int);\nEXPLAIN ANALYZE SELECT * FROM t;\nEXPLAIN (ANALYZE, COSTS OFF) SELECT 1;\nEXPLAIN SELECT 1;\n";
    std::fs::write(suite.join("sql/plans.sql"), sql).unwrap();
    std::fs::write(suite.join("expected/plans.out"), "old output\n").unwrap();
    std::fs::write(suite.join("sql/untested.sql"), sql).unwrap();
    std::fs::write(dir.path().join("adhoc.sql"), sql).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pgready"))
        .args(["check", ".", "--format", "concise", "--select", "explain-analyze-output"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "{text}");
    assert!(lines[0].starts_with("suite/sql/plans.sql:2:9: explain-analyze-output info 2 EXPLAIN ANALYZE"), "{text}");
    assert!(lines[0].contains("plans.out will change"), "{text}");
}

/// The warm-run cache: a second run over unchanged files answers from `.pgready-cache/` with the
/// same report; any change — to a file, or to a file only reached through an include — is seen;
/// `--no-cache` neither reads nor writes it; concurrent runs agree.
#[test]
fn the_cache_answers_only_for_unchanged_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join(".git")).unwrap();
    std::fs::create_dir_all(root.join("db/conf.d")).unwrap();
    std::fs::write(root.join("db/001.sql"), "CREATE TABLE t (id int, n int GENERATED ALWAYS AS (id * 2));\n").unwrap();
    std::fs::write(root.join("db/postgresql.conf"), "include_dir 'conf.d'\n").unwrap();
    std::fs::write(root.join("db/conf.d/10.conf"), "work_mem = '4MB'\n").unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["check", "db", "--format", "json"];
        args.extend_from_slice(extra);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_pgready"))
            .args(&args)
            .current_dir(root)
            .env_remove("PGREADY_NO_CACHE")
            .output()
            .unwrap();
        (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (first, err) = run(&[]);
    assert!(!err.contains("from the cache"), "{err}");
    assert!(root.join(".pgready-cache/.gitignore").is_file());
    let (second, err) = run(&[]);
    assert!(err.contains("from the cache"), "{err}");
    assert_eq!(first, second);
    // A change only an include reaches.
    std::fs::write(root.join("db/conf.d/10.conf"), "work_mem = '4MB'\nvacuum_defer_cleanup_age = 10\n").unwrap();
    let (third, err) = run(&[]);
    assert!(!err.contains("from the cache"), "{err}");
    assert!(third.contains("setting-removed"), "{third}");
    // A change to a file itself.
    std::fs::write(root.join("db/001.sql"), "CREATE TABLE t (id int);\n").unwrap();
    let (fourth, _) = run(&[]);
    assert!(!fourth.contains("generated-column-implicit-virtual"), "{fourth}");
    // --no-cache: computed, nothing written.
    std::fs::remove_dir_all(root.join(".pgready-cache")).unwrap();
    let (fifth, err) = run(&["--no-cache"]);
    assert_eq!(fifth, fourth);
    assert!(!err.contains("from the cache") && !root.join(".pgready-cache").exists());
    // Concurrent runs write the same entry atomically and agree.
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let root = root.to_path_buf();
            std::thread::spawn(move || {
                let out = std::process::Command::new(env!("CARGO_BIN_EXE_pgready"))
                    .args(["check", "db", "--format", "json"])
                    .current_dir(&root)
                    .env_remove("PGREADY_NO_CACHE")
                    .output()
                    .unwrap();
                String::from_utf8_lossy(&out.stdout).into_owned()
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), fourth);
    }
    assert_eq!(run(&[]).0, fourth);
}

/// A statement with psql variables substituted yields no finding of its own, but what it
/// counts toward still counts: an EXPLAIN ANALYZE of a test whose output is compared.
#[test]
fn substituted_statements_still_count_toward_per_file_findings() {
    let dir = project(&[("sql/t.sql", "\\set v 1\nEXPLAIN (ANALYZE) SELECT :v;\nEXPLAIN (ANALYZE) SELECT 1;\n"), ("expected/t.out", "")]);
    let out = pgready(dir.path(), &["check", "--format", "concise", "."]);
    assert_eq!(
        stdout(&out).trim(),
        "sql/t.sql:2:10: explain-analyze-output info 2 EXPLAIN ANALYZE statement(s) in this test: PostgreSQL 18 prints them differently, t.out will change"
    );
}

/// An invalid glob in `[per-path-ignores]` is a usage error, not silently dropped.
#[test]
fn an_invalid_per_path_glob_is_a_usage_error() {
    let dir = project(&[("pgready.toml", "[per-path-ignores]\n\"migrations/[a\" = [\"uuid\"]\n"), ("a.sql", "SELECT 1;\n")]);
    let out = pgready(dir.path(), &["check", "."]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("invalid glob"), "{}", stderr(&out));
}

/// A file-level problem (missing path, binary file) names the file in the human report too.
#[test]
fn file_level_problems_name_the_file_in_the_human_report() {
    let p = project(&[]);
    fs::write(p.path().join("bin.sql"), b"\x00\x01\x02\xffSELECT").unwrap();
    std::os::unix::fs::symlink("nowhere.sql", p.path().join("missing.sql")).unwrap();
    let out = stdout(&pgready(p.path(), &["check", "bin.sql", "missing.sql", "--format", "human"]));
    assert!(out.contains("bin.sql: binary file"), "{out}");
    assert!(out.contains("missing.sql: cannot read this path"), "{out}");
}

/// Control characters of a flagged file (an escape sequence that retitles or recolours the
/// terminal) are not echoed raw by the human report; spans still point at the right text.
#[test]
fn control_characters_are_not_echoed_to_the_terminal() {
    let p = project(&[("e.sql", "CREATE TABLE g (a int, b int GENERATED ALWAYS AS (a)); -- \u{1b}]0;pwned\u{7} \u{9b}2J\n")]);
    let out = stdout(&pgready(p.path(), &["check", "e.sql", "--format", "human"]));
    assert!(out.contains("generated-column-implicit-virtual"), "{out}");
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}') && !out.contains('\u{9b}'), "{out:?}");
    assert!(out.contains("-- ?]0;pwned? ??2J"), "{out}");
}

/// A read-only file is not replaced by --fix (the rename would have gone through anyway): it is
/// reported and left untouched.
#[test]
fn fix_leaves_a_read_only_file_untouched() {
    let p = project(&[("m.sql", MIGRATION)]);
    let path = p.path().join("m.sql");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    let out = pgready(p.path(), &["check", "m.sql", "--fix", "--unsafe-fixes"]);
    assert!(stderr(&out).contains("not fixed: m.sql: the file is read-only"), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(&path).unwrap(), MIGRATION);
    assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o444);
    assert_eq!(out.status.code(), Some(1), "the findings remain");
}

/// A NUL byte in an otherwise textual SQL file is an error where it is; the rest of the file is
/// still checked (it was skipped whole, hiding its findings).
#[test]
fn a_nul_byte_is_an_error_where_it_is_and_the_rest_is_checked() {
    let p = project(&[("n.sql", "SELECT 1;\0\0\nCREATE TABLE g (a int, b int GENERATED ALWAYS AS (a));\n")]);
    let out = pgready(p.path(), &["check", "n.sql", "--format", "concise"]);
    let text = stdout(&out);
    assert!(text.contains("n.sql:1:10: invalid-encoding error NUL byte (and 1 more): PostgreSQL rejects it"), "{text}");
    assert!(text.contains("n.sql:2:") && text.contains("generated-column-implicit-virtual"), "{text}");
    assert_eq!(out.status.code(), Some(1));
}

/// A finding far into a very long line (a generated one-line statement) is reported with the
/// line clipped around it; miette panicked on labels past column 65,535.
#[test]
fn a_finding_past_column_65535_is_shown_clipped() {
    let long = format!("SELECT {};\n", vec!["1"; 40_000].join(", "));
    let text = format!("-- header\n{} CREATE TABLE g (a int, b int GENERATED ALWAYS AS (a));\n", long.trim_end());
    let p = project(&[("long.sql", &text)]);
    let out = pgready(p.path(), &["check", "long.sql", "--format", "human"]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(report.contains("generated-column-implicit-virtual"), "{report}");
    let line = text.lines().nth(1).unwrap();
    let column = line.find("GENERATED ALWAYS").unwrap() + 1;
    assert!(column > 65_535);
    assert!(report.contains(&format!("(line 2 is {} characters long: shown around column {column})", line.len())), "{report}");
    assert!(report.lines().all(|l| l.chars().count() < 400), "a clipped line stays short");
    assert!(report.contains("…") && report.contains("GENERATED ALWAYS AS (a)"), "{report}");
}

/// SQL on standard input is read like a file: `-` (shown as `-`, or as --stdin-filename, which
/// also decides its kind) and `/dev/stdin`. It said "All clear: 0 file(s)" before.
#[test]
fn standard_input_is_read_like_a_file() {
    use std::io::Write as _;
    use std::process::Stdio;
    let run = |args: &[&str], input: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pgready"))
            .current_dir(root())
            .args(args)
            .env("NO_COLOR", "1")
            .env("PGREADY_NO_CACHE", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    let sql = "CREATE TABLE g (a int, b int GENERATED ALWAYS AS (a));\n";
    for (args, shown) in [
        (&["check", "-", "--format", "concise"][..], "-"),
        (&["check", "/dev/stdin", "--format", "concise"], "/dev/stdin"),
        (&["check", "-", "--stdin-filename", "migrations/V1.sql", "--format", "concise"], "migrations/V1.sql"),
    ] {
        let out = run(args, sql);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(stdout(&out).starts_with(&format!("{shown}:1:30: generated-column-implicit-virtual")), "{args:?}: {}", stdout(&out));
    }
    // The name decides the kind: a pg_hba.conf read from standard input.
    let out = run(&["check", "-", "--stdin-filename", "pg_hba.conf", "--format", "concise"], "host all all 0.0.0.0/0 md5\n");
    assert!(stdout(&out).starts_with("pg_hba.conf:1:24: md5-password"), "{}", stdout(&out));
    // Nothing is written for standard input, whatever its name.
    let out = run(&["check", "-", "--stdin-filename", "never-written.sql", "--fix", "--unsafe-fixes"], sql);
    assert!(stderr(&out).contains("not fixed: never-written.sql: standard input cannot be fixed in place"), "{}", stderr(&out));
    assert!(!root().join("never-written.sql").exists());
}
