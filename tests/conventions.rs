//! The command line a ruff, squawk or psql user expects: each row of the README's table "What a
//! ruff, squawk or psql user tries" (the live rows are in tests/live.rs), run on the binary.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pgready"));
    c.env("PGREADY_NO_CACHE", "1").env_remove("NO_COLOR").env_remove("FORCE_COLOR").env_remove("CLICOLOR_FORCE");
    c
}

fn run(dir: &Path, args: &[&str]) -> Output {
    bin().current_dir(dir).args(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, body) in files {
        let p = dir.path().join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, body).unwrap();
    }
    dir
}

const UNLOGGED: &str = "CREATE UNLOGGED TABLE events (at timestamptz) PARTITION BY RANGE (at);\n";
const RANDOM_KEY: &str = "CREATE TABLE \"User\" (id uuid DEFAULT gen_random_uuid() PRIMARY KEY);\n";

#[test]
fn durations_take_postgresql_units_and_say_the_bare_unit() {
    let dir = project(&[("a.sql", "SELECT 1;\n")]);
    for args in [["--lock-timeout", "1s"], ["--statement-timeout", "30s"], ["--lock-timeout", "500"]] {
        let out = run(dir.path(), &["check", "a.sql", args[0], args[1]]);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out.stderr));
    }
    let bad = run(dir.path(), &["check", "a.sql", "--lock-timeout", "5 minutes"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("unknown unit `minutes`"), "{}", text(&bad.stderr));
    let replay = run(dir.path(), &["replay", "a.sql", "--statement-timeout", "soon"]);
    assert_eq!(replay.status.code(), Some(2));
    assert!(text(&replay.stderr).contains("not a duration"), "{}", text(&replay.stderr));
    let help = text(&run(dir.path(), &["check", "--help"]).stdout);
    assert!(help.contains("a bare number is milliseconds") && help.contains("[default: 30s]"), "{help}");
    let help = text(&run(dir.path(), &["replay", "--help"]).stdout);
    assert!(help.contains("a bare number is seconds"), "{help}");
}

