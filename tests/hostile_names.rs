//! Names from a server's catalog are hostile input (issue 28): a database may be called
//! `x\nDROP TABLE victim; --`. Two tests:
//!
//! - a property test: snapshots whose every name is drawn at random from characters that end
//!   lines, quotes, comments and statements, hide or reorder text, or make psql run a shell
//!   command; the remediation script must hold exactly the statements its findings give, each
//!   about the object of that name, and every report format must keep one finding one finding;
//! - an end-to-end test on the real PostgreSQL 15: hostile names on objects with remediations;
//!   the script, run by psql as a superuser without stopping at errors, repairs exactly those
//!   objects and leaves a canary table and everything else as they were.

mod common;

use std::collections::BTreeSet;

use pg_query::NodeEnum;
use pgready::catalog::{
    CatalogObject, DatabaseInfo, DatabaseObjects, PreparedTransaction, ReplicationSlot, Snapshot, StatStatement, StatStatements,
};
use pgready::quote;

/// Characters that break one context or another: line ends, quotes, comment and statement
/// delimiters, dollar quotes, psql's backslash, the workflow-command and markup characters, the
/// path escape and separators, control, bidirectional and invisible characters.
const ALPHABET: &[char] = &[
    'a', 'Z', 'é', ' ', '"', '\'', '\\', '\n', '\r', '\t', ';', '-', '*', '/', '$', 't', ':', ',', '<', '>', '&', '%', '!', '(', ')', '.',
    '\u{1b}', '\u{85}', '\u{202e}', '\u{2066}', '\u{2028}', '\u{200b}', '\u{feff}',
];

/// A small deterministic generator (xorshift64*): the same names every run.
struct Names(u64);

impl Names {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A name PostgreSQL accepts: 1 to 20 characters, at most 63 bytes, and now and then one of
    /// the sequences that end a quote or a comment.
    fn name(&mut self) -> String {
        const PIECES: &[&str] = &["\n\\! touch pwned\n", "*/", "/*", "--", "$$", "$t$", "';", "\";", "::error ", "<script>", "%0A"];
        let mut s = String::new();
        let len = 1 + self.next() % 20;
        for _ in 0..len {
            if self.next().is_multiple_of(6) {
                s.push_str(PIECES[(self.next() % PIECES.len() as u64) as usize]);
            } else {
                s.push(ALPHABET[(self.next() % ALPHABET.len() as u64) as usize]);
            }
        }
        while s.len() > 63 {
            s.pop();
        }
        s
    }
}

fn database(name: &str, allow_connections: bool, connection_limit: i32, provider: &str) -> DatabaseInfo {
    DatabaseInfo {
        name: name.into(),
        allow_connections,
        connection_limit,
        is_template: false,
        locale_provider: provider.into(),
        locale: None,
        encoding: None,
        collate: None,
        ctype: None,
    }
}

/// What the remediation script must hold, one entry per statement: its kind and the names in it.
type Expected = BTreeSet<(String, Vec<String>)>;

struct Case {
    snap: Snapshot,
    statements: Expected,
    /// The GID the commented COMMIT/ROLLBACK PREPARED lines must name.
    gid: String,
}

