//! The command line: argument parsing and the `check`, `rules` and `explain` commands.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::config;
use crate::diagnostic::{Applicability, Severity};
use crate::engine::{self, Options};
use crate::fix;
use crate::knowledge::target::{NEWEST_SOURCE, OLDEST_SOURCE, SOURCES};
use crate::report;
use crate::rules::{self, REGISTRY};

mod args;
mod gates;
mod info;
mod live;
mod replay;
use crate::target_name;
use live::{load_snapshots, read_servers, snapshot_command, unread_databases, unread_server};
pub use replay::ReplayArgs;
use replay::replay_command;

#[derive(Parser, Debug)]
#[command(name = "pgready", version = env!("PGREADY_LONG_VERSION"), about = concat!("Find what breaks or changes when a schema, its migrations and queries move to ", target_name!()))]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check SQL files (directories are searched for *.sql, *.psql, *.pgsql).
    Check(Box<CheckArgs>),
    /// List the rules: id, area, severity, fix.
    Rules {
        #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
        format: RulesFormat,
    },
    /// Read a live server's catalog (read-only) and save what pgready needs into a snapshot file,
    /// for `pgready check --snapshot` elsewhere. Holds definitions, never data or password hashes.
    Snapshot(SnapshotArgs),
    /// Run the migrations on a real PostgreSQL 18 (and on the major you upgrade from) and report
    /// every statement that fails or warns there only, at its file and line; the static rules
    /// run as in `check`.
    Replay(Box<ReplayArgs>),
    /// Print a rule's page, or list the rules of an area (`pgready explain generated`).
    Explain {
        /// A rule id (generated-column-implicit-virtual) or an area (generated, settings...).
        rule: String,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Human,
    Concise,
    Json,
    /// SARIF 2.1.0 (GitHub code scanning and other SARIF consumers).
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// GitLab Code Quality report.
    Gitlab,
    /// JUnit XML.
    Junit,
    /// A report for people, in Markdown (GitHub's step summary, a wiki): verdict, what was
    /// audited, counts, and the upgrade plan phase by phase.
    Markdown,
    /// The same report as one self-contained HTML file (no network, no script).
    Html,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum RulesFormat {
    Text,
    Json,
    /// The table of the README.
    Markdown,
}

/// How to reach live servers (shared by `check` and `snapshot`).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct DbArgs {
    /// Audit a running server (13–18): a connection string, URL (`postgresql://user@host/db`) or
    /// `key=value`; PG* environment variables and ~/.pgpass fill in the rest. Repeatable.
    #[arg(long = "db", value_name = "DSN")]
    pub dsns: Vec<String>,
    /// A file of connection strings, one per line (`#` comments), audited like repeated --db.
    #[arg(long, value_name = "FILE")]
    pub db_file: Option<PathBuf>,
    /// Audit every database of each server that accepts connections, not only the DSN's.
    #[arg(long)]
    pub all_databases: bool,
    /// How long any catalog query may run before the audit gives up: a duration as PostgreSQL
    /// takes it (500ms, 30s, 5min); a bare number is milliseconds.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = args::duration_ms)]
    pub statement_timeout: u64,
    /// How long to wait for a lock another session holds before giving up (500ms, 2s...; a bare
    /// number is milliseconds).
    #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = args::duration_ms)]
    pub lock_timeout: u64,
}

#[derive(clap::Args, Debug)]
pub struct SnapshotArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// The snapshot file to write (one server: its snapshot; several: a JSON array).
    #[arg(long, short)]
    pub output: PathBuf,
}

/// What to report and how: the options `check` and `replay` share.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct ReportArgs {
    /// Output format [default: human; github when GITHUB_ACTIONS=true].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the report to this file; a human summary still goes to the terminal.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only these rule ids or areas (comma-separated or repeated).
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Never these rule ids or areas.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// The PostgreSQL major version you upgrade from: 13 to 17 (15, 15.4 and PG15 are the
    /// same) [default: 13, the oldest; with --db, the server's own].
    #[arg(long, value_name = "MAJOR", value_parser = args::source_major)]
    pub from: Option<u32>,
    /// Exit 1 when a finding of at least this severity is reported [default: warning].
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,
    /// Configuration file (default: the nearest pgready.toml above the first path).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Print only diagnostics, no summary.
    #[arg(short, long)]
    pub quiet: bool,
    /// Also list every statement (or part of one) that was not judged, and why.
    #[arg(short, long, conflicts_with = "quiet")]
    pub verbose: bool,
    /// When to colour the human format: auto (when writing to a terminal), always, never.
    /// FORCE_COLOR or CLICOLOR_FORCE (set, not 0) mean always and NO_COLOR (set) never, unless
    /// this option is given.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// The same as --color never.
    #[arg(long, hide = true)]
    pub no_color: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

