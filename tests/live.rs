//! The live audit against real servers on loopback (PostgreSQL 15 from Debian, 18 from PyPI):
//! every `live` example of the rule pages is set up in a fresh database, audited with
//! `pgready check --db`, and — where the page says so — checked against the real
//! `pg_upgrade --check` from 15 to 18 (ground truth). Also: read-only sessions, lock timeouts,
//! password redaction, snapshots, several servers at once.

mod common;

use std::process::Command;

use pgready::rules::REGISTRY;
use serde_json::Value;

const DB: &str = "pgready_live";

/// The tests of this file change cluster-wide state (databases, template0, slots): one at a time.
static SERVERS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn url_var(server: &str) -> &'static str {
    match server {
        "pg15" => "PGREADY_PG15_URL",
        "pg15locks" => "PGREADY_PG15LOCKS_URL",
        "pg13" => "PGREADY_PG13_URL",
        "pg18" => "PGREADY_PG18_URL",
        "pg17" => "PGREADY_PG17_URL",
        other => panic!("unknown server {other}"),
    }
}

fn with_db(url: &str, db: &str) -> String {
    url.replace("dbname=postgres", &format!("dbname={db}"))
}

/// `pgready check` with the given arguments: exit code, stdout, stderr.
fn pgready(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_pgready")).args(args).env("NO_COLOR", "1").output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn findings(json: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("not JSON ({e}):\n{json}"));
    v["diagnostics"].as_array().unwrap().clone()
}

