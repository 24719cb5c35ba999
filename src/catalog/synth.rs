//! A snapshot becomes documents, as if the server had been dumped into files: one document per
//! object (its definition), a postgresql.conf, a pg_hba.conf, and short fact documents for what
//! has no SQL form. Each document's path names the object — `postgresql://user@host:port/db/table/public.orders`
//! — so every renderer shows the object as the location, and line/column point into its definition.

use std::path::PathBuf;

use super::*;
use crate::source::Kind;

/// A fact of the catalog that a whole-model rule reads; its document is its location.
#[derive(Debug, Clone)]
pub enum Fact {
    Server {
        data_checksums: Option<bool>,
        subscriptions: Option<u32>,
    },
    /// The database of a group of definitions.
    ThisDatabase(DatabaseInfo),
    Database(DatabaseInfo),
    PreparedTransaction(PreparedTransaction),
    ReplicationSlot(ReplicationSlot),
    Subscription(SubscriptionState),
    Skipped(Skipped),
    UnreadDatabase(super::UnreadDatabase),
    DumpLoad(DumpLoad),
    EventTrigger(EventTrigger),
}

/// What a document stands for, when the remediation script can repair a finding in it with a
/// statement of its own (`catalog::remedy::attach`).
#[derive(Debug, Clone)]
pub enum Subject {
    /// A setting stored for a role, a database, or a role in a database.
    StoredSetting { role: Option<String>, database: Option<String>, name: String },
    /// postgresql.auto.conf: the setting named on each line (line 1 is the header).
    SystemSettings(Vec<String>),
    /// A function of a database, as ALTER FUNCTION names it.
    Function { database: String, ident: String },
    /// An extension of a database.
    Extension { database: String, name: String },
    /// A statement pg_stat_statements collected: the application's, not the schema's.
    Query,
}

#[derive(Debug, Clone)]
pub struct CatalogDoc {
    pub path: PathBuf,
    pub text: String,
    pub kind: Kind,
    pub fact: Option<Fact>,
    pub subject: Option<Subject>,
}

/// One model's worth of documents: the cluster, or one database.
#[derive(Debug, Clone)]
pub struct Group {
    pub docs: Vec<CatalogDoc>,
}

/// The major version to judge a server as: the server's own, within what pgready accepts.
pub fn upgrade_from(snap: &Snapshot) -> u32 {
    snap.major().clamp(crate::knowledge::target::OLDEST_SOURCE, crate::knowledge::target::NEWEST_SOURCE)
}

fn doc(path: String, text: String, fact: Option<Fact>) -> CatalogDoc {
    CatalogDoc { path: PathBuf::from(path), text, kind: Kind::Sql, fact, subject: None }
}

/// A name in a document path: readable, with what would break the path escaped.
fn seg(s: &str) -> String {
    crate::quote::path_segment(s)
}

/// A name or text from the catalog inside a `--` comment of a fact document: on one line, so
/// that the rest of it is never read as SQL.
fn c(s: &str) -> std::borrow::Cow<'_, str> {
    crate::quote::one_line(s)
}

/// A setting name as `SET` takes it: each dot-separated part as it is when it is a plain
/// lower-case name (as the server prints it), else a quoted identifier.
fn setting_name(name: &str) -> String {
    let plain = |p: &str| {
        p.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$')
    };
    name.split('.').map(|p| if plain(p) { p.to_string() } else { quote_ident(p) }).collect::<Vec<_>>().join(".")
}

/// A value as a postgresql.conf string: its lexer takes `\\`, `''`, `\n` and `\r` in quotes, and
/// a raw line break would end the line.
fn conf_quote(v: &str) -> String {
    format!("'{}'", v.replace('\\', "\\\\").replace('\'', "''").replace('\n', "\\n").replace('\r', "\\r"))
}

/// A pg_hba.conf-style file rebuilt from the server's view of it: each line with its line number,
/// and the server's own error for it as a comment above.
fn lines_file(header: &str, lines: &[HbaLine]) -> String {
    let mut text = format!("{header}\n");
    for h in lines {
        if let Some(e) = &h.error {
            text += &format!("# line {}: the server reports: {}\n", h.line, c(e));
        }
        text += &format!("{}\t# line {}\n", c(&h.text), h.line);
    }
    text
}

