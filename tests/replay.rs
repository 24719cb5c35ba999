//! `pgready replay` on real servers from the test set-up: PostgreSQL 18 as the target and 15
//! as the baseline, reached by DSN and as bin directories (throwaway clusters, made by a
//! non-root user). Every test also checks that nothing is left on the servers afterwards —
//! including after a Ctrl-C half-way.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The tests look for leftovers on the servers: one replay at a time.
static SERVERS: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/replay/migrations")
}

/// Run `pgready` (as `user` when given: initdb refuses root): exit code, stdout, stderr.
fn pgready_as(user: Option<&str>, args: &[&str]) -> (i32, String, String) {
    let mut cmd = match user {
        Some(u) => {
            let mut c = Command::new("runuser");
            c.args(["-u", u, "--", env!("CARGO_BIN_EXE_pgready")]);
            c
        }
        None => Command::new(env!("CARGO_BIN_EXE_pgready")),
    };
    let out = cmd.args(args).env("NO_COLOR", "1").output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn findings(json: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("not JSON ({e}):\n{json}"));
    v["diagnostics"].as_array().unwrap().clone()
}

/// (file name, line, rule) of every finding of a replay rule.
fn replay_findings(json: &str) -> Vec<(String, u64, String)> {
    let mut out: Vec<(String, u64, String)> = findings(json)
        .iter()
        .filter(|d| d["rule"].as_str().unwrap().starts_with("replay-"))
        .map(|d| {
            let file = Path::new(d["path"].as_str().unwrap()).file_name().unwrap().to_string_lossy().into_owned();
            (file, d["start"]["line"].as_u64().unwrap(), d["rule"].as_str().unwrap().to_string())
        })
        .collect();
    out.sort();
    out
}

fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").unwrap().uid() == 0
}

/// What the replays may leave behind on a server: databases named pgready_replay_*, the roles
/// and subscriptions the fixtures create.
fn leftovers(url: &str) -> Vec<String> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let c = common::connect(url).await;
        let rows = c
            .query(
                "SELECT 'database ' || datname FROM pg_database WHERE datname LIKE 'pgready_replay%' \
                 UNION ALL SELECT 'role ' || rolname FROM pg_roles WHERE rolname LIKE 'pgready_replay%' \
                 UNION ALL SELECT 'subscription ' || subname FROM pg_subscription WHERE subname LIKE 'pgready_replay%' \
                 UNION ALL SELECT 'slot ' || slot_name FROM pg_replication_slots WHERE slot_name LIKE 'pgready_replay%'",
                &[],
            )
            .await
            .unwrap();
        rows.iter().map(|r| r.get::<_, String>(0)).collect()
    })
}

fn servers() -> (String, String) {
    (common::server_url("PGREADY_PG18_URL"), common::server_url("PGREADY_PG15_URL"))
}