impl ReportArgs {
    /// Whether the human format on standard output is coloured: the option, then NO_COLOR,
    /// then FORCE_COLOR/CLICOLOR_FORCE, then whether standard output is a terminal.
    fn colour(&self) -> bool {
        let set = |var: &str| std::env::var_os(var).is_some_and(|v| !v.is_empty() && v != "0");
        match (self.no_color, self.color) {
            (true, _) | (_, ColorChoice::Never) => false,
            (_, ColorChoice::Always) => true,
            _ if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) => false,
            _ if set("FORCE_COLOR") || set("CLICOLOR_FORCE") => true,
            _ => std::io::stdout().is_terminal(),
        }
    }
}

#[derive(clap::Args, Debug, Default)]
pub struct CheckArgs {
    /// Files or directories to check [default: . unless --db or --snapshot is given].
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub db: DbArgs,
    /// What to report and how (shared with `replay`).
    #[command(flatten)]
    pub report: ReportArgs,
    /// Audit a snapshot written by `pgready snapshot` (repeatable).
    #[arg(long, value_name = "FILE")]
    pub snapshot: Vec<PathBuf>,
    /// Write a commented SQL remediation script for what the live audit found (never run it
    /// for you: review it first).
    #[arg(long, value_name = "FILE")]
    pub fix_script: Option<PathBuf>,
    /// Apply safe fixes.
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff, also apply fixes that may change meaning.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// The name standard input (`-` among the paths) is shown as; it also decides how it is
    /// read (`x.sql`, `postgresql.conf`, `pg_hba.conf`).
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,
    /// Print how many findings each rule has (and whether --fix repairs them) instead of the
    /// findings.
    #[arg(long)]
    pub statistics: bool,
    /// Exit 0 even when findings are reported (a usage error or a server not read still exits 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Write a `-- pgready: ignore RULE` comment above each statement (each configuration line)
    /// with findings today, so that from now on only new findings are reported; review them.
    #[arg(long, conflicts_with_all = ["fix", "diff", "write_baseline"])]
    pub add_noqa: bool,
    /// Print the fixes as a unified diff instead of writing them.
    #[arg(long, conflicts_with_all = ["fix", "format", "output"])]
    pub diff: bool,
    /// Read this file as a postgresql.conf, whatever its name (repeatable).
    #[arg(long, value_name = "FILE")]
    pub conf: Vec<PathBuf>,
    /// Read this file as a pg_hba.conf, whatever its name (repeatable).
    #[arg(long, value_name = "FILE")]
    pub hba: Vec<PathBuf>,
    /// Read this file as a pg_ident.conf, whatever its name (repeatable).
    #[arg(long, value_name = "FILE")]
    pub ident: Vec<PathBuf>,
    /// Glob of paths to skip (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Report only findings in files changed since this git ref (all files still build the
    /// schema model, so cross-file rules stay right).
    #[arg(long, value_name = "REF")]
    pub diff_base: Option<String>,
    /// Report only findings in files with uncommitted changes or untracked (= --diff-base HEAD).
    #[arg(long, conflicts_with = "diff_base")]
    pub changed: bool,
    /// Every file below DIR builds the schema model; only the PATHS given are reported (what a
    /// pre-commit hook passes: the staged files, or all of them with --all-files).
    #[arg(long, value_name = "DIR", conflicts_with_all = ["diff_base", "changed"])]
    pub model_root: Option<PathBuf>,
    /// Hide the findings recorded in this baseline file; report only new ones.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record today's findings in this baseline file (and exit 0).
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    /// Do not read or write the cache (`.pgready-cache/` at the project root: the folder with
    /// pgready.toml or .git; PGREADY_CACHE_DIR chooses another folder). Also: PGREADY_NO_CACHE=1.
    #[arg(long)]
    pub no_cache: bool,
}