pub fn groups(snap: &Snapshot) -> Vec<Group> {
    let server = &snap.server;
    let mut cluster = Vec::new();
    let checksums = match snap.data_checksums {
        Some(true) => "on",
        Some(false) => "off",
        None => "unknown",
    };
    cluster.push(doc(
        format!("{server}/server"),
        format!(
            "-- data_checksums = {checksums}\n-- PostgreSQL {} (server_version_num {}), read by pgready {} as role {}{}\n{}",
            snap.version,
            snap.version_num,
            snap.pgready_version,
            c(&snap.current_user),
            if snap.superuser { " (superuser)" } else { "" },
            snap.subscription_count.map_or(String::new(), |n| format!("-- subscriptions in the cluster: {n}\n"))
        ),
        Some(Fact::Server { data_checksums: snap.data_checksums, subscriptions: snap.subscription_count }),
    ));
    for d in &snap.databases {
        cluster.push(doc(
            format!("{server}/database/{}", seg(&d.name)),
            format!(
                "-- database {}: datallowconn = {}, datconnlimit = {}{}\n",
                c(&d.name),
                d.allow_connections,
                d.connection_limit,
                if d.is_template { ", template" } else { "" }
            ),
            Some(Fact::Database(d.clone())),
        ));
    }
    for p in &snap.prepared_transactions {
        cluster.push(doc(
            format!("{server}/prepared-transaction/{}", seg(&p.gid)),
            format!("-- prepared transaction {} in database {}, owned by {}\n", c(&quote_literal(&p.gid)), c(&p.database), c(&p.owner)),
            Some(Fact::PreparedTransaction(p.clone())),
        ));
    }
    for s in &snap.replication_slots {
        cluster.push(doc(
            format!("{server}/replication-slot/{}", seg(&s.name)),
            format!(
                "-- {} replication slot {}{}{}\n",
                c(&s.kind),
                c(&s.name),
                s.database.as_ref().map_or(String::new(), |d| format!(" on database {}", c(d))),
                s.invalid.as_ref().map_or(String::new(), |r| format!(", invalidated ({})", c(r)))
            ),
            Some(Fact::ReplicationSlot(s.clone())),
        ));
    }
    for role in &snap.md5_roles {
        let q = quote_ident(role);
        cluster.push(doc(
            format!("{server}/role/{}", seg(role)),
            format!(
                "-- The stored password is an MD5 hash (the hash is not read: zeros stand for it).\nALTER ROLE {q} PASSWORD 'md5{}';\n",
                "0".repeat(32)
            ),
            None,
        ));
    }
    for role in &snap.createrole_roles {
        cluster.push(doc(
            format!("{server}/role/{}/createrole", seg(role)),
            format!("-- role {} may create roles and is not a superuser\nALTER ROLE {} CREATEROLE;\n", c(role), quote_ident(role)),
            None,
        ));
    }
    for s in &snap.role_settings {
        let (name, value) = s.setting.split_once('=').unwrap_or((&s.setting, ""));
        let (ident, value) = (quote_ident, quote_literal(value));
        let (path, sql) = match (&s.role, &s.database) {
            (Some(r), Some(d)) => (
                format!("role/{}/database/{}", seg(r), seg(d)),
                format!("ALTER ROLE {} IN DATABASE {} SET {} = {value};", ident(r), ident(d), setting_name(name)),
            ),
            (Some(r), None) => (format!("role/{}", seg(r)), format!("ALTER ROLE {} SET {} = {value};", ident(r), setting_name(name))),
            (None, Some(d)) => {
                (format!("database/{}", seg(d)), format!("ALTER DATABASE {} SET {} = {value};", ident(d), setting_name(name)))
            }
            (None, None) => continue,
        };
        let mut d = doc(format!("{server}/{path}/setting/{}", seg(name)), format!("-- stored in pg_db_role_setting\n{sql}\n"), None);
        d.subject = Some(Subject::StoredSetting { role: s.role.clone(), database: s.database.clone(), name: name.to_string() });
        cluster.push(d);
    }
    // What ALTER SYSTEM wrote is a file of its own: its findings are repaired by ALTER SYSTEM
    // RESET, the others by editing a file. The server reads postgresql.auto.conf last.
    let is_auto = |s: &&FileSetting| s.file.as_deref().is_some_and(|f| f.ends_with("postgresql.auto.conf"));
    let (auto, files): (Vec<&FileSetting>, Vec<&FileSetting>) = snap.settings.iter().partition(is_auto);
    for (name, settings, header) in [
        ("postgresql.conf", files, "# The settings the server's configuration files set, in the order it applies them."),
        ("postgresql.auto.conf", auto, "# The settings ALTER SYSTEM wrote (postgresql.auto.conf), read after postgresql.conf."),
    ] {
        if settings.is_empty() {
            continue;
        }
        let mut text = format!("{header}\n");
        for s in &settings {
            text += &format!("{} = {}", c(&s.name), conf_quote(&s.value));
            if let (Some(f), Some(l)) = (&s.file, s.line) {
                text += &format!("\t# {}:{l}", c(f));
            }
            text += "\n";
        }
        let subject = (name == "postgresql.auto.conf").then(|| Subject::SystemSettings(settings.iter().map(|s| s.name.clone()).collect()));
        cluster.push(CatalogDoc { path: PathBuf::from(format!("{server}/{name}")), text, kind: Kind::PostgresqlConf, fact: None, subject });
    }
    if !snap.hba.is_empty() {
        let text = lines_file("# pg_hba.conf as the server loaded it (pg_hba_file_rules).", &snap.hba);
        cluster.push(CatalogDoc { path: PathBuf::from(format!("{server}/pg_hba.conf")), text, kind: Kind::Hba, fact: None, subject: None });
    }
    if let Some(ident) = &snap.ident {
        let text = lines_file("# pg_ident.conf as the server reads it (pg_ident_file_mappings).", ident);
        cluster.push(CatalogDoc {
            path: PathBuf::from(format!("{server}/pg_ident.conf")),
            text,
            kind: Kind::Ident,
            fact: None,
            subject: None,
        });
    }
    for s in &snap.skipped {
        cluster.push(doc(
            format!("{server}/not-read/{}", seg(s.what.split_whitespace().next().unwrap_or(&s.what))),
            format!("-- not read: {} — {}\n", c(&s.what), c(&s.why)),
            Some(Fact::Skipped(s.clone())),
        ));
    }

    for u in &snap.unread_databases {
        cluster.push(doc(
            format!("{server}/database/{}/not-read", seg(&u.name)),
            format!("-- database {} not read: {}\n", c(&u.name), c(&u.why)),
            Some(Fact::UnreadDatabase(u.clone())),
        ));
    }

    let mut out = vec![Group { docs: cluster }];
    for db in &snap.audited {
        let mut docs = Vec::new();
        if let Some(info) = snap.databases.iter().find(|d| d.name == db.name) {
            let provider = match info.locale_provider.as_str() {
                "i" => "icu",
                "b" => "builtin",
                _ => "libc",
            };
            docs.push(doc(
                format!("{server}/{}/database", seg(&db.name)),
                format!("-- database {}: locale provider {provider}\n", c(&db.name)),
                Some(Fact::ThisDatabase(info.clone())),
            ));
        }
        for o in &db.objects {
            let fact = (o.kind == "subscription")
                .then(|| db.subscriptions.iter().find(|s| s.name == o.name).map(|s| Fact::Subscription(s.clone())))
                .flatten();
            let mut d = doc(format!("{server}/{}/{}/{}", seg(&db.name), o.kind, seg(&o.name)), o.sql.clone() + "\n", fact);
            d.subject = match (o.kind.as_str(), &o.ident) {
                ("function", Some(ident)) => Some(Subject::Function { database: db.name.clone(), ident: ident.clone() }),
                ("extension", _) => Some(Subject::Extension { database: db.name.clone(), name: o.name.clone() }),
                _ => None,
            };
            docs.push(d);
        }
        if let Some(load) = &db.dump_load {
            let load = DumpLoad { lock_table: snap.lock_table.clone(), ..load.clone() };
            docs.push(doc(format!("{server}/{}/dump", seg(&db.name)), dump_text(&load), Some(Fact::DumpLoad(load))));
        }
        for t in &db.event_triggers {
            docs.push(doc(
                format!("{server}/{}/event-trigger/{}", seg(&db.name), seg(&t.name)),
                event_trigger_sql(t),
                Some(Fact::EventTrigger(t.clone())),
            ));
        }
        docs.extend(statement_docs(snap, server, &db.name));
        out.push(Group { docs });
    }
    out
}