fn case(names: &mut Names) -> Case {
    let [closed, invalid, gid, gid_db, slot, db, schema, parent, child, column, index, role, alias, creator, trigger, function] =
        std::array::from_fn(|_| names.name());
    // Names of one kind must differ, or two findings would be one.
    let (child, invalid) = if child == parent { (format!("{child}_c"), invalid) } else { (child, invalid) };
    let invalid = if invalid == closed { format!("{invalid}_i") } else { invalid };
    let (p, c) = (quote::qualified(&schema, &parent), quote::qualified(&schema, &child));
    let col = quote::ident(&column);
    let objects = vec![
        CatalogObject {
            kind: "table".into(),
            name: format!("{schema}.{parent}"),
            sql: format!("CREATE TABLE {p} (\n    {col} integer NOT NULL,\n    body text\n);"),
            ident: None,
        },
        CatalogObject {
            kind: "table".into(),
            name: format!("{schema}.{child}"),
            sql: format!(
                "CREATE TABLE {c} (\n    {col} integer,\n    body text\n) INHERITS ({p});\nALTER TABLE ONLY {c} ALTER COLUMN {col} DROP NOT NULL;"
            ),
            ident: None,
        },
        CatalogObject {
            kind: "index".into(),
            name: format!("{schema}.{index}"),
            sql: format!("CREATE INDEX {} ON {p} USING gin (to_tsvector('simple'::regconfig, body));", quote::ident(&index)),
            ident: None,
        },
    ];
    let snap = Snapshot {
        format: pgready::catalog::SNAPSHOT_FORMAT,
        pgready_version: "test".into(),
        server: "postgresql://audit@127.0.0.1:5432".into(),
        version_num: 170_004,
        version: "17.4".into(),
        current_user: "audit".into(),
        superuser: true,
        data_checksums: Some(true),
        databases: vec![database(&closed, false, -1, "c"), database(&invalid, true, -2, "c"), database(&db, true, -1, "i")],
        prepared_transactions: vec![PreparedTransaction { gid: gid.clone(), database: gid_db, owner: "audit".into() }],
        md5_roles: vec![],
        // A CREATEROLE role's document: its name in a comment and an ALTER ROLE.
        createrole_roles: vec![creator],
        role_settings: vec![],
        settings: vec![],
        hba: vec![],
        ident: None,
        replication_slots: vec![ReplicationSlot {
            name: slot.clone(),
            kind: "logical".into(),
            database: Some(db.clone()),
            invalid: Some("wal_removed".into()),
        }],
        subscription_count: Some(0),
        skipped: vec![],
        unread_databases: vec![],
        // An application's query as pg_stat_statements keeps it: a hostile role, a hostile alias
        // in the text, and a column 17 removed (a finding at the statement's own document).
        audited: vec![DatabaseObjects {
            name: db.clone(),
            objects,
            subscriptions: vec![],
            queries: 0,
            statements: Some(StatStatements {
                entries: vec![StatStatement {
                    queryid: Some(-42),
                    database: db,
                    role,
                    calls: 7,
                    query: format!("SELECT buffers_backend AS {} FROM pg_stat_bgwriter WHERE $1", quote::ident(&alias)),
                }],
                total: 1,
                hidden: 0,
            }),
            dump_load: Some(pgready::catalog::DumpLoad { relations_locked: 500, large_objects: 2_000_000, lock_table: None }),
            // An enabled event trigger: disabled before the upgrade, enabled after.
            event_triggers: vec![pgready::catalog::EventTrigger {
                name: trigger.clone(),
                event: "ddl_command_start".into(),
                enabled: "O".into(),
                function_schema: schema.clone(),
                function: function.clone(),
                tags: vec![],
            }],
        }],
        read_at: None,
        install_user: None,
        // A lock table far too small for the dump: a finding whose remedy is a person's choice.
        lock_table: Some(pgready::catalog::LockTable {
            max_locks_per_transaction: 10,
            max_connections: 5,
            autovacuum_max_workers: 1,
            max_worker_processes: 2,
            max_wal_senders: 0,
            max_prepared_transactions: 0,
        }),
    };
    let statements = [
        ("AlterDatabaseStmt", vec![closed]),
        ("DropdbStmt", vec![invalid]),
        ("SelectStmt", vec![slot]),
        ("AlterTableStmt", vec![schema.clone(), child, column]),
        ("ReindexStmt", vec![schema, index]),
        ("AlterEventTrigStmt", vec![trigger.clone(), "D".into()]),
        ("AlterEventTrigStmt", vec![trigger, "O".into()]),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_string(), n))
    .collect();
    Case { snap, statements, gid }
}