#[test]
fn from_takes_majors_as_people_write_them() {
    let dir = project(&[("a.sql", "SELECT 1;\n")]);
    for from in ["15", "15.4", "PG15", "pg15"] {
        let out = run(dir.path(), &["check", "a.sql", "--from", from]);
        assert_eq!(out.status.code(), Some(0), "{from}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains("for an upgrade from PostgreSQL 15 to 18"), "{}", text(&out.stderr));
    }
    let old = run(dir.path(), &["check", "a.sql", "--from", "12"]);
    assert_eq!(old.status.code(), Some(2));
    let err = text(&old.stderr);
    assert!(err.contains("pgready supports upgrades from 13 to 17, not from 12") && err.contains("upgrade to 13 or later first"), "{err}");
    assert!(!err.contains("13..="), "no Rust range syntax: {err}");
    // The default is said in --help and in the summary.
    assert!(text(&run(dir.path(), &["check", "--help"]).stdout).contains("[default: 13, the oldest"));
    assert!(
        text(&run(dir.path(), &["check", "a.sql"]).stderr)
            .contains("All clear: 1 file(s), 1 statement(s) checked for an upgrade from PostgreSQL 13 to 18.")
    );
}

#[test]
fn misspelt_rule_names_get_a_suggestion_and_areas_list_their_rules() {
    let dir = project(&[("a.sql", "-- pgready: ignore setting-remove\nSET force_parallel_mode = off;\n")]);
    let select = run(dir.path(), &["check", "a.sql", "--select", "uuid-random-defualt"]);
    assert_eq!(select.status.code(), Some(2));
    assert!(text(&select.stderr).contains("did you mean `uuid-random-default`?"), "{}", text(&select.stderr));
    let explain = run(dir.path(), &["explain", "md5_password"]);
    assert_eq!(explain.status.code(), Some(2));
    assert!(text(&explain.stderr).contains("did you mean `md5-password`?"), "{}", text(&explain.stderr));
    let area = run(dir.path(), &["explain", "generated"]);
    assert_eq!(area.status.code(), Some(0));
    let listed = text(&area.stdout);
    for rule in ["generated-column-implicit-virtual", "virtual-generated-column-unsupported-use", "virtual-generated-column-user-defined"] {
        assert!(listed.contains(rule), "{listed}");
    }
    let suppressed = run(dir.path(), &["check", "a.sql", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&suppressed.stdout).unwrap();
    let unused = json["diagnostics"].as_array().unwrap().iter().find(|d| d["rule"] == "unused-suppression").expect("reported");
    assert!(unused["help"].as_str().unwrap().contains("Did you mean `setting-removed`?"), "{unused}");
}

#[test]
fn colours_follow_the_option_then_no_color_then_force_color() {
    let dir = project(&[("a.sql", UNLOGGED)]);
    let coloured = |out: &Output| text(&out.stdout).contains("\u{1b}[");
    let with = |env: &[(&str, &str)], args: &[&str]| {
        let mut c = bin();
        c.current_dir(dir.path()).arg("check").arg("a.sql").args(args);
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    };
    assert!(!coloured(&with(&[], &[])), "not a terminal: no colour");
    assert!(coloured(&with(&[], &["--color", "always"])));
    assert!(coloured(&with(&[("FORCE_COLOR", "1")], &[])));
    assert!(coloured(&with(&[("CLICOLOR_FORCE", "1")], &[])));
    assert!(!coloured(&with(&[("FORCE_COLOR", "0")], &[])));
    assert!(!coloured(&with(&[("FORCE_COLOR", "1"), ("NO_COLOR", "1")], &[])));
    assert!(coloured(&with(&[("NO_COLOR", "1")], &["--color", "always"])));
    assert!(!coloured(&with(&[("FORCE_COLOR", "1")], &["--color", "never"])));
    assert!(!coloured(&with(&[("FORCE_COLOR", "1")], &["--no-color"])));
}

#[test]
fn concise_lines_carry_the_severity_and_a_fixable_marker() {
    let dir = project(&[("a.sql", &format!("{UNLOGGED}{RANDOM_KEY}"))]);
    let out = run(dir.path(), &["check", "a.sql", "--format", "concise"]);
    let lines: Vec<String> = text(&out.stdout).lines().map(String::from).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with("a.sql:1:8: unlogged-partitioned-table error[*] "), "{}", lines[0]);
    // An unsafe fix (uuidv7) is not something --fix applies: no marker.
    assert!(lines[1].starts_with("a.sql:2:") && lines[1].contains(" uuid-random-default info "), "{}", lines[1]);
}

#[test]
fn statistics_exit_zero_and_add_noqa() {
    let dir = project(&[("m/1.sql", UNLOGGED), ("m/2.sql", &format!("SELECT 1;\n  {UNLOGGED}"))]);
    let stats = run(dir.path(), &["check", "m", "--statistics"]);
    assert_eq!(stats.status.code(), Some(1));
    let table = text(&stats.stdout);
    assert!(table.lines().any(|l| l.trim_start().starts_with("2  unlogged-partitioned-table  [*] ")), "{table}");
    let json: serde_json::Value =
        serde_json::from_slice(&run(dir.path(), &["check", "m", "--statistics", "--format", "json"]).stdout).unwrap();
    assert_eq!(json[0]["rule"], "unlogged-partitioned-table");
    assert_eq!(json[0]["count"], 2);
    assert_eq!(run(dir.path(), &["check", "m", "--exit-zero"]).status.code(), Some(0));
    assert_eq!(run(dir.path(), &["check", "missing.sql", "--exit-zero"]).status.code(), Some(2), "a usage error is still 2");

    let added = run(dir.path(), &["check", "m", "--add-noqa"]);
    assert_eq!(added.status.code(), Some(0), "{}", text(&added.stderr));
    assert!(text(&added.stderr).contains("Added 2 suppression comment(s) to 2 file(s)."), "{}", text(&added.stderr));
    let one = fs::read_to_string(dir.path().join("m/1.sql")).unwrap();
    assert!(one.starts_with("-- pgready: ignore unlogged-partitioned-table -- added by --add-noqa"), "{one}");
    let two = fs::read_to_string(dir.path().join("m/2.sql")).unwrap();
    assert!(two.contains("SELECT 1;\n  -- pgready: ignore unlogged-partitioned-table"), "indented as the statement:\n{two}");
    // Idempotent: nothing more to add, nothing reported.
    let again = run(dir.path(), &["check", "m", "--add-noqa"]);
    assert!(text(&again.stderr).contains("Added 0 suppression comment(s)"), "{}", text(&again.stderr));
    assert_eq!(fs::read_to_string(dir.path().join("m/1.sql")).unwrap(), one);
    assert_eq!(run(dir.path(), &["check", "m"]).status.code(), Some(0));
}

#[test]
fn a_baseline_holds_from_any_folder_of_the_project() {
    let dir = project(&[("pgready.toml", ""), ("db/migrations/1.sql", UNLOGGED)]);
    let written = run(dir.path(), &["check", "db", "--write-baseline", "bl.json"]);
    assert_eq!(written.status.code(), Some(0), "{}", text(&written.stderr));
    let sub = dir.path().join("db");
    let out = run(&sub, &["check", "migrations", "--baseline", "../bl.json"]);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    assert!(text(&out.stderr).contains("1 finding(s) hidden by the baseline"), "{}", text(&out.stderr));
}

#[test]
fn standard_input_is_read_as_what_it_holds() {
    let dir = project(&[]);
    let piped = |input: &str| {
        let mut child = bin()
            .current_dir(dir.path())
            .args(["check", "-", "--format", "json"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    assert_eq!(piped("# TYPE DATABASE USER ADDRESS METHOD\nlocal all all trust\nhost all all 10.0.0.0/8 md5\n"), ["md5-password"]);
    assert_eq!(piped("shared_buffers = '1GB'\nforce_parallel_mode = off\n"), ["setting-removed"]);
    assert_eq!(piped("SET force_parallel_mode = off;\n"), ["setting-removed"]);
}

#[test]
fn the_summary_counts_in_words_and_names_quoted_identifiers_as_sql_does() {
    let dir = project(&[("a.sql", &format!("{UNLOGGED}{RANDOM_KEY}CREATE UNLOGGED TABLE e2 (at date) PARTITION BY RANGE (at);\n"))]);
    let out = run(dir.path(), &["check", "a.sql", "--format", "concise"]);
    let err = text(&out.stderr);
    assert!(
        err.contains("Found 2 errors and 1 recommendation in 1 file(s), 3 statement(s), for an upgrade from PostgreSQL 13 to 18."),
        "{err}"
    );
    assert!(text(&out.stdout).contains("`public.\"User\".id`"), "{}", text(&out.stdout));
    // -v lists what was not judged; the summary then does not ask for -v.
    let dir = project(&[("t.sql", "DO $$ BEGIN EXECUTE 'SELECT ' || 1; END $$;\n")]);
    let plain = text(&run(dir.path(), &["check", "t.sql"]).stderr);
    assert!(plain.contains("not judged") && plain.contains("--verbose lists them"), "{plain}");
    let verbose = text(&run(dir.path(), &["check", "t.sql", "-v"]).stderr);
    assert!(verbose.contains("listed above") && !verbose.contains("--verbose lists them"), "{verbose}");
}

/// README's usage section holds the real `--help` (scripts/update-readme-usage.sh writes it).
#[test]
fn readme_usage_is_the_real_help() {
    let readme = fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let mut seen = 0;
    for block in readme.split("<!-- help: ").skip(1) {
        let (args, rest) = block.split_once(" -->\n```text\n").expect("a help block");
        let (shown, _) = rest.split_once("\n```\n<!-- end: ").expect("its end");
        let out = bin().args(args.split_whitespace()).output().unwrap();
        assert_eq!(shown, text(&out.stdout).trim_end(), "README's `pgready {args}` is stale: run scripts/update-readme-usage.sh");
        seen += 1;
    }
    assert!(seen >= 1, "no help block in README.md");
}

/// Each message once: a read-only file is "not fixed: ...: the file is read-only", and a run
/// that fixes says nothing about the cache its first findings came from.
#[test]
fn fix_runs_say_each_thing_once() {
    use std::os::unix::fs::PermissionsExt;
    let dir = project(&[("pgready.toml", ""), ("a.sql", UNLOGGED), ("b.sql", UNLOGGED)]);
    fs::set_permissions(dir.path().join("b.sql"), fs::Permissions::from_mode(0o444)).unwrap();
    let cached = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_pgready")).current_dir(dir.path()).args(args).env("NO_COLOR", "1").output().unwrap()
    };
    cached(&["check", "."]);
    let second = text(&cached(&["check", "."]).stderr);
    assert!(second.contains("findings from the cache"), "the cache answered the second run: {second}");
    let fixed = text(&cached(&["check", ".", "--fix"]).stderr);
    assert!(!fixed.contains("findings from the cache"), "{fixed}");
    assert_eq!(fixed.matches("read-only").count(), 1, "{fixed}");
    assert!(fixed.contains("not fixed: b.sql: the file is read-only\n"), "{fixed}");
}