/// The dump document: what pg_dump will lock and restore, one fact a line.
fn dump_text(load: &DumpLoad) -> String {
    let mut text = format!("-- pg_dump locks {} tables and views of this database in one transaction\n", load.relations_locked);
    if let Some(t) = &load.lock_table {
        text += &format!(
            "-- the lock table holds about {} locks: max_locks_per_transaction = {} x {} backends and prepared transactions\n",
            t.capacity(),
            t.max_locks_per_transaction,
            t.slots()
        );
    }
    text + &format!("-- large objects: {}\n", load.large_objects)
}

/// An event trigger as CREATE EVENT TRIGGER writes it (and ALTER EVENT TRIGGER its state).
fn event_trigger_sql(t: &EventTrigger) -> String {
    let name = quote_ident(&t.name);
    let when = if t.tags.is_empty() {
        String::new()
    } else {
        format!(" WHEN TAG IN ({})", t.tags.iter().map(|g| quote_literal(g)).collect::<Vec<_>>().join(", "))
    };
    let function = crate::quote::qualified(&t.function_schema, &t.function);
    let mut sql = format!("CREATE EVENT TRIGGER {name} ON {}{when} EXECUTE FUNCTION {function}();\n", quote_ident(&t.event));
    match t.enabled.as_str() {
        "D" => sql += &format!("ALTER EVENT TRIGGER {name} DISABLE;\n"),
        "R" => sql += &format!("ALTER EVENT TRIGGER {name} ENABLE REPLICA;\n"),
        "A" => sql += &format!("ALTER EVENT TRIGGER {name} ENABLE ALWAYS;\n"),
        _ => {}
    }
    sql
}