/// Run the command line; returns the process exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match cli.command {
        Command::Rules { format } => {
            print!("{}", info::rules_listing(format));
            0
        }
        Command::Explain { rule } => match (rules::find(&rule), rules::Area::named(&rule)) {
            (Some(r), _) => {
                print!("{}", info::page_for_reading(r.meta.doc));
                0
            }
            // An area: its rules, each with what it finds.
            (None, Some(area)) => {
                println!("Rules of the {area} area (`pgready explain RULE` prints one):\n");
                for r in REGISTRY.iter().filter(|r| r.meta.area == area) {
                    println!("  {:<40} {:<8} {}", r.meta.id, r.meta.severity.as_str(), r.meta.summary);
                }
                0
            }
            (None, None) => {
                eprintln!("error: {}", rules::unknown_name(&rule));
                2
            }
        },
        Command::Snapshot(args) => match snapshot_command(args) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("error: {e}");
                2
            }
        },
        Command::Replay(args) => match replay_command(*args) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("error: {e}");
                2
            }
        },
        Command::Check(args) => match check(*args) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("error: {e}");
                2
            }
        },
    }
}

fn validate_rule_names(names: &[String]) -> Result<(), String> {
    let areas = rules::areas();
    for n in names {
        if n != "all" && rules::find(n).is_none() && !rules::Area::named(n).is_some_and(|a| areas.contains(&a)) {
            return Err(rules::unknown_name(n));
        }
    }
    Ok(())
}

/// The options of a check: the command line over pgready.toml (found above the first path,
/// or given with --config), validated; and the severity that fails the run.
fn check_options(args: &CheckArgs) -> Result<(Options, Severity), String> {
    let config_path = match &args.report.config {
        Some(p) => Some(p.clone()),
        None => args.paths.first().and_then(|p| config::find(p)),
    };
    let cfg = match &config_path {
        Some(p) => config::load(p)?,
        None => config::Config::default(),
    };
    let from = args.report.from.or(cfg.from).unwrap_or(OLDEST_SOURCE);
    if !SOURCES.contains(&from) {
        return Err(format!("`from = {from}` in the configuration: pgready checks upgrades from {OLDEST_SOURCE} to {NEWEST_SOURCE}"));
    }
    let mut opts = Options {
        select: if args.report.select.is_empty() { cfg.select.clone().unwrap_or_default() } else { args.report.select.clone() },
        ignore: cfg.ignore.clone().unwrap_or_default(),
        from,
        exclude: cfg.exclude.clone().unwrap_or_default(),
        per_path_ignores: cfg.per_path_ignores.clone().unwrap_or_default().into_iter().collect(),
        script: crate::sql::script::ScriptSettings {
            variables: cfg.psql.as_ref().and_then(|p| p.variables.clone()).unwrap_or_default().into_iter().collect(),
            templates: cfg
                .templates
                .as_ref()
                .and_then(|t| t.delimiters.clone())
                .unwrap_or_default()
                .into_iter()
                .map(|[o, c]| (o, c))
                .collect(),
        },
        conf_files: args.conf.clone(),
        hba_files: args.hba.clone(),
        ident_files: args.ident.clone(),
        stdin_name: args.stdin_filename.clone(),
    };
    opts.ignore.extend(args.report.ignore.iter().cloned());
    opts.exclude.extend(args.exclude.iter().cloned());
    validate_rule_names(&opts.select)?;
    validate_rule_names(&opts.ignore)?;
    // An invalid glob would silently ignore nothing: a usage error, as an unknown rule is.
    crate::engine::suppress::PathIgnores::new(&opts.per_path_ignores)
        .map_err(|e| format!("{}: {e}", config_path.as_ref().map_or_else(|| "configuration".into(), |p| p.display().to_string())))?;
    // Recommendations (info) are shown but do not fail a run: CI should fail on what breaks or
    // changes on the target, not on advice.
    Ok((opts, args.report.fail_on.or(cfg.fail_on).unwrap_or(Severity::Warning)))
}

