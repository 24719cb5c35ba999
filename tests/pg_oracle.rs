//! The real servers are the oracle. Each rule page's examples tagged `pg18=` / `pg15=` / `pg13=` run on a
//! real PostgreSQL 18 / 15 / 13 (started by scripts/test.sh) inside a rolled-back transaction, and
//! must fail with the stated SQLSTATE or succeed as the page claims (examples tagged `icu` run on
//! the PostgreSQL 18 build with ICU, from npm, since the PyPI build has none). Each bad example of an
//! error rule must fail on 18, and its fixed version must succeed there.

mod common;

use pgready::diagnostic::{Applicability, Severity};
use pgready::engine::Options;
use pgready::rules::REGISTRY;
use tokio_postgres::Client;

/// A connection to the test server whose URL is in environment variable `var`.
async fn connect(var: &str) -> Client {
    common::connect(&common::server_url(var)).await
}

/// Run `sql` in a transaction that is always rolled back; the SQLSTATE of the first error.
async fn outcome(client: &Client, sql: &str) -> Result<(), String> {
    client.batch_execute("BEGIN").await.unwrap();
    let r = client.batch_execute(sql).await;
    client.batch_execute("ROLLBACK").await.unwrap();
    r.map_err(|e| e.code().map_or_else(|| e.to_string(), |c| c.code().to_string()))
}

fn check(expected: &str, got: &Result<(), String>) -> bool {
    match (expected.strip_prefix("error:"), got) {
        (None, Ok(())) => expected == "ok",
        (Some(state), Err(code)) => state == code,
        _ => false,
    }
}

#[tokio::test]
async fn page_examples_behave_on_real_servers_as_documented() {
    let pg18 = connect("PGREADY_PG18_URL").await;
    let pg18icu = connect("PGREADY_PG18ICU_URL").await;
    let pg15 = connect("PGREADY_PG15_URL").await;
    let pg13 = connect("PGREADY_PG13_URL").await;
    let mut ran = 0;
    for rule in REGISTRY {
        for ex in common::examples(rule).into_iter().filter(|e| e.lang == "sql") {
            let on18 = if ex.icu { &pg18icu } else { &pg18 };
            for (server, expected, client) in [("18", &ex.pg18, on18), ("15", &ex.pg15, &pg15), ("13", &ex.pg13, &pg13)] {
                let Some(expected) = expected else { continue };
                let got = outcome(client, &ex.sql).await;
                assert!(check(expected, &got), "{} on PostgreSQL {server}: expected {expected}, got {got:?}\n{}", rule.meta.id, ex.sql);
                ran += 1;
            }
        }
    }
    assert!(ran >= 15, "only {ran} examples ran on a server");
}

#[tokio::test]
async fn error_rules_are_proven_on_pg18_and_their_fixes_succeed() {
    let pg18_plain = connect("PGREADY_PG18_URL").await;
    let pg18icu = connect("PGREADY_PG18ICU_URL").await;
    for rule in REGISTRY.iter().filter(|r| r.check.is_some() && r.meta.severity == Severity::Error) {
        let bad: Vec<_> = common::examples(rule).into_iter().filter(|e| e.expect_diagnostic).collect();
        assert!(!bad.is_empty());
        for ex in bad {
            if ex.lang != "sql" {
                continue; // configuration examples: tests/pg_config_oracle.rs
            }
            // Rules about pg_upgrade are proven by tests/pg_upgrade.rs instead.
            if ex.pg_upgrade.as_deref() == Some("fail") {
                continue;
            }
            let pg18 = if ex.icu { &pg18icu } else { &pg18_plain };
            let state = ex.pg18.as_deref().and_then(|s| s.strip_prefix("error:"));
            assert!(state.is_some(), "{}: an error rule's bad example must be tagged pg18=error:SQLSTATE or pg_upgrade=fail", rule.meta.id);
            assert!(outcome(pg18, &ex.sql).await.is_err(), "{}: bad example succeeded on 18", rule.meta.id);
            if ex.lang != "sql" {
                continue; // configuration examples: tests/pg_config_oracle.rs
            }
            let (run, doc) = ex.lint(&ex.sql, &Options { select: vec![rule.meta.id.into()], ..Options::default() });
            let (fixed, _) = pgready::fix::plan(&run, Applicability::Unsafe);
            if let Some(f) = fixed.iter().find(|f| f.file == doc) {
                let got = outcome(pg18, &f.after).await;
                assert_eq!(got, Ok(()), "{}: the fixed example fails on 18:\n{}", rule.meta.id, f.after);
            }
        }
    }
}