/// Whether a statement pg_stat_statements collected is the applications': queries, DML, calls
/// and session settings. DDL is left out — the catalog audit judges what it made — as are
/// transaction control and the audit's own queries (marked with [`super::AUDIT_MARK`]).
fn is_application_statement(query: &str) -> bool {
    let text = query.trim_start();
    if text.starts_with(super::AUDIT_MARK) {
        return false;
    }
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '(');
        if let Some(r) = rest.strip_prefix("--") {
            rest = r.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(r) = rest.strip_prefix("/*") {
            rest = r.split_once("*/").map_or("", |(_, after)| after);
        } else {
            break;
        }
    }
    let word: String = rest.chars().take_while(char::is_ascii_alphabetic).collect::<String>().to_ascii_lowercase();
    matches!(
        word.as_str(),
        "select"
            | "insert"
            | "update"
            | "delete"
            | "merge"
            | "with"
            | "values"
            | "table"
            | "call"
            | "copy"
            | "explain"
            | "do"
            | "set"
            | "reset"
            | "show"
    )
}

/// The statements pg_stat_statements collected in database `name`, one document each, judged
/// as a query file: `…/db/pg_stat_statements/<queryid>` (the role and the calls in a comment).
/// The view shows the whole cluster's, so it may have been read from several databases: each
/// statement is taken once.
fn statement_docs(snap: &Snapshot, server: &str, name: &str) -> Vec<CatalogDoc> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for s in snap.audited.iter().filter_map(|d| d.statements.as_ref()).flat_map(|s| &s.entries) {
        if s.database != name || !is_application_statement(&s.query) || !seen.insert((s.queryid, &s.role, &s.query)) {
            continue;
        }
        let id = s.queryid.map_or_else(|| format!("{}", out.len() + 1), |q| q.to_string());
        let text =
            format!("-- pg_stat_statements: role {}, {} call(s)\n{};\n", c(&s.role), s.calls, s.query.trim_end().trim_end_matches(';'));
        let mut d = doc(format!("{server}/{}/pg_stat_statements/{id}", seg(name)), text, None);
        d.subject = Some(Subject::Query);
        out.push(d);
    }
    out
}