/// Write the report in the chosen format (stdout, or --output); the format used.
fn render(run: &engine::Run, args: &CheckArgs, from: u32) -> Result<Format, String> {
    let format = args.report.format.unwrap_or(if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
        Format::Github
    } else {
        Format::Human
    });
    let to_terminal = args.report.output.is_none();
    let color = to_terminal && args.report.colour();
    let rendered = match format {
        // A report written to a file keeps its summary (the terminal gets it too).
        Format::Human if !to_terminal => report::human(run, false) + &report::summary(run, from, args.report.verbose) + "\n",
        Format::Human => report::human(run, color),
        Format::Concise => report::concise(run),
        Format::Json => report::json(run),
        Format::Sarif => report::machine::sarif(run),
        Format::Github => report::machine::github(run),
        Format::Gitlab => report::machine::gitlab(run),
        Format::Junit => report::machine::junit(run),
        Format::Markdown => report::document::markdown(run, &report_context(run, from)),
        Format::Html => report::document::html(run, &report_context(run, from)),
    };
    // --statistics: the counts per rule instead of the findings (JSON when asked).
    let rendered = if args.statistics { report::statistics(run, format == Format::Json) } else { rendered };
    match &args.report.output {
        Some(path) => std::fs::write(path, rendered.as_bytes()).map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(rendered.as_bytes());
            let _ = out.flush();
        }
    }
    Ok(format)
}

/// What a report's header says beyond the run: the major upgraded from (a live server's own),
/// and the date — `SOURCE_DATE_EPOCH` when set, as reproducible builds do, else now.
fn report_context(run: &engine::Run, from: u32) -> report::document::Context {
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map_or_else(std::time::SystemTime::now, |secs| std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs));
    let from = run.servers.first().map_or(from, |s| s.major);
    report::document::Context { from, date: humantime::format_rfc3339_seconds(now).to_string() }
}