#[tokio::test]
async fn knowledge_matches_real_pg18() {
    let pg18 = connect("PGREADY_PG18_URL").await;
    let q = |sql: &'static str| {
        let c = &pg18;
        async move { c.query(sql, &[]).await.unwrap().iter().map(|r| r.get::<_, String>(0)).collect::<Vec<_>>().join("\n") + "\n" }
    };
    let functions = q("select distinct proname::text from pg_proc where pronamespace = 'pg_catalog'::regnamespace order by 1").await;
    let types =
        q("select distinct typname::text from pg_type where typnamespace = 'pg_catalog'::regnamespace and typname !~ '^_' order by 1")
            .await;
    assert_eq!(
        functions,
        pgready::knowledge::TARGET_FUNCTIONS_TXT,
        "src/knowledge/pg/functions18.txt is stale: run scripts/gen-knowledge.sh"
    );
    assert_eq!(types, pgready::knowledge::TARGET_TYPES_TXT, "src/knowledge/pg/types18.txt is stale: run scripts/gen-knowledge.sh");
    let version: String = pg18.query_one("SHOW server_version_num", &[]).await.unwrap().get(0);
    assert!(version.starts_with("18"), "PGREADY_PG18_URL is not PostgreSQL 18: {version}");
}

#[tokio::test]
async fn implicit_generated_columns_are_virtual_on_18_and_invalid_on_15() {
    let pg18 = connect("PGREADY_PG18_URL").await;
    let pg15 = connect("PGREADY_PG15_URL").await;
    let sql = "CREATE TABLE g (a int, b int GENERATED ALWAYS AS (a * 2))";
    pg18.batch_execute("BEGIN").await.unwrap();
    pg18.batch_execute(sql).await.unwrap();
    let kind: i8 =
        pg18.query_one("SELECT attgenerated FROM pg_attribute WHERE attrelid = 'g'::regclass AND attname = 'b'", &[]).await.unwrap().get(0);
    pg18.batch_execute("ROLLBACK").await.unwrap();
    assert_eq!(kind as u8, b'v');
    assert_eq!(outcome(&pg15, sql).await, Err("42601".to_string()));
}

