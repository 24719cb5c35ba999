//! Reading the catalogs: one read-only transaction per database, a fixed set of queries whatever
//! the size of the schema (no per-object query), with statement and lock timeouts so that a busy
//! production server can never be held up by the audit.

use std::collections::HashSet;

use tokio_postgres::{Client, NoTls, Row};

use super::connect::Target;
use super::objects::database_objects;
use super::*;

#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Audit every database that accepts connections, not only the one in the DSN.
    pub all_databases: bool,
    pub statement_timeout_ms: u64,
    pub lock_timeout_ms: u64,
    /// Asks for the password of a server (`postgresql://user@host:port`) that wants one none
    /// was given for, as psql does on a terminal; None: never ask.
    pub password_prompt: Option<fn(&str) -> Option<String>>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { all_databases: false, statement_timeout_ms: 30_000, lock_timeout_ms: 2_000, password_prompt: None }
    }
}

/// A failure that ends the audit of a server: already free of secrets.
pub type ReadError = String;

/// What `describe` adds to a lock timeout, and how `locked_why` knows one.
const LOCK_NOT_AVAILABLE_HINT: &str = "another session holds a lock the audit needs";

/// Schemas that hold no user objects.
pub(super) const USER_NS: &str = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'";

/// Why a database could not be read, naming the relations other sessions hold locked when a
/// lock was the reason (read on a fresh session: the failed one is in an aborted transaction).
async fn locked_why(target: &Target, opts: &ReadOptions, why: ReadError) -> String {
    let why = why.strip_prefix(&format!("{}: ", target.label)).unwrap_or(&why).to_string();
    if !why.contains(LOCK_NOT_AVAILABLE_HINT) {
        return why;
    }
    let Ok(client) = connect(target, opts).await else { return why };
    let sql = "SELECT string_agg(DISTINCT l.relation::regclass::text, ', ') FROM pg_locks l \
               WHERE l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
                 AND l.granted AND l.mode = 'AccessExclusiveLock' AND l.relation IS NOT NULL AND l.pid <> pg_backend_pid()";
    match client.query_one(&marked(sql), &[]).await.ok().and_then(|r| r.get::<_, Option<String>>(0)) {
        Some(relations) => format!("{why}; locked by another session: {relations}"),
        None => why,
    }
}

pub(super) fn describe(target: &Target, e: &tokio_postgres::Error) -> String {
    let text = match e.as_db_error() {
        Some(db) => {
            let mut s = db.message().to_string();
            if db.code() == &tokio_postgres::error::SqlState::LOCK_NOT_AVAILABLE {
                s += &format!(" ({LOCK_NOT_AVAILABLE_HINT}: retry later, or raise --lock-timeout)");
            } else if db.code() == &tokio_postgres::error::SqlState::QUERY_CANCELED {
                s += " (raise --statement-timeout for very large catalogs)";
            }
            s
        }
        None => {
            let mut s = e.to_string();
            let mut src = std::error::Error::source(e);
            while let Some(inner) = src {
                let more = inner.to_string();
                if !s.contains(&more) {
                    s += &format!(": {more}");
                }
                src = inner.source();
            }
            // The driver's words for a server that asks for a password none was given for.
            if s.contains("password missing") {
                s += " (the server asks for a password: set PGPASSWORD, or add a line to ~/.pgpass or to the file \
                      PGPASSFILE names; from a terminal, pgready asks for it)";
            }
            s
        }
    };
    target.scrub(&text)
}

/// Connect and set the session up, within the connection timeout (`connect_timeout`,
/// `PGCONNECT_TIMEOUT`, 10 s by default) as a whole: tokio-postgres's own timeout covers the TCP
/// connection only, and a server that accepts it and never answers kept the audit waiting forever.
async fn connect(target: &Target, opts: &ReadOptions) -> Result<Client, ReadError> {
    match connect_once(target, opts).await {
        // The server wants a password and none was given: ask, as psql does, and try again.
        Err(e) if e.contains("password missing") && !target.has_password() => {
            match opts.password_prompt.and_then(|ask| ask(&target.server_label())) {
                Some(password) => connect_once(&target.with_password(password), opts).await,
                None => Err(e),
            }
        }
        r => r,
    }
}

async fn connect_once(target: &Target, opts: &ReadOptions) -> Result<Client, ReadError> {
    let limit = target.config.get_connect_timeout().copied().unwrap_or(std::time::Duration::from_secs(10));
    match tokio::time::timeout(limit, connect_and_set_up(target, opts)).await {
        Ok(result) => result,
        Err(_) => Err(format!(
            "{}: cannot connect: no answer within {} s (connect_timeout; PGCONNECT_TIMEOUT)",
            target.label,
            limit.as_secs_f64()
        )),
    }
}