#[tokio::test]
async fn live_examples_of_the_rule_pages() {
    let _one_at_a_time = SERVERS.lock().await;
    let mut checked = 0;
    for rule in REGISTRY {
        for ex in common::live_examples(rule) {
            let server = ex.server.clone().unwrap_or_else(|| panic!("{}: a live example needs server=", rule.meta.id));
            let admin_url = common::server_url(url_var(&server));
            let admin = common::connect(&admin_url).await;
            admin.batch_execute(&format!("DROP DATABASE IF EXISTS {DB}")).await.unwrap();
            let create = if ex.icu_database {
                format!("CREATE DATABASE {DB} LOCALE_PROVIDER icu ICU_LOCALE 'und' TEMPLATE template0")
            } else if ex.builtin_database {
                format!("CREATE DATABASE {DB} LOCALE_PROVIDER builtin BUILTIN_LOCALE 'C.UTF-8' TEMPLATE template0")
            } else {
                format!("CREATE DATABASE {DB}")
            };
            admin.batch_execute(&create).await.unwrap();
            let db = common::connect(&with_db(&admin_url, DB)).await;
            let (seed, cleanup) = ex.live_parts();
            for stmt in &seed {
                db.batch_execute(stmt).await.unwrap_or_else(|e| panic!("{}: `{stmt}` fails on {server}: {e}", rule.meta.id));
            }
            let mut dsn = with_db(&admin_url, DB);
            if let Some(role) = &ex.role {
                let _ = admin.batch_execute(&format!("CREATE ROLE {role} LOGIN")).await;
                dsn = dsn.replace("user=postgres", &format!("user={role}"));
            }
            let (code, out, err) = pgready(&["check", "--db", &dsn, "--format", "json", "--select", rule.meta.id]);
            let mine: Vec<_> = findings(&out).into_iter().filter(|d| d["rule"] == rule.meta.id).collect();
            let upgrade = match (&ex.pg_upgrade, server.as_str()) {
                (Some(_), "pg15") => Some(common::pg_upgrade_check_to_18(15, ex.new_cluster_checksums)),
                (Some(_), "pg17") => Some(common::pg_upgrade_check_to_18(17, ex.new_cluster_checksums)),
                (Some(_), "pg13") => Some(common::pg_upgrade_check_to_18(13, ex.new_cluster_checksums)),
                (Some(_), other) => panic!("{}: pg_upgrade examples run on pg13, pg15 or pg17, not {other}", rule.meta.id),
                (None, _) => None,
            };
            // What pg_upgrade's own dump does with the database: the target's pg_dump, as it runs it.
            let dumped = ex.pg_dump.as_ref().map(|_| {
                let pg_dump = std::path::Path::new(&common::server_url("PGREADY_PG18_BIN")).join("pg_dump");
                let out = std::process::Command::new(pg_dump)
                    .args(["--schema-only", "--binary-upgrade", "-d", &with_db(&admin_url, DB)])
                    .output()
                    .unwrap();
                (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
            });
            for stmt in &cleanup {
                db.batch_execute(stmt).await.unwrap_or_else(|e| panic!("{}: cleanup `{stmt}` fails: {e}", rule.meta.id));
            }
            if let (Some(expected), Some((passed, stderr))) = (&ex.pg_dump, &dumped) {
                assert_eq!(expected == "ok", *passed, "{}: pg_dump 18 of the example, expected {expected}:\n{stderr}", rule.meta.id);
                if expected == "fail" {
                    assert!(stderr.contains("out of shared memory"), "{}: pg_dump failed otherwise:\n{stderr}", rule.meta.id);
                }
            }
            drop(db);
            admin.batch_execute(&format!("DROP DATABASE IF EXISTS {DB} WITH (FORCE)")).await.unwrap();

            assert!(code == 0 || code == 1, "{}: exit {code}\n{err}", rule.meta.id);
            if ex.expect_diagnostic {
                assert!(!mine.is_empty(), "{}: the live audit found nothing after\n{}\n{out}{err}", rule.meta.id, ex.sql);
                for d in &mine {
                    assert!(d["path"].as_str().unwrap().starts_with("postgresql://"), "{}: located at {}", rule.meta.id, d["path"]);
                }
            } else {
                assert!(mine.is_empty(), "{}: the good example was reported:\n{}\n{mine:?}", rule.meta.id, ex.sql);
            }
            if let Some((passed, output)) = upgrade {
                match ex.pg_upgrade.as_deref() {
                    Some("fail") => assert!(!passed, "{}: pg_upgrade --check passed, the page says it fails", rule.meta.id),
                    Some("ok") => assert!(
                        passed && !output.lines().any(|l| l.starts_with("Checking") && l.trim_end().ends_with("warning")),
                        "{}: pg_upgrade --check failed or warned:\n{output}",
                        rule.meta.id
                    ),
                    // Passes, with a check that ends in "warning" (pg_upgrade's PG_WARNING).
                    Some("warn") => assert!(
                        passed && output.lines().any(|l| l.starts_with("Checking") && l.trim_end().ends_with("warning")),
                        "{}: pg_upgrade --check gave no warning:\n{output}",
                        rule.meta.id
                    ),
                    other => panic!("{}: unknown pg_upgrade tag {other:?}", rule.meta.id),
                }
                // Ground truth: whatever pg_upgrade refuses, pgready reported as an error.
                if !passed {
                    assert!(
                        mine.iter().any(|d| d["severity"] == "error" || rule.meta.id == "data-checksums-off"),
                        "{}: pg_upgrade refuses, pgready did not say so:\n{output}",
                        rule.meta.id
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} live examples");
}

/// A seeded PostgreSQL 15 database: one audit finds every hazard the file rules know, located by
/// object, and the session it used could not write.
#[tokio::test]
async fn a_seeded_database_gives_every_finding_once() {
    let _one_at_a_time = SERVERS.lock().await;
    let admin_url = common::server_url("PGREADY_PG15_URL");
    let admin = common::connect(&admin_url).await;
    let name = "pgready_seeded";
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).await.unwrap();
    admin.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
    let db = common::connect(&with_db(&admin_url, name)).await;
    db.batch_execute(
        "CREATE TABLE fn_ref (id int, handler regproc);
         CREATE DOMAIN op_ref AS regoperator;
         CREATE TABLE uses_domain (id int, op op_ref[]);
         CREATE UNLOGGED TABLE events (id int, at date) PARTITION BY RANGE (at);
         CREATE FUNCTION uuidv7() RETURNS uuid LANGUAGE sql AS 'SELECT gen_random_uuid()';
         CREATE TABLE accounts (id uuid DEFAULT gen_random_uuid() PRIMARY KEY, n int GENERATED ALWAYS AS (1) STORED);
         CREATE VIEW wal_stats AS SELECT wal_write, wal_sync FROM pg_stat_wal;
         CREATE TABLE parent (id int); CREATE TABLE child () INHERITS (parent);
         CREATE ROLE pgready_md5_user LOGIN PASSWORD 'md5aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
         CREATE FUNCTION io_total() RETURNS bigint LANGUAGE sql AS $$ SELECT buffers_backend FROM pg_stat_bgwriter $$;
         CREATE FUNCTION snap() RETURNS void LANGUAGE plpgsql AS $$
         BEGIN
           PERFORM buffers_backend_fsync FROM pg_stat_bgwriter;
         END $$;
         CREATE FUNCTION revoke_rule() RETURNS void LANGUAGE plpgsql AS $$ BEGIN REVOKE RULE ON fn_ref FROM public; END $$;
         CREATE FUNCTION tuned() RETURNS int LANGUAGE sql SET force_parallel_mode = off AS 'SELECT 1';
         ALTER ROLE pgready_md5_user SET force_parallel_mode = off;
         ALTER DATABASE pgready_seeded SET force_parallel_mode = off;
         CREATE EXTENSION adminpack;
         CREATE TABLE rate (v int);
         CREATE FUNCTION rate_count(int) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT count(*)::int FROM rate $$;
         CREATE MATERIALIZED VIEW rate_mv AS SELECT rate_count(0);
         CREATE EXTENSION pg_stat_statements;
         CREATE VIEW slow_reads AS SELECT query, blk_read_time FROM pg_stat_statements;
         REVOKE ALL ON FUNCTION pg_catalog.json_strip_nulls(json) FROM PUBLIC;
         GRANT EXECUTE ON FUNCTION pg_catalog.pg_ls_dir(text) TO pgready_md5_user;",
    )
    .await
    .unwrap();
    // A server setting whose meaning 18 changed, as the configuration files set it (read from
    // pg_file_settings: no reload needed, and reset before anything can fail).
    admin.batch_execute("ALTER SYSTEM SET autovacuum_max_workers = 20").await.unwrap();
    let dsn = with_db(&admin_url, name);
    let (code, out, err) = pgready(&["check", "--db", &dsn, "--format", "json"]);
    admin.batch_execute("ALTER SYSTEM RESET autovacuum_max_workers").await.unwrap();
    admin.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)")).await.unwrap();
    admin.batch_execute("DROP ROLE pgready_md5_user").await.unwrap();
    assert_eq!(code, 1, "{err}");
    let found = findings(&out);
    let at = |rule: &str, object: &str| found.iter().any(|d| d["rule"] == rule && d["path"].as_str().unwrap().ends_with(object));
    for (rule, object) in [
        ("pg-upgrade-data-type", "/pgready_seeded/table/public.fn_ref"),
        ("pg-upgrade-data-type", "/pgready_seeded/table/public.uses_domain"),
        ("unlogged-partitioned-table", "/pgready_seeded/table/public.events"),
        ("builtin-function-shadowed", "/pgready_seeded/function/public.uuidv7()"),
        ("uuid-random-default", "/pgready_seeded/table/public.accounts"),
        ("removed-catalog-column", "/pgready_seeded/view/public.wal_stats"),
        ("md5-password", "/role/pgready_md5_user"),
        ("data-checksums-off", "/server"),
        // Routine bodies, read from pg_get_functiondef() as from a file.
        ("removed-catalog-column", "/pgready_seeded/function/public.io_total()"),
        ("removed-catalog-column", "/pgready_seeded/function/public.snap()"),
        ("grant-rule-privilege", "/pgready_seeded/function/public.revoke_rule()"),
        // Settings pg_upgrade restores: a function's own, a role's, a database's.
        ("setting-removed", "/pgready_seeded/function/public.tuned()"),
        ("setting-removed", "/role/pgready_md5_user/setting/force_parallel_mode"),
        ("setting-removed", "/database/pgready_seeded/setting/force_parallel_mode"),
        // An extension 18 no longer ships; a materialized view over a function whose body
        // depends on search_path (17's safe search_path for maintenance operations).
        ("extension-removed", "/pgready_seeded/extension/adminpack"),
        ("search-path-dependent-function", "/pgready_seeded/materialized-view/public.rate_mv"),
        // A view over a column pg_stat_statements 1.11 (17) removed; a privilege pg_dump keeps on
        // a built-in signature 18 removed.
        ("removed-catalog-column", "/pgready_seeded/view/public.slow_reads"),
        ("removed-function", "/pgready_seeded/function-privileges/pg_catalog.json_strip_nulls(json)"),
        // Set by ALTER SYSTEM: found in postgresql.auto.conf, where ALTER SYSTEM RESET repairs it.
        ("setting-meaning-changed", "/postgresql.auto.conf"),
    ] {
        assert!(at(rule, object), "{rule} at …{object} missing:\n{out}");
    }
    // A privilege changed on a built-in 18 still has is no finding.
    assert!(!found.iter().any(|d| d["path"].as_str().unwrap().contains("pg_ls_dir")), "{out}");
    let in_snap = found.iter().find(|d| d["path"].as_str().unwrap().ends_with("/function/public.snap()")).unwrap();
    // pg_get_functiondef(): CREATE OR REPLACE FUNCTION, RETURNS, LANGUAGE, AS $function$ on lines
    // 1-4, then the body as written.
    assert_eq!((&in_snap["start"]["line"], &in_snap["start"]["column"]), (&Value::from(6), &Value::from(20)), "{in_snap}");
    assert!(in_snap["message"].as_str().unwrap().contains("PL/pgSQL function `public.snap`"), "{in_snap}");
    // Nothing is reported twice, and every path names the server without a password.
    let mut keys: Vec<String> = found.iter().map(|d| format!("{} {} {}", d["rule"], d["path"], d["start"])).collect();
    let n = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), n, "duplicate findings:\n{out}");
}

#[tokio::test]
async fn the_audit_session_is_read_only_and_gives_up_on_locks() {
    let _one_at_a_time = SERVERS.lock().await;
    // The session settings pgready uses refuse writes.
    let admin_url = common::server_url("PGREADY_PG18_URL");
    let admin = common::connect(&admin_url).await;
    admin.batch_execute("DROP DATABASE IF EXISTS pgready_locked").await.unwrap();
    admin.batch_execute("CREATE DATABASE pgready_locked").await.unwrap();
    let db = common::connect(&with_db(&admin_url, "pgready_locked")).await;
    db.batch_execute("CREATE TABLE busy (id int); CREATE VIEW busy_view AS SELECT id FROM busy").await.unwrap();
    // Another session holds an exclusive lock on a view whose definition the audit reads.
    db.batch_execute("BEGIN; LOCK TABLE busy_view IN ACCESS EXCLUSIVE MODE").await.unwrap();
    let started = std::time::Instant::now();
    let dsn = with_db(&admin_url, "pgready_locked");
    let (code, out, err) = pgready(&["check", "--db", &dsn, "--lock-timeout", "500", "--format", "json"]);
    let waited = started.elapsed();
    // With --all-databases, only the locked database is incomplete: it is named, with the
    // locked relation, and the other databases are in the snapshot.
    admin.batch_execute("DROP DATABASE IF EXISTS pgready_unlocked").await.unwrap();
    admin.batch_execute("CREATE DATABASE pgready_unlocked").await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("snap.json");
    let (snap_code, _, snap_err) =
        pgready(&["snapshot", "--db", &admin_url, "--all-databases", "--lock-timeout", "500", "-o", snap.to_str().unwrap()]);
    let (all_code, all_out, _) = pgready(&["check", "--snapshot", snap.to_str().unwrap(), "--format", "json"]);
    db.batch_execute("ROLLBACK").await.unwrap();
    drop(db);
    admin.batch_execute("DROP DATABASE pgready_locked WITH (FORCE)").await.unwrap();
    admin.batch_execute("DROP DATABASE pgready_unlocked WITH (FORCE)").await.unwrap();
    assert_eq!(code, 2, "a held lock must end the audit with exit 2\n{out}{err}");
    assert!(err.contains("database pgready_locked not read") && err.contains("busy_view"), "{err}");
    assert!(waited.as_secs() < 20, "the audit waited {waited:?}");
    let unread: Vec<Value> = findings(&out).into_iter().filter(|d| d["rule"] == "server-not-read").collect();
    assert_eq!(unread.len(), 1, "{out}");
    assert!(unread[0]["message"].as_str().unwrap().contains("busy_view"), "{out}");

    assert_eq!(snap_code, 2, "{snap_err}");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&snap).unwrap()).unwrap();
    let audited: Vec<&str> = v["audited"].as_array().unwrap().iter().map(|d| d["name"].as_str().unwrap()).collect();
    assert!(audited.contains(&"pgready_unlocked") && !audited.contains(&"pgready_locked"), "{audited:?}");
    assert_eq!(v["unread_databases"][0]["name"], "pgready_locked");
    assert!(v["unread_databases"][0]["why"].as_str().unwrap().contains("busy_view"), "{}", v["unread_databases"]);
    assert_eq!(all_code, 2);
    assert!(findings(&all_out).iter().any(|d| d["rule"] == "server-not-read"), "{all_out}");
}

