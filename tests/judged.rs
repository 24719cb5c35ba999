//! Every statement judged, or counted as not judged (issue 16): routine bodies and DO blocks,
//! psql variables, templates, other dialects and pg_dump's layout, through the binary.

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

fn pgready(dir: &Path, args: &[&str]) -> Output {
    common::pgready_in(dir, args)
}

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    dir
}

fn concise(dir: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["check", "--format", "concise"];
    all.extend_from_slice(args);
    let out = pgready(dir, &all);
    String::from_utf8(out.stdout).unwrap().lines().map(str::to_string).collect()
}

fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_slice(&pgready(dir, &all).stdout).expect("JSON report")
}

pub const BODIES: &str = "\
CREATE FUNCTION io_total() RETURNS bigint LANGUAGE sql
    AS $$ SELECT buffers_backend FROM pg_stat_bgwriter $$;
CREATE FUNCTION snap() RETURNS void LANGUAGE plpgsql
    AS $$ BEGIN PERFORM pg_stop_backup(); END $$;
DO $$ BEGIN REVOKE RULE ON orders FROM app; END $$;
";

/// The three bodies, each found at its exact line and column, saying where it is and
/// when it fails.
#[test]
fn bodies_and_do_blocks_are_judged_where_they_stand() {
    let dir = project(&[("bodies.sql", BODIES)]);
    let lines = concise(dir.path(), &["--from", "14", "bodies.sql"]);
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert!(
        lines[0].starts_with("bodies.sql:2:18: removed-catalog-column error column `pg_stat_bgwriter.buffers_backend`"),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("SQL function `io_total` (CREATE FUNCTION checks it"), "{}", lines[0]);
    assert!(lines[1].starts_with("bodies.sql:4:25: removed-function error function pg_stop_backup()"), "{}", lines[1]);
    assert!(lines[1].contains("PL/pgSQL function `snap` (it runs when the function is called"), "{}", lines[1]);
    assert!(lines[2].starts_with("bodies.sql:5:20: grant-rule-privilege") && lines[2].ends_with("in a DO block"), "{}", lines[2]);
}

/// PL/pgSQL statements of every shape: a query with INTO, RETURN QUERY, a loop's query, an
/// assignment, a condition, EXECUTE of a constant and of format(); a branch that only runs on
/// servers older than 17 is not judged as 18 code; an EXECUTE of built SQL is counted.
#[test]
fn plpgsql_statements_of_every_shape() {
    let body = "\
CREATE FUNCTION stats() RETURNS SETOF bigint LANGUAGE plpgsql AS $fn$
DECLARE
  n bigint := (SELECT wal_sync FROM pg_stat_wal);
  r record;
BEGIN
  SELECT buffers_backend INTO n FROM pg_stat_bgwriter;
  n := (SELECT checkpoints_timed FROM pg_stat_bgwriter);
  IF current_setting('server_version_num')::int < 170000 THEN
    PERFORM buffers_backend_fsync FROM pg_stat_bgwriter;
  END IF;
  FOR r IN SELECT wal_write FROM pg_stat_wal LOOP END LOOP;
  EXECUTE 'REVOKE RULE ON orders FROM app';
  EXECUTE format('SELECT wal_sync_time FROM pg_stat_wal WHERE %s', 'true');
  EXECUTE 'SELECT ' || n;
  RETURN QUERY SELECT wal_write_time FROM pg_stat_wal;
END $fn$;
";
    let dir = project(&[("f.sql", body)]);
    let report = json(dir.path(), &["--from", "16", "f.sql"]);
    let found: Vec<(u64, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["start"]["line"].as_u64().unwrap(), d["rule"].as_str().unwrap().to_string()))
        .collect();
    let lines: Vec<u64> = found.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, vec![3, 6, 7, 11, 12, 13, 15], "{found:#?}");
    assert!(!lines.contains(&9), "the branch for servers older than 17 is not judged as 18 code");
    assert_eq!(report["summary"]["not_judged_by_reason"]["dynamic-sql"], 1, "{}", report["summary"]);
}