/// Every version's functions and the columns of its catalog, information_schema and contrib
/// extension relations, as shipped, are what that real server has: 13 (npm build) to 18.
#[tokio::test]
async fn function_and_column_knowledge_matches_every_real_source() {
    let mut signatures: std::collections::BTreeMap<u32, std::collections::BTreeSet<(String, String)>> = Default::default();
    for major in 13..=18u32 {
        let client = connect(&format!("PGREADY_PG{major}_URL")).await;
        let version: String = client.query_one("SHOW server_version_num", &[]).await.unwrap().get(0);
        assert!(version.starts_with(&major.to_string()), "PGREADY_PG{major}_URL is PostgreSQL {version}");
        let lines = |rows: Vec<tokio_postgres::Row>, n: usize| -> String {
            rows.iter().map(|r| (0..n).map(|i| r.get::<_, String>(i)).collect::<Vec<_>>().join("\t") + "\n").collect()
        };
        let functions = client
            .query("select distinct proname::text from pg_proc where pronamespace = 'pg_catalog'::regnamespace order by 1", &[])
            .await
            .unwrap();
        let known = pgready::knowledge::functions::FUNCTIONS_TXT.iter().find(|(v, _)| *v == major).unwrap().1;
        assert_eq!(lines(functions, 1), known, "src/knowledge/pg/functions{major}.txt is stale (scripts/gen-knowledge.sh)");
        // Columns, with those of the contrib extensions' views: read in a scratch database where
        // the extensions exist, by the generator's own query.
        let db = format!("pgready_knowledge_{}", std::process::id());
        client.batch_execute(&format!("DROP DATABASE IF EXISTS {db}")).await.unwrap();
        client.batch_execute(&format!("CREATE DATABASE {db}")).await.unwrap();
        let url = common::server_url(&format!("PGREADY_PG{major}_URL")).replace("dbname=postgres", &format!("dbname={db}"));
        let scratch = common::connect(&url).await;
        scratch.batch_execute("CREATE EXTENSION pg_stat_statements; CREATE EXTENSION pg_buffercache").await.unwrap();
        let columns = scratch.query(include_str!("../scripts/columns.sql"), &[]).await.unwrap();
        drop(scratch);
        client.batch_execute(&format!("DROP DATABASE {db} WITH (FORCE)")).await.unwrap();
        let known = pgready::knowledge::catalog::COLUMNS_TSV.iter().find(|(v, _)| *v == major).unwrap().1;
        assert_eq!(lines(columns, 3), known, "src/knowledge/pg/columns{major}.tsv is stale (scripts/gen-knowledge.sh)");
        let rows = client
            .query(
                "select p.proname::text, coalesce((select string_agg(t.typname::text, ',' order by a.i) \
                 from unnest(p.proargtypes::oid[]) with ordinality a(oid, i) join pg_type t on t.oid = a.oid), '') \
                 from pg_proc p where p.pronamespace = 'pg_catalog'::regnamespace and p.prokind <> 'p'",
                &[],
            )
            .await
            .unwrap();
        signatures.insert(major, rows.iter().map(|r| (r.get::<_, String>(0), r.get::<_, String>(1))).collect());
    }
    // The signatures 18 added since 13, each with the first release from which on every
    // server has it.
    let mut derived: Vec<String> = signatures[&18]
        .difference(&signatures[&13])
        .map(|sig| {
            let since = (14..=18u32).find(|v| (*v..=18).all(|w| signatures[&w].contains(sig))).unwrap();
            format!("{}\t{}\t{since}\n", sig.0, sig.1)
        })
        .collect();
    derived.sort();
    assert_eq!(
        derived.concat(),
        pgready::knowledge::NEW_FUNCTIONS_TSV,
        "src/knowledge/pg/new_functions18.tsv is stale (scripts/gen-knowledge.sh)"
    );
    // The signatures each release removed.
    let removed: String = (14..=18u32)
        .flat_map(|v| {
            signatures[&(v - 1)].difference(&signatures[&v]).map(move |sig| format!("{}\t{}\t{v}\n", sig.0, sig.1)).collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(
        removed,
        pgready::knowledge::functions::REMOVED_SIGNATURES_TSV,
        "src/knowledge/pg/removed_signatures.tsv is stale (scripts/gen-knowledge.sh)"
    );
}

/// The extensions pgready says PostgreSQL removed are those a source server offers and neither
/// 18 build (the PyPI wheel, the npm build with ICU) does — but plpython2u and plpythonu, which
/// need a Python 2 build no test server is.
#[tokio::test]
async fn removed_extensions_match_the_real_servers() {
    let available = |var: &'static str| async move {
        let c = connect(var).await;
        let rows = c.query("SELECT name::text FROM pg_available_extensions", &[]).await.unwrap();
        rows.iter().map(|r| r.get::<_, String>(0)).collect::<std::collections::BTreeSet<String>>()
    };
    let mut on_18 = available("PGREADY_PG18_URL").await;
    on_18.extend(available("PGREADY_PG18ICU_URL").await);
    let mut gone = std::collections::BTreeSet::new();
    for v in 13..=17 {
        let var: &'static str = Box::leak(format!("PGREADY_PG{v}_URL").into_boxed_str());
        gone.extend(available(var).await.into_iter().filter(|e| !on_18.contains(e)));
    }
    let known: std::collections::BTreeSet<String> = pgready::knowledge::REMOVED_EXTENSIONS.iter().map(|(n, ..)| n.to_string()).collect();
    let python2: std::collections::BTreeSet<String> = ["plpython2u", "plpythonu"].map(String::from).into();
    assert_eq!(known.difference(&gone).cloned().collect::<std::collections::BTreeSet<_>>(), python2, "gone: {gone:?}");
    assert!(gone.is_subset(&known), "removed on 18 but unknown to pgready: {:?}", gone.difference(&known).collect::<Vec<_>>());
}

#[tokio::test]
async fn settings_knowledge_matches_every_real_source() {
    let query = "select name, vartype, coalesce(boot_val,''), coalesce(unit,''), coalesce(min_val,''), coalesce(max_val,''), \
                 coalesce(array_to_string(enumvals, ','),''), context from pg_settings where name <> 'extension_destdir' and name not like '%.%' order by name";
    for major in 13..=18u32 {
        let client = connect(&format!("PGREADY_PG{major}_URL")).await;
        let rows = client.query(query, &[]).await.unwrap();
        let live: String = rows.iter().map(|r| (0..8).map(|i| r.get::<_, String>(i)).collect::<Vec<_>>().join("\t") + "\n").collect();
        let known = pgready::knowledge::settings::SETTINGS_TSV.iter().find(|(v, _)| *v == major).unwrap().1;
        // Server-specific paths and versions differ between builds; every other field must match.
        let strip = |s: &str| -> Vec<String> {
            s.lines()
                .filter(|l| {
                    !["server_version", "server_version_num", "krb_server_keyfile", "unix_socket_directories", "data_directory"]
                        .iter()
                        .any(|n| l.starts_with(&format!("{n}\t")))
                })
                .map(str::to_string)
                .collect()
        };
        assert_eq!(strip(&live), strip(known), "src/knowledge/pg/settings{major}.tsv is stale (scripts/gen-knowledge.sh)");
    }
    let pg18 = connect("PGREADY_PG18_URL").await;
    for name in pgready::knowledge::settings::HIDDEN_ON_TARGET {
        pg18.simple_query(&format!("SHOW {name}")).await.unwrap_or_else(|e| panic!("SHOW {name} on 18: {e}"));
    }
    // The hidden enum values of user-settable enums, probed again.
    let probe = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/enum-aliases.sql")).unwrap();
    let messages = pg18.simple_query(&probe).await.unwrap();
    let live: Vec<String> = messages
        .iter()
        .filter_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(r) => Some(format!("{}\t{}", r.get(0).unwrap(), r.get(1).unwrap())),
            _ => None,
        })
        .collect();
    for line in &live {
        assert!(pgready::knowledge::settings::TARGET_ENUM_ALIASES_TSV.lines().any(|l| l == line), "enum_aliases18.tsv lacks {line}");
    }
    assert!(live.len() >= 8);
}

