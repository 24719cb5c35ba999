//! Connecting as libpq would: a DSN (URL or `key=value`), the `PG*` environment variables for what
//! it leaves out, `~/.pgpass` (or `PGPASSFILE`) for the password — and never showing the password.

use std::time::Duration;

use tokio_postgres::config::{Config, Host, SslMode};

/// A connection target, resolved; `label` is what reports show.
#[derive(Clone)]
pub struct Target {
    pub config: Config,
    /// `postgresql://user@host:port/dbname`: no password, ever.
    pub label: String,
    /// The password, only to scrub it from error texts.
    secret: Option<String>,
    /// libpq's sslmode: disable, allow, prefer, require, verify-ca, verify-full.
    pub sslmode: String,
    /// `sslrootcert`: a PEM file of trusted roots, or `system`.
    pub sslrootcert: Option<String>,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target").field("label", &self.label).finish_non_exhaustive()
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

impl Target {
    /// Parse a DSN and complete it from the environment. Errors never contain the DSN's password.
    pub fn parse(dsn: &str) -> Result<Target, String> {
        let secret = password_in(dsn);
        // tokio-postgres knows sslmode disable/prefer/require only and no sslrootcert: take the
        // TLS options out and apply libpq's meanings ourselves.
        let (rest, mut tls) = split_tls_options(dsn);
        let mut config: Config = rest.parse().map_err(|e: tokio_postgres::Error| {
            format!(
                "invalid connection string ({})",
                scrub(&std::error::Error::source(&e).map_or_else(|| e.to_string(), |s| s.to_string()), secret.as_deref())
            )
        })?;
        if config.get_hosts().is_empty() {
            let host = env("PGHOST").unwrap_or_else(|| "localhost".into());
            for h in host.split(',') {
                config.host(h);
            }
        }
        if config.get_ports().is_empty() {
            let port = match env("PGPORT") {
                Some(p) => p.parse().map_err(|_| format!("PGPORT is not a port number: {p}"))?,
                None => 5432,
            };
            config.port(port);
        }
        if config.get_user().is_none() {
            let user = env("PGUSER").or_else(|| env("USER")).unwrap_or_else(|| "postgres".into());
            config.user(&user);
        }
        if config.get_dbname().is_none() {
            let db = env("PGDATABASE").unwrap_or_else(|| config.get_user().unwrap_or("postgres").to_string());
            config.dbname(&db);
        }
        let sslmode = tls.remove("sslmode").or_else(|| env("PGSSLMODE")).unwrap_or_else(|| "prefer".into());
        config.ssl_mode(match sslmode.as_str() {
            "disable" => SslMode::Disable,
            "allow" | "prefer" => SslMode::Prefer,
            "require" | "verify-ca" | "verify-full" => SslMode::Require,
            other => return Err(format!("invalid sslmode \"{other}\" (disable, allow, prefer, require, verify-ca, verify-full)")),
        });
        if tls.contains_key("sslcert") || tls.contains_key("sslkey") {
            return Err("client certificates (sslcert/sslkey) are not supported by pgready yet: use password or trust authentication for the audit role".into());
        }
        let sslrootcert = tls.remove("sslrootcert").or_else(|| env("PGSSLROOTCERT"));
        if config.get_connect_timeout().is_none() {
            let secs = env("PGCONNECT_TIMEOUT").and_then(|s| s.parse().ok()).unwrap_or(10);
            config.connect_timeout(Duration::from_secs(secs));
        }
        config.application_name("pgready");
        let mut target = Target { label: String::new(), config, secret, sslmode, sslrootcert };
        if target.config.get_password().is_none()
            && let Some(p) = env("PGPASSWORD").or_else(|| target.pgpass())
        {
            target.config.password(p.as_bytes());
            target.secret = Some(p);
        }
        target.label = target.label_for(target.dbname());
        Ok(target)
    }

    pub fn dbname(&self) -> &str {
        self.config.get_dbname().unwrap_or("postgres")
    }

    fn host(&self) -> String {
        match self.config.get_hosts().first() {
            Some(Host::Tcp(h)) => h.clone(),
            Some(Host::Unix(p)) => p.to_string_lossy().into_owned(),
            None => "localhost".into(),
        }
    }

    fn port(&self) -> u16 {
        self.config.get_ports().first().copied().unwrap_or(5432)
    }

    /// `postgresql://user@host:port` — the server, without a database.
    pub fn server_label(&self) -> String {
        let user = self.config.get_user().unwrap_or("");
        let host = self.host();
        let host = if host.contains('/') { format!("[{host}]") } else { host };
        format!("postgresql://{user}@{host}:{}", self.port())
    }

    fn label_for(&self, db: &str) -> String {
        format!("{}/{}", self.server_label(), crate::quote::path_segment(db))
    }