/// `\set` values are substituted as psql would; a statement whose only unknown is a whole
/// statement in a variable is counted as not judged, and "All clear" is not said.
#[test]
fn psql_variables_are_substituted_and_the_rest_is_counted() {
    let dir = project(&[
        ("vars.psql", "\\set n 10\nSELECT wal_sync FROM pg_stat_wal WHERE :n > 0;\n:PREFIX SELECT wal_write FROM pg_stat_wal;\n"),
        ("only.psql", "SELECT 1;\n:whole_statement;\n"),
    ]);
    let lines = concise(dir.path(), &["vars.psql"]);
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert!(lines[0].starts_with("vars.psql:2:8: removed-catalog-column"), "{}", lines[0]);
    assert!(lines[1].starts_with("vars.psql:3:16: removed-catalog-column error column `pg_stat_wal.wal_write`"), "{}", lines[1]);
    let report = json(dir.path(), &["only.psql"]);
    assert_eq!(report["summary"]["not_judged"], 1, "{}", report["summary"]);
    assert_eq!(report["summary"]["not_judged_by_reason"]["psql-variable"], 1);
    let out = pgready(dir.path(), &["check", "--verbose", "only.psql"]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(!err.contains("All clear") && err.contains("1 statement(s) or part(s) not judged (psql-variable: 1)"), "{err}");
    assert!(err.contains("only.psql:2:1: not judged (psql-variable)"), "{err}");
}

/// Template migrations, MySQL and ClickHouse files: no syntax error. A placeholder that stands
/// for a name or a value is judged around; one that cannot be made parseable gives one note.
#[test]
fn templates_and_other_dialects_give_no_syntax_error() {
    let dir = project(&[
        (
            "go/001_init.up.sql",
            "CREATE TABLE {{ .Schema }}.t (id uuid PRIMARY KEY DEFAULT gen_random_uuid());\nREVOKE RULE ON {{ .Schema }}.t FROM app;\n",
        ),
        ("flyway/V1__init.sql", "CREATE TABLE ${schema}.u (a int, b int GENERATED ALWAYS AS (a * 2));\n"),
        (
            "jinja/002.sql",
            "{% if x %}\nCREATE TABLE {{ schema }}.v (a int);\n{% endif %}\nCREATE TABLE w ({% for c in cols %}{{ c }} int,{% endfor %} id int);\n",
        ),
        (
            "go/003_audit.up.sql",
            "CREATE TABLE a ({{ range .Cols }}{{ .Name }} {{ .Type }},{{ end }} id int);\nCREATE TABLE b ({{ range .Cols }}{{ .Name }} {{ .Type }},{{ end }} id int);\n",
        ),
        (
            "mysql/schema.sql",
            "# MySQL dump\nSET @old := @@session.sql_mode;\nCREATE TABLE `t` (`id` int unsigned NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`)) ENGINE=InnoDB;\n",
        ),
        ("clickhouse/events.sql", "CREATE TABLE events (id UInt64, name LowCardinality(String)) ENGINE = MergeTree() ORDER BY id;\n"),
    ]);
    let lines = concise(dir.path(), &["."]);
    assert!(!lines.iter().any(|l| l.contains("syntax-error")), "{lines:#?}");
    let rules = |file: &str| -> Vec<String> {
        lines.iter().filter(|l| l.starts_with(file)).map(|l| l.split(' ').nth(1).unwrap().to_string()).collect()
    };
    assert_eq!(rules("go/001_init.up.sql"), vec!["uuid-random-default", "grant-rule-privilege"], "{lines:#?}");
    assert_eq!(rules("flyway/V1__init.sql"), vec!["generated-column-implicit-virtual"], "{lines:#?}");
    // A loop that writes columns parses once its tags are blanked; one that writes names and
    // types in stand-ins does not.
    assert!(rules("jinja/002.sql").is_empty(), "{lines:#?}");
    assert_eq!(rules("go/003_audit.up.sql"), vec!["template-not-judged"], "{lines:#?}");
    assert!(lines.iter().any(|l| l.starts_with("go/003_audit.up.sql:1:1: template-not-judged info 2 statement(s)")), "{lines:#?}");
    assert!(lines.iter().any(|l| l.contains("generated column `__schema_.u.b`")), "stand-ins keep the placeholder's name: {lines:#?}");
    assert_eq!(rules("mysql/schema.sql"), vec!["foreign-dialect"], "{lines:#?}");
    assert!(
        lines.iter().any(|l| l.starts_with("clickhouse/events.sql:1:1: foreign-dialect info this file looks written for ClickHouse")),
        "{lines:#?}"
    );
    let report = json(dir.path(), &["."]);
    assert_eq!(report["summary"]["not_judged_by_reason"]["template"], 2, "{}", report["summary"]);
}

/// pg_dump writes a key's default and the key itself after the table: the key is still seen as
/// a key with a random default, as is one a DO block creates.
#[test]
fn keys_and_defaults_are_judged_on_the_schema_after_every_statement() {
    let dump = "\
CREATE TABLE public.t (id uuid NOT NULL, name text);
ALTER TABLE ONLY public.t ALTER COLUMN id SET DEFAULT gen_random_uuid();
ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);
CREATE TABLE public.u (id uuid DEFAULT gen_random_uuid() NOT NULL, code uuid DEFAULT gen_random_uuid());
ALTER TABLE ONLY public.u ADD CONSTRAINT u_code_key UNIQUE (code);
CREATE TABLE public.plain (id uuid DEFAULT gen_random_uuid());
CREATE TABLE public.changed (id uuid PRIMARY KEY DEFAULT gen_random_uuid());
ALTER TABLE public.changed ALTER COLUMN id DROP DEFAULT;
DO $$ BEGIN CREATE TABLE w (id uuid NOT NULL); END $$;
ALTER TABLE w ALTER COLUMN id SET DEFAULT gen_random_uuid();
ALTER TABLE w ADD PRIMARY KEY (id);
";
    let dir = project(&[("structure.sql", dump)]);
    let lines = concise(dir.path(), &["structure.sql"]);
    let at: Vec<&str> = lines.iter().map(|l| l.split(' ').next().unwrap()).collect();
    assert_eq!(at, vec!["structure.sql:2:55:", "structure.sql:4:86:", "structure.sql:10:43:"], "{lines:#?}");
    assert!(lines[1].contains("unique key `public.u.code`"), "{}", lines[1]);
}