#[tokio::test]
async fn subscriptions_stream_in_parallel_by_default_on_18_only() {
    let sql = "CREATE PUBLICATION p FOR ALL TABLES; \
               CREATE SUBSCRIPTION s CONNECTION 'host=127.0.0.1 port=1 dbname=postgres' PUBLICATION p WITH (connect = false)";
    // substream is a boolean on 15 and a char (f/t/p) on 18.
    for (var, expected) in [("PGREADY_PG18_URL", "p"), ("PGREADY_PG15_URL", "false")] {
        let c = connect(var).await;
        c.batch_execute("BEGIN").await.unwrap();
        c.batch_execute(sql).await.unwrap();
        let s: String = c.query_one("SELECT substream::text FROM pg_subscription WHERE subname = 's'", &[]).await.unwrap().get(0);
        c.batch_execute("ROLLBACK").await.unwrap();
        assert_eq!(s, expected, "{var}");
    }
}

/// deferred-trigger-role's claim, on the real servers: the same deferred trigger sees the role
/// current at COMMIT on 15, and the role that queued the event on 18.
#[tokio::test]
async fn deferred_triggers_run_as_the_queueing_role_on_18_only() {
    for (var, expected) in [("PGREADY_PG15_URL", "postgres"), ("PGREADY_PG18_URL", "pgready_clerk")] {
        let c = connect(var).await;
        c.batch_execute("DO $$BEGIN CREATE ROLE pgready_clerk; EXCEPTION WHEN duplicate_object THEN NULL; END$$").await.unwrap();
        c.batch_execute("BEGIN").await.unwrap();
        c.batch_execute(
            "CREATE TABLE payment (id int);
             CREATE TABLE audit_log (who text);
             GRANT ALL ON payment, audit_log TO pgready_clerk;
             CREATE FUNCTION log_who() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN INSERT INTO audit_log VALUES (current_user); RETURN NULL; END$$;
             CREATE CONSTRAINT TRIGGER payment_audit AFTER INSERT ON payment DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION log_who();
             SET ROLE pgready_clerk; INSERT INTO payment VALUES (1); RESET ROLE;
             SET CONSTRAINTS ALL IMMEDIATE;",
        )
        .await
        .unwrap();
        let who: String = c.query_one("SELECT who FROM audit_log", &[]).await.unwrap().get(0);
        c.batch_execute("ROLLBACK").await.unwrap();
        c.batch_execute("DROP ROLE pgready_clerk").await.unwrap();
        assert_eq!(who, expected, "{var}");
    }
}

