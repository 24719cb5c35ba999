//! `--fix-script`: the SQL that repairs what the live audit found, as a psql script for a person
//! to review and run — once on the old cluster before pg_upgrade, once on the new cluster after
//! it (each part runs only on its own cluster). pgready never runs it.
//!
//! Rules give the remedies they can derive from the model; the ones that need to know which
//! catalog object a document stands for (a stored setting, a function, an extension, what
//! ALTER SYSTEM wrote) are attached here, from the document's [`Subject`].

use std::fmt::Write as _;

use super::synth::Subject;
use crate::diagnostic::{Cluster, Diagnostic, Remedy, Severity};
use crate::engine::Run;
use crate::knowledge::target::TARGET;
use crate::model::facts::AuditedServer;
use crate::quote::{ident, one_line, psql_connect, shell};
use crate::target_name;

/// Rules whose finding in a stored setting is repaired by RESET of that setting.
const RESET_BY: &[&str] = &["setting-removed", "setting-unknown", "setting-invalid-value"];

/// Attach the remedies that come from what a document stands for (one model's run, before
/// runs are merged: `subjects[file]` belongs to `run.docs[file]`).
pub fn attach(run: &mut Run, subjects: &[Option<Subject>]) {
    for d in &mut run.diagnostics {
        let Some(Some(subject)) = subjects.get(d.file) else { continue };
        if !d.remedy.is_empty() {
            continue;
        }
        let text = &run.docs[d.file].text;
        let remedy = match subject {
            Subject::StoredSetting { role, database, name } if RESET_BY.contains(&d.rule) => {
                let name = setting_name(name);
                Some(Remedy::old(match (role, database) {
                    (Some(r), Some(db)) => format!("ALTER ROLE {} IN DATABASE {} RESET {name};", ident(r), ident(db)),
                    (Some(r), None) => format!("ALTER ROLE {} RESET {name};", ident(r)),
                    (None, Some(db)) => format!("ALTER DATABASE {} RESET {name};", ident(db)),
                    (None, None) => continue,
                }))
            }
            Subject::SystemSettings(names) if RESET_BY.contains(&d.rule) || d.rule == "setting-renamed" => {
                // Line 1 is the header; line n + 1 holds the n-th setting.
                let line = text[..d.span.start.min(text.len())].matches('\n').count();
                names.get(line.wrapping_sub(1)).map(|n| Remedy::old(format!("ALTER SYSTEM RESET {};", setting_name(n))))
            }
            Subject::Function { database, ident: function } if RESET_BY.contains(&d.rule) => {
                // The finding is at the setting's name in the function's SET clause.
                let written = text.get(d.span.clone()).unwrap_or("").trim_matches(|c| c == '"' || c == '\'').to_ascii_lowercase();
                let plain = !written.is_empty() && written.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
                plain.then(|| Remedy::old(format!("ALTER FUNCTION {function} RESET {};", setting_name(&written))).in_database(database))
            }
            Subject::Extension { database, name } if d.rule == "extension-removed" => Some(
                // RESTRICT: if anything depends on it, the statement fails and the server's
                // message names what does; nothing else is dropped.
                Remedy::old(format!("DROP EXTENSION IF EXISTS {} RESTRICT;", ident(name))).in_database(database),
            ),
            _ => None,
        };
        d.remedy.extend(remedy);
    }
}

/// A setting name as RESET takes it: each dot-separated part as it is when plain, else quoted.
fn setting_name(name: &str) -> String {
    let plain = |p: &str| {
        p.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$')
    };
    name.split('.').map(|p| if plain(p) { p.to_string() } else { ident(p) }).collect::<Vec<_>>().join(".")
}

/// What the script does, counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Findings repaired by a statement of the script (or by an option of the upgrade's commands).
    pub covered: usize,
    /// Errors and warnings that need a person: listed at the end of the script.
    pub manual: usize,
    /// Statements written (commented-out choices included).
    pub statements: usize,
}

/// Findings the upgrade's own commands take care of (an initdb option).
fn covered_by_commands(d: &Diagnostic) -> bool {
    d.rule == "data-checksums-off"
}

/// Whether a finding needs a person: an error or a warning that no statement and no command
/// of the plan repairs.
pub fn needs_a_person(d: &Diagnostic) -> bool {
    d.severity >= Severity::Warning && (d.remedy.is_empty() || d.remedy.iter().all(|r| r.decide.is_some())) && !covered_by_commands(d)
}

