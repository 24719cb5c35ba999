//! PostgreSQL 18 itself judges the configuration examples of the rule pages:
//! - postgresql.conf: `postgres -D <data> --config-file=<file> -C port` loads the file as the
//!   server would at start and fails on what the server would refuse;
//! - pg_hba.conf: the file is put in the running server's data directory (the original is
//!   restored) and the `pg_hba_file_rules` view reports each line's error without a reload.

mod common;

use std::path::Path;
use std::process::Command;

use pgready::rules::REGISTRY;
use tokio_postgres::NoTls;

fn env(var: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| panic!("{var} is not set: run the tests with `bash scripts/test.sh`"))
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| o.stdout == b"0\n").unwrap_or(false)
}

fn server_command(program: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", &env("PGREADY_PG_OS_USER"), "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

#[test]
fn postgresql_conf_examples_load_on_18_and_15_as_documented() {
    let dir = tempfile::tempdir().unwrap();
    if is_root() {
        Command::new("chown").arg(format!("{}:", env("PGREADY_PG_OS_USER"))).arg(dir.path()).status().unwrap();
    }
    let mut ran = 0;
    for rule in REGISTRY {
        for ex in common::examples(rule).into_iter().filter(|e| e.lang == "conf") {
            for (major, expected) in [(18, &ex.pg18), (15, &ex.pg15)] {
                let Some(expected) = expected else { continue };
                let bin = Path::new(&env(&format!("PGREADY_PG{major}_BIN"))).join("postgres");
                let data = env(&format!("PGREADY_PG{major}_DATA"));
                let file = dir.path().join("postgresql.conf");
                std::fs::write(&file, &ex.sql).unwrap();
                let out =
                    server_command(&bin).args(["-D", &data, &format!("--config-file={}", file.display()), "-C", "port"]).output().unwrap();
                let stderr = String::from_utf8_lossy(&out.stderr);
                match expected.as_str() {
                    "ok" => assert!(out.status.success(), "{}: PostgreSQL {major} refuses\n{}\n{stderr}", rule.meta.id, ex.sql),
                    "error" => assert!(
                        !out.status.success() && stderr.contains("FATAL"),
                        "{}: PostgreSQL {major} accepts\n{}",
                        rule.meta.id,
                        ex.sql
                    ),
                    other => panic!("{}: pg{major}={other} is not a configuration outcome", rule.meta.id),
                }
                ran += 1;
            }
        }
    }
    assert!(ran >= 6, "only {ran} postgresql.conf examples ran");
}

/// pg_ident.conf examples: written over the PostgreSQL 18 server's own file, read back through
/// the `pg_ident_file_mappings` view (which parses the file on disk at each query).
#[tokio::test]
async fn pg_ident_examples_load_on_18_as_documented() {
    let data = Path::new(&env("PGREADY_PG18_DATA")).to_path_buf();
    let ident = data.join("pg_ident.conf");
    let original = std::fs::read(&ident).unwrap();
    let (client, conn) = tokio_postgres::connect(&common::server_url("PGREADY_PG18_URL"), NoTls).await.unwrap();
    tokio::spawn(conn);
    let mut outcomes = Vec::new();
    for rule in REGISTRY {
        for ex in common::examples(rule).into_iter().filter(|e| e.lang == "ident") {
            let Some(expected) = ex.pg18.clone() else { continue };
            std::fs::write(&ident, &ex.sql).unwrap();
            let rows = client.query("SELECT line_number, error FROM pg_ident_file_mappings WHERE error IS NOT NULL", &[]).await.unwrap();
            let errors: Vec<(i32, String)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
            let maps =
                client.query("SELECT count(*) FROM pg_ident_file_mappings WHERE error IS NULL", &[]).await.unwrap()[0].get::<_, i64>(0);
            outcomes.push((rule.meta.id, ex, expected, errors, maps));
        }
    }
    std::fs::write(&ident, original).unwrap();
    assert!(outcomes.len() >= 2, "only {} pg_ident.conf examples ran", outcomes.len());
    for (rule, ex, expected, errors, maps) in outcomes {
        match expected.as_str() {
            "ok" => {
                assert!(errors.is_empty(), "{rule}: PostgreSQL 18 reports {errors:?} for\n{}", ex.sql);
                let lines = ex.sql.lines().filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#')).count() as i64;
                assert_eq!(maps, lines, "{rule}: PostgreSQL 18 read {maps} mappings from\n{}", ex.sql);
            }
            "error" => {
                let line = ex.line.expect("a bad ident example states its line") as i32;
                assert!(
                    errors.iter().any(|(l, _)| *l == line),
                    "{rule}: PostgreSQL 18 finds no error on line {line} of\n{}\n{errors:?}",
                    ex.sql
                );
            }
            other => panic!("{rule}: pg18={other} is not a configuration outcome"),
        }
    }
}

#[tokio::test]
async fn pg_hba_examples_load_on_18_as_documented() {
    let data = Path::new(&env("PGREADY_PG18_DATA")).to_path_buf();
    let hba = data.join("pg_hba.conf");
    let original = std::fs::read(&hba).unwrap();
    let (client, conn) = tokio_postgres::connect(&common::server_url("PGREADY_PG18_URL"), NoTls).await.unwrap();
    tokio::spawn(conn);
    let mut outcomes = Vec::new();
    for rule in REGISTRY {
        for ex in common::examples(rule).into_iter().filter(|e| e.lang == "hba") {
            let Some(expected) = ex.pg18.clone() else { continue };
            std::fs::write(&hba, &ex.sql).unwrap();
            let rows = client.query("SELECT line_number, error FROM pg_hba_file_rules WHERE error IS NOT NULL", &[]).await.unwrap();
            let errors: Vec<(i32, String)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
            outcomes.push((rule.meta.id, ex, expected, errors));
        }
    }
    std::fs::write(&hba, original).unwrap();
    assert!(outcomes.len() >= 4, "only {} pg_hba.conf examples ran", outcomes.len());
    for (rule, ex, expected, errors) in outcomes {
        match expected.as_str() {
            "ok" => assert!(errors.is_empty(), "{rule}: PostgreSQL 18 reports {errors:?} for\n{}", ex.sql),
            "error" => {
                let line = ex.line.expect("a bad hba example states its line") as i32;
                assert!(
                    errors.iter().any(|(l, _)| *l == line),
                    "{rule}: PostgreSQL 18 finds no error on line {line} of\n{}\n{errors:?}",
                    ex.sql
                );
            }
            other => panic!("{rule}: pg18={other} is not a configuration outcome"),
        }
    }
}

/// Whether a real server starts with an example as its pg_hba.conf: what a value the server
/// refuses does to a restart, which pg_hba_file_rules does not always show (PostgreSQL 14+ logs
/// an invalid `clientcert` and refuses the file, but the view shows the line without an error).
#[test]
fn pg_hba_examples_start_a_real_server_as_documented() {
    let mut checked = 0;
    for rule in REGISTRY {
        for ex in common::examples(rule).into_iter().filter(|e| e.lang == "hba") {
            for (major, expected) in [(18, &ex.start18), (13, &ex.start13)] {
                let Some(expected) = expected else { continue };
                let bin = Path::new(&env(&format!("PGREADY_PG{major}_BIN"))).to_path_buf();
                let work = common::scratch_dir();
                let data = work.path().join("data");
                let init = common::as_server_user(
                    &bin.join("initdb"),
                    &["-D", data.to_str().unwrap(), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"],
                    work.path(),
                );
                assert!(init.status.success(), "initdb {major}: {}", String::from_utf8_lossy(&init.stderr));
                std::fs::write(data.join("pg_hba.conf"), &ex.sql).unwrap();
                let log = work.path().join("log");
                let options = format!("-c listen_addresses='' -k {} -p {}", work.path().display(), 56100 + major);
                let start = common::as_server_user(
                    &bin.join("pg_ctl"),
                    &["-D", data.to_str().unwrap(), "-l", log.to_str().unwrap(), "-w", "-t", "30", "-o", &options, "start"],
                    work.path(),
                );
                let started = start.status.success();
                if started {
                    common::as_server_user(
                        &bin.join("pg_ctl"),
                        &["-D", data.to_str().unwrap(), "-m", "immediate", "-w", "stop"],
                        work.path(),
                    );
                }
                let why = std::fs::read_to_string(&log).unwrap_or_default();
                match expected.as_str() {
                    "ok" => assert!(started, "{}: PostgreSQL {major} does not start with\n{}\n{why}", rule.meta.id, ex.sql),
                    "fail" => assert!(!started, "{}: PostgreSQL {major} starts with\n{}", rule.meta.id, ex.sql),
                    other => panic!("{}: start{major}={other}", rule.meta.id),
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 3, "only {checked} start checks");
}
