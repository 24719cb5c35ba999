//! The real pg_upgrade is the oracle for rules that say "pg_upgrade refuses this": each rule
//! page example tagged `pg_upgrade=fail|ok` is applied to a database of the running PostgreSQL
//! 15 server, and `pg_upgrade --check` from 15 to a fresh PostgreSQL 18 cluster must fail (or
//! pass) accordingly.

mod common;

use std::path::Path;
use std::process::Command;

use pgready::rules::REGISTRY;
use tokio_postgres::NoTls;

fn env(var: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| panic!("{var} is not set: run the tests with `bash scripts/test.sh`"))
}

/// Run a server binary as the unprivileged server user when we are root (postgres refuses root).
fn as_server_user(program: &Path, args: &[&str], cwd: &Path) -> std::process::Output {
    let root = Command::new("id").arg("-u").output().map(|o| o.stdout == b"0\n").unwrap_or(false);
    let mut cmd = if root {
        let mut c = Command::new("runuser");
        c.args(["-u", &env("PGREADY_PG_OS_USER"), "--"]).arg(program);
        c
    } else {
        Command::new(program)
    };
    cmd.args(args).current_dir(cwd).output().expect("runs")
}

fn scratch_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let user = env("PGREADY_PG_OS_USER");
    let _ = Command::new("chown").arg(format!("{user}:")).arg(dir.path()).status();
    dir
}

#[tokio::test]
async fn pg_upgrade_check_agrees_with_the_rule_pages() {
    let (bin15, bin18) = (env("PGREADY_PG15_BIN"), env("PGREADY_PG18_BIN"));
    let data15 = env("PGREADY_PG15_DATA");
    let port15 = env("PGREADY_PG15_PORT");
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

        let work = scratch_dir();
        let new_data = work.path().join("new18");
        let init = as_server_user(
            &Path::new(&bin18).join("initdb"),
            &[
                "-D",
                new_data.to_str().unwrap(),
                "-U",
                "postgres",
                "--auth=trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-data-checksums",
            ],
            work.path(),
        );
        assert!(init.status.success(), "initdb 18: {}", String::from_utf8_lossy(&init.stderr));
        let check = as_server_user(
            &Path::new(&bin18).join("pg_upgrade"),
            &[
                "--check",
                "-b",
                &bin15,
                "-B",
                &format!("{bin18}"),
                "-d",
                &data15,
                "-D",
                new_data.to_str().unwrap(),
                "-U",
                "postgres",
                "-p",
                &port15,
                "-P",
                &(port15.parse::<u32>().unwrap() + 84).to_string(),
            ],
            work.path(),
        );
        let output = String::from_utf8_lossy(&check.stdout).into_owned() + &String::from_utf8_lossy(&check.stderr);
        admin.batch_execute("DROP DATABASE pgready_upgrade").await.unwrap();
        match ex.pg_upgrade.as_deref() {
            Some("fail") => {
                assert!(!check.status.success(), "{}: pg_upgrade --check passed, the page says it fails:\n{output}", ex.rule);
                assert!(output.contains("Checking data type usage") && output.contains("failed"), "{}: {output}", ex.rule);
            }
            Some("ok") => assert!(check.status.success(), "{}: pg_upgrade --check failed:\n{output}", ex.rule),
            other => panic!("{}: unknown pg_upgrade tag {other:?}", ex.rule),
        }
    }
}
