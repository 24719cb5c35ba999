//! Shared by the tests: the executable examples of the rule pages, and the test servers.
#![allow(dead_code)]

use pgready::rules::Rule;
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

/// What a fenced block's info string says, in biome's style:
/// ```` ```sql,expect_diagnostic,line=3,pg18=error:0A000,pg15=ok ````
#[derive(Debug, Clone)]
pub struct Example {
    pub rule: &'static str,
    pub lang: String,
    pub sql: String,
    pub expect_diagnostic: bool,
    pub line: Option<usize>,
    /// Expected outcome on a real server: `ok` or `error:SQLSTATE`; absent = not run.
    pub pg18: Option<String>,
    pub pg15: Option<String>,
    /// `fail` or `ok`: what `pg_upgrade --check` from 15 to 18 says after the example ran on 15.
    pub pg_upgrade: Option<String>,
    /// An `hba` example is checked beside an empty postgresql.conf (server defaults).
    pub with_postgresql_conf: bool,
}

impl Example {
    /// The example's file name: how pgready recognises its kind.
    pub fn file_name(&self) -> &'static str {
        match self.lang.as_str() {
            "conf" => "postgresql.conf",
            "hba" => "pg_hba.conf",
            _ => "example.sql",
        }
    }

    /// Lint the example alone (with an empty postgresql.conf beside an hba example when asked).
    pub fn lint(&self, text: &str, opts: &pgready::lint::Options) -> (pgready::lint::Run, usize) {
        let dir = std::path::Path::new("example");
        let mut inputs = vec![(dir.join(self.file_name()), Ok(text.as_bytes().to_vec()))];
        if self.with_postgresql_conf {
            inputs.push((dir.join("postgresql.conf"), Ok(Vec::new())));
        }
        let run = pgready::lint::lint_inputs(inputs, opts);
        let id = run.docs.iter().position(|d| d.path.ends_with(self.file_name())).expect("the example is a document");
        (run, id)
    }
}

pub fn examples(rule: &Rule) -> Vec<Example> {
    let mut out = Vec::new();
    let mut current: Option<Example> = None;
    for ev in Parser::new(rule.meta.doc) {
        match ev {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let mut ex = Example {
                    rule: rule.meta.id,
                    lang: String::new(),
                    sql: String::new(),
                    expect_diagnostic: false,
                    line: None,
                    pg18: None,
                    pg15: None,
                    pg_upgrade: None,
                    with_postgresql_conf: false,
                };
                for tok in info.split([',', ' ']).filter(|t| !t.is_empty()) {
                    match tok.split_once('=') {
                        Some(("line", n)) => ex.line = Some(n.parse().expect("line=N")),
                        Some(("pg18", v)) => ex.pg18 = Some(v.to_string()),
                        Some(("pg15", v)) => ex.pg15 = Some(v.to_string()),
                        Some(("pg_upgrade", v)) => ex.pg_upgrade = Some(v.to_string()),
                        Some((k, _)) => panic!("{}: unknown info-string key {k}", rule.meta.id),
                        None if tok == "expect_diagnostic" => ex.expect_diagnostic = true,
                        None if tok == "with_postgresql_conf" => ex.with_postgresql_conf = true,
                        None => ex.lang = tok.to_string(),
                    }
                }
                current = Some(ex);
            }
            Event::Text(t) => {
                if let Some(ex) = current.as_mut() {
                    ex.sql.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(ex) = current.take() {
                    if matches!(ex.lang.as_str(), "sql" | "conf" | "hba") {
                        out.push(ex);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The connection string of a test server, from `scripts/test.sh`. A test that needs a server
/// and finds none fails: it never skips silently.
pub fn server_url(var: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| {
        panic!("{var} is not set: run the tests with `bash scripts/test.sh`, which starts PostgreSQL 15 and 18 on loopback")
    })
}