#[test]
fn connection_errors_exit_2_and_never_show_the_password() {
    // Nothing listens on port 1 of loopback.
    let (code, out, err) = pgready(&["check", "--db", "postgresql://alice:Sup3rSecret@127.0.0.1:1/app", "--format", "json"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("postgresql://alice@127.0.0.1:1/app"), "{err}");
    assert!(!err.contains("Sup3rSecret") && !out.contains("Sup3rSecret"), "{err}");
    // The unread server is a finding of the report itself, located at the server.
    let unread = findings(&out);
    assert_eq!(unread.len(), 1, "{out}");
    assert_eq!(unread[0]["rule"], "server-not-read");
    assert_eq!(unread[0]["severity"], "error");
    assert_eq!(unread[0]["path"], "postgresql://alice@127.0.0.1:1/app");
    for format in ["sarif", "junit", "gitlab", "github"] {
        let (code, out, _) = pgready(&["check", "--db", "postgresql://alice:Sup3rSecret@127.0.0.1:1/app", "--format", format]);
        assert_eq!(code, 2);
        assert!(out.contains("server-not-read") && !out.contains("Sup3rSecret"), "{format}: {out}");
    }
    let (code, _, err) = pgready(&["check", "--db", "host=127.0.0.1 port=1 user=bob password=Sup3rSecret dbname=x connect_timeout=2"]);
    assert_eq!(code, 2);
    assert!(!err.contains("Sup3rSecret"), "{err}");
    let (code, _, err) = pgready(&["check", "--db", "postgresql://alice:Sup3rSecret@127.0.0.1:notaport/app"]);
    assert_eq!(code, 2);
    assert!(!err.contains("Sup3rSecret"), "{err}");
}

#[tokio::test]
async fn a_snapshot_audits_offline_like_the_server_and_fleets_run_together() {
    let _one_at_a_time = SERVERS.lock().await;
    let url15 = common::server_url("PGREADY_PG15_URL");
    let url18 = common::server_url("PGREADY_PG18_URL");
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("snap.json");
    let (code, _, err) = pgready(&["snapshot", "--db", &url15, "--all-databases", "-o", snap.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&snap).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["format"], 1);
    assert!(v["version_num"].as_u64().unwrap() / 10000 == 15);
    let (_, live, _) = pgready(&["check", "--db", &url15, "--all-databases", "--format", "json"]);
    let (_, offline, summary) = pgready(&["check", "--snapshot", snap.to_str().unwrap(), "--format", "concise"]);
    let (_, offline_json, _) = pgready(&["check", "--snapshot", snap.to_str().unwrap(), "--format", "json"]);
    assert_eq!(findings(&live), findings(&offline_json), "the snapshot must audit exactly like the server");
    // One count of what was audited, the same in both messages.
    let count =
        |text: &str| text.split(" catalog object(s)").next().and_then(|t| t.rsplit(' ').next()).and_then(|n| n.parse::<usize>().ok());
    assert!(count(&err).is_some(), "{err}");
    assert_eq!(count(&err), count(&summary), "snapshot: {err}\ncheck: {summary}{offline}");

    // Two servers in one run: both appear, each judged as its own version.
    let (code, out, err) = pgready(&["check", "--db", &url15, "--db", &url18, "--format", "json"]);
    assert!(code == 0 || code == 1, "{err}");
    let found = findings(&out);
    let port15 = common::env("PGREADY_PG15_PORT");
    assert!(
        found.iter().any(|d| d["rule"] == "data-checksums-off" && d["path"].as_str().unwrap().contains(&format!(":{port15}/"))),
        "{out}"
    );
    assert!(
        !found.iter().any(|d| d["rule"] == "data-checksums-off" && !d["path"].as_str().unwrap().contains(&format!(":{port15}/"))),
        "{out}"
    );
}

/// The audit of a database takes the same number of catalog queries whatever its size.
#[tokio::test]
async fn catalog_queries_do_not_grow_with_the_schema() {
    let _one_at_a_time = SERVERS.lock().await;
    let admin_url = common::server_url("PGREADY_PG18_URL");
    let admin = common::connect(&admin_url).await;
    let mut counts = Vec::new();
    for (name, tables) in [("pgready_small", 1), ("pgready_larger", 300)] {
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).await.unwrap();
        admin.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
        let db = common::connect(&with_db(&admin_url, name)).await;
        db.batch_execute(&format!(
            "DO $$ BEGIN FOR i IN 1..{tables} LOOP
               EXECUTE format('CREATE TABLE t%s (id int PRIMARY KEY, a text, b int REFERENCES t1(id) DEFERRABLE)', i);
               EXECUTE format('CREATE INDEX ON t%s (a)', i);
               EXECUTE format('CREATE VIEW v%s AS SELECT id, a FROM t%s', i, i);
               EXECUTE format('CREATE FUNCTION f%s() RETURNS int LANGUAGE sql AS ''SELECT 1''', i);
             END LOOP; END $$"
        ))
        .await
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let snap = dir.path().join("s.json");
        let (code, _, err) = pgready(&["snapshot", "--db", &with_db(&admin_url, name), "-o", snap.to_str().unwrap()]);
        admin.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)")).await.unwrap();
        assert_eq!(code, 0, "{err}");
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&snap).unwrap()).unwrap();
        let objects = v["audited"][0]["objects"].as_array().unwrap().len();
        assert!(objects >= tables * 4, "{objects} objects for {tables} tables");
        counts.push(v["audited"][0]["queries"].as_u64().unwrap());
    }
    assert!(counts[0] > 5, "{counts:?}");
    assert_eq!(counts[0], counts[1], "queries per database must not depend on its size");
}