/// What the fixture must give, whichever way the servers are reached.
fn assert_fixture_findings(json: &str) {
    let got = replay_findings(json);
    let want: Vec<(String, u64, String)> = [
        // The PL/pgSQL function's body, where the removed column is read (called by 002).
        ("001_schema.sql", 7, "replay-error"),
        // The EXECUTE inside the DO block.
        ("002_changes.sql", 3, "replay-error"),
        // An extension PostgreSQL 18 does not ship.
        ("002_changes.sql", 6, "replay-error"),
        // Fails on 15 too: information, not an error.
        ("002_changes.sql", 7, "replay-baseline-error"),
        // The subscription streams in parallel on 18, not on 15.
        ("002_changes.sql", 8, "replay-changed-object"),
    ]
    .iter()
    .map(|(f, l, r)| (f.to_string(), *l, r.to_string()))
    .collect();
    assert_eq!(got, want, "{json}");
    let all = findings(json);
    let called = all.iter().find(|d| d["rule"] == "replay-error" && d["start"]["line"] == 7).unwrap();
    let message = called["message"].as_str().unwrap();
    assert!(
        message.contains("42703") && message.contains("002_changes.sql:5:1") && message.contains("it runs on PostgreSQL 15"),
        "{message}"
    );
    let do_block = all.iter().find(|d| d["rule"] == "replay-error" && d["start"]["line"] == 3).unwrap();
    assert_eq!(do_block["start"]["column"], 3, "{do_block}");
    let changed = all.iter().find(|d| d["rule"] == "replay-changed-object").unwrap();
    assert_eq!(changed["start"]["column"], 21, "{changed}");
    assert!(changed["message"].as_str().unwrap().contains("streaming = off on 15, streaming = parallel on 18"), "{changed}");
    // The static rules ran too; those whose statement failed on 18 are confirmed, the others not.
    let confirmed =
        |rule: &str| all.iter().find(|d| d["rule"] == rule).unwrap_or_else(|| panic!("no {rule}: {json}")).get("confirmed").cloned();
    assert_eq!(confirmed("grant-rule-privilege"), Some(Value::Bool(true)), "{json}");
    assert_eq!(confirmed("removed-catalog-column"), Some(Value::Bool(true)), "{json}");
    assert_eq!(confirmed("subscription-streaming-default"), None, "{json}");
}

#[test]
fn replay_through_dsns_reports_what_fails_on_18_only_and_leaves_nothing() {
    let _one = SERVERS.lock().unwrap_or_else(|e| e.into_inner());
    let (pg18, pg15) = servers();
    let dir = fixture();
    let report = tempfile::NamedTempFile::new().unwrap();
    let report_path = report.path().to_str().unwrap();
    let (code, _, err) = pgready_as(
        None,
        &["replay", dir.to_str().unwrap(), "--target", &pg18, "--baseline", &pg15, "--format", "json", "--output", report_path],
    );
    assert_eq!(code, 1, "{err}");
    assert_fixture_findings(&std::fs::read_to_string(report_path).unwrap());
    // Every statement but the down migration's; psql's `\set` is not one.
    assert!(err.contains("Replayed 14 statement(s)"), "{err}");
    for url in [&pg18, &pg15] {
        assert_eq!(leftovers(url), Vec::<String>::new(), "{url}");
    }
    // Without a baseline every failure on 18 is an error that may fail today too.
    let (code, out, _) = pgready_as(None, &["replay", dir.to_str().unwrap(), "--target", &pg18, "--format", "json"]);
    assert_eq!(code, 1);
    let both =
        findings(&out).into_iter().find(|d| d["start"]["line"] == 7 && d["path"].as_str().unwrap().ends_with("002_changes.sql")).unwrap();
    assert_eq!(both["rule"], "replay-error");
    assert!(both["message"].as_str().unwrap().contains("no --baseline"), "{both}");
    assert_eq!(leftovers(&pg18), Vec::<String>::new());
}

#[test]
fn replay_on_throwaway_clusters_from_bin_directories() {
    let _one = SERVERS.lock().unwrap_or_else(|e| e.into_inner());
    let pg18_bin = common::env("PGREADY_PG18_BIN");
    let pg15_bin = common::env("PGREADY_PG15_BIN");
    let dir = fixture();
    let args = ["replay", dir.to_str().unwrap(), "--target", &pg18_bin, "--baseline", &pg15_bin, "--format", "json"];
    // The clusters live in TMPDIR: a folder of the test's own, empty again afterwards.
    let tmp = tempfile::tempdir().unwrap();
    let user = if running_as_root() {
        // initdb refuses root: said clearly, not a crash.
        let (code, _, err) = pgready_as(None, &args);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("as root"), "{err}");
        let user = common::env("PGREADY_PG_OS_USER");
        std::fs::set_permissions(tmp.path(), std::os::unix::fs::PermissionsExt::from_mode(0o777)).unwrap();
        Some(user)
    } else {
        None
    };
    let mut cmd = match &user {
        Some(u) => {
            let mut c = Command::new("runuser");
            c.args(["-u", u, "--", "env", &format!("TMPDIR={}", tmp.path().display()), env!("CARGO_BIN_EXE_pgready")]);
            c
        }
        None => {
            let mut c = Command::new(env!("CARGO_BIN_EXE_pgready"));
            c.env("TMPDIR", tmp.path());
            c
        }
    };
    let out = cmd.args(args).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_fixture_findings(&stdout);
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(left.is_empty(), "the throwaway clusters were not removed: {left:?}");
}