/// The shell commands of the upgrade itself, for the servers audited: the new cluster's initdb
/// (its encoding, locale and checksums as pg_upgrade needs them to match the old cluster's),
/// pg_upgrade --check, pg_upgrade, and what pg_upgrade leaves to do. pg_upgrade reads the
/// directories from PGBINOLD, PGBINNEW, PGDATAOLD and PGDATANEW.
pub fn upgrade_commands(run: &Run) -> Vec<String> {
    let Some(server) = run.servers.first() else { return Vec::new() };
    let mut initdb = vec!["\"$PGBINNEW/initdb\"".to_string(), "-D".into(), "\"$PGDATANEW\"".into()];
    if let Some(user) = &server.install_user {
        initdb.push(format!("--username={}", shell(user)));
    }
    if let Some(t0) = &server.template0 {
        if let Some(e) = &t0.encoding {
            initdb.push(format!("--encoding={}", shell(e)));
        }
        match (&t0.collate, &t0.ctype) {
            (Some(c), Some(t)) if c == t => initdb.push(format!("--locale={}", shell(c))),
            (c, t) => {
                initdb.extend(c.iter().map(|c| format!("--lc-collate={}", shell(c))));
                initdb.extend(t.iter().map(|t| format!("--lc-ctype={}", shell(t))));
            }
        }
        match (t0.locale_provider.as_str(), &t0.locale) {
            ("i", Some(l)) => initdb.extend(["--locale-provider=icu".to_string(), format!("--icu-locale={}", shell(l))]),
            ("b", Some(l)) => initdb.extend(["--locale-provider=builtin".to_string(), format!("--builtin-locale={}", shell(l))]),
            _ => {}
        }
    }
    if server.data_checksums == Some(false) {
        initdb.push("--no-data-checksums".into());
    }
    let user = server.install_user.as_deref().map(|u| format!(" --username={}", shell(u))).unwrap_or_default();
    vec![initdb.join(" "), format!("\"$PGBINNEW/pg_upgrade\" --check{user}"), format!("\"$PGBINNEW/pg_upgrade\"{user}")]
}

/// What is left once pg_upgrade has run, besides the script's own part for the new cluster:
/// the two vacuumdb runs pg_upgrade 18 itself recommends (it carries the planner's statistics
/// over, but not extended statistics: --missing-stats-only analyses what has none, quickly, then
/// everything), and the update_extensions.sql it writes when an extension's default version
/// differs on the new cluster.
pub fn after_commands(run: &Run) -> Vec<String> {
    let user = run.servers.first().and_then(|s| s.install_user.as_deref()).map(|u| format!(" --username={}", shell(u))).unwrap_or_default();
    vec![
        format!("\"$PGBINNEW/vacuumdb\"{user} --all --analyze-in-stages --missing-stats-only"),
        format!("\"$PGBINNEW/vacuumdb\"{user} --all --analyze-only"),
        format!("test ! -f update_extensions.sql || \"$PGBINNEW/psql\" -X{user} -d postgres -f update_extensions.sql"),
    ]
}

/// Write the script; returns what it covers.
pub fn write_script(run: &Run, path: &std::path::Path) -> Result<Coverage, String> {
    let (out, coverage) = script(run);
    crate::fix::write_atomic(path, &out).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(coverage)
}

fn header(run: &Run) -> String {
    let mut out = format!("-- Remediation script written by pgready {} from a live audit.\n", env!("CARGO_PKG_VERSION"));
    for s in &run.servers {
        let _ = writeln!(out, "-- {}", one_line(&describe(s)));
    }
    out += concat!(
        "-- Run it with psql as a superuser, twice: on the old cluster before pg_upgrade, and on the new ",
        target_name!(),
        "\n-- cluster after it (each part below runs only on its own cluster):\n\
         --   psql -X -v ON_ERROR_STOP=1 -d postgres -f THIS_FILE\n\
         -- Review every statement first. Commented-out statements are a person's decision (the reason is\n\
         -- given above each); findings no statement repairs are listed at the end.\n\n"
    );
    out
}

/// A server as a header line names it.
pub fn describe(s: &AuditedServer) -> String {
    let mut line = format!("{} (PostgreSQL {})", s.label, s.version);
    if let Some(at) = &s.read_at {
        let _ = write!(line, ", read {at}");
    }
    let _ = write!(line, "; databases audited: {}", if s.databases.is_empty() { "none".into() } else { s.databases.join(", ") });
    if !s.not_audited.is_empty() {
        let names: Vec<&str> = s.not_audited.iter().map(|(n, _)| n.as_str()).collect();
        let _ = write!(line, "; not audited: {}", names.join(", "));
    }
    line
}