/// Every major the audit reads (14–18: the catalog queries branch on the version) gives a
/// complete snapshot of a schema using each kind of object, and the same findings.
#[tokio::test]
async fn every_supported_major_is_read_completely() {
    let _one_at_a_time = SERVERS.lock().await;
    for (major, var) in
        [(14, "PGREADY_PG14_URL"), (15, "PGREADY_PG15_URL"), (16, "PGREADY_PG16_URL"), (17, "PGREADY_PG17_URL"), (18, "PGREADY_PG18_URL")]
    {
        let admin_url = common::server_url(var);
        let admin = common::connect(&admin_url).await;
        let name = "pgready_versions";
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).await.unwrap();
        admin.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
        let db = common::connect(&with_db(&admin_url, name)).await;
        db.batch_execute(
            "CREATE SCHEMA app;
             CREATE COLLATION app.german (provider = libc, locale = 'C');
             CREATE DOMAIN app.positive AS int CHECK (VALUE > 0);
             CREATE TYPE app.mood AS ENUM ('sad', 'ok');
             CREATE TYPE app.span AS RANGE (subtype = float8);
             CREATE TYPE app.pair AS (a int, b text);
             CREATE TABLE app.customer (id int PRIMARY KEY, name text COLLATE app.german NOT NULL, mood app.mood, handler regproc);
             CREATE TABLE app.orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer int REFERENCES app.customer,
                                      qty app.positive, total numeric GENERATED ALWAYS AS (qty * 2) STORED, p app.pair);
             CREATE INDEX ON app.orders (customer);
             CREATE TABLE app.events (id int, at date) PARTITION BY RANGE (at);
             CREATE TABLE app.events_2026 PARTITION OF app.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
             CREATE TABLE app.base (id int NOT NULL); CREATE TABLE app.derived (extra text) INHERITS (app.base);
             CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
             CREATE TRIGGER touch BEFORE UPDATE ON app.orders FOR EACH ROW EXECUTE FUNCTION app.touch();
             CREATE VIEW app.order_totals AS SELECT customer, sum(total) FROM app.orders GROUP BY customer;
             CREATE MATERIALIZED VIEW app.customer_names AS SELECT name FROM app.customer WITH NO DATA;
             CREATE PUBLICATION orders_pub FOR TABLE app.orders;
             CREATE SUBSCRIPTION orders_sub CONNECTION 'host=127.0.0.1 dbname=none' PUBLICATION orders_pub WITH (connect = false);",
        )
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL {major}: {e}"));
        let dir = tempfile::tempdir().unwrap();
        let snap = dir.path().join("s.json");
        let dsn = with_db(&admin_url, name);
        let (code, _, err) = pgready(&["snapshot", "--db", &dsn, "-o", snap.to_str().unwrap()]);
        let (check_code, out, check_err) = pgready(&["check", "--db", &dsn, "--format", "json"]);
        db.batch_execute("ALTER SUBSCRIPTION orders_sub SET (slot_name = NONE); DROP SUBSCRIPTION orders_sub").await.unwrap();
        drop(db);
        admin.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)")).await.unwrap();
        assert_eq!(code, 0, "PostgreSQL {major}: {err}");
        assert_eq!(check_code, 1, "PostgreSQL {major}: {check_err}");
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&snap).unwrap()).unwrap();
        assert_eq!(v["version_num"].as_u64().unwrap() / 10000, major);
        let objects = v["audited"][0]["objects"].as_array().unwrap();
        let count = |kind: &str| objects.iter().filter(|o| o["kind"] == kind).count();
        for (kind, n) in [
            ("collation", 1),
            ("type", 4),
            ("table", 6),
            ("constraint", 1),
            ("index", 1),
            ("function", 1),
            ("trigger", 1),
            ("view", 1),
            ("materialized-view", 1),
            ("publication", 1),
            ("subscription", 1),
        ] {
            assert_eq!(count(kind), n, "PostgreSQL {major}: {kind} objects:\n{objects:#?}");
        }
        let found = findings(&out);
        let rules: Vec<&str> = found.iter().map(|d| d["rule"].as_str().unwrap()).collect();
        assert!(rules.contains(&"pg-upgrade-data-type"), "PostgreSQL {major}: {rules:?}");
        assert!(!rules.contains(&"syntax-error"), "PostgreSQL {major}: a rebuilt definition does not parse:\n{out}");
    }
}

