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
    /// The same on PostgreSQL 13 (the oldest source).
    pub pg13: Option<String>,
    /// `fail`, `ok` or `warn`: what `pg_upgrade --check` to 18 says after the example ran on its
    /// server (13, 15 or 17).
    pub pg_upgrade: Option<String>,
    /// An `hba` example is checked beside an empty postgresql.conf (server defaults).
    pub with_postgresql_conf: bool,
    /// `hba` examples: whether a real server of that major starts with the example as its
    /// pg_hba.conf (`start18=fail`, `start13=ok`), for what pg_hba_file_rules does not show.
    pub start18: Option<String>,
    pub start13: Option<String>,
    /// `live` examples: `ok` or `fail`, what the target's `pg_dump --schema-only --binary-upgrade`
    /// (as pg_upgrade runs it) does with the example's database.
    pub pg_dump: Option<String>,
    /// `live` examples: the server the SQL runs on (`pg15`, `pg18`) before a live audit.
    pub server: Option<String>,
    /// `live` examples: connect as this (non-superuser) role instead of the administrator.
    pub role: Option<String>,
    /// `live` examples with `pg_upgrade=`: make the new cluster with initdb's default checksums.
    pub new_cluster_checksums: bool,
    /// An `hba` example is checked beside a pg_ident.conf holding the page's first `ident` block.
    pub with_pg_ident: bool,
    /// The page's first `ident` block.
    pub page_ident: Option<String>,
    /// Needs ICU: `pg18=` runs on the PostgreSQL 18 build with ICU (PGREADY_PG18ICU_URL).
    pub icu: bool,
    /// `live` examples: the database is created with the ICU collation provider.
    pub icu_database: bool,
    /// `live` examples: the database is created with the builtin collation provider (17+).
    pub builtin_database: bool,
    /// A test of a regression suite: linted as `sql/example.sql` beside an `expected/example.out`.
    pub regress_test: bool,
}

impl Example {
    /// A `live` example's SQL: the statements that set the state up, and those that undo it
    /// (after a `-- cleanup` line), one statement per entry.
    pub fn live_parts(&self) -> (Vec<String>, Vec<String>) {
        let (seed, cleanup) = self.sql.split_once("-- cleanup\n").unwrap_or((&self.sql, ""));
        let split = |s: &str| s.split(";\n").map(str::trim).filter(|x| !x.is_empty()).map(String::from).collect::<Vec<_>>();
        (split(seed), split(cleanup))
    }
}

impl Example {
    /// The example's file name: how pgready recognises its kind.
    pub fn file_name(&self) -> &'static str {
        match self.lang.as_str() {
            "conf" => "postgresql.conf",
            "hba" => "pg_hba.conf",
            "ident" => "pg_ident.conf",
            _ => "example.sql",
        }
    }

    /// Lint the example alone (with an empty postgresql.conf beside an hba example when asked).
    pub fn lint(&self, text: &str, opts: &pgready::engine::Options) -> (pgready::engine::Run, usize) {
        // A regression test is known by its expected output on disk.
        let suite = self.regress_test.then(|| {
            let dir = tempfile::tempdir().unwrap();
            self.write_regress_test(dir.path(), text);
            dir
        });
        let dir = match &suite {
            Some(suite) => suite.path().join("sql"),
            None => std::path::PathBuf::from("example"),
        };
        let mut inputs = vec![(dir.join(self.file_name()), Ok(text.as_bytes().to_vec()))];
        if self.with_postgresql_conf {
            inputs.push((dir.join("postgresql.conf"), Ok(Vec::new())));
        }
        if self.with_pg_ident {
            let ident = self.page_ident.clone().expect("with_pg_ident needs an ident block on the page");
            inputs.push((dir.join("pg_ident.conf"), Ok(ident.into_bytes())));
        }
        let run = pgready::engine::lint_inputs(inputs, opts);
        let id = run.docs.iter().position(|d| d.path.ends_with(self.file_name())).expect("the example is a document");
        (run, id)
    }

    /// A regression suite in `dir`: the example as `sql/example.sql`, and `expected/example.out`.
    pub fn write_regress_test(&self, dir: &std::path::Path, text: &str) {
        std::fs::create_dir_all(dir.join("sql")).unwrap();
        std::fs::create_dir_all(dir.join("expected")).unwrap();
        std::fs::write(dir.join("sql").join(self.file_name()), text).unwrap();
        std::fs::write(dir.join("expected/example.out"), "").unwrap();
    }
}