/// `[psql] variables` in pgready.toml are what `psql -v` gives every script: a value that is
/// known is judged; without it, nothing is said about the stand-in.
#[test]
fn psql_variables_from_the_configuration() {
    let script = "SET password_encryption = :'enc';\n";
    let dir = project(&[("s.psql", script), ("pgready.toml", "[psql]\nvariables = { enc = \"md5\" }\n")]);
    let lines = concise(dir.path(), &["s.psql"]);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(lines[0].starts_with("s.psql:1:27: md5-password"), "{}", lines[0]);
    let bare = project(&[("s.psql", script)]);
    assert!(concise(bare.path(), &["s.psql"]).is_empty(), "no finding about an unknown value");
}

/// A project's own placeholder syntax (`[templates] delimiters`) stands in as a name, as `{{ }}`
/// does: the statement is judged, with no syntax error.
#[test]
fn project_placeholders_from_the_configuration() {
    let sql = "CREATE TABLE <%= schema %>.t (a int, b int GENERATED ALWAYS AS (a * 2));\n";
    let dir = project(&[("m.sql", sql), ("pgready.toml", "[templates]\ndelimiters = [[\"<%=\", \"%>\"]]\n")]);
    let lines = concise(dir.path(), &["m.sql"]);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].starts_with("m.sql:1:44: generated-column-implicit-virtual warning generated column `____schema___.t.b`"),
        "{}",
        lines[0]
    );
    let bare = project(&[("m.sql", sql)]);
    let lines = concise(bare.path(), &["m.sql"]);
    assert!(lines.len() == 1 && lines[0].contains("syntax-error"), "without the delimiters: {lines:#?}");
}

/// A table a function creates with `EXECUTE` of a constant: the rules that read the columns a
/// statement defines see it (the model does not keep it: the table is made when the function
/// runs), and nothing of it leaks into the model the next statements see.
#[test]
fn a_table_created_by_execute_in_a_body_is_judged_and_not_kept() {
    let dir = project(&[(
        "mk.sql",
        "CREATE FUNCTION mk() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  EXECUTE 'CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2))';\nEND $$;\nCREATE INDEX t_b ON t (b);\n",
    )]);
    let lines = concise(dir.path(), &["mk.sql"]);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(lines[0].starts_with("mk.sql:3:41: generated-column-implicit-virtual warning generated column `public.t.b`"), "{}", lines[0]);
    assert!(lines[0].contains("in the body of PL/pgSQL function `mk`"), "{}", lines[0]);
}

/// Flyway runs repeatable migrations (`R__*.sql`) after every versioned one: an index in
/// `R__indexes.sql` on a virtual column made by `V1__` is judged against the table.
#[test]
fn flyway_repeatable_migrations_are_read_after_the_versioned_ones() {
    let dir = project(&[
        ("db/V1__t.sql", "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) VIRTUAL);\n"),
        ("db/R__indexes.sql", "CREATE INDEX t_b ON t (b);\n"),
    ]);
    let lines = concise(dir.path(), &["db"]);
    assert!(
        lines.iter().any(|l| l.starts_with("db/R__indexes.sql:1:") && l.contains("virtual-generated-column-unsupported-use")),
        "{lines:#?}"
    );
}