async fn connect_and_set_up(target: &Target, opts: &ReadOptions) -> Result<Client, ReadError> {
    let fail = |e: tokio_postgres::Error| format!("{}: cannot connect: {}", target.label, describe(target, &e));
    let client = match target.tls().map_err(|e| format!("{}: {e}", target.label))? {
        Some(tls) => {
            let (client, conn) = target.config.connect(tls).await.map_err(fail)?;
            tokio::spawn(async move {
                let _ = conn.await;
            });
            client
        }
        None => {
            let (client, conn) = target.config.connect(NoTls).await.map_err(fail)?;
            tokio::spawn(async move {
                let _ = conn.await;
            });
            client
        }
    };
    // Read-only for the whole session, and one snapshot for all the queries.
    let setup = format!(
        "SET default_transaction_read_only = on; \
         BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; \
         SET LOCAL statement_timeout = {}; SET LOCAL lock_timeout = {}; SET LOCAL search_path = pg_catalog",
        opts.statement_timeout_ms, opts.lock_timeout_ms
    );
    client.batch_execute(&setup).await.map_err(|e| format!("{}: {}", target.label, describe(target, &e)))?;
    Ok(client)
}

/// Run a query every role may run; a failure ends the audit of this database.
async fn query(client: &Client, target: &Target, sql: &str) -> Result<Vec<Row>, ReadError> {
    client.query(&marked(sql), &[]).await.map_err(|e| format!("{}: {}", target.label, describe(target, &e)))
}

/// A catalog query as the audit sends it: marked, so that pg_stat_statements' record of the
/// audit's own queries is not judged as an application's (`synth` leaves them out).
pub(super) fn marked(sql: &str) -> String {
    format!("{} {sql}", super::AUDIT_MARK)
}

pub(super) async fn query_counted(
    client: &Client,
    target: &Target,
    count: &std::cell::Cell<u32>,
    sql: &str,
) -> Result<Vec<Row>, ReadError> {
    count.set(count.get() + 1);
    query(client, target, sql).await
}

pub(super) async fn optional_counted(
    client: &Client,
    target: &Target,
    count: &std::cell::Cell<u32>,
    sql: &str,
    what: &str,
    needs: &str,
    skipped: &mut Vec<Skipped>,
) -> Result<Option<Vec<Row>>, ReadError> {
    count.set(count.get() + 1);
    optional(client, target, sql, what, needs, skipped).await
}

/// Run a query that needs privileges the role may lack: a refusal is recorded in `skipped`
/// (the transaction goes on thanks to the savepoint).
async fn optional(
    client: &Client,
    target: &Target,
    sql: &str,
    what: &str,
    needs: &str,
    skipped: &mut Vec<Skipped>,
) -> Result<Option<Vec<Row>>, ReadError> {
    let fail = |e: tokio_postgres::Error| format!("{}: {}", target.label, describe(target, &e));
    client.batch_execute("SAVEPOINT pgready_optional").await.map_err(fail)?;
    match client.query(&marked(sql), &[]).await {
        Ok(rows) => {
            client.batch_execute("RELEASE SAVEPOINT pgready_optional").await.map_err(fail)?;
            Ok(Some(rows))
        }
        Err(e) if e.code() == Some(&tokio_postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) => {
            client.batch_execute("ROLLBACK TO SAVEPOINT pgready_optional").await.map_err(fail)?;
            skipped.push(Skipped { what: what.into(), why: describe(target, &e), needs: needs.into() });
            Ok(None)
        }
        Err(e) => Err(fail(e)),
    }
}

pub(super) fn text(row: &Row, i: usize) -> String {
    row.get::<_, Option<String>>(i).unwrap_or_default()
}

pub(super) fn opt_text(row: &Row, i: usize) -> Option<String> {
    row.get::<_, Option<String>>(i)
}

