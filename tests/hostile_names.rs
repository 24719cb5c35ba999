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
use pgready::catalog::{CatalogObject, DatabaseInfo, DatabaseObjects, PreparedTransaction, ReplicationSlot, Snapshot};
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
            if self.next() % 6 == 0 {
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
    let [closed, invalid, gid, gid_db, slot, db, schema, parent, child, column, index] = std::array::from_fn(|_| names.name());
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
        },
        CatalogObject {
            kind: "table".into(),
            name: format!("{schema}.{child}"),
            sql: format!(
                "CREATE TABLE {c} (\n    {col} integer,\n    body text\n) INHERITS ({p});\nALTER TABLE ONLY {c} ALTER COLUMN {col} DROP NOT NULL;"
            ),
        },
        CatalogObject {
            kind: "index".into(),
            name: format!("{schema}.{index}"),
            sql: format!("CREATE INDEX {} ON {p} USING gin (to_tsvector('simple'::regconfig, body));", quote::ident(&index)),
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
        audited: vec![DatabaseObjects { name: db, objects, subscriptions: vec![], queries: 0 }],
    };
    let statements = [
        ("AlterDatabaseStmt", vec![closed]),
        ("DropdbStmt", vec![invalid]),
        ("SelectStmt", vec![slot]),
        ("AlterTableStmt", vec![schema.clone(), child, column]),
        ("ReindexStmt", vec![schema, index]),
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

/// Every line of a remediation script: a comment, a blank line, or part of a statement; none
/// holds a character a reviewer cannot see, and none is a psql meta-command.
fn assert_lines_are_plain(script: &str) {
    for line in script.split('\n') {
        assert!(!line.chars().any(quote::is_hidden), "a hidden character on a line: {line:?}");
        assert!(!line.trim_start().starts_with('\\'), "a psql meta-command: {line:?}");
    }
}

#[test]
fn random_hostile_names_never_change_the_remediation_script_or_the_reports() {
    let mut names = Names(0x5eed_28);
    let opts = pgready::engine::Options::default();
    for round in 0..300 {
        let case = case(&mut names);
        let run = pgready::catalog::lint::lint_snapshot(&case.snap, &opts);
        let (script, n) = pgready::catalog::remedy::script(&run);
        let context = || format!("round {round}:\n{script}");
        assert!(!run.diagnostics.iter().any(|d| d.rule == "syntax-error"), "a name became a syntax error: {}", context());
        assert_eq!(n, 6, "{}", context());
        assert_lines_are_plain(&script);
        // psql (pgready's splitter does what psql does) and PostgreSQL's parser both see the
        // five statements and nothing else; each names the object it is about.
        let split = pgready::sql::script::split(&script);
        assert!(split.meta.is_empty() && split.unterminated.is_none(), "{}", context());
        assert_eq!(split.statements.len(), 5, "{}", context());
        let found: Expected =
            pg_query::split_with_parser(&script).unwrap().into_iter().filter(|s| !s.trim().is_empty()).map(read_statement).collect();
        assert_eq!(found, case.statements, "{}", context());
        // The prepared transaction's choices are comments, and each is the statement for it.
        let commented: Vec<&str> = script.lines().filter_map(|l| l.strip_prefix("-- ")).filter(|l| l.contains(" PREPARED ")).collect();
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