/// `\ir` runs the included file where it stands (and only there: run on its own first, its
/// CREATE TABLE would make the include fail); an include of a file that is not among the inputs
/// is counted as not judged.
#[test]
fn includes_are_replayed_where_they_stand() {
    let _one = SERVERS.lock().unwrap_or_else(|e| e.into_inner());
    let (pg18, pg15) = servers();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/replay/includes");
    let (code, out, err) = pgready_as(None, &["replay", dir.to_str().unwrap(), "--target", &pg18, "--baseline", &pg15, "--format", "json"]);
    assert_eq!(code, 0, "{err}\n{out}");
    assert_eq!(replay_findings(&out), Vec::<(String, u64, String)>::new(), "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"]["not_judged_by_reason"]["include"], 1, "{out}");
    for url in [&pg18, &pg15] {
        assert_eq!(leftovers(url), Vec::<String>::new(), "{url}");
    }
}

/// goose files replay as goose runs them forward: their Up sections only (a Down section run
/// right after its Up would drop what the next migration uses, on both servers), and a
/// StatementBegin/StatementEnd block without its `;` as one statement (issue 32).
#[test]
fn goose_migrations_replay_their_up_sections() {
    let _one = SERVERS.lock().unwrap_or_else(|e| e.into_inner());
    let (pg18, pg15) = servers();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/replay/goose");
    let (code, out, err) = pgready_as(None, &["replay", dir.to_str().unwrap(), "--target", &pg18, "--baseline", &pg15, "--format", "json"]);
    assert_eq!(code, 0, "{err}\n{out}");
    assert_eq!(replay_findings(&out), Vec::<(String, u64, String)>::new(), "{out}");
    assert!(!findings(&out).iter().any(|d| d["rule"] == "syntax-error"), "{out}");
    for url in [&pg18, &pg15] {
        assert_eq!(leftovers(url), Vec::<String>::new(), "{url}");
    }
}

/// psql's own logic runs as psql runs it, on each server: `\gset` stores a row's values, `\if`
/// takes the branch the server's values choose (the branch with `uuidv7()` on 18, the other on
/// 15: neither fails), `\gexec` runs the statements a query returns. A statement that uses a
/// `\gset` variable is sent with its value, and its failure is found at the reference.
#[test]
fn psql_conditionals_gset_and_gexec_run_as_psql_runs_them() {
    let _one = SERVERS.lock().unwrap_or_else(|e| e.into_inner());
    let (pg18, pg15) = servers();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/replay/conditionals");
    let report = tempfile::NamedTempFile::new().unwrap();
    let report_path = report.path().to_str().unwrap();
    let args = ["replay", dir.to_str().unwrap(), "--target", &pg18, "--baseline", &pg15, "--format", "json", "--output", report_path];
    let (code, _, err) = pgready_as(None, &args);
    assert_eq!(code, 1, "{err}");
    let out = std::fs::read_to_string(report_path).unwrap();
    let want: Vec<(String, u64, String)> = [("versions.psql", 16, "replay-error"), ("versions.psql", 17, "replay-error")]
        .iter()
        .map(|(f, l, r)| (f.to_string(), *l, r.to_string()))
        .collect();
    assert_eq!(replay_findings(&out), want, "{out}");
    let all = findings(&out);
    // At the variable reference `:"col"`, whose value named the removed column.
    assert_eq!((all[0]["start"]["column"].as_u64(), all[0]["end"]["column"].as_u64()), (Some(8), Some(14)), "{out}");
    let gexec = all[1]["message"].as_str().unwrap();
    assert!(gexec.contains("wal_sync") && gexec.contains("\\gexec") && gexec.contains("runs on PostgreSQL 15"), "{gexec}");
    // 8 statements sent on 18: not the 15 branch, not the branch of an unset variable.
    assert!(err.contains("Replayed 8 statement(s)"), "{err}");
    // The static check reads the first branch of a conditional and counts the other.
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"]["not_judged_by_reason"]["psql-conditional"], 1, "{out}");
    for url in [&pg18, &pg15] {
        assert_eq!(leftovers(url), Vec::<String>::new(), "{url}");
    }
}