/// The script's text, and what it covers.
pub fn script(run: &Run) -> (String, Coverage) {
    let mut out = header(run);
    let mut coverage = Coverage::default();
    let remedied: Vec<(&Diagnostic, &Remedy)> = run.diagnostics.iter().flat_map(|d| d.remedy.iter().map(move |r| (d, r))).collect();
    coverage.covered = run.diagnostics.iter().filter(|d| (!d.remedy.is_empty() || covered_by_commands(d)) && !needs_a_person(d)).count();
    let _ = writeln!(out, "SELECT current_setting('server_version_num')::int >= {TARGET}0000 AS pgready_new_cluster \\gset");
    for cluster in [Cluster::Old, Cluster::New] {
        let steps: Vec<&(&Diagnostic, &Remedy)> = remedied.iter().filter(|(_, r)| r.cluster == cluster).collect();
        let (condition, title) = match cluster {
            Cluster::Old => ("\\if :pgready_new_cluster\n\\else", "Before the upgrade, on the old cluster"),
            Cluster::New => ("\\if :pgready_new_cluster", concat!("After the upgrade, on the new ", target_name!(), " cluster")),
        };
        let _ = writeln!(out, "\n{condition}\n-- {title}");
        if steps.is_empty() {
            out += "-- Nothing to do.\n";
        }
        // What belongs to the whole cluster first, then each database in turn (\connect).
        let mut databases: Vec<Option<&str>> = steps.iter().map(|(_, r)| r.database.as_deref()).collect();
        databases.sort();
        databases.dedup();
        for database in databases {
            if let Some(db) = database {
                let _ = writeln!(out, "\n-- in database {}\n{}", one_line(db), psql_connect(db));
            }
            for (d, r) in steps.iter().filter(|(_, r)| r.database.as_deref() == database) {
                coverage.statements += 1;
                out += &step(run, d, r);
            }
        }
        if cluster == Cluster::Old {
            out += &upgrade_section(run);
        }
        out += "\\endif\n";
    }
    out += &manual_section(run, &mut coverage);
    (out, coverage)
}

/// One statement with where it comes from. Names in the location and the message are the
/// catalog's, and hostile: each stays on its comment line. The statements quote every name and
/// literal (`crate::quote`); each of their lines goes through the same escape anyway, so that no
/// character can end a comment or split a statement where a reviewer does not see it.
fn step(run: &Run, d: &Diagnostic, r: &Remedy) -> String {
    let mut out = format!("\n-- {} [{}]\n--   {}\n", one_line(&run.docs[d.file].display), d.rule, one_line(&d.message));
    match &r.decide {
        Some(why) => {
            let _ = writeln!(out, "-- A decision: {}", one_line(why));
            for line in r.sql.trim_end().lines() {
                let _ = writeln!(out, "-- {}", one_line(line));
            }
        }
        None => {
            for line in r.sql.trim_end().lines() {
                let _ = writeln!(out, "{}", one_line(line));
            }
        }
    }
    out
}

/// The upgrade itself, as comments: the commands to run between the script's two parts.
fn upgrade_section(run: &Run) -> String {
    let commands = upgrade_commands(run);
    if commands.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "\n-- Then the upgrade itself, in a shell as the clusters' OS user, with PGBINOLD, PGBINNEW, PGDATAOLD\n\
         -- and PGDATANEW set (pg_upgrade reads them), the old server stopped:\n",
    );
    for c in &commands {
        let _ = writeln!(out, "--   {}", one_line(c));
    }
    out += "-- then, with the new server started, this script again (its part for the new cluster), and:\n";
    for c in after_commands(run) {
        let _ = writeln!(out, "--   {}", one_line(&c));
    }
    out
}

fn manual_section(run: &Run, coverage: &mut Coverage) -> String {
    let manual: Vec<&Diagnostic> = run.diagnostics.iter().filter(|d| needs_a_person(d)).collect();
    coverage.manual = manual.len();
    let mut out = String::from("\n-- For a person: findings no statement above repairs");
    if manual.is_empty() {
        out += ": none.\n";
        return out;
    }
    out += ".\n";
    for (i, d) in manual.iter().enumerate() {
        let _ = writeln!(out, "-- {}. {} [{}] {}", i + 1, one_line(&run.docs[d.file].display), d.rule, one_line(&d.message));
        if let Some(help) = &d.help {
            let _ = writeln!(out, "--    {}", one_line(help));
        }
    }
    out
}