/// TLS as libpq means it, against the PostgreSQL 17 test server whose `pgready_tls` database
/// refuses unencrypted connections (so a successful audit proves the session was encrypted).
#[tokio::test]
async fn tls_modes_behave_as_in_libpq() {
    let _one_at_a_time = SERVERS.lock().await;
    let admin_url = common::server_url("PGREADY_PG17_URL");
    let (ca, other_ca) = (common::env("PGREADY_TLS_CA"), common::env("PGREADY_TLS_OTHER_CA"));
    let admin = common::connect(&admin_url).await;
    admin.batch_execute("DROP DATABASE IF EXISTS pgready_tls").await.unwrap();
    admin.batch_execute("CREATE DATABASE pgready_tls").await.unwrap();
    let dsn = with_db(&admin_url, "pgready_tls");
    let run = |extra: &str| pgready(&["check", "--db", &format!("{dsn} {extra}"), "--format", "json"]);
    let ok = |(code, _, err): (i32, String, String), what: &str| assert!(code == 0 || code == 1, "{what}: exit {code}\n{err}");
    let refused = |(code, _, err): (i32, String, String), what: &str, why: &str| {
        assert_eq!(code, 2, "{what}: the audit should have failed\n{err}");
        assert!(err.to_lowercase().contains(why), "{what}: {err}");
    };
    ok(run(&format!("sslmode=verify-full sslrootcert={ca}")), "verify-full with the right CA");
    ok(run(&format!("sslmode=verify-ca sslrootcert={ca}")), "verify-ca with the right CA");
    ok(run("sslmode=require"), "require (encrypted, not verified)");
    ok(run("sslmode=prefer"), "prefer");
    refused(run("sslmode=disable"), "disable", "no encryption");
    refused(run(&format!("sslmode=verify-full sslrootcert={other_ca}")), "verify-full with an unrelated CA", "certificate");
    refused(run(&format!("sslmode=require sslrootcert={other_ca}")), "require with a root file (verifies, as libpq)", "certificate");
    // The certificate names 127.0.0.1, not localhost: verify-full checks the name, verify-ca does not.
    let by_name = dsn.replace("host=127.0.0.1", "host=localhost");
    let (code, _, err) = pgready(&["check", "--db", &format!("{by_name} sslmode=verify-full sslrootcert={ca}")]);
    assert_eq!(code, 2, "verify-full must check the host name\n{err}");
    let (code, _, err) = pgready(&["check", "--db", &format!("{by_name} sslmode=verify-ca sslrootcert={ca}")]);
    assert!(code == 0 || code == 1, "verify-ca does not check the host name\n{err}");
    admin.batch_execute("DROP DATABASE pgready_tls WITH (FORCE)").await.unwrap();
}