/// The examples linted as files (`sql`, `conf`, `hba`).
pub fn examples(rule: &Rule) -> Vec<Example> {
    all_examples(rule).into_iter().filter(|e| matches!(e.lang.as_str(), "sql" | "conf" | "hba" | "ident")).collect()
}

/// The examples `pgready replay` runs on real servers (the replay rules' pages).
pub fn replay_examples(rule: &Rule) -> Vec<Example> {
    all_examples(rule).into_iter().filter(|e| e.lang == "replay").collect()
}

/// The examples run on a live server and audited with `--db`.
pub fn live_examples(rule: &Rule) -> Vec<Example> {
    all_examples(rule).into_iter().filter(|e| e.lang == "live").collect()
}

fn all_examples(rule: &Rule) -> Vec<Example> {
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
                    pg13: None,
                    pg_upgrade: None,
                    pg_dump: None,
                    with_postgresql_conf: false,
                    start18: None,
                    start13: None,
                    server: None,
                    role: None,
                    new_cluster_checksums: false,
                    with_pg_ident: false,
                    page_ident: None,
                    icu: false,
                    icu_database: false,
                    builtin_database: false,
                    regress_test: false,
                };
                for tok in info.split([',', ' ']).filter(|t| !t.is_empty()) {
                    match tok.split_once('=') {
                        Some(("line", n)) => ex.line = Some(n.parse().expect("line=N")),
                        Some(("pg18", v)) => ex.pg18 = Some(v.to_string()),
                        Some(("pg15", v)) => ex.pg15 = Some(v.to_string()),
                        Some(("pg13", v)) => ex.pg13 = Some(v.to_string()),
                        Some(("pg_upgrade", v)) => ex.pg_upgrade = Some(v.to_string()),
                        Some(("pg_dump", v)) => ex.pg_dump = Some(v.to_string()),
                        Some(("server", v)) => ex.server = Some(v.to_string()),
                        Some(("start18", v)) => ex.start18 = Some(v.to_string()),
                        Some(("start13", v)) => ex.start13 = Some(v.to_string()),
                        Some(("role", v)) => ex.role = Some(v.to_string()),
                        Some((k, _)) => panic!("{}: unknown info-string key {k}", rule.meta.id),
                        None if tok == "expect_diagnostic" => ex.expect_diagnostic = true,
                        None if tok == "with_postgresql_conf" => ex.with_postgresql_conf = true,
                        None if tok == "new_cluster_checksums" => ex.new_cluster_checksums = true,
                        None if tok == "with_pg_ident" => ex.with_pg_ident = true,
                        None if tok == "icu" => ex.icu = true,
                        None if tok == "icu_database" => ex.icu_database = true,
                        None if tok == "builtin_database" => ex.builtin_database = true,
                        None if tok == "regress_test" => ex.regress_test = true,
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
                    out.push(ex);
                }
            }
            _ => {}
        }
    }
    let ident = out.iter().find(|e| e.lang == "ident").map(|e| e.sql.clone());
    for e in &mut out {
        e.page_ident = ident.clone();
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

pub fn env(var: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| panic!("{var} is not set: run the tests with `bash scripts/test.sh`"))
}

/// Run a server binary as the unprivileged server user when we are root (postgres refuses root).
pub fn as_server_user(program: &std::path::Path, args: &[&str], cwd: &std::path::Path) -> std::process::Output {
    use std::process::Command;
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

pub fn scratch_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let user = env("PGREADY_PG_OS_USER");
    let _ = std::process::Command::new("chown").arg(format!("{user}:")).arg(dir.path()).status();
    dir
}

