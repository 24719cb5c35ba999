//! The upgrade plan, end to end on real servers (#30): a PostgreSQL 15 cluster of its own,
//! seeded with what blocks an upgrade to 18, fails a real `pg_upgrade --check`; pgready's
//! remediation script is run by psql on it, the one decision it leaves (a prepared transaction)
//! is taken as a person would, the plan's own initdb and pg_upgrade commands make the new
//! cluster, a real `pg_upgrade` succeeds, and the script's part for the new cluster and the
//! plan's after-upgrade commands run on 18. The reports of the audit render (GFM) and open in a
//! real headless browser.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{as_server_user, assert_gfm, assert_opens_in_a_browser, env, scratch_dir};

/// A database name that is a connection string to psql unless quoted as one: `\connect` of it
/// must reach this database on this server.
const ODD_DB: &str = "odd'=db\\ name";

struct Cluster {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
}

impl Cluster {
    fn ctl(&self, args: &[&str], dir: &Path) -> std::process::Output {
        let mut all = vec!["-D", self.data.to_str().unwrap(), "-w"];
        all.extend_from_slice(args);
        as_server_user(&self.bin.join("pg_ctl"), &all, dir)
    }
    fn dsn(&self, db: &str) -> String {
        format!("host=127.0.0.1 port={} user=postgres dbname='{}'", self.port, db.replace('\\', "\\\\").replace('\'', "\\'"))
    }
    fn psql(&self, db: &str, args: &[&str], dir: &Path) -> std::process::Output {
        let dsn = self.dsn(db);
        let mut all = vec!["-X", "-v", "ON_ERROR_STOP=1", "-d", &dsn];
        all.extend_from_slice(args);
        as_server_user(&self.bin.join("psql"), &all, dir)
    }
    fn query(&self, db: &str, sql: &str, dir: &Path) -> String {
        let out = self.psql(db, &["-Atc", sql], dir);
        assert!(out.status.success(), "{sql}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

/// Stops what the test started, whatever happens.
struct Stop<'a>(&'a Cluster, &'a Path);
impl Drop for Stop<'_> {
    fn drop(&mut self) {
        let _ = self.0.ctl(&["stop", "-m", "fast"], self.1);
    }
}

fn ok(out: &std::process::Output, what: &str) -> String {
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{what} failed:\n{text}");
    text
}

/// The shell commands a part of the script lists (its comment lines `--   "$PGBINNEW/..."`).
fn commands(script: &str, program: &str) -> Vec<String> {
    script.lines().filter_map(|l| l.strip_prefix("--   ")).filter(|l| l.contains(program)).map(String::from).collect()
}

/// Runs a plan command in a shell as the clusters' OS user, with pg_upgrade's variables set.
fn shell(command: &str, vars: &[(&str, String)], dir: &Path) -> std::process::Output {
    let exports: String = vars.iter().map(|(k, v)| format!("export {k}='{v}'; ")).collect();
    as_server_user(Path::new("/bin/sh"), &["-c", &format!("{exports}{command}")], dir)
}

fn pgready(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pgready"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1796000000")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_plan_takes_a_blocked_15_cluster_through_a_real_pg_upgrade_to_18() {
    let work = scratch_dir();
    let dir = work.path();
    let port_base: u16 = env("PGREADY_PG15_PORT").parse::<u16>().unwrap() + 200;
    let old = Cluster { bin: PathBuf::from(env("PGREADY_PG15_BIN")), data: dir.join("old"), port: port_base };
    let new = Cluster { bin: PathBuf::from(env("PGREADY_PG18_BIN")), data: dir.join("new"), port: port_base + 1 };
    let data = old.data.to_str().unwrap();
    ok(
        &as_server_user(
            &old.bin.join("initdb"),
            &["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
            dir,
        ),
        "initdb 15",
    );
    let conf = format!(
        "port = {}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\nmax_prepared_transactions = 5\nfsync = off\n",
        old.port,
        dir.display()
    );
    std::fs::OpenOptions::new()
        .append(true)
        .open(old.data.join("postgresql.conf"))
        .and_then(|mut f| std::io::Write::write_all(&mut f, conf.as_bytes()))
        .unwrap();
    ok(&old.ctl(&["-l", dir.join("old.log").to_str().unwrap(), "start"], dir), "start 15");
    let stop_old = Stop(&old, dir);

    // What blocks the upgrade: removed settings stored for a role, a database and a function
    // and written by ALTER SYSTEM; a removed extension; a reg* column holding data; a pending
    // prepared transaction; a database that refuses connections; no data checksums (initdb 15).
    let seed = format!(
        "CREATE ROLE app LOGIN;\n\
         ALTER ROLE app SET force_parallel_mode = on;\n\
         ALTER DATABASE postgres SET force_parallel_mode = off;\n\
         ALTER SYSTEM SET old_snapshot_threshold = '-1';\n\
         CREATE DATABASE {odd};\n\
         CREATE DATABASE closed;\n\
         ALTER DATABASE closed WITH ALLOW_CONNECTIONS false;\n",
        odd = pgready::quote::ident(ODD_DB)
    );
    let run_file = |db: &str, name: &str, sql: &str| {
        let path = dir.join(name);
        std::fs::write(&path, sql).unwrap();
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
        ok(&old.psql(db, &["-f", path.to_str().unwrap()], dir), name);
    };
    run_file("postgres", "seed.sql", &seed);
    let in_odd = "CREATE SCHEMA app;\n\
         CREATE FUNCTION app.f() RETURNS int LANGUAGE sql SET force_parallel_mode = off AS 'SELECT 1';\n\
         CREATE EXTENSION adminpack;\n\
         CREATE TABLE app.t (id int, p regproc);\n\
         INSERT INTO app.t VALUES (1, 'now'), (2, 'pg_catalog.textlen');\n\
         BEGIN; CREATE TABLE app.pending (a int); PREPARE TRANSACTION 'pending-1';";
    run_file(ODD_DB, "seed-odd.sql", in_odd);

    // A real pg_upgrade --check to a default initdb 18 refuses it.
    let vars = vec![
        ("PGBINOLD", old.bin.display().to_string()),
        ("PGBINNEW", new.bin.display().to_string()),
        ("PGDATAOLD", old.data.display().to_string()),
        ("PGDATANEW", new.data.display().to_string()),
        ("PGPORTOLD", old.port.to_string()),
        ("PGPORTNEW", new.port.to_string()),
    ];
    ok(
        &shell("\"$PGBINNEW/initdb\" -D \"$PGDATANEW\" -U postgres --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null", &vars, dir),
        "default initdb 18",
    );
    let refused = shell("\"$PGBINNEW/pg_upgrade\" --check -U postgres", &vars, dir);
    assert!(!refused.status.success(), "pg_upgrade --check passed on the seeded cluster");
    std::fs::remove_dir_all(&new.data).unwrap();

    // The audit: every blocker found, the script and the reports written.
    let out = pgready(
        dir,
        &["check", "--db", &old.dsn("postgres"), "--all-databases", "--fix-script", "fix.sql", "--format", "markdown", "-o", "report.md"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let markdown = std::fs::read_to_string(dir.join("report.md")).unwrap();
    for rule in [
        "data-checksums-off",
        "prepared-transaction",
        "extension-removed",
        "pg-upgrade-data-type",
        "setting-removed",
        "database-connection-settings",
    ] {
        assert!(markdown.contains(&format!("`{rule}`")), "{rule} missing from the report:\n{markdown}");
    }
    assert!(markdown.contains("**Verdict: blocked**") && markdown.contains("closed"), "{markdown}");
    assert!(stderr.contains("1 need a person"), "{stderr}");
    let script = std::fs::read_to_string(dir.join("fix.sql")).unwrap();
    let manual = &script[script.find("-- For a person").expect("a manual list")..];
    assert!(manual.contains("[prepared-transaction]") && manual.lines().count() == 3, "{manual}");
    for statement in [
        "ALTER ROLE \"app\" RESET force_parallel_mode;",
        "ALTER DATABASE \"postgres\" RESET force_parallel_mode;",
        "ALTER SYSTEM RESET old_snapshot_threshold;",
        "ALTER FUNCTION \"app\".\"f\"() RESET force_parallel_mode;",
        "DROP EXTENSION IF EXISTS \"adminpack\" RESTRICT;",
        "ALTER TABLE \"app\".\"t\" ALTER COLUMN \"p\" TYPE text USING \"p\"::text;",
        "ALTER DATABASE \"closed\" WITH ALLOW_CONNECTIONS true;",
        "-- ROLLBACK PREPARED 'pending-1';",
    ] {
        assert!(script.lines().any(|l| l == statement), "{statement} missing:\n{script}");
    }
    let html = pgready(dir, &["check", "--db", &old.dsn("postgres"), "--all-databases", "--format", "html", "-o", "report.html"]);
    assert_eq!(html.status.code(), Some(1));
    assert_gfm(&markdown);
    // What differs from run to run (ports, the server's build, the read time, the commit) is
    // written as a stand-in; everything else is the report as a user reads it.
    let read_at = markdown.split("read ").nth(1).and_then(|s| s.split(';').next()).unwrap_or("").to_string();
    let version = markdown.split("(PostgreSQL ").nth(1).and_then(|s| s.split("), read").next()).unwrap_or("").to_string();
    let stable = markdown
        .replace(&old.port.to_string(), "PORT")
        .replace(&common::markdown_escaped(&read_at), "READ_AT")
        .replace(&version, "VERSION")
        .replace(&common::markdown_escaped(env!("PGREADY_LONG_VERSION")), "PGREADY_VERSION");
    insta::assert_snapshot!("live_audit_markdown", stable);
    assert_opens_in_a_browser(&dir.join("report.html"), "live-audit");

    // The old cluster's part of the script, then the person's decision.
    std::fs::set_permissions(dir.join("fix.sql"), std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    let fix = dir.join("fix.sql");
    let applied = ok(&old.psql("postgres", &["-f", fix.to_str().unwrap()], dir), "the script on 15");
    assert!(applied.contains(&format!("You are now connected to database \"{ODD_DB}\"")), "{applied}");
    ok(&old.psql(ODD_DB, &["-c", "ROLLBACK PREPARED 'pending-1'"], dir), "the person's decision");
    drop(stop_old);

    // The upgrade itself, with the plan's commands.
    let initdb = commands(&script, "/initdb\"");
    assert_eq!(initdb.len(), 1, "{script}");
    assert!(initdb[0].contains("--no-data-checksums") && initdb[0].contains("--locale=C.UTF-8"), "{}", initdb[0]);
    ok(&shell(&format!("{} --no-sync >/dev/null", initdb[0]), &vars, dir), "the plan's initdb");
    let upgrade = commands(&script, "/pg_upgrade\"");
    assert_eq!(upgrade.len(), 2, "{script}");
    assert!(upgrade[0].contains("--check"));
    ok(&shell(&upgrade[0], &vars, dir), "the plan's pg_upgrade --check");
    ok(&shell(&upgrade[1], &vars, dir), "the plan's pg_upgrade");

    // After the upgrade, on 18: the script again, and the plan's commands.
    let conf18 = format!("port = {}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\n", new.port, dir.display());
    std::fs::OpenOptions::new()
        .append(true)
        .open(new.data.join("postgresql.conf"))
        .and_then(|mut f| std::io::Write::write_all(&mut f, conf18.as_bytes()))
        .unwrap();
    ok(&new.ctl(&["-l", dir.join("new.log").to_str().unwrap(), "start"], dir), "start 18");
    let _stop_new = Stop(&new, dir);
    ok(&new.psql("postgres", &["-f", fix.to_str().unwrap()], dir), "the script on 18");
    let mut after_vars = vars.clone();
    after_vars.push(("PGHOST", "127.0.0.1".into()));
    after_vars.push(("PGPORT", new.port.to_string()));
    let after: Vec<String> = script
        .lines()
        .skip_while(|l| !l.contains("this script again"))
        .skip(1)
        .map_while(|l| l.strip_prefix("--   "))
        .map(String::from)
        .collect();
    assert_eq!(after.len(), 3, "{script}");
    for c in &after {
        ok(&shell(c, &after_vars, dir), c);
    }
    assert_eq!(
        new.query(ODD_DB, "SELECT string_agg(pg_typeof(p)::text || ':' || p::text, ',' ORDER BY id) FROM app.t", dir),
        "regproc:now,regproc:textlen"
    );
    assert_eq!(new.query("postgres", "SELECT datallowconn FROM pg_database WHERE datname = 'closed'", dir), "f");
    assert_eq!(new.query(ODD_DB, "SELECT coalesce(array_to_string(proconfig, ','), '') FROM pg_proc WHERE proname = 'f'", dir), "");
    assert_eq!(new.query("postgres", "SELECT count(*) FROM pg_db_role_setting", dir), "0");
    assert!(new.query("postgres", "SHOW server_version_num", dir).starts_with("18"));
}