/// A live audit's SARIF validates too: objects are absolute `postgresql://` URIs with a logical
/// location naming the object.
#[tokio::test]
async fn live_sarif_validates() {
    let _one_at_a_time = SERVERS.lock().await;
    let tool = common::env("PGREADY_SARIF_MULTITOOL");
    let admin_url = common::server_url("PGREADY_PG15_URL");
    let admin = common::connect(&admin_url).await;
    admin.batch_execute("DROP DATABASE IF EXISTS pgready_sarif").await.unwrap();
    admin.batch_execute("CREATE DATABASE pgready_sarif").await.unwrap();
    let db = common::connect(&with_db(&admin_url, "pgready_sarif")).await;
    db.batch_execute("CREATE TABLE \"odd name\" (id int, f regproc)").await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("live.sarif");
    let (code, _, err) =
        pgready(&["check", "--db", &with_db(&admin_url, "pgready_sarif"), "--format", "sarif", "-o", report.to_str().unwrap()]);
    drop(db);
    admin.batch_execute("DROP DATABASE pgready_sarif WITH (FORCE)").await.unwrap();
    assert_eq!(code, 1, "{err}");
    let result = dir.path().join("validation.sarif");
    let v = Command::new(&tool).arg("validate").arg(&report).arg("-o").arg(&result).arg("--log").arg("ForceOverwrite").output().unwrap();
    assert!(v.status.success(), "multitool failed: {}", String::from_utf8_lossy(&v.stdout));
    let findings: Value = serde_json::from_slice(&std::fs::read(&result).unwrap()).unwrap();
    let problems = findings["runs"][0]["results"].as_array().unwrap();
    assert!(problems.is_empty(), "the SARIF validator reports {problems:#?}");
    let sarif: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let located =
        sarif["runs"][0]["results"].as_array().unwrap().iter().find(|r| r["ruleId"] == "pg-upgrade-data-type").expect("finding").clone();
    let uri = located["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
    assert!(uri.starts_with("postgresql://postgres@127.0.0.1:") && uri.ends_with("/pgready_sarif/table/public.odd%20name"), "{uri}");
    assert_eq!(located["locations"][0]["logicalLocations"][0]["fullyQualifiedName"], "pgready_sarif/table/public.odd name");
}

/// A server that accepts the connection and never answers (a listener here) is given up after
/// the connection timeout, and the healthy server of the same fleet is still reported.
#[tokio::test]
async fn a_server_that_never_answers_is_given_up_and_the_fleet_reported() {
    let _one_at_a_time = SERVERS.lock().await;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    // Accept and hold every connection, saying nothing.
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    let pg18 = std::env::var("PGREADY_PG18_URL").expect("PGREADY_PG18_URL: run the tests with `bash scripts/test.sh`");
    let silent = format!("host=127.0.0.1 port={port} user=x dbname=y connect_timeout=2");
    let started = std::time::Instant::now();
    let (code, out, err) = pgready(&["check", "--db", &silent, "--db", &pg18, "--format", "json"]);
    let took = started.elapsed();
    assert_eq!(code, 2, "{err}");
    assert!(took < std::time::Duration::from_secs(20), "gave up after {took:?}");
    assert!(err.contains(&format!("127.0.0.1:{port}/y: cannot connect: no answer within 2 s")), "{err}");
    // The healthy server's audit is in the report.
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert!(v["summary"]["files"].as_u64().unwrap() > 0, "the healthy server was audited: {out}");
}

/// Third-party extensions judged by the version the catalog records. The test installs three
/// extensions under the names of real projects into the PostgreSQL 17 server's extension folder,
/// at versions from before their PostgreSQL 18 releases, and one at a version for 18: the rule
/// reads only the catalog's name and version (pg_extension), not what the extension holds, so
/// their scripts are empty.
#[tokio::test]
async fn third_party_extensions_are_judged_by_their_catalog_version() {
    let _one_at_a_time = SERVERS.lock().await;
    let admin_url = common::server_url("PGREADY_PG17_URL");
    let admin = common::connect(&admin_url).await;
    let sharedir: String = admin.query_one("SELECT setting FROM pg_config WHERE name = 'SHAREDIR'", &[]).await.unwrap().get(0);
    let ext_dir = std::path::Path::new(&sharedir).join("extension");
    let installed = [("vector", "0.5.0"), ("timescaledb", "2.13.0"), ("pg_repack", "1.5.0"), ("citus", "14.0-1")];
    for (name, version) in installed {
        std::fs::write(
            ext_dir.join(format!("{name}.control")),
            format!("comment = 'pgready test stand-in'\ndefault_version = '{version}'\nrelocatable = true\n"),
        )
        .unwrap();
        std::fs::write(ext_dir.join(format!("{name}--{version}.sql")), "-- empty: pgready's test reads the catalog only\n").unwrap();
    }
    let name = "pgready_extensions";
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).await.unwrap();
    admin.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
    let db = common::connect(&with_db(&admin_url, name)).await;
    db.batch_execute("CREATE EXTENSION vector; CREATE EXTENSION timescaledb; CREATE EXTENSION pg_repack; CREATE EXTENSION citus;")
        .await
        .unwrap();
    drop(db);
    let dir = common::scratch_dir();
    let script = dir.path().join("fix.sql");
    let dsn = with_db(&admin_url, name);
    let (code, out, err) = pgready(&["check", "--db", &dsn, "--format", "json", "--fix-script", script.to_str().unwrap()]);
    admin.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)")).await.unwrap();
    for (ext, version) in installed {
        let _ = std::fs::remove_file(ext_dir.join(format!("{ext}.control")));
        let _ = std::fs::remove_file(ext_dir.join(format!("{ext}--{version}.sql")));
    }
    assert_eq!(code, 1, "{err}");
    let found: Vec<Value> = findings(&out).into_iter().filter(|d| d["rule"] == "extension-version-unsupported").collect();
    let at = |ext: &str| found.iter().find(|d| d["path"].as_str().unwrap().ends_with(&format!("/{name}/extension/{ext}")));
    let vector = at("vector").unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(vector["severity"], "warning");
    assert!(vector["message"].as_str().unwrap().contains("0.5.0") && vector["message"].as_str().unwrap().contains("0.8.1"), "{vector}");
    let timescale = at("timescaledb").unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(timescale["severity"], "error");
    assert_eq!(at("pg_repack").map(|d| d["severity"].clone()), Some(Value::from("warning")));
    assert!(at("citus").is_none(), "citus 14.0-1 supports 18: {found:#?}");
    assert_eq!(found.len(), 3, "{found:#?}");
    // The remediation script: the update of the old cluster's TimescaleDB is a person's decision
    // (commented); pgvector's update and pg_repack's re-creation run on the new cluster.
    let script = std::fs::read_to_string(&script).unwrap();
    // The old cluster's part is the `\else` of the first `\if :pgready_new_cluster`.
    let new_part = script
        .split("\\if :pgready_new_cluster")
        .skip(1)
        .find(|p| !p.trim_start().starts_with("\\else"))
        .unwrap_or_else(|| panic!("{script}"));
    let new_part = new_part.split("\\endif").next().unwrap();
    assert!(new_part.contains("\nALTER EXTENSION \"vector\" UPDATE;\n"), "{script}");
    assert!(new_part.contains("\nDROP EXTENSION \"pg_repack\"; CREATE EXTENSION \"pg_repack\";\n"), "{script}");
    // A person's decision: commented, in the old cluster's part.
    assert!(script.contains("\n-- ALTER EXTENSION \"timescaledb\" UPDATE;\n"), "{script}");
    assert!(!new_part.contains("timescaledb"), "{script}");
}

