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
        if dsn.contains("sslmode=verify-") {
            return Err("sslmode=verify-ca/verify-full: this pgready connects without TLS (sslmode disable, allow or prefer)".into());
        }
        let mut config: Config = dsn.parse().map_err(|e: tokio_postgres::Error| {
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
        if !dsn.contains("sslmode") {
            if let Some(mode) = env("PGSSLMODE") {
                config.ssl_mode(match mode.as_str() {
                    "disable" => SslMode::Disable,
                    "prefer" | "allow" => SslMode::Prefer,
                    "require" => SslMode::Require,
                    other => return Err(format!("PGSSLMODE={other}: pgready connects with sslmode disable, allow or prefer")),
                });
            }
        }
        if config.get_connect_timeout().is_none() {
            let secs = env("PGCONNECT_TIMEOUT").and_then(|s| s.parse().ok()).unwrap_or(10);
            config.connect_timeout(Duration::from_secs(secs));
        }
        if config.get_ssl_mode() == SslMode::Require {
            return Err("sslmode=require: this pgready connects without TLS (sslmode disable, allow or prefer); \
                        audit through a TLS tunnel or from a trusted network, or use `pgready snapshot` where TLS is not needed"
                .into());
        }
        config.application_name("pgready");
        let mut target = Target { label: String::new(), config, secret };
        if target.config.get_password().is_none() {
            if let Some(p) = env("PGPASSWORD").or_else(|| target.pgpass()) {
                target.config.password(p.as_bytes());
                target.secret = Some(p);
            }
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
        format!("{}/{db}", self.server_label())
    }

    /// The same server and credentials, another database.
    pub fn with_database(&self, db: &str) -> Target {
        let mut t = self.clone();
        t.config.dbname(db);
        t.label = t.label_for(db);
        t
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
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
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
    fn pgpass_lines_split_on_unescaped_colons() {
        assert_eq!(pgpass_fields(r"db:*:app:bob:pa\:ss:word"), ["db", "*", "app", "bob", "pa:ss:word"]);
    }
}