/// explain-analyze-output's claim, on the real servers: actual row counts are printed with two
/// decimals on 18, as integers on 15.
#[tokio::test]
async fn explain_analyze_prints_fractional_rows_on_18_only() {
    let sql = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT 1";
    for (var, expected) in [("PGREADY_PG15_URL", "(actual rows=1 loops=1)"), ("PGREADY_PG18_URL", "(actual rows=1.00 loops=1)")] {
        let c = connect(var).await;
        let plan: Vec<String> = c.query(sql, &[]).await.unwrap().iter().map(|r| r.get(0)).collect();
        assert!(plan.iter().any(|l| l.contains(expected)), "{var}: {plan:?}");
    }
}

/// catalog-meaning-changed's claims, on the real servers: memory context levels start at 0 on 15
/// and at 1 on 18, and a table with a NOT NULL column and a CHECK has one pg_constraint row on 15,
/// two on 18 (the NOT NULL one with contype 'n').
#[tokio::test]
async fn catalog_query_results_change_on_18() {
    for (var, top_level, rows) in [("PGREADY_PG15_URL", 0i32, 1i64), ("PGREADY_PG18_URL", 1, 2)] {
        let c = connect(var).await;
        let level: i32 = c.query_one("SELECT min(level) FROM pg_backend_memory_contexts", &[]).await.unwrap().get(0);
        assert_eq!(level, top_level, "{var}");
        c.batch_execute("CREATE TEMP TABLE nn (a int NOT NULL, b int CHECK (b > 0))").await.unwrap();
        let n: i64 = c.query_one("SELECT count(*) FROM pg_constraint WHERE conrelid = 'nn'::regclass", &[]).await.unwrap().get(0);
        assert_eq!(n, rows, "{var}");
        // The default statistics target: -1 on 15, NULL since 17.
        let default_target: i64 = c
            .query_one("SELECT count(*) FROM pg_attribute WHERE attrelid = 'nn'::regclass AND attnum > 0 AND attstattarget = -1", &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(default_target, if top_level == 0 { 2 } else { 0 }, "{var}");
    }
}

/// copy-csv-end-marker's claim, on the real servers: a CSV file with a `\.` line loads one row on
/// 15 (the marker ends the data) and every line on 18.
#[tokio::test]
async fn copy_csv_reads_past_the_end_marker_on_18_only() {
    let dir = common::scratch_dir();
    let file = dir.path().join("notes.csv");
    std::fs::write(&file, "note\nfirst\n\\.\nafter the marker\n").unwrap();
    let _ = std::process::Command::new("chmod").args(["-R", "o+rX"]).arg(dir.path()).status();
    let sql = format!("CREATE TEMP TABLE n (note text); COPY n FROM '{}' (FORMAT csv, HEADER true)", file.display());
    for (var, rows) in [("PGREADY_PG15_URL", 1i64), ("PGREADY_PG18_URL", 3)] {
        let c = connect(var).await;
        c.batch_execute(&sql).await.unwrap_or_else(|e| panic!("{var}: {e}"));
        let n: i64 = c.query_one("SELECT count(*) FROM n", &[]).await.unwrap().get(0);
        assert_eq!(n, rows, "{var}");
    }
}

/// copy-freeze-foreign-table's claim, on the real servers with a real foreign table
/// (postgres_fdw over loopback to the same server): `COPY ... FREEZE` into a foreign table
/// created in the same transaction (what FREEZE requires of any table) succeeds on 13 and 15
/// (FREEZE was ignored) and fails on 18 (0A000); without FREEZE it succeeds on 18. pgready
/// reports the FREEZE statement, and only it.
#[tokio::test]
async fn copy_freeze_into_a_foreign_table_fails_on_18_only() {
    let server = |port: &str| {
        format!(
            "CREATE EXTENSION postgres_fdw;\n\
             CREATE SERVER archive FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '{port}', dbname 'postgres');\n\
             CREATE USER MAPPING FOR CURRENT_USER SERVER archive OPTIONS (user 'postgres');\n\
             CREATE TABLE archived_event_store (id int);\n"
        )
    };
    let table = "CREATE FOREIGN TABLE archived_event (id int) SERVER archive OPTIONS (table_name 'archived_event_store');\n";
    let freeze = format!("{table}COPY archived_event FROM '/dev/null' WITH (FREEZE);\n");
    let plain = format!("{table}COPY archived_event FROM '/dev/null';\n");
    for (var, expected) in [("PGREADY_PG13_URL", Ok(())), ("PGREADY_PG15_URL", Ok(())), ("PGREADY_PG18_URL", Err("0A000".to_string()))] {
        let url = common::server_url(var);
        let port = url.split_whitespace().find_map(|kv| kv.strip_prefix("port=")).unwrap().to_string();
        let c = connect(var).await;
        // The remote table and the server are committed (postgres_fdw reads through its own
        // connection); the foreign table is made in the COPY's transaction, rolled back.
        c.batch_execute(&server(&port)).await.unwrap_or_else(|e| panic!("{var}: {e}"));
        let frozen = outcome(&c, &freeze).await;
        let unfrozen = outcome(&c, &plain).await;
        c.batch_execute("DROP TABLE archived_event_store; DROP SERVER archive CASCADE; DROP EXTENSION postgres_fdw").await.unwrap();
        assert_eq!(frozen, expected, "{var}: {freeze}");
        assert_eq!(unfrozen, Ok(()), "{var}: {plain}");
    }
    let file = format!("{}{freeze}", server("5432"));
    let run = pgready::engine::lint_text(std::path::Path::new("f.sql"), &file, &Options::default());
    let lines: Vec<usize> = run.diagnostics.iter().map(|d| file[..d.span.start].matches('\n').count() + 1).collect();
    assert_eq!(lines, vec![file.lines().count()], "{:?}", run.diagnostics);
    let file = format!("{}{plain}", server("5432"));
    assert!(pgready::engine::lint_text(std::path::Path::new("f.sql"), &file, &Options::default()).diagnostics.is_empty());
}

/// A finding inside a routine body says when the body fails; PostgreSQL 18 agrees. A SQL body
/// fails at CREATE FUNCTION (check_function_bodies is on by default); a PL/pgSQL body is created
/// and fails at the call; a DO block fails where it stands.
#[tokio::test]
async fn body_findings_fail_on_pg18_when_the_message_says() {
    let pg18 = connect("PGREADY_PG18_URL").await;
    let sql_body = "CREATE FUNCTION io_total() RETURNS bigint LANGUAGE sql AS $$ SELECT buffers_backend FROM pg_stat_bgwriter $$;";
    let plpgsql_body =
        "CREATE FUNCTION snap() RETURNS bigint LANGUAGE plpgsql AS $$ BEGIN RETURN (SELECT wal_sync FROM pg_stat_wal); END $$;";
    let do_block = "CREATE TABLE orders (id int); DO $$ BEGIN GRANT SELECT, RULE ON orders TO PUBLIC; END $$;";
    let message = |sql: &str| -> String {
        let run = pgready::engine::lint_text(std::path::Path::new("f.sql"), sql, &Options::default());
        assert_eq!(run.diagnostics.len(), 1, "{sql}: {:?}", run.diagnostics);
        run.diagnostics[0].message.clone()
    };
    assert!(message(sql_body).contains("(CREATE FUNCTION checks it"));
    assert_eq!(outcome(&pg18, sql_body).await, Err("42703".into()), "a SQL body fails at CREATE");
    assert!(message(plpgsql_body).contains("it runs when the function is called: CREATE FUNCTION does not check it"));
    assert_eq!(outcome(&pg18, plpgsql_body).await, Ok(()), "a PL/pgSQL body is created");
    assert_eq!(outcome(&pg18, &format!("{plpgsql_body} SELECT snap();")).await, Err("42703".into()), "and fails at the call");
    assert!(message(do_block).ends_with("in a DO block"));
    assert_eq!(outcome(&pg18, do_block).await, Err("42601".into()));
    // What the findings say to use instead works.
    let fixed = "CREATE FUNCTION snap() RETURNS bigint LANGUAGE plpgsql AS $$ BEGIN RETURN (SELECT wal_records FROM pg_stat_wal); END $$; SELECT snap();";
    assert!(pgready::engine::lint_text(std::path::Path::new("f.sql"), fixed, &Options::default()).diagnostics.is_empty());
    assert_eq!(outcome(&pg18, fixed).await, Ok(()));
}

/// slru-name-renamed's claim on the real servers: 16 names its transaction SLRU 'Xact', 18
/// 'transaction', and a filter on the old name finds nothing there.
#[tokio::test]
async fn slru_names_changed_in_17() {
    for (var, old_rows, new_rows) in [("PGREADY_PG16_URL", 1i64, 0i64), ("PGREADY_PG18_URL", 0, 1)] {
        let c = connect(var).await;
        let count = |name: &'static str| {
            let c = &c;
            async move { c.query_one("SELECT count(*) FROM pg_stat_slru WHERE name = $1", &[&name]).await.unwrap().get::<_, i64>(0) }
        };
        assert_eq!((count("Xact").await, count("transaction").await), (old_rows, new_rows), "{var}");
    }
}