/// The queries applications run, read from pg_stat_statements (loaded by the PostgreSQL 15 test
/// server, scripts/pg-servers.sh): each is judged like a query file, at its own document, with
/// the normalised `$n` parameters; the schema's DDL and the audit's own queries are not judged.
/// A server without it says so.
#[tokio::test]
async fn the_queries_pg_stat_statements_collected_are_judged() {
    let _one_at_a_time = SERVERS.lock().await;
    let admin_url = common::server_url("PGREADY_PG15_URL");
    let admin = common::connect(&admin_url).await;
    let name = "pgready_statements";
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).await.unwrap();
    admin.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
    let dsn = with_db(&admin_url, name);
    let app = common::connect(&dsn).await;
    app.batch_execute("CREATE EXTENSION pg_stat_statements; CREATE TABLE account (id int, created date)").await.unwrap();
    // What a dashboard and an application would run: statistics columns 17 and 18 removed, a
    // setting 17 removed, a parameterised query (pg_stat_statements keeps `$1`), a clean one.
    app.query("SELECT buffers_backend FROM pg_stat_bgwriter", &[]).await.unwrap();
    app.query("SELECT wal_write FROM pg_stat_wal WHERE wal_records > $1", &[&0i64]).await.unwrap();
    app.batch_execute("SET force_parallel_mode = off").await.unwrap();
    app.query("SELECT id FROM account WHERE created > $1::text::date", &[&"2026-01-01"]).await.unwrap();
    drop(app);
    let (code, out, err) = pgready(&["check", "--db", &dsn, "--format", "json"]);
    let (md_code, markdown, _) = pgready(&["check", "--db", &dsn, "--format", "markdown"]);
    admin.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)")).await.unwrap();
    assert_eq!(code, 1, "{err}");
    assert_eq!(md_code, 1);
    let found = findings(&out);
    let statements: Vec<&Value> =
        found.iter().filter(|d| d["path"].as_str().unwrap().contains(&format!("/{name}/pg_stat_statements/"))).collect();
    let with =
        |rule: &str, text: &str| statements.iter().find(|d| d["rule"] == rule && d["message"].as_str().unwrap().contains(text)).copied();
    assert!(with("removed-catalog-column", "buffers_backend").is_some(), "{statements:#?}");
    let wal = with("removed-catalog-column", "wal_write").unwrap_or_else(|| panic!("{statements:#?}"));
    // The document is the statement as pg_stat_statements keeps it, after a one-line header.
    assert_eq!(wal["start"]["line"], 2, "{wal}");
    assert!(with("setting-removed", "force_parallel_mode").is_some(), "{statements:#?}");
    // Nothing else: the CREATE statements are the catalog's to judge, the audit's own catalog
    // queries are left out, and the query over `account` is clean.
    assert_eq!(statements.len(), 3, "{statements:#?}");
    assert!(
        !found.iter().any(|d| d["rule"] == "catalog-not-read" && d["message"].as_str().unwrap().contains("pg_stat_statements")),
        "{out}"
    );
    // The plan puts them with the application's changes, not before the upgrade.
    let application = markdown.split(". Application changes\n").nth(1).unwrap_or_else(|| panic!("{markdown}"));
    assert!(application.contains("`setting-removed`") && application.contains("pg\\_stat\\_statements/"), "{markdown}");

    // A server without pg_stat_statements (18's test server): the summary says so, no finding.
    let (code, out, err) = pgready(&["check", "--db", &common::server_url("PGREADY_PG18_URL"), "--format", "json"]);
    assert!(code == 0 || code == 1, "{err}");
    assert!(err.contains("pg_stat_statements is not installed in the audited databases"), "{err}");
    assert!(!out.contains("pg_stat_statements"), "{out}");
}