/// The real `pg_upgrade --check` from a running test server (`source`: 13, 15 or 17) to a fresh
/// PostgreSQL 18 cluster (made without data checksums unless `checksums`): success and output.
pub fn pg_upgrade_check_to_18(source: u32, checksums: bool) -> (bool, String) {
    let bin18 = env("PGREADY_PG18_BIN");
    let data_old = env(&format!("PGREADY_PG{source}_DATA"));
    let port_old = env(&format!("PGREADY_PG{source}_PORT"));
    let work = scratch_dir();
    let bin_old = if source == 13 {
        // The npm build of 13 ships initdb, pg_ctl and postgres only; pg_upgrade also wants the
        // old pg_controldata (it reads the old cluster's control file) and pg_resetwal (not run
        // by --check). 14's read the same pg_control format (version 1300, as 13-16 write), so
        // an old bindir is made of 13's server binaries and 14's two tools.
        let dir = work.path().join("bin13");
        std::fs::create_dir(&dir).unwrap();
        for (tool, from) in [("initdb", 13), ("pg_ctl", 13), ("postgres", 13), ("pg_controldata", 14), ("pg_resetwal", 14)] {
            let target = std::path::Path::new(&env(&format!("PGREADY_PG{from}_BIN"))).join(tool);
            std::os::unix::fs::symlink(target, dir.join(tool)).unwrap();
        }
        dir.to_str().unwrap().to_string()
    } else {
        env(&format!("PGREADY_PG{source}_BIN"))
    };
    let new_data = work.path().join("new18");
    let mut args = vec!["-D", new_data.to_str().unwrap(), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"];
    if !checksums {
        args.push("--no-data-checksums");
    }
    let init = as_server_user(&std::path::Path::new(&bin18).join("initdb"), &args, work.path());
    assert!(init.status.success(), "initdb 18: {}", String::from_utf8_lossy(&init.stderr));
    let new_port = (port_old.parse::<u32>().unwrap() + 84).to_string();
    let check = as_server_user(
        &std::path::Path::new(&bin18).join("pg_upgrade"),
        &[
            "--check",
            "-b",
            &bin_old,
            "-B",
            &bin18,
            "-d",
            &data_old,
            "-D",
            new_data.to_str().unwrap(),
            "-U",
            "postgres",
            "-p",
            &port_old,
            "-P",
            &new_port,
        ],
        work.path(),
    );
    let output = String::from_utf8_lossy(&check.stdout).into_owned() + &String::from_utf8_lossy(&check.stderr);
    (check.status.success(), output)
}

/// A connection to a test server (its connection task runs on the caller's tokio runtime).
pub async fn connect(url: &str) -> tokio_postgres::Client {
    let (client, conn) =
        tokio_postgres::connect(url, tokio_postgres::NoTls).await.unwrap_or_else(|e| panic!("cannot connect to {url}: {e}"));
    tokio::spawn(conn);
    client
}

/// The development corpus (`PGREADY_CORPUS`, else `../shared/corpus`); it must be there.
pub fn corpus() -> std::path::PathBuf {
    let p = std::env::var("PGREADY_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    assert!(p.is_dir(), "corpus not found at {}: set PGREADY_CORPUS (scripts/test.sh does)", p.display());
    p
}

/// PostgreSQL's regression suites, in the development corpus (which must hold them).
pub fn regression_suites() -> std::path::PathBuf {
    let suites = corpus().join("libpg_query/test/sql/postgres_regress");
    assert!(suites.is_dir(), "{} not found: set PGREADY_CORPUS (scripts/test.sh does)", suites.display());
    suites
}

/// The pgready binary run in `dir`, as a user runs it: no colour, no cache.
pub fn pgready_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_pgready"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env("PGREADY_NO_CACHE", "1")
        .output()
        .expect("runs")
}

/// The Markdown is CommonMark with GFM tables, and no name became raw HTML or a link.
pub fn assert_gfm(markdown: &str) {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let mut tables = 0;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::Table(_)) => tables += 1,
            Event::Html(h) | Event::InlineHtml(h) => panic!("raw HTML in the Markdown: {h}"),
            Event::Start(Tag::Link { dest_url, .. }) => panic!("a link in the Markdown: {dest_url}"),
            _ => {}
        }
    }
    assert!(tables >= 2, "{markdown}");
}

/// The HTML opens in Debian's chromium, headless, with nothing it would fetch or run; a
/// screenshot is kept under target/report-screenshots/.
pub fn assert_opens_in_a_browser(html: &std::path::Path, name: &str) {
    let text = std::fs::read_to_string(html).unwrap();
    for external in ["<script", "src=\"http", "href=\"http", "@import", "url("] {
        assert!(!text.contains(external), "{external} in the report");
    }
    let shots = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let shot = shots.join(format!("{name}.png"));
    let _ = std::fs::remove_file(&shot);
    let profile = tempfile::tempdir().unwrap();
    let out = std::process::Command::new("chromium")
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--enable-logging=stderr", "--v=0"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", shot.display()))
        .args(["--window-size=1000,1400"])
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("chromium (Debian's chromium package: the README's set-up installs it)");
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "chromium failed:\n{log}");
    let console: Vec<&str> = log.lines().filter(|l| l.contains("CONSOLE") || l.contains("Refused to")).collect();
    assert!(console.is_empty(), "console messages:\n{}", console.join("\n"));
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "screenshot of {} bytes", png.len());
}

/// A text as pgready's Markdown report writes it (`quote::markdown`).
pub fn markdown_escaped(text: &str) -> String {
    pgready::quote::markdown(text)
}