#[tokio::test]
async fn extract_returns_numeric_from_14_on() {
    for (var, expected) in [("PGREADY_PG13_URL", "double precision"), ("PGREADY_PG14_URL", "numeric"), ("PGREADY_PG18_URL", "numeric")] {
        let c = connect(var).await;
        let row = c.query_one("SELECT pg_typeof(EXTRACT(epoch FROM now()))::text, pg_typeof(date_part('epoch', now()))::text", &[]).await;
        let row = row.unwrap();
        assert_eq!(row.get::<_, String>(0), expected, "EXTRACT on {var}");
        // What the rule's fix writes keeps what 13 returned, on every release.
        assert_eq!(row.get::<_, String>(1), "double precision", "date_part on {var}");
    }
}

#[tokio::test]
async fn noinherit_changes_existing_grants_before_16_only() {
    let setup = "CREATE ROLE ih_owner; CREATE ROLE ih_app; CREATE TABLE ih_t (); GRANT SELECT ON ih_t TO ih_owner; \
                 GRANT ih_owner TO ih_app; ALTER ROLE ih_app NOINHERIT;";
    for (var, still_inherited) in [("PGREADY_PG15_URL", false), ("PGREADY_PG16_URL", true), ("PGREADY_PG18_URL", true)] {
        let c = connect(var).await;
        c.batch_execute("BEGIN").await.unwrap();
        c.batch_execute(setup).await.unwrap();
        let got: bool = c.query_one("SELECT has_table_privilege('ih_app', 'ih_t', 'SELECT')", &[]).await.unwrap().get(0);
        c.batch_execute("ROLLBACK").await.unwrap();
        assert_eq!(got, still_inherited, "{var}");
    }
}