/// Read the server (and the DSN's database, or all of them).
pub async fn snapshot(target: &Target, opts: &ReadOptions) -> Result<Snapshot, ReadError> {
    let client = connect(target, opts).await?;
    let head = query(
        &client,
        target,
        "SELECT current_setting('server_version_num')::int4, current_setting('server_version'), current_user::text, \
                (SELECT rolsuper FROM pg_roles WHERE rolname = current_user), current_setting('data_checksums'), \
                (SELECT rolname::text FROM pg_roles WHERE oid = 10), to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
    )
    .await?;
    let head = &head[0];
    let version_num = head.get::<_, i32>(0) as u32;
    let major = version_num / 10000;
    if major < 13 {
        return Err(format!("{}: PostgreSQL {} is older than 13, which pgready does not audit", target.label, text(head, 1)));
    }
    let mut snap = Snapshot {
        format: SNAPSHOT_FORMAT,
        pgready_version: env!("CARGO_PKG_VERSION").into(),
        server: target.server_label(),
        version_num,
        version: text(head, 1),
        current_user: text(head, 2),
        superuser: head.get::<_, Option<bool>>(3).unwrap_or(false),
        data_checksums: opt_text(head, 4).map(|v| v == "on"),
        databases: Vec::new(),
        prepared_transactions: Vec::new(),
        md5_roles: Vec::new(),
        createrole_roles: Vec::new(),
        role_settings: Vec::new(),
        settings: Vec::new(),
        hba: Vec::new(),
        ident: None,
        replication_slots: Vec::new(),
        subscription_count: None,
        skipped: Vec::new(),
        unread_databases: Vec::new(),
        audited: Vec::new(),
        install_user: opt_text(head, 5),
        read_at: opt_text(head, 6),
        lock_table: None,
    };
    snap.lock_table = Some(super::dump_load::lock_table(&query(&client, target, super::dump_load::LOCK_TABLE_SQL).await?[0]));
    let provider = if major >= 15 { "datlocprovider::text" } else { "'c'" };
    let locale = match major {
        17.. => "datlocale",
        15 | 16 => "daticulocale",
        _ => "NULL::text",
    };
    for r in query(
        &client,
        target,
        &format!(
            "SELECT datname::text, datallowconn, datconnlimit, datistemplate, {provider}, {locale}, \
                  pg_encoding_to_char(encoding)::text, datcollate::text, datctype::text FROM pg_database ORDER BY datname"
        ),
    )
    .await?
    {
        snap.databases.push(DatabaseInfo {
            name: text(&r, 0),
            allow_connections: r.get(1),
            connection_limit: r.get(2),
            is_template: r.get(3),
            locale_provider: text(&r, 4),
            locale: opt_text(&r, 5),
            encoding: opt_text(&r, 6),
            collate: opt_text(&r, 7),
            ctype: opt_text(&r, 8),
        });
    }
    for r in query(&client, target, "SELECT gid, database::text, owner::text FROM pg_prepared_xacts ORDER BY gid").await? {
        snap.prepared_transactions.push(PreparedTransaction { gid: text(&r, 0), database: text(&r, 1), owner: text(&r, 2) });
    }
    let superuser = "a superuser";
    let mut skipped = Vec::new();
    if let Some(rows) = optional(
        &client,
        target,
        "SELECT rolname::text FROM pg_authid WHERE rolpassword LIKE 'md5%' ORDER BY 1",
        "pg_authid (MD5 password hashes)",
        superuser,
        &mut skipped,
    )
    .await?
    {
        snap.md5_roles = rows.iter().map(|r| text(r, 0)).collect();
    }
    // pg_roles is readable by every role.
    let rows = query_counted(
        &client,
        target,
        &std::cell::Cell::new(0),
        "SELECT rolname::text FROM pg_roles WHERE rolcreaterole AND NOT rolsuper ORDER BY 1",
    )
    .await?;
    snap.createrole_roles = rows.iter().map(|r| text(r, 0)).collect();
    if let Some(rows) = optional(
        &client,
        target,
        "SELECT r.rolname::text, d.datname::text, c FROM pg_db_role_setting s \
         LEFT JOIN pg_roles r ON r.oid = s.setrole LEFT JOIN pg_database d ON d.oid = s.setdatabase, \
         unnest(s.setconfig) AS c ORDER BY 1, 2, 3",
        "pg_db_role_setting (settings stored for roles and databases)",
        superuser,
        &mut skipped,
    )
    .await?
    {
        snap.role_settings = rows
            .iter()
            .map(|r| RoleSetting { role: r.get::<_, Option<String>>(0), database: r.get::<_, Option<String>>(1), setting: text(r, 2) })
            .collect();
    }
    match optional(
        &client,
        target,
        "SELECT sourcefile, sourceline, name, setting FROM pg_file_settings ORDER BY seqno",
        "pg_file_settings (the configuration files as written)",
        "a superuser",
        &mut skipped,
    )
    .await?
    {
        Some(rows) => {
            snap.settings =
                rows.iter().map(|r| FileSetting { file: opt_text(r, 0), line: r.get(1), name: text(r, 2), value: text(r, 3) }).collect();
        }
        None => {
            // The settings in effect that a configuration file set: readable by every role.
            let rows = query(
                &client,
                target,
                "SELECT sourcefile, sourceline, name, setting FROM pg_settings WHERE source = 'configuration file' ORDER BY name",
            )
            .await?;
            snap.settings =
                rows.iter().map(|r| FileSetting { file: opt_text(r, 0), line: r.get(1), name: text(r, 2), value: text(r, 3) }).collect();
        }
    }
    if let Some(rows) = optional(
        &client,
        target,
        "SELECT line_number, type, array_to_string(database, ','), array_to_string(user_name, ','), address, netmask, \
                auth_method, array_to_string(options, ' '), error FROM pg_hba_file_rules ORDER BY line_number",
        "pg_hba_file_rules (pg_hba.conf)",
        superuser,
        &mut skipped,
    )
    .await?
    {
        snap.hba = rows
            .iter()
            .map(|r| {
                let fields: Vec<String> = (1..8).filter_map(|i| opt_text(r, i)).filter(|s| !s.is_empty()).collect();
                HbaLine { line: r.get(0), text: fields.join("  "), error: opt_text(r, 8) }
            })
            .collect();
    }
    if major >= 15
        && let Some(rows) = optional(
            &client,
            target,
            "SELECT line_number, map_name, sys_name, pg_username, error FROM pg_ident_file_mappings ORDER BY line_number",
            "pg_ident_file_mappings (pg_ident.conf)",
            superuser,
            &mut skipped,
        )
        .await?
    {
        let quote = |s: String| if s.is_empty() || s.contains([' ', '#', ',', '"']) { format!("\"{}\"", s.replace('"', "")) } else { s };
        snap.ident = Some(
            rows.iter()
                .map(|r| {
                    let fields: Vec<String> = (1..4).filter_map(|i| opt_text(r, i)).map(quote).collect();
                    HbaLine { line: r.get(0), text: fields.join("  "), error: opt_text(r, 4) }
                })
                .collect(),
        );
    }
    let invalid = match major {
        17.. => "invalidation_reason",
        _ => "CASE WHEN wal_status = 'lost' THEN 'wal_removed' END",
    };
    for r in query(
        &client,
        target,
        &format!("SELECT slot_name::text, slot_type, database::text, {invalid} FROM pg_replication_slots ORDER BY 1"),
    )
    .await?
    {
        snap.replication_slots.push(ReplicationSlot {
            name: text(&r, 0),
            kind: text(&r, 1),
            database: opt_text(&r, 2),
            invalid: opt_text(&r, 3),
        });
    }

    if let Some(rows) = optional(
        &client,
        target,
        "SELECT count(oid)::int4 FROM pg_subscription",
        "pg_subscription (subscriptions of the cluster)",
        superuser,
        &mut skipped,
    )
    .await?
    {
        snap.subscription_count = Some(rows[0].get::<_, i32>(0) as u32);
    }
    let here = target.dbname().to_string();
    // A database that cannot be read (a lock held past --lock-timeout) is one unread database:
    // the cluster's facts and the other databases are still reported.
    match database_objects(&client, target, major, &mut skipped).await {
        Ok(objects) => snap.audited.push(objects),
        Err(why) => snap.unread_databases.push(UnreadDatabase { name: here.clone(), why: locked_why(target, opts, why).await }),
    }
    let _ = client.batch_execute("ROLLBACK").await;
    drop(client);
    if opts.all_databases {
        let others: Vec<String> = snap
            .databases
            .iter()
            .filter(|d| d.allow_connections && d.connection_limit != -2 && d.name != here && d.name != "template0")
            .map(|d| d.name.clone())
            .collect();
        // A few connections at a time: enough to overlap the round trips, few enough for a
        // production server.
        for chunk in others.chunks(4) {
            let reads = chunk.iter().map(|db| async {
                let t = target.with_database(db);
                let client = connect(&t, opts).await?;
                let mut skipped = Vec::new();
                let objects = database_objects(&client, &t, major, &mut skipped).await?;
                let _ = client.batch_execute("ROLLBACK").await;
                Ok::<_, ReadError>((objects, skipped))
            });
            for (db, r) in chunk.iter().zip(futures_util::future::join_all(reads).await) {
                match r {
                    Ok((objects, more)) => {
                        snap.audited.push(objects);
                        skipped.extend(more);
                    }
                    Err(why) => {
                        let why = locked_why(&target.with_database(db), opts, why).await;
                        snap.unread_databases.push(UnreadDatabase { name: db.clone(), why });
                    }
                }
            }
        }
    }
    // The same refusal in several databases is one fact.
    let mut seen = HashSet::new();
    skipped.retain(|s| seen.insert(s.what.clone()));
    snap.skipped = skipped;
    Ok(snap)
}