/// A role whose server wants a password that was not given: the error names where psql looks
/// for one; on a terminal (a real pseudo-terminal, made by util-linux's `script`), pgready asks
/// for it as psql does, and the audit goes on. The password never appears in the output.
#[tokio::test]
async fn a_password_the_server_asks_for_is_asked_on_a_terminal() {
    let _one_at_a_time = SERVERS.lock().await;
    let admin_url = common::server_url("PGREADY_PG17_URL");
    let admin = common::connect(&admin_url).await;
    let hba = std::path::Path::new(&common::env("PGREADY_PG17_DATA")).join("pg_hba.conf");
    let original = std::fs::read_to_string(&hba).unwrap();
    let _ = admin.batch_execute("DROP ROLE IF EXISTS pgready_pw").await;
    admin.batch_execute("SET password_encryption = 'scram-sha-256'; CREATE ROLE pgready_pw LOGIN PASSWORD 'Sekret-42'").await.unwrap();
    std::fs::write(&hba, format!("host all pgready_pw 127.0.0.1/32 scram-sha-256\n{original}")).unwrap();
    admin.batch_execute("SELECT pg_reload_conf()").await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let dsn = format!("host=127.0.0.1 port={} user=pgready_pw dbname=postgres", common::env("PGREADY_PG17_PORT"));
    let home = tempfile::tempdir().unwrap();
    let no_password = |c: &mut Command| {
        c.env_remove("PGPASSWORD").env("PGPASSFILE", home.path().join("none")).env("HOME", home.path()).env("NO_COLOR", "1");
    };
    let mut plain = Command::new(env!("CARGO_BIN_EXE_pgready"));
    plain.args(["check", "--db", &dsn, "--format", "concise"]);
    no_password(&mut plain);
    let refused = plain.output().unwrap();
    let mut typed = Command::new("script");
    typed.args(["-qec", &format!("'{}' check --db '{dsn}' --format concise", env!("CARGO_BIN_EXE_pgready")), "/dev/null"]);
    no_password(&mut typed);
    typed.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
    let mut child = typed.spawn().unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(500));
        stdin.write_all(b"Sekret-42\n").unwrap();
    }
    let asked = child.wait_with_output().unwrap();
    std::fs::write(&hba, original).unwrap();
    admin.batch_execute("SELECT pg_reload_conf()").await.unwrap();
    admin.batch_execute("DROP ROLE pgready_pw").await.unwrap();

    let err = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{err}");
    for hint in ["PGPASSWORD", "~/.pgpass", "PGPASSFILE"] {
        assert!(err.contains(hint), "{err}");
    }
    let terminal = String::from_utf8_lossy(&asked.stdout);
    assert!(terminal.contains("Password for postgresql://pgready_pw@127.0.0.1:"), "{terminal}");
    assert!(matches!(asked.status.code(), Some(0 | 1)), "the audit ran after the prompt:\n{terminal}");
    assert!(terminal.contains("for an upgrade from PostgreSQL 17 to 18"), "{terminal}");
    assert!(!terminal.contains("Sekret") && !err.contains("Sekret"), "the password is never shown:\n{terminal}");
}

/// A live server is judged as the major it runs: the summary says which, and a --from that
/// says otherwise is an error rather than silently ignored.
#[test]
fn a_live_audit_uses_the_servers_own_major() {
    let dsn = common::server_url("PGREADY_PG17_URL");
    let (code, _, err) = pgready(&["check", "--db", &dsn]);
    assert!(matches!(code, 0 | 1), "{err}");
    assert!(err.contains("for an upgrade from PostgreSQL 17 to 18"), "{err}");
    let (code, _, err) = pgready(&["check", "--db", &dsn, "--from", "15"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--from 15, but postgresql://postgres@127.0.0.1:") && err.contains("runs PostgreSQL 17"), "{err}");
    let (code, _, err) = pgready(&["check", "--db", &dsn, "--from", "PG17"]);
    assert!(matches!(code, 0 | 1), "the server's own major is accepted: {err}");
}

/// A subscription of a 15 server whose owner was demoted from superuser since it was made (13-15
/// accept only a superuser as owner): reported as such, and a superuser's subscription is not.
#[tokio::test]
async fn a_subscription_whose_owner_is_no_longer_a_superuser() {
    let _one_at_a_time = SERVERS.lock().await;
    let admin_url = common::server_url("PGREADY_PG15_URL");
    let admin = common::connect(&admin_url).await;
    let name = "pgready_sub_owner_db";
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).await.unwrap();
    admin.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
    let _ = admin.batch_execute("DROP ROLE IF EXISTS pgready_demoted").await;
    let db = common::connect(&with_db(&admin_url, name)).await;
    db.batch_execute(
        "CREATE ROLE pgready_demoted SUPERUSER;
         SET ROLE pgready_demoted;
         CREATE SUBSCRIPTION demoted_sub CONNECTION 'host=127.0.0.1 dbname=none' PUBLICATION p WITH (connect = false);
         RESET ROLE;
         ALTER ROLE pgready_demoted NOSUPERUSER;
         CREATE SUBSCRIPTION kept_sub CONNECTION 'host=127.0.0.1 dbname=none' PUBLICATION p WITH (connect = false);",
    )
    .await
    .unwrap();
    let (code, out, err) = pgready(&["check", "--db", &with_db(&admin_url, name), "--format", "json", "--select", "subscription-state"]);
    db.batch_execute(
        "ALTER SUBSCRIPTION demoted_sub SET (slot_name = NONE); DROP SUBSCRIPTION demoted_sub;
         ALTER SUBSCRIPTION kept_sub SET (slot_name = NONE); DROP SUBSCRIPTION kept_sub;",
    )
    .await
    .unwrap();
    drop(db);
    admin.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)")).await.unwrap();
    admin.batch_execute("DROP ROLE pgready_demoted").await.unwrap();
    assert!(matches!(code, 0 | 1), "{err}");
    let owners: Vec<String> =
        findings(&out).iter().map(|d| d["message"].as_str().unwrap().to_string()).filter(|m| m.contains("is not a superuser")).collect();
    assert_eq!(owners.len(), 1, "{out}");
    assert!(owners[0].starts_with("subscription demoted_sub: its owner pgready_demoted is not a superuser"), "{owners:?}");
}