/// The containment operators removed-operator knows are exactly those the real 13 has and 18
/// does not, with the contrib extensions that had them installed.
#[tokio::test]
async fn removed_operators_match_the_real_13_and_18() {
    let mut found = Vec::new();
    for var in ["PGREADY_PG13_URL", "PGREADY_PG18_URL"] {
        let admin_url = common::server_url(var);
        let admin = common::connect(&admin_url).await;
        admin.batch_execute("DROP DATABASE IF EXISTS pgready_operators").await.unwrap();
        admin.batch_execute("CREATE DATABASE pgready_operators").await.unwrap();
        let db = common::connect(&admin_url.replace("dbname=postgres", "dbname=pgready_operators")).await;
        db.batch_execute("CREATE EXTENSION hstore; CREATE EXTENSION cube; CREATE EXTENSION intarray; CREATE EXTENSION seg").await.unwrap();
        let rows = db
            .query(
                "SELECT o.oprname::text, format_type(o.oprleft, NULL), format_type(o.oprright, NULL), \
                        (SELECT n.oprname::text FROM pg_operator n WHERE n.oprname IN ('<@', '@>') AND n.oprcode = o.oprcode LIMIT 1) \
                 FROM pg_operator o WHERE o.oprname IN ('@', '~') AND o.oprleft <> 0 AND o.oprcode::text NOT LIKE '%regexeq' ORDER BY 1, 2, 3",
                &[],
            )
            .await
            .unwrap();
        found.push(
            rows.iter()
                .map(|r| (r.get::<_, String>(0), r.get::<_, String>(1), r.get::<_, String>(2), r.get::<_, Option<String>>(3)))
                .collect::<Vec<_>>(),
        );
        drop(db);
        admin.batch_execute("DROP DATABASE pgready_operators WITH (FORCE)").await.unwrap();
    }
    assert!(found[1].is_empty(), "18 still has binary @ or ~ outside the regex ones: {:?}", found[1]);
    let pg_type = |t: &str| match t {
        "integer[]" => "_int4".to_string(),
        "aclitem[]" => "_aclitem".to_string(),
        other => other.to_string(),
    };
    let mut real: Vec<(String, String, String, String)> =
        found[0].iter().map(|(o, l, r, same)| (o.clone(), pg_type(l), pg_type(r), same.clone().unwrap_or_default())).collect();
    let mut known: Vec<(String, String, String, String)> = pgready::rules::upgrade::removed_operator::REMOVED
        .iter()
        .map(|(o, l, r, same)| (o.to_string(), l.to_string(), r.to_string(), same.to_string()))
        .collect();
    real.sort();
    known.sort();
    assert_eq!(known, real, "removed-operator's table against the real 13");
}