/// A statement of the script as its kind and the names in it, as PostgreSQL's parser reads them.
fn read_statement(sql: &str) -> (String, Vec<String>) {
    let tree = pg_query::parse(sql, 0).unwrap_or_else(|e| panic!("does not parse ({e}):\n{sql}"));
    let stmts = &tree.protobuf.stmts;
    assert_eq!(stmts.len(), 1, "{sql}");
    let node = stmts[0].stmt.as_ref().and_then(|s| s.node.as_ref()).unwrap();
    let string = |n: &pg_query::protobuf::Node| match &n.node {
        Some(NodeEnum::AConst(c)) => match &c.val {
            Some(pg_query::protobuf::a_const::Val::Sval(s)) => s.sval.clone(),
            other => panic!("{other:?}"),
        },
        other => panic!("not a string: {other:?}"),
    };
    match node {
        NodeEnum::AlterDatabaseStmt(s) => ("AlterDatabaseStmt".into(), vec![s.dbname.clone()]),
        NodeEnum::DropdbStmt(s) => ("DropdbStmt".into(), vec![s.dbname.clone()]),
        NodeEnum::AlterEventTrigStmt(s) => ("AlterEventTrigStmt".into(), vec![s.trigname.clone(), s.tgenabled.clone()]),
        NodeEnum::TransactionStmt(s) => ("TransactionStmt".into(), vec![s.gid.clone()]),
        NodeEnum::ReindexStmt(s) => {
            let r = s.relation.as_ref().unwrap();
            ("ReindexStmt".into(), vec![r.schemaname.clone(), r.relname.clone()])
        }
        NodeEnum::AlterTableStmt(s) => {
            let r = s.relation.as_ref().unwrap();
            let Some(NodeEnum::AlterTableCmd(cmd)) = &s.cmds[0].node else { panic!("{sql}") };
            ("AlterTableStmt".into(), vec![r.schemaname.clone(), r.relname.clone(), cmd.name.clone()])
        }
        NodeEnum::SelectStmt(s) => {
            let Some(NodeEnum::ResTarget(t)) = &s.target_list[0].node else { panic!("{sql}") };
            let Some(NodeEnum::FuncCall(f)) = t.val.as_ref().and_then(|v| v.node.as_ref()) else { panic!("{sql}") };
            ("SelectStmt".into(), f.args.iter().map(string).collect())
        }
        other => panic!("unexpected statement {other:?}"),
    }
}

/// The psql meta-commands the script may hold: its own conditionals, and a \connect to an
/// audited database written by `quote::psql_connect`.
const SCRIPT_META: &[&str] = &["\\if :pgready_new_cluster", "\\else", "\\endif"];

/// Every line of a remediation script: a comment, a blank line, part of a statement, or one of
/// the script's own meta-commands; none holds a character a reviewer cannot see.
fn assert_lines_are_plain(script: &str, databases: &[String]) {
    let connects: Vec<String> = databases.iter().map(|d| quote::psql_connect(d)).collect();
    for line in script.split('\n') {
        assert!(!line.chars().any(quote::is_hidden), "a hidden character on a line: {line:?}");
        if line.trim_start().starts_with('\\') {
            assert!(SCRIPT_META.contains(&line) || connects.iter().any(|c| c == line), "a psql meta-command: {line:?}");
        }
    }
}

