//! Issue 17's measure of the version knowledge: for each source 13..17, files that use every
//! setting, function and catalog column 18 no longer has — in every form a setting can take —
//! and define every built-in signature added since, each found on its own line with `--from` set
//! to that source; and a near-miss file with none of them gives no finding.
//!
//! What is gone is derived here from the shipped tables (`src/knowledge/pg/`, which
//! tests/pg_oracle.rs compares with the real servers), not asked of the rules' own lookups.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::process::Command;

use pgready::knowledge::{catalog::COLUMNS_TSV, functions::FUNCTIONS_TXT, settings::SETTINGS_TSV};

fn table(tables: &[(u32, &'static str)], major: u32) -> &'static str {
    tables.iter().find(|(v, _)| *v == major).unwrap().1
}

/// Rows of `from`'s table whose first `key` fields (any case) 18's table does not have.
fn gone(tables: &[(u32, &'static str)], from: u32, key: usize) -> Vec<Vec<&'static str>> {
    let key_of = |line: &str| line.split('\t').take(key).map(str::to_lowercase).collect::<Vec<_>>();
    let target: BTreeSet<Vec<String>> = table(tables, 18).lines().map(key_of).collect();
    table(tables, from).lines().filter(|l| !target.contains(&key_of(l))).map(|l| l.split('\t').collect()).collect()
}

struct Probe {
    line: usize,
    rule: &'static str,
    what: String,
}

/// Writes `statements` (one per line) to `file`, each expected to give `rule`.
#[derive(Default)]
struct Files {
    texts: BTreeMap<&'static str, String>,
    probes: BTreeMap<&'static str, Vec<Probe>>,
}

impl Files {
    fn add(&mut self, file: &'static str, statement: String, rule: &'static str) {
        let text = self.texts.entry(file).or_default();
        text.push_str(&statement);
        text.push('\n');
        let line = text.lines().count();
        self.probes.entry(file).or_default().push(Probe { line, rule, what: statement });
    }
}

fn run(dir: &Path, from: u32) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_pgready"))
        .current_dir(dir)
        .args(["check", ".", "--format", "json", "--from", &from.to_string()])
        .env("PGREADY_NO_CACHE", "1")
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

fn renamed(name: &str) -> bool {
    pgready::knowledge::settings::RENAMED.iter().any(|(old, ..)| *old == name)
}

#[test]
fn every_removed_setting_function_and_column_and_every_new_builtin_is_found_from_every_source() {
    for from in 13..=17u32 {
        let mut files = Files::default();
        // Settings: every form a setting takes, in SQL and in postgresql.conf.
        for row in gone(SETTINGS_TSV, from, 1) {
            let (name, context) = (row[0], row[7]);
            // Settings 18 accepts under their old name (an alias) are a rename, not a failure.
            if renamed(name) && !pgready::knowledge::settings::RENAMED.iter().any(|(old, _, _, alias)| *old == name && !alias) {
                continue;
            }
            let value = "'x'";
            let settable = !matches!(context, "internal");
            files.add("settings.sql", format!("SHOW {name};"), "setting-removed");
            files.add("settings.sql", format!("SELECT current_setting('{name}');"), "setting-removed");
            if settable {
                files.add("settings.sql", format!("SET {name} = {value};"), "setting-removed");
                files.add("settings.sql", format!("RESET {name};"), "setting-removed");
                files.add("settings.sql", format!("SELECT set_config('{name}', {value}, false);"), "setting-removed");
                files.add("settings.sql", format!("ALTER SYSTEM SET {name} = {value};"), "setting-removed");
                files.add("settings.sql", format!("ALTER ROLE app SET {name} = {value};"), "setting-removed");
                files.add("settings.sql", format!("ALTER DATABASE app SET {name} = {value};"), "setting-removed");
                files.add(
                    "settings.sql",
                    format!("CREATE FUNCTION f_{name}() RETURNS int LANGUAGE sql SET {name} = {value} AS 'SELECT 1';"),
                    "setting-removed",
                );
                files.add("postgresql.conf", format!("{name} = {value}"), "setting-removed");
            }
        }
        // Functions, called.
        for row in gone(FUNCTIONS_TXT, from, 1) {
            files.add("functions.sql", format!("SELECT {}();", row[0]), "removed-function");
        }
        // Signatures removed, named by signature (the names the rule looks for: not `lead`,
        // `lag`, `point`, `array_*` nor encoding conversions, see removed_function.rs).
        for line in pgready::knowledge::functions::REMOVED_SIGNATURES_TSV.lines() {
            let [name, args, since] = line.split('\t').collect::<Vec<_>>()[..] else { panic!("{line}") };
            if since.parse::<u32>().unwrap() > from && pgready::rules::upgrade::removed_function::KEYWORDS.contains(&name) {
                let args = args.split(',').filter(|a| !a.is_empty()).map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(", ");
                files.add(
                    "signatures.sql",
                    format!("REVOKE EXECUTE ON FUNCTION pg_catalog.{name}({args}) FROM PUBLIC;"),
                    "removed-function",
                );
                // The same signature as text, as catalog queries write it.
                let text_args = line.split('\t').nth(1).unwrap().replace(',', ", ");
                files.add("signatures.sql", format!("SELECT 'pg_catalog.{name}({text_args})'::regprocedure;"), "removed-function");
            }
        }
        // Columns of catalog, information_schema and extension relations, selected: each
        // relation as queries name it (an extension's unqualified, in whatever schema it is).
        for row in gone(COLUMNS_TSV, from, 3) {
            let relation = match row[0] {
                "pg_catalog" | "information_schema" => format!("{}.{}", row[0], row[1]),
                _extension => row[1].to_string(),
            };
            files.add("columns.sql", format!("SELECT {} FROM {relation};", row[2]), "removed-catalog-column");
        }
        // Built-in signatures new since `from`, defined by the user before the upgrade.
        for line in pgready::knowledge::NEW_FUNCTIONS_TSV.lines() {
            let [name, args, since] = line.split('\t').collect::<Vec<_>>()[..] else { panic!("{line}") };
            if since.parse::<u32>().unwrap() > from {
                // The catalog's type names, quoted: `"char"` and `"any"` are not `char`/`any`.
                let args = args.split(',').filter(|a| !a.is_empty()).map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(", ");
                files.add(
                    "builtins.sql",
                    format!("CREATE FUNCTION public.{name}({args}) RETURNS int LANGUAGE sql AS 'SELECT 1';"),
                    "builtin-function-shadowed",
                );
            }
        }
        let dir = tempfile::tempdir().unwrap();
        for (file, text) in &files.texts {
            fs::write(dir.path().join(file), text).unwrap();
        }
        let report = run(dir.path(), from);
        let found: BTreeSet<(String, u64, String)> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (d["path"].as_str().unwrap().to_string(), d["start"]["line"].as_u64().unwrap(), d["rule"].as_str().unwrap().to_string())
            })
            .collect();
        let mut missed = Vec::new();
        let mut total = 0;
        for (file, probes) in &files.probes {
            for p in probes {
                total += 1;
                let hit = found.iter().any(|(path, line, rule)| {
                    path.ends_with(file)
                        && *line == p.line as u64
                        && (rule == p.rule || (p.rule == "setting-removed" && rule == "setting-renamed"))
                });
                if !hit {
                    missed.push(format!("{file}:{}: {} ({})", p.line, p.what, p.rule));
                }
            }
        }
        assert!(total > 0);
        assert!(missed.is_empty(), "from {from}: {} of {total} not found:\n{}", missed.len(), missed.join("\n"));
        // Nothing is reported on a line that was not a probe.
        for (path, line, rule) in &found {
            let file = path.rsplit('/').next().unwrap();
            assert!(
                files.probes.get(file).is_some_and(|ps| ps.iter().any(|p| p.line as u64 == *line)),
                "from {from}: unexpected {rule} at {path}:{line}"
            );
        }
    }
}

/// Things that look like the above and are not: custom settings, a user `crc32(text)` (18's is
/// `crc32(bytea)`), a CTE named like a catalog view, user tables named like information_schema
/// and extension views, settings 18 still has, extensions 18 ships,
/// and `ALTER ROLE/DATABASE ... RESET` of a removed setting (18 accepts it: checked on 18.6).
#[test]
fn near_misses_give_no_finding() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("near.sql"),
        "SET app.tenant = 'a';
SHOW app.tenant;
SELECT current_setting('app.tenant', true);
ALTER ROLE app SET app.tenant = 'b';
ALTER DATABASE app SET work_mem = '64MB';
SHOW work_mem;
RESET work_mem;
ALTER ROLE app RESET force_parallel_mode;
ALTER DATABASE app RESET old_snapshot_threshold;
CREATE FUNCTION tuned() RETURNS int LANGUAGE sql SET search_path = public AS 'SELECT 1';
CREATE FUNCTION public.crc32(text) RETURNS bigint LANGUAGE sql AS 'SELECT 1::bigint';
SELECT crc32('abc');
GRANT EXECUTE ON FUNCTION pg_terminate_backend(integer, bigint) TO PUBLIC;
REVOKE EXECUTE ON FUNCTION json_strip_nulls(json, boolean) FROM PUBLIC;
SELECT 'json_strip_nulls(json, boolean)'::regprocedure, to_regprocedure('json_strip_nulls(json)');
WITH pg_stat_wal AS (SELECT 1 AS wal_write) SELECT wal_write FROM pg_stat_wal;
WITH pg_stat_bgwriter AS (SELECT 1 AS buffers_backend) SELECT buffers_backend FROM pg_stat_bgwriter;
SELECT wal_records FROM pg_stat_wal;
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
SELECT shared_blk_read_time, local_blk_read_time FROM pg_stat_statements;
CREATE TABLE element_types (domain_default text);
SELECT domain_default FROM element_types;
CREATE SCHEMA monitoring;
CREATE TABLE monitoring.pg_stat_statements (blk_read_time float8);
SELECT blk_read_time FROM monitoring.pg_stat_statements;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
SELECT pg_backup_start('label');
",
    )
    .unwrap();
    for from in [13, 15, 17] {
        let report = run(dir.path(), from);
        assert_eq!(report["diagnostics"].as_array().unwrap().len(), 0, "from {from}: {report:#}");
    }
}