/// Ctrl-C half-way: the replay stops, and its databases and roles are removed from both servers.
#[test]
fn an_interrupted_replay_leaves_nothing_behind() {
    let _one = SERVERS.lock().unwrap_or_else(|e| e.into_inner());
    let (pg18, pg15) = servers();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("001_a.sql"), "CREATE ROLE pgready_replay_sigint_role;\nCREATE TABLE a (x int);\n").unwrap();
    std::fs::write(dir.path().join("002_wait.sql"), "SELECT pg_sleep(60);\n").unwrap();
    std::fs::write(dir.path().join("003_b.sql"), "CREATE TABLE b (x int);\n").unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_pgready"))
        .args(["replay", dir.path().to_str().unwrap(), "--target", &pg18, "--baseline", &pg15, "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Half-way: both servers are sleeping in the second migration.
    let started = Instant::now();
    let sleeping = |url: &str| {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let c = common::connect(url).await;
            let n: i64 = c
                .query_one(
                    "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(60)%' AND datname LIKE 'pgready_replay%'",
                    &[],
                )
                .await
                .unwrap()
                .get(0);
            n > 0
        })
    };
    while !(sleeping(&pg18) && sleeping(&pg15)) {
        assert!(started.elapsed() < Duration::from_secs(30), "the replay never reached the second migration");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(!leftovers(&pg18).is_empty(), "the replay's database and role exist while it runs");
    let status = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("Interrupted"), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(50), "the interrupt did not stop the sleeping statement");
    for url in [&pg18, &pg15] {
        assert_eq!(leftovers(url), Vec::<String>::new(), "{url}");
    }
}

/// Each `replay` example of the rule pages, replayed on 18 with 15 as the baseline: the bad
/// example gives the page's rule at the page's line, the good one does not.
#[test]
fn rule_page_examples_replay_as_the_pages_say() {
    let _one = SERVERS.lock().unwrap_or_else(|e| e.into_inner());
    let (pg18, pg15) = servers();
    let mut checked = 0;
    for rule in pgready::rules::REGISTRY.iter().filter(|r| r.meta.id.starts_with("replay-")) {
        for ex in common::replay_examples(rule) {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("001_example.sql"), &ex.sql).unwrap();
            let (code, out, err) = pgready_as(
                None,
                &[
                    "replay",
                    dir.path().to_str().unwrap(),
                    "--target",
                    &pg18,
                    "--baseline",
                    &pg15,
                    "--format",
                    "json",
                    "--select",
                    rule.meta.id,
                ],
            );
            assert!(code == 0 || code == 1, "{}: {err}", rule.meta.id);
            let mine: Vec<(String, u64, String)> = replay_findings(&out).into_iter().filter(|f| f.2 == rule.meta.id).collect();
            if ex.expect_diagnostic {
                assert_eq!(mine.len(), 1, "{}: {out}", rule.meta.id);
                assert_eq!(Some(mine[0].1 as usize), ex.line, "{}: {out}", rule.meta.id);
            } else {
                assert!(mine.is_empty(), "{}: the good example gave {mine:?}", rule.meta.id);
            }
            checked += 1;
        }
    }
    assert!(checked >= 8, "{checked} examples");
    for url in [&pg18, &pg15] {
        assert_eq!(leftovers(url), Vec::<String>::new(), "{url}");
    }
}