#[test]
fn random_hostile_names_never_change_the_remediation_script_or_the_reports() {
    let mut names = Names(0x005e_ed28);
    let opts = pgready::engine::Options::default();
    for round in 0..300 {
        let case = case(&mut names);
        let run = pgready::catalog::lint::lint_snapshot(&case.snap, &opts);
        let (script, n) = pgready::catalog::remedy::script(&run);
        let context = || format!("round {round}:\n{script}");
        assert!(!run.diagnostics.iter().any(|d| d.rule == "syntax-error"), "a name became a syntax error: {}", context());
        // Six findings repaired (the event trigger by two statements); the prepared transaction
        // and the lock table's size are a person's choice.
        assert_eq!((n.covered, n.manual), (6, 2), "{}", context());
        let databases: Vec<String> = case
            .snap
            .prepared_transactions
            .iter()
            .map(|p| p.database.clone())
            .chain(case.snap.audited.iter().map(|a| a.name.clone()))
            .collect();
        assert_lines_are_plain(&script, &databases);
        // psql (pgready's splitter does what psql does) and PostgreSQL's parser both see the
        // script's version test and the eight statements (ALLOW_CONNECTIONS once on each
        // cluster) and nothing else; each names the object it is about.
        // (Its own meta-commands checked above, the rest is read as psql reads each part.)
        let version_test = "SELECT current_setting('server_version_num')::int >= 180000 AS pgready_new_cluster ";
        let sql_only: String = script.lines().filter(|l| !l.starts_with('\\')).map(|l| l.replace(" \\gset", ";") + "\n").collect();
        let split = pgready::sql::script::split(&sql_only);
        assert!(split.meta.is_empty() && split.unterminated.is_none(), "{}", context());
        assert_eq!(split.statements.len(), 9, "{}", context());
        let found: Expected = pg_query::split_with_parser(&sql_only)
            .unwrap()
            .into_iter()
            .filter(|s| !s.trim().is_empty() && !s.contains(version_test.trim()))
            .map(read_statement)
            .collect();
        assert_eq!(found, case.statements, "{}", context());
        // The prepared transaction's choices are comments, and each is the statement for it.
        let commented: Vec<&str> = script
            .lines()
            .filter_map(|l| l.strip_prefix("-- "))
            .filter(|l| l.starts_with("COMMIT PREPARED ") || l.starts_with("ROLLBACK PREPARED "))
            .collect();
        assert_eq!(commented.len(), 2, "{}", context());
        for c in commented {
            assert_eq!(read_statement(c), ("TransactionStmt".to_string(), vec![case.gid.clone()]), "{}", context());
        }
        // One finding, one line; the machine formats parse and keep the messages whole.
        let concise = pgready::report::concise(&run);
        assert_eq!(concise.lines().count(), run.diagnostics.len(), "{concise}");
        assert!(!concise.chars().any(|c| c != '\n' && quote::is_hidden(c)), "{concise}");
        let json: serde_json::Value = serde_json::from_str(&pgready::report::json(&run)).unwrap();
        let messages: Vec<&str> = json["diagnostics"].as_array().unwrap().iter().map(|d| d["message"].as_str().unwrap()).collect();
        assert_eq!(messages, run.diagnostics.iter().map(|d| d.message.as_str()).collect::<Vec<_>>());
        let github = pgready::report::machine::github(&run);
        assert_eq!(github.lines().count(), run.diagnostics.len(), "{github}");
        serde_json::from_str::<serde_json::Value>(&pgready::report::machine::sarif(&run)).unwrap();
        serde_json::from_str::<serde_json::Value>(&pgready::report::machine::gitlab(&run)).unwrap();
        let human = pgready::report::human(&run, false);
        assert!(!human.chars().any(|c| c != '\n' && quote::is_hidden(c)), "{human}");
    }
}

/// The hostile names of the end-to-end test, one per object: each breaks a context of its own.
fn hostile_names() -> Vec<String> {
    let mut long = String::from("x\n\\! touch /tmp/pgready-pwned-28\nDROP TABLE canary; --");
    while long.len() < 63 {
        long.push('z');
    }
    [
        "ev\nDROP TABLE canary; --il",            // schema
        "q'uo\"te\\back",                         // parent table
        "*/ DROP TABLE canary; /*",               // its NOT NULL column
        "$$ DROP TABLE canary; $$",               // inheritance child
        "$t$;DROP TABLE canary;$t$",              // full-text index
        "::error file=README.md,line=1::forged",  // database that refuses connections
        "<script>alert(1)</script>",              // database audited by --all-databases
        "rtl\u{202e}lqs.txt",                     // view over a removed catalog column, in it
        "cr\rDROP TABLE canary; --",              // role with an MD5 password and a removed setting
        "gid\n\\! touch /tmp/pgready-pwned-28\n", // prepared transaction
        &long,                                    // table of the full-text index: 63 bytes
    ]
    .map(String::from)
    .to_vec()
}

/// A libpq `key=value` connection string for a database of any name.
fn dsn(admin: &str, db: &str) -> String {
    admin.replace("dbname=postgres", &format!("dbname='{}'", db.replace('\\', "\\\\").replace('\'', "\\'")))
}

const SEEDED: &str = "pgready_hostile";

