//! The servers a replay runs on: a DSN of a scratch server, or a PostgreSQL bin directory from
//! which a throwaway cluster is made (initdb into a temporary folder, reachable only through a
//! Unix socket in that folder, `fsync=off`) and removed afterwards.

use std::path::{Path, PathBuf};
use std::process::Command;

use tokio_postgres::{Client, NoTls};

use crate::catalog::connect::Target;

/// Where a replay runs, as the command line gave it.
#[derive(Debug, Clone)]
pub enum ServerSpec {
    Dsn(String),
    BinDir(PathBuf),
}

impl ServerSpec {
    /// A bin directory when the argument is a folder holding `postgres`, a DSN otherwise.
    pub fn parse(arg: &str) -> ServerSpec {
        let path = Path::new(arg);
        if path.is_dir() { ServerSpec::BinDir(path.to_path_buf()) } else { ServerSpec::Dsn(arg.to_string()) }
    }
}

/// A server ready for a replay: how to connect to it, and what owns it.
pub struct Server {
    pub target: Target,
    /// What reports call it: the DSN's address (never a password) or the bin directory.
    pub label: String,
    /// The major version (`server_version_num / 10000`).
    pub major: u32,
    /// Set for a cluster pgready made: dropped, it is stopped and its folder removed.
    pub throwaway: Option<Throwaway>,
}

/// A cluster made for one replay; stopped and deleted when dropped (also after an error or an
/// interrupt: the command line drops it before exiting).
pub struct Throwaway {
    bin: PathBuf,
    folder: tempfile::TempDir,
}

impl Throwaway {
    fn data(&self) -> PathBuf {
        self.folder.path().join("data")
    }
}

impl Drop for Throwaway {
    fn drop(&mut self) {
        let _ = Command::new(self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(self.data())
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
    }
}

/// The major version of the PostgreSQL in `bin` (`postgres --version`).
pub fn bin_major(bin: &Path) -> Result<u32, String> {
    let out = Command::new(bin.join("postgres"))
        .arg("--version")
        .output()
        .map_err(|e| format!("{}: no PostgreSQL server program here ({e})", bin.display()))?;
    let text = String::from_utf8_lossy(&out.stdout);
    // `postgres (PostgreSQL) 18.1` (or `13.23`, `18beta1`).
    let version = text.rsplit(' ').next().unwrap_or("").trim();
    let digits: String = version.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().map_err(|_| format!("{}: `postgres --version` said {:?}", bin.display(), text.trim()))
}

/// Where an installed PostgreSQL `major` is looked for when no `--target` is given.
pub fn find_installed(major: u32) -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        candidates.push(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
    }
    if let Some(path) = std::env::var_os("PATH") {
        candidates.extend(std::env::split_paths(&path));
    }
    candidates.extend(
        [
            format!("/usr/lib/postgresql/{major}/bin"),
            format!("/usr/pgsql-{major}/bin"),
            format!("/opt/homebrew/opt/postgresql@{major}/bin"),
            format!("/usr/local/opt/postgresql@{major}/bin"),
        ]
        .map(PathBuf::from),
    );
    candidates.into_iter().find(|dir| dir.join("postgres").is_file() && dir.join("initdb").is_file() && bin_major(dir) == Ok(major))
}