fn check(mut args: CheckArgs) -> Result<i32, String> {
    let live = !args.db.dsns.is_empty() || args.db.db_file.is_some() || !args.snapshot.is_empty();
    // Refused before anything is read: a live audit would run and "fix" nothing.
    if live && (args.fix || args.diff || args.add_noqa) {
        return Err(format!(
            "{} edits files; a live server is repaired with --fix-script FILE (a psql script to review and run)",
            if args.fix {
                "--fix"
            } else if args.diff {
                "--diff"
            } else {
                "--add-noqa"
            }
        ));
    }
    if args.paths.is_empty() && !live {
        args.paths.push(PathBuf::from("."));
    }
    let (opts, fail_on) = check_options(&args)?;
    gates::require_existing(&args.paths)?;
    gates::require_existing(args.model_root.as_slice())?;
    // What is read: the paths, or with --model-root that folder and any path outside it.
    let lint_targets: Vec<PathBuf> = match &args.model_root {
        Some(root) => {
            let inside = gates::below(std::slice::from_ref(root));
            std::iter::once(root.clone()).chain(args.paths.iter().filter(|p| !inside(p)).cloned()).collect()
        }
        None => args.paths.clone(),
    };

    let mut catalog_runs = Vec::new();
    let mut server_errors = Vec::new();
    // Databases of a server read that could not be read themselves: reported (server-not-read),
    // and the run ends with 2 as for a server not read.
    let mut incomplete: Vec<String> = Vec::new();
    for path in &args.snapshot {
        for snap in load_snapshots(path)? {
            incomplete.extend(unread_databases(&snap));
            catalog_runs.push(crate::catalog::lint::lint_snapshot(&snap, &opts));
        }
    }
    if !args.db.dsns.is_empty() || args.db.db_file.is_some() {
        for (label, r) in read_servers(&args.db)? {
            match r {
                Ok(snap) => {
                    incomplete.extend(unread_databases(&snap));
                    catalog_runs.push(crate::catalog::lint::lint_snapshot(&snap, &opts))
                }
                Err(e) => server_errors.push((label, e)),
            }
        }
    }
    let files_given = !args.paths.is_empty();
    let use_cache = !args.no_cache && std::env::var("PGREADY_NO_CACHE").map_or(true, |v| v.is_empty() || v == "0");
    let cache = match std::env::var_os("PGREADY_CACHE_DIR") {
        _ if !use_cache => None,
        Some(dir) if !dir.is_empty() => Some(crate::cache::Cache::in_dir(PathBuf::from(dir))),
        _ => args.paths.first().and_then(|p| crate::cache::Cache::for_project(p)),
    };
    let (mut run, cached) =
        if files_given { crate::cache::lint_paths(&lint_targets, &opts, cache.as_ref()) } else { (engine::Run::merge(Vec::new()), false) };
    if files_given {
        gates::require_something_checked(&run, &lint_targets)?;
    }
    let mut stderr_notes = Vec::new();
    // A run that edits files re-reads them: where the first findings came from is not news.
    if cached && !args.fix && !args.add_noqa {
        stderr_notes.push("No file changed since the last run: findings from the cache (--no-cache to recompute).".to_string());
    }
    let min = if args.unsafe_fixes { Applicability::Unsafe } else { Applicability::Safe };
    if args.fix || args.diff {
        // Only the files the report is about are edited: with --changed / --diff-base, an
        // older migration (already applied, checksummed by Flyway or Liquibase) is left alone.
        let all = run.diagnostics.clone();
        if let Some(base) = args.diff_base.as_deref().or(args.changed.then_some("HEAD")) {
            let changed = crate::baseline::changed_files(&report_dir(&args.paths), base)?;
            crate::baseline::only_changed(&mut run, &changed);
        }
        let (fixed, refused) = fix::plan(&run, min);
        run.diagnostics = all;
        for r in &refused {
            stderr_notes.push(format!("not fixed: {}: {}", r.display, r.reason));
        }
        if args.diff {
            let mut out = std::io::stdout().lock();
            for f in &fixed {
                let _ = write!(out, "{}", fix::unified_diff(f));
            }
            let n: usize = fixed.iter().map(|f| f.fixes).sum();
            if !args.report.quiet {
                eprintln!("{n} fix(es) would be applied to {} file(s) (nothing written).", fixed.len());
            }
            return Ok(if fixed.is_empty() { 0 } else { 1 });
        }
        let mut applied = 0;
        for f in &fixed {
            match fix::write_fixed(f) {
                Ok(()) => applied += f.fixes,
                Err(e) => stderr_notes.push(format!("not fixed: {}: {e}", f.display)),
            }
        }
        if applied > 0 {
            stderr_notes.push(format!("Fixed {applied} problem(s)."));
            // Report what remains, as it is on disk now.
            run = engine::lint_paths(&lint_targets, &opts);
        }
    }

    if args.add_noqa {
        let (written, refused) = fix::suppressions(&run);
        for r in &refused {
            stderr_notes.push(format!("not changed: {}: {}", r.display, r.reason));
        }
        let mut added = 0;
        for f in &written {
            match fix::write_fixed(f) {
                Ok(()) => added += f.fixes,
                Err(e) => stderr_notes.push(format!("not changed: {}: {e}", f.display)),
            }
        }
        stderr_notes.push(format!("Added {added} suppression comment(s) to {} file(s).", written.len()));
        if added > 0 {
            run = engine::lint_paths(&lint_targets, &opts);
        }
    }

    // Fixes are for files; catalog findings join the report afterwards, and so does each
    // server that could not be read (a report that lacks a server must say so).
    catalog_runs.extend(server_errors.iter().map(|(label, e)| unread_server(label, e)));
    if !catalog_runs.is_empty() {
        let mut all = vec![run];
        all.extend(catalog_runs);
        run = engine::Run::merge(all);
    }
    // A live server is judged as the major it runs; a --from that says otherwise is a mistake
    // to point out, not to ignore.
    if let Some(from) = args.report.from {
        for s in &run.servers {
            let judged = s.major.clamp(OLDEST_SOURCE, NEWEST_SOURCE);
            if judged != from {
                return Err(format!(
                    "--from {from}, but {} runs PostgreSQL {}: a live audit judges a server as the major it runs (leave --from out)",
                    crate::quote::one_line(&s.label),
                    s.major
                ));
            }
        }
    }
    // What an audit could not see is said where its summary is, not only in the report.
    for s in &run.servers {
        let label = crate::quote::one_line(&s.label);
        match &s.statements {
            None => stderr_notes.push(format!(
                "{label}: pg_stat_statements is not installed in the audited databases: the queries the applications run \
                 were not read (load it with shared_preload_libraries and CREATE EXTENSION pg_stat_statements)."
            )),
            Some(r) if r.read + r.hidden < r.total || r.hidden > 0 => stderr_notes.push(format!(
                "{label}: read {} of pg_stat_statements' {} statements (the most-called first{}).",
                r.read,
                r.total,
                if r.hidden > 0 {
                    format!("; {} hidden from this role: a member of pg_read_all_stats sees them", r.hidden)
                } else {
                    String::new()
                }
            )),
            Some(_) => {}
        }
        for (db, why) in &s.not_audited {
            stderr_notes.push(crate::quote::one_line(&format!("Not audited: database {db} of {}: {why}.", s.label)).into_owned());
        }
    }
    if let Some(path) = &args.fix_script {
        let c = crate::catalog::remedy::write_script(&run, path)?;
        stderr_notes.push(format!(
            "Remediation script written to {}: {} statement(s) for {} of {} finding(s); {} need a person (listed at its end). \
             Review it; nothing was run.",
            path.display(),
            c.statements,
            c.covered,
            run.diagnostics.len(),
            c.manual
        ));
    }
    let mut hidden_notes = Vec::new();
    if let Some(path) = &args.write_baseline {
        let n = crate::baseline::write(&run, path)?;
        if !args.report.quiet {
            eprintln!("Baseline of {n} finding(s) written to {}.", path.display());
        }
        return Ok(0);
    }
    if let Some(path) = &args.baseline {
        let known = crate::baseline::load(path)?;
        let n = crate::baseline::hide_known(&mut run, &known);
        if n > 0 {
            hidden_notes.push(format!("{n} finding(s) hidden by the baseline {}.", path.display()));
        }
    }
    // Reporting only some files: how many, said in place of (or after) the summary.
    let mut scope: Option<(usize, String)> = None;
    if let Some(base) = args.diff_base.as_deref().or(args.changed.then_some("HEAD")) {
        let changed = crate::baseline::changed_files(&report_dir(&args.paths), base)?;
        let n = crate::baseline::only_changed(&mut run, &changed);
        let what = if base == "HEAD" { "changed".to_string() } else { format!("changed since {base}") };
        scope = Some((n, gates::scope_note(n, run.docs.len(), &what)));
    }
    if args.model_root.is_some() {
        let n = crate::baseline::only_where(&mut run, gates::below(&args.paths));
        scope = Some((n, gates::scope_note(n, run.docs.len(), "given")));
    }
    stderr_notes.extend(hidden_notes);
    let format = render(&run, &args, opts.from)?;
    // Server errors quote the server's names and messages: one line each.
    for e in server_errors.iter().map(|(_, e)| e).chain(&incomplete) {
        eprintln!("error: {}", crate::quote::one_line(e));
    }
    if !args.report.quiet {
        for n in stderr_notes {
            eprintln!("{n}");
        }
        // Machine formats on stdout stay machine-readable; the summary goes to stderr, and
        // with --output the terminal gets the summary. (A server not read is a finding of the
        // report, so no summary can read as "all clear" when every server failed.)
        if format == Format::Human || format == Format::Concise || args.report.output.is_some() {
            if args.report.verbose {
                eprint!("{}", report::not_judged_list(&run));
            }
            match &scope {
                // Nothing was reported on: never "All clear ... N file(s) checked".
                Some((0, note)) if run.diagnostics.is_empty() => eprintln!("{note}"),
                Some((_, note)) => eprintln!("{}\n{note}", report::summary(&run, opts.from, args.report.verbose)),
                None => eprintln!("{}", report::summary(&run, opts.from, args.report.verbose)),
            }
        }
        if let Some(path) = &args.report.output {
            eprintln!("Report written to {}.", path.display());
        }
    }
    if !server_errors.is_empty() || !incomplete.is_empty() {
        return Ok(2);
    }
    Ok(if !args.exit_zero && run.diagnostics.iter().any(|d| d.severity >= fail_on) { 1 } else { 0 })
}

/// The folder whose git state `--changed` and `--diff-base` read: the first path's (its parent
/// for a file).
fn report_dir(paths: &[PathBuf]) -> PathBuf {
    let dir =
        paths.first().map(|p| if p.is_dir() { p.clone() } else { p.parent().map(PathBuf::from).unwrap_or_default() }).unwrap_or_default();
    if dir.as_os_str().is_empty() { PathBuf::from(".") } else { dir }
}