/// Make the objects (in an ICU database, `pgready_hostile`, and two more databases), each named
/// from `n`: every one gives a finding, six of them a remediation.
async fn seed(admin: &tokio_postgres::Client, admin_url: &str, n: &[String]) {
    let q = |i: usize| quote::ident(&n[i]);
    let s = |i: usize| quote::qualified(&n[0], &n[i]);
    for sql in [
        format!("CREATE DATABASE {SEEDED} LOCALE_PROVIDER icu ICU_LOCALE 'und' TEMPLATE template0"),
        format!("CREATE DATABASE {} ALLOW_CONNECTIONS false", q(5)),
        format!("CREATE DATABASE {}", q(6)),
        format!("CREATE ROLE {} PASSWORD 'md5aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'", q(8)),
        format!("ALTER ROLE {} SET force_parallel_mode = off", q(8)),
    ] {
        admin.batch_execute(&sql).await.unwrap();
    }
    let db = common::connect(&dsn(admin_url, SEEDED)).await;
    db.batch_execute(&format!(
        "CREATE TABLE canary (id int); INSERT INTO canary VALUES (1);
         CREATE SCHEMA {schema};
         CREATE TABLE {parent} ({col} int NOT NULL, body text);
         CREATE TABLE {child} () INHERITS ({parent});
         ALTER TABLE ONLY {child} ALTER COLUMN {col} DROP NOT NULL;
         CREATE TABLE {fts} (body text);
         CREATE INDEX {index} ON {fts} USING gin (to_tsvector('simple', body));
         CREATE FUNCTION {schema}.uuidv7() RETURNS uuid LANGUAGE sql AS 'SELECT gen_random_uuid()';",
        schema = q(0),
        parent = s(1),
        col = q(2),
        child = s(3),
        index = q(4),
        fts = s(10),
    ))
    .await
    .unwrap();
    db.batch_execute("BEGIN").await.unwrap();
    db.batch_execute("CREATE TABLE pending (a int)").await.unwrap();
    db.batch_execute(&format!("PREPARE TRANSACTION {}", quote::literal(&n[9]))).await.unwrap();
    let other = common::connect(&dsn(admin_url, &n[6])).await;
    other.batch_execute(&format!("CREATE VIEW {} AS SELECT wal_write FROM pg_stat_wal", q(7))).await.unwrap();
}

async fn unseed(admin: &tokio_postgres::Client, admin_url: &str, n: &[String]) {
    // A prepared transaction ends only in its own database.
    let pending = admin.query("SELECT gid FROM pg_prepared_xacts WHERE database = $1", &[&SEEDED]).await.unwrap();
    if !pending.is_empty() {
        let db = common::connect(&dsn(admin_url, SEEDED)).await;
        for row in pending {
            db.batch_execute(&format!("ROLLBACK PREPARED {}", quote::literal(row.get(0)))).await.unwrap();
        }
    }
    for db in [SEEDED.to_string(), quote::ident(&n[5]), quote::ident(&n[6])] {
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)")).await.unwrap();
    }
    admin.batch_execute(&format!("DROP ROLE IF EXISTS {}", quote::ident(&n[8]))).await.unwrap();
}

/// What a remediation script must leave as it was: every relation of the seeded database, the
/// canary's row, the cluster's databases and roles, the view in the other database.
async fn state(admin: &tokio_postgres::Client, admin_url: &str, n: &[String]) -> Vec<String> {
    let db = common::connect(&dsn(admin_url, SEEDED)).await;
    let mut out = Vec::new();
    for (client, sql) in [
        (
            &db,
            "SELECT string_agg(format('%I.%I:%s', n.nspname, c.relname, c.relkind), ',' ORDER BY n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')",
        ),
        (&db, "SELECT (SELECT count(*) FROM canary)::text"),
        (admin, "SELECT string_agg(format('%I', datname), ',' ORDER BY datname) FROM pg_database"),
        (admin, "SELECT string_agg(format('%I', rolname), ',' ORDER BY rolname) FROM pg_roles"),
    ] {
        out.push(client.query_one(sql, &[]).await.unwrap().get::<_, String>(0));
    }
    let other = common::connect(&dsn(admin_url, &n[6])).await;
    out.push(other.query_one("SELECT count(*)::text FROM pg_views WHERE schemaname = 'public'", &[]).await.unwrap().get(0));
    out
}

