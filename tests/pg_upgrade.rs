//! The real pg_upgrade is the oracle for rules that say "pg_upgrade refuses this": each rule
//! page example tagged `pg_upgrade=fail|ok` is applied to a database of the running PostgreSQL
//! 15 server, and `pg_upgrade --check` from 15 to a fresh PostgreSQL 18 cluster must fail (or
//! pass) accordingly.

mod common;

use pgready::rules::REGISTRY;
use tokio_postgres::NoTls;

#[tokio::test]
async fn pg_upgrade_check_agrees_with_the_rule_pages() {
    let admin_url = common::server_url("PGREADY_PG15_URL");
    let (admin, conn) = tokio_postgres::connect(&admin_url, NoTls).await.unwrap();
    tokio::spawn(conn);

    let examples: Vec<_> = REGISTRY.iter().flat_map(|r| common::examples(r)).filter(|e| e.pg_upgrade.is_some()).collect();
    assert!(examples.len() >= 2, "no pg_upgrade examples found");
    for ex in examples {
        // Separate statements: a multi-statement string runs as one transaction block.
        admin.batch_execute("DROP DATABASE IF EXISTS pgready_upgrade").await.unwrap();
        admin.batch_execute("CREATE DATABASE pgready_upgrade").await.unwrap();
        let url = admin_url.replace("dbname=postgres", "dbname=pgready_upgrade");
        let (db, conn) = tokio_postgres::connect(&url, NoTls).await.unwrap();
        let handle = tokio::spawn(conn);
        db.batch_execute(&ex.sql).await.unwrap_or_else(|e| panic!("{}: example fails on 15: {e}\n{}", ex.rule, ex.sql));
        drop(db);
        let _ = handle.await;

        let (passed, output) = common::pg_upgrade_check_to_18(15, false);
        // The live audit of the same database agrees with pg_upgrade (ground truth).
        let audit = std::process::Command::new(env!("CARGO_BIN_EXE_pgready"))
            .args(["check", "--db", &url, "--format", "json", "--select", ex.rule])
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&audit.stdout).expect("JSON report");
        let found = report["diagnostics"].as_array().unwrap().iter().any(|d| d["rule"] == ex.rule);
        assert_eq!(found, !passed, "{}: the live audit and pg_upgrade --check disagree:\n{output}\n{report}", ex.rule);
        admin.batch_execute("DROP DATABASE pgready_upgrade").await.unwrap();
        match ex.pg_upgrade.as_deref() {
            Some("fail") => {
                assert!(!passed, "{}: pg_upgrade --check passed, the page says it fails:\n{output}", ex.rule);
                assert!(output.contains("Checking data type usage") && output.contains("failed"), "{}: {output}", ex.rule);
            }
            Some("ok") => assert!(passed, "{}: pg_upgrade --check failed:\n{output}", ex.rule),
            other => panic!("{}: unknown pg_upgrade tag {other:?}", ex.rule),
        }
    }
}