/// initdb refuses to run as root: said before trying.
fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// Make and start a throwaway cluster of the PostgreSQL in `bin`.
pub async fn start_throwaway(bin: &Path) -> Result<Server, String> {
    let major = bin_major(bin)?;
    if running_as_root() {
        return Err(format!(
            "{}: cannot make a throwaway cluster as root (initdb refuses to run as root): run pgready replay as an ordinary user, or give a DSN of a scratch server",
            bin.display()
        ));
    }
    let folder =
        tempfile::Builder::new().prefix("pgready-replay-").tempdir().map_err(|e| format!("cannot make a temporary folder: {e}"))?;
    let cluster = Throwaway { bin: bin.to_path_buf(), folder };
    let data = cluster.data();
    let run = |program: &str, args: &[&std::ffi::OsStr]| -> Result<(), String> {
        let out =
            Command::new(bin.join(program)).args(args).output().map_err(|e| format!("{}: cannot run {program}: {e}", bin.display()))?;
        if out.status.success() {
            Ok(())
        } else {
            let why = String::from_utf8_lossy(&out.stderr);
            let last = why.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("failed");
            Err(format!("{}: {program} failed: {last}", bin.display()))
        }
    };
    run(
        "initdb",
        &[
            "-D".as_ref(),
            data.as_os_str(),
            "-U".as_ref(),
            "pgready".as_ref(),
            "--auth=trust".as_ref(),
            "--no-sync".as_ref(),
            "-E".as_ref(),
            "UTF8".as_ref(),
            "--locale=C".as_ref(),
        ],
    )?;
    let socket_dir = cluster.folder.path().to_path_buf();
    let options = format!(
        "-c listen_addresses='' -c unix_socket_directories='{}' -c port=5432 -c fsync=off -c full_page_writes=off -c synchronous_commit=off",
        socket_dir.display()
    );
    let log = cluster.folder.path().join("server.log");
    run(
        "pg_ctl",
        &[
            "-D".as_ref(),
            data.as_os_str(),
            "-l".as_ref(),
            log.as_os_str(),
            "-w".as_ref(),
            "-t".as_ref(),
            "60".as_ref(),
            "-o".as_ref(),
            options.as_ref(),
            "start".as_ref(),
        ],
    )?;
    let dsn = format!("host={} port=5432 user=pgready dbname=postgres", socket_dir.display());
    let target = Target::parse(&dsn)?;
    Ok(Server { target, label: format!("PostgreSQL {major} ({}, throwaway cluster)", bin.display()), major, throwaway: Some(cluster) })
}

/// A server given by its DSN: connected once to learn its version.
pub async fn from_dsn(dsn: &str) -> Result<Server, String> {
    let target = Target::parse(dsn)?;
    let client = connect(&target).await?;
    let row = client.query_one("SELECT current_setting('server_version_num')::int", &[]).await.map_err(|e| describe(&target, &e))?;
    let num: i32 = row.get(0);
    Ok(Server { label: target.label.clone(), target, major: (num / 10000) as u32, throwaway: None })
}

/// Notices the server sends while statements run, as (severity, message) pairs.
pub type Notices = tokio::sync::mpsc::UnboundedReceiver<(String, String)>;

/// Connect to `target` (TLS as its DSN asks); the connection runs on its own task.
pub async fn connect(target: &Target) -> Result<Client, String> {
    Ok(connect_with_notices(target).await?.0)
}

/// Connect, and receive the notices the server sends on this connection (a WARNING a
/// statement raised on 18 only is reported).
pub async fn connect_with_notices(target: &Target) -> Result<(Client, Notices), String> {
    use futures_util::StreamExt;
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let fail = |e: tokio_postgres::Error| format!("{}: cannot connect: {}", target.label, describe(target, &e));
    let limit = target.config.get_connect_timeout().copied().unwrap_or(std::time::Duration::from_secs(10));
    macro_rules! start {
        ($tls:expr) => {{
            let (client, mut conn) = tokio::time::timeout(limit, target.config.connect($tls))
                .await
                .map_err(|_| format!("{}: cannot connect: no answer within {} s", target.label, limit.as_secs()))?
                .map_err(fail)?;
            tokio::spawn(async move {
                let mut messages = futures_util::stream::poll_fn(move |cx| conn.poll_message(cx));
                while let Some(Ok(message)) = messages.next().await {
                    if let tokio_postgres::AsyncMessage::Notice(n) = message {
                        let _ = tx.send((n.severity().to_string(), n.message().to_string()));
                    }
                }
            });
            client
        }};
    }
    let client = match target.tls().map_err(|e| format!("{}: {e}", target.label))? {
        Some(tls) => start!(tls),
        None => start!(NoTls),
    };
    Ok((client, rx))
}

/// A server error as text, without the DSN's password.
pub fn describe(target: &Target, e: &tokio_postgres::Error) -> String {
    let text = match e.as_db_error() {
        Some(db) => format!("{}: {}", db.code().code(), db.message()),
        None => std::error::Error::source(e).map_or_else(|| e.to_string(), |s| s.to_string()),
    };
    target.scrub(&text)
}