fn pgready(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pgready")).args(args).env("NO_COLOR", "1").output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The findings of `--all-databases` on the seeded server, in every format; the remediation
/// script is written to `script`.
fn audit(admin_url: &str, script: &std::path::Path) -> Vec<(&'static str, String)> {
    let dsn = dsn(admin_url, SEEDED);
    ["json", "concise", "github", "gitlab", "junit", "sarif", "human"]
        .into_iter()
        .map(|format| {
            let (code, out, err) =
                pgready(&["check", "--db", &dsn, "--all-databases", "--format", format, "--fix-script", script.to_str().unwrap()]);
            assert_eq!(code, 1, "{format}: {err}");
            (format, out)
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[tokio::test]
async fn hostile_catalog_names_on_a_real_server() {
    let admin_url = common::server_url("PGREADY_PG15_URL");
    let admin = common::connect(&admin_url).await;
    let pwned = std::path::Path::new("/tmp/pgready-pwned-28");
    let _ = std::fs::remove_file(pwned);
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("fix.sql");

    // The same objects with plain names: what the hostile ones must give, rule for rule.
    let clean: Vec<String> = (0..11).map(|i| format!("clean_{i}")).collect();
    unseed(&admin, &admin_url, &clean).await;
    seed(&admin, &admin_url, &clean).await;
    let clean_json = audit(&admin_url, &script).remove(0).1;
    unseed(&admin, &admin_url, &clean).await;

    let n = hostile_names();
    unseed(&admin, &admin_url, &n).await;
    seed(&admin, &admin_url, &n).await;
    // The catalog holds exactly these names (the seed's quoting, read back by the server).
    let schema: String = common::connect(&dsn(&admin_url, SEEDED))
        .await
        .query_one("SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'ev%'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(schema, n[0]);
    let outputs = audit(&admin_url, &script);
    let before = state(&admin, &admin_url, &n).await;
    let psql = std::path::Path::new(&common::env("PGREADY_PG15_BIN")).join("psql");
    let run = std::process::Command::new(psql)
        .args(["-X", "-v", "ON_ERROR_STOP=0", "-d", &dsn(&admin_url, SEEDED), "-f"])
        .arg(&script)
        .current_dir(dir.path())
        .output()
        .unwrap();
    let after = state(&admin, &admin_url, &n).await;
    let fixed_db: bool = admin.query_one("SELECT datallowconn FROM pg_database WHERE datname = $1", &[&n[5]]).await.unwrap().get(0);
    let db = common::connect(&dsn(&admin_url, SEEDED)).await;
    let fixed_column: bool = db
        .query_one(
            "SELECT a.attnotnull FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace s ON s.oid = c.relnamespace \
             WHERE s.nspname = $1 AND c.relname = $2 AND a.attname = $3",
            &[&n[0], &n[3], &n[2]],
        )
        .await
        .unwrap()
        .get(0);
    let pending: i64 = admin.query_one("SELECT count(*) FROM pg_prepared_xacts WHERE gid = $1", &[&n[9]]).await.unwrap().get(0);
    let role_settings: i64 = admin
        .query_one("SELECT count(*) FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole WHERE r.rolname = $1", &[&n[8]])
        .await
        .unwrap()
        .get(0);
    unseed(&admin, &admin_url, &n).await;
    let script_text = std::fs::read_to_string(&script).unwrap();
    let psql_log = format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));

    // The script ran as a superuser, going on after errors: it repaired the two objects it
    // names, ran no shell command, left the prepared transaction (its choices are comments), the
    // canary and everything else as they were.
    assert!(!pwned.exists(), "the script ran a shell command:\n{script_text}");
    assert_eq!(before, after, "the script changed what it does not name:\n{script_text}\n{psql_log}");
    assert_eq!(after[1], "1", "the canary lost its row");
    assert!(fixed_db, "ALTER DATABASE ... ALLOW_CONNECTIONS missed the database:\n{script_text}\n{psql_log}");
    assert!(fixed_column, "SET NOT NULL missed the column:\n{script_text}\n{psql_log}");
    assert_eq!(pending, 1);
    assert_eq!(role_settings, 0, "ALTER ROLE ... RESET missed the role:\n{script_text}\n{psql_log}");
    assert!(!psql_log.contains("ERROR"), "{psql_log}");
    let databases: Vec<String> = n.iter().cloned().chain([SEEDED.to_string()]).collect();
    assert_lines_are_plain(&script_text, &databases);

    // No finding a clean object would not give: the same rules, as many times.
    let rules = |json: &str| {
        let mut r: Vec<String> = findings(json).iter().map(|d| d["rule"].as_str().unwrap().to_string()).collect();
        r.sort();
        r
    };
    let json = &outputs[0].1;
    assert_eq!(rules(json), rules(&clean_json), "{json}");
    let found = findings(json);
    // Paths round-trip the names.
    let paths: Vec<String> = found.iter().map(|d| percent_decode(d["path"].as_str().unwrap())).collect();
    for (what, end) in [
        ("database-connection-settings", format!("/database/{}", n[5])),
        ("removed-catalog-column", format!("/{}/view/public.{}", n[6], n[7])),
        ("md5-password", format!("/role/{}", n[8])),
        ("prepared-transaction", format!("/prepared-transaction/{}", n[9])),
        ("fts-reindex-after-upgrade", format!("/{SEEDED}/index/{}.{}", n[0], n[4])),
    ] {
        assert!(found.iter().zip(&paths).any(|(d, p)| d["rule"] == what && p.ends_with(&end)), "{what} at …{end:?} missing:\n{paths:#?}");
    }
    let messages: Vec<&str> = found.iter().map(|d| d["message"].as_str().unwrap()).collect();
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    for (format, out) in &outputs[1..] {
        match *format {
            "concise" => {
                assert_eq!(out.lines().count(), found.len(), "{out}");
                assert!(out.lines().all(|l| l.starts_with("postgresql://")), "{out}");
                assert!(!out.chars().any(|c| c != '\n' && quote::is_hidden(c)), "{out}");
            }
            "github" => {
                assert_eq!(out.lines().count(), found.len(), "{out}");
                let data: Vec<String> = out
                    .lines()
                    // `::level properties::data`: properties escape `:`, so the next `::` ends them.
                    .map(|l| l[2..].split_once("::").unwrap().1.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%"))
                    .collect();
                assert_eq!(data, messages, "{out}");
            }
            "gitlab" => {
                let v: serde_json::Value = serde_json::from_str(out).unwrap();
                let d: Vec<&str> = v.as_array().unwrap().iter().map(|i| i["description"].as_str().unwrap()).collect();
                assert_eq!(d, messages);
            }
            "junit" => {
                let file = dir.path().join("r.xml");
                std::fs::write(&file, out).unwrap();
                let py = std::process::Command::new("python3")
                    .args(["-c", "import sys, json, xml.etree.ElementTree as E; print(json.dumps([f.get('message') for f in E.parse(sys.argv[1]).iter('failure')]))"])
                    .arg(&file)
                    .output()
                    .unwrap();
                assert!(py.status.success(), "JUnit does not parse: {}", String::from_utf8_lossy(&py.stderr));
                let got: Vec<String> = serde_json::from_slice(&py.stdout).unwrap();
                assert_eq!(sorted(got), sorted(messages.iter().map(|m| m.to_string()).collect()));
            }
            "sarif" => {
                let v: serde_json::Value = serde_json::from_str(out).unwrap();
                let texts: Vec<String> = v["runs"][0]["results"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r["message"]["text"].as_str().unwrap().to_string())
                    .collect();
                assert_eq!(texts.len(), found.len());
                assert!(messages.iter().all(|m| texts.iter().any(|t| t.starts_with(m))));
                let tool = common::env("PGREADY_SARIF_MULTITOOL");
                let (file, result) = (dir.path().join("r.sarif"), dir.path().join("r.sarif.validation"));
                std::fs::write(&file, out).unwrap();
                let v = std::process::Command::new(tool)
                    .arg("validate")
                    .arg(&file)
                    .arg("-o")
                    .arg(&result)
                    .args(["--log", "ForceOverwrite"])
                    .output()
                    .unwrap();
                assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stdout));
                let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&result).unwrap()).unwrap();
                assert!(report["runs"][0]["results"].as_array().unwrap().is_empty(), "{report:#}");
            }
            "human" => assert!(!out.chars().any(|c| c != '\n' && quote::is_hidden(c)), "{out}"),
            _ => unreachable!(),
        }
    }
}

fn findings(json: &str) -> Vec<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("not JSON ({e}):\n{json}"));
    v["diagnostics"].as_array().unwrap().clone()
}