    /// The same target with a password (one typed at a prompt).
    pub fn with_password(&self, password: String) -> Target {
        let mut t = self.clone();
        t.config.password(password.as_bytes());
        t.secret = Some(password);
        t
    }

    /// Whether a password is known for it (the DSN, PGPASSWORD, the password file).
    pub fn has_password(&self) -> bool {
        self.config.get_password().is_some()
    }

    /// The same server and credentials, another database.
    pub fn with_database(&self, db: &str) -> Target {
        let mut t = self.clone();
        t.config.dbname(db);
        t.label = t.label_for(db);
        t
    }

    /// The TLS connector for this target's sslmode (None: no TLS at all).
    pub fn tls(&self) -> Result<Option<postgres_native_tls::MakeTlsConnector>, String> {
        let mut b = native_tls::TlsConnector::builder();
        let root = match self.sslrootcert.as_deref() {
            Some(r) => Some(r.to_string()),
            None => env("HOME")
                .map(|h| std::path::Path::new(&h).join(".postgresql/root.crt"))
                .filter(|p| p.is_file())
                .map(|p| p.to_string_lossy().into_owned()),
        };
        let verify = match self.sslmode.as_str() {
            "disable" => return Ok(None),
            // As libpq: `require` with a root certificate verifies the chain like verify-ca.
            "require" if root.is_some() => "verify-ca",
            "verify-ca" | "verify-full" if root.is_none() => {
                return Err(format!(
                    "sslmode={} needs trusted roots: give sslrootcert=FILE (PEM), sslrootcert=system, or ~/.postgresql/root.crt",
                    self.sslmode
                ));
            }
            m => m,
        };
        match verify {
            "verify-ca" | "verify-full" => {
                if let Some(path) = root.filter(|r| r != "system") {
                    let pem = std::fs::read_to_string(&path).map_err(|e| format!("cannot read sslrootcert {path}: {e}"))?;
                    let mut n = 0;
                    for block in pem.split_inclusive("-----END CERTIFICATE-----").filter(|b| b.contains("-----BEGIN CERTIFICATE-----")) {
                        let cert =
                            native_tls::Certificate::from_pem(block.trim().as_bytes()).map_err(|e| format!("sslrootcert {path}: {e}"))?;
                        b.add_root_certificate(cert);
                        n += 1;
                    }
                    if n == 0 {
                        return Err(format!("sslrootcert {path} holds no PEM certificate"));
                    }
                    b.disable_built_in_roots(true);
                }
                b.danger_accept_invalid_hostnames(verify == "verify-ca");
            }
            // allow, prefer, require: encrypted, not authenticated (libpq's meaning).
            _ => {
                b.danger_accept_invalid_certs(true);
                b.danger_accept_invalid_hostnames(true);
            }
        }
        let connector = b.build().map_err(|e| format!("cannot set up TLS: {e}"))?;
        Ok(Some(postgres_native_tls::MakeTlsConnector::new(connector)))
    }

    /// Remove the password from a text (error messages of the driver or the server).
    pub fn scrub(&self, text: &str) -> String {
        scrub(text, self.secret.as_deref())
    }

    /// The password from the password file, matched as libpq does (first matching line wins;
    /// `*` matches anything; `\:` and `\\` are escapes).
    fn pgpass(&self) -> Option<String> {
        let path =
            env("PGPASSFILE").map(std::path::PathBuf::from).or_else(|| env("HOME").map(|h| std::path::Path::new(&h).join(".pgpass")))?;
        let text = std::fs::read_to_string(path).ok()?;
        let host = self.host();
        let host = if host.starts_with('/') { "localhost".to_string() } else { host };
        let wanted = [host, self.port().to_string(), self.dbname().to_string(), self.config.get_user().unwrap_or("").to_string()];
        text.lines().filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty()).find_map(|line| {
            let fields = pgpass_fields(line);
            if fields.len() < 5 {
                return None;
            }
            let hit = wanted.iter().zip(&fields).all(|(w, f)| f == "*" || f == w);
            hit.then(|| fields[4].clone())
        })
    }
}

