//! The command line's live servers: the DSNs of `--db`/`--db-file`, reading servers
//! concurrently, `pgready snapshot`, snapshot files, and a server that could not be read as a
//! run of its own.

use std::path::PathBuf;

use super::{DbArgs, SnapshotArgs};
use crate::engine;
use crate::rules;

/// The connection strings of `--db` and `--db-file`.
fn dsns(db: &DbArgs) -> Result<Vec<String>, String> {
    let mut out = db.dsns.clone();
    if let Some(path) = &db.db_file {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        out.extend(text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(String::from));
        if out.is_empty() {
            return Err(format!("{} lists no connection string", path.display()));
        }
    }
    Ok(out)
}

/// The databases of a snapshot that could not be read, as error lines.
pub(super) fn unread_databases(snap: &crate::catalog::Snapshot) -> Vec<String> {
    snap.unread_databases.iter().map(|u| format!("{}: database {} not read: {}", snap.server, u.name, u.why)).collect()
}

/// A server's snapshot, or why it could not be read (free of passwords).
pub(super) type ServerRead = Result<crate::catalog::Snapshot, String>;

/// A server that could not be read, as a run of its own: one `server-not-read` finding located
/// at the server's address.
pub(super) fn unread_server(label: &str, error: &str) -> engine::Run {
    let why = error.strip_prefix(label).and_then(|e| e.strip_prefix(": ")).unwrap_or(error);
    let doc = crate::source::Document::new(PathBuf::from(label), label.to_string(), String::new());
    let finding = rules::meta::server_not_read::RULE
        .report(0, 0..0, format!("not read: {why}"))
        .help("Nothing of this server was checked. Fix the connection (address, role, TLS, timeouts) and run the audit again.");
    engine::Run { docs: vec![doc], files: vec![engine::ParsedFile::default()], diagnostics: vec![finding], servers: Vec::new() }
}

/// Read every server given, concurrently: each server's label (its address, never with a
/// password) with its snapshot or why it could not be read.
pub(super) fn read_servers(db: &DbArgs) -> Result<Vec<(String, ServerRead)>, String> {
    let targets = dsns(db)?.iter().map(|d| crate::catalog::connect::Target::parse(d)).collect::<Result<Vec<_>, _>>()?;
    let opts = crate::catalog::read::ReadOptions {
        all_databases: db.all_databases,
        statement_timeout_ms: db.statement_timeout,
        lock_timeout_ms: db.lock_timeout,
        password_prompt: Some(ask_password),
    };
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| format!("cannot start the runtime: {e}"))?;
    let snapshots = rt.block_on(futures_util::future::join_all(targets.iter().map(|t| crate::catalog::read::snapshot(t, &opts))));
    Ok(targets.iter().map(|t| t.label.clone()).zip(snapshots).collect())
}

pub(super) fn snapshot_command(args: SnapshotArgs) -> Result<i32, String> {
    if args.db.dsns.is_empty() && args.db.db_file.is_none() {
        return Err("give the server to read with --db DSN (or --db-file FILE)".into());
    }
    let mut snaps = Vec::new();
    let mut failed = false;
    for (_, r) in read_servers(&args.db)? {
        match r {
            Ok(s) => snaps.push(s),
            Err(e) => {
                eprintln!("error: {}", crate::quote::one_line(&e));
                failed = true;
            }
        }
    }
    if failed {
        return Ok(2);
    }
    let json = if snaps.len() == 1 { serde_json::to_string_pretty(&snaps[0]) } else { serde_json::to_string_pretty(&snaps) }
        .map_err(|e| format!("cannot encode the snapshot: {e}"))?;
    crate::fix::write_atomic(&args.output, &(json + "\n")).map_err(|e| format!("cannot write {}: {e}", args.output.display()))?;
    // Counted as `check` counts them in its summary: the documents each server becomes.
    let objects: usize = snaps.iter().flat_map(crate::catalog::synth::groups).map(|g| g.docs.len()).sum();
    eprintln!("Snapshot of {} server(s), {objects} catalog object(s) written to {}.", snaps.len(), args.output.display());
    // Written (the other databases are in it), but incomplete: said, and exit 2.
    let unread: Vec<String> = snaps.iter().flat_map(unread_databases).collect();
    for e in &unread {
        eprintln!("error: {}", crate::quote::one_line(e));
    }
    Ok(if unread.is_empty() { 0 } else { 2 })
}

/// Snapshots from files: one snapshot or an array of them.
pub(super) fn load_snapshots(path: &std::path::Path) -> Result<Vec<crate::catalog::Snapshot>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{}: not a pgready snapshot: {e}", path.display()))?;
    let list = if value.is_array() { value } else { serde_json::Value::Array(vec![value]) };
    let snaps: Vec<crate::catalog::Snapshot> =
        serde_json::from_value(list).map_err(|e| format!("{}: not a pgready snapshot: {e}", path.display()))?;
    if let Some(s) = snaps.iter().find(|s| s.format != crate::catalog::SNAPSHOT_FORMAT) {
        return Err(format!(
            "{}: snapshot format {} is not the one this pgready reads ({})",
            path.display(),
            s.format,
            crate::catalog::SNAPSHOT_FORMAT
        ));
    }
    Ok(snaps)
}

/// psql's password prompt: on a terminal, when a server wants a password none was given for;
/// asked once per server and user (every database of `--all-databases` uses the answer).
fn ask_password(server: &str) -> Option<String> {
    use std::io::IsTerminal;
    static ASKED: std::sync::Mutex<std::collections::BTreeMap<String, String>> = std::sync::Mutex::new(std::collections::BTreeMap::new());
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return None;
    }
    let mut asked = ASKED.lock().ok()?;
    if let Some(password) = asked.get(server) {
        return Some(password.clone());
    }
    let password = rpassword::prompt_password(format!("Password for {}: ", crate::quote::one_line(server))).ok()?;
    asked.insert(server.to_string(), password.clone());
    Some(password)
}