/// The TLS options libpq knows and tokio-postgres does not, taken out of a DSN (URL query or
/// `key=value` form); the rest of the DSN is returned unchanged.
fn split_tls_options(dsn: &str) -> (String, std::collections::HashMap<String, String>) {
    const TAKEN: &[&str] = &["sslmode", "sslrootcert", "sslcert", "sslkey"];
    let mut taken = std::collections::HashMap::new();
    if dsn.starts_with("postgresql://") || dsn.starts_with("postgres://") {
        let Some((base, query)) = dsn.split_once('?') else { return (dsn.to_string(), taken) };
        let mut kept = Vec::new();
        for pair in query.split('&') {
            match pair.split_once('=') {
                Some((k, v)) if TAKEN.contains(&k) => {
                    taken.insert(k.to_string(), percent_decode(v));
                }
                _ => kept.push(pair),
            }
        }
        let rest = if kept.is_empty() { base.to_string() } else { format!("{base}?{}", kept.join("&")) };
        return (rest, taken);
    }
    // key = value pairs; values may be single-quoted with backslash escapes.
    let b = dsn.as_bytes();
    let mut rest = String::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i] != b'=' && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        let key = &dsn[start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < b.len() && b[i] == b'=' {
            i += 1;
        }
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'\'' {
            i += 1;
            while i < b.len() && b[i] != b'\'' {
                if b[i] == b'\\' && i + 1 < b.len() {
                    i += 1;
                }
                let ch = dsn[i..].chars().next().unwrap_or(' ');
                value.push(ch);
                i += ch.len_utf8();
            }
            i += 1;
        } else {
            while i < b.len() && !b[i].is_ascii_whitespace() {
                let ch = dsn[i..].chars().next().unwrap_or(' ');
                value.push(ch);
                i += ch.len_utf8();
            }
        }
        let end = i.min(b.len());
        if key.is_empty() {
            i += 1;
            continue;
        }
        if TAKEN.contains(&key) {
            taken.insert(key.to_string(), value);
        } else {
            rest += &dsn[start..end];
            rest.push(' ');
        }
    }
    (rest.trim_end().to_string(), taken)
}

fn pgpass_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    fields.last_mut().unwrap().push(n);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            _ => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

/// The password written in a DSN, URL (`user:pw@`) or `password=...` form.
fn password_in(dsn: &str) -> Option<String> {
    if let Some(rest) = dsn.strip_prefix("postgresql://").or_else(|| dsn.strip_prefix("postgres://")) {
        let authority = rest.split(['/', '?']).next().unwrap_or("");
        let userinfo = authority.rsplit_once('@')?.0;
        let pw = userinfo.split_once(':')?.1;
        return Some(percent_decode(pw)).filter(|p| !p.is_empty());
    }
    let at = dsn.find("password")?;
    let rest = dsn[at + "password".len()..].trim_start().strip_prefix('=')?.trim_start();
    let pw = if let Some(q) = rest.strip_prefix('\'') {
        let mut s = String::new();
        let mut chars = q.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => s.extend(chars.next()),
                '\'' => break,
                _ => s.push(c),
            }
        }
        s
    } else {
        rest.split_whitespace().next().unwrap_or("").to_string()
    };
    Some(pw).filter(|p| !p.is_empty())
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn scrub(text: &str, secret: Option<&str>) -> String {
    match secret {
        Some(s) if !s.is_empty() => text.replace(s, "********"),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_found_and_scrubbed() {
        assert_eq!(password_in("postgresql://bob:s%40cret@db:5432/app").as_deref(), Some("s@cret"));
        assert_eq!(password_in(r"host=db password='a b\'c' user=bob").as_deref(), Some("a b'c"));
        assert_eq!(password_in("host=db password=hunter2 user=bob").as_deref(), Some("hunter2"));
        assert_eq!(password_in("host=db user=bob"), None);
        let t = Target::parse("postgresql://bob:hunter2@127.0.0.1:1/app").unwrap();
        assert_eq!(t.label, "postgresql://bob@127.0.0.1:1/app");
        assert!(!format!("{t:?}").contains("hunter2"));
        assert_eq!(t.scrub("failed for hunter2"), "failed for ********");
    }

    #[test]
    fn tls_options_are_taken_out_of_both_forms() {
        let (rest, t) = split_tls_options("postgresql://a@h/db?sslmode=verify-full&sslrootcert=%2Ftmp%2Fca.pem&application_name=x");
        assert_eq!(rest, "postgresql://a@h/db?application_name=x");
        assert_eq!(t["sslmode"], "verify-full");
        assert_eq!(t["sslrootcert"], "/tmp/ca.pem");
        let (rest, t) = split_tls_options("host=h sslmode = verify-ca sslrootcert='/my dir/ca.pem' password='a b' dbname=x");
        assert_eq!(rest, "host=h password='a b' dbname=x");
        assert_eq!(t["sslmode"], "verify-ca");
        assert_eq!(t["sslrootcert"], "/my dir/ca.pem");
        let t = Target::parse("host=127.0.0.1 sslmode=verify-full sslrootcert=/nonexistent").unwrap();
        assert!(t.tls().err().expect("no root file").contains("/nonexistent"));
        assert!(Target::parse("host=127.0.0.1 sslmode=sometimes").is_err());
    }

    #[test]
    fn pgpass_lines_split_on_unescaped_colons() {
        assert_eq!(pgpass_fields(r"db:*:app:bob:pa\:ss:word"), ["db", "*", "app", "bob", "pa:ss:word"]);
    }
}
