//! One replay on one server: a fresh database, every statement in order as psql would send it
//! (autocommit, the script's own BEGIN/COMMIT kept), what each statement did, and afterwards
//! the removal of everything the replay made — also after an error or an interrupt.

use std::collections::BTreeSet;
use std::time::Duration;

use tokio_postgres::Client;
use tokio_postgres::error::ErrorPosition;

use super::objects::Objects;
use super::psql::{Psql, Sent};
use super::server::{Notices, Server, connect, connect_with_notices, describe};
use super::{Action, Step};
use crate::catalog::{quote_ident, quote_literal};
use crate::sql::script::Sending;

/// What became of one step on one server.
#[derive(Debug, Clone)]
pub enum Ran {
    /// Sent: what it did.
    Sent(Outcome),
    /// Not sent: it changes the whole cluster, and the server is shared.
    ClusterWide,
    /// Not sent: a psql variable in it has no value here.
    UnknownVariable,
    /// Nothing to judge: a meta-command psql carried out, or a statement in a branch of an
    /// `\if` that does not run on this server.
    Nothing,
}

/// What one statement did on one server.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub failure: Option<Failure>,
    /// WARNING notices the statement raised.
    pub warnings: Vec<String>,
}

/// A statement's error, as the server reported it.
#[derive(Debug, Clone)]
pub struct Failure {
    pub code: String,
    pub message: String,
    pub detail: Option<String>,
    pub hint: Option<String>,
    /// Byte offset in the statement's text of the position the server gave (its `position`).
    pub offset: Option<usize>,
    /// The server's `internal position` inside the query it ran for the statement (a SQL
    /// function's body): that query and the byte offset in it.
    pub internal: Option<(String, usize)>,
    /// The server's context lines (`PL/pgSQL function f() line 3 at PERFORM`).
    pub context: Option<String>,
}

/// The roles, databases and replication slots of a server: what a replay made is what is new
/// after it.
#[derive(Debug, Default)]
struct Globals {
    roles: BTreeSet<String>,
    databases: BTreeSet<String>,
    slots: BTreeSet<String>,
}

async fn globals(admin: &Client) -> Result<Globals, tokio_postgres::Error> {
    let names = |rows: Vec<tokio_postgres::Row>| rows.iter().map(|r| r.get::<_, String>(0)).collect::<BTreeSet<_>>();
    Ok(Globals {
        roles: names(admin.query("SELECT rolname::text FROM pg_roles", &[]).await?),
        databases: names(admin.query("SELECT datname::text FROM pg_database", &[]).await?),
        slots: names(admin.query("SELECT slot_name::text FROM pg_replication_slots", &[]).await?),
    })
}

/// A database name no one else uses.
fn fresh_name() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
    h.write_u32(std::process::id());
    format!("pgready_replay_{:012x}", h.finish() & 0xffff_ffff_ffff)
}

/// A replay in progress on one server: its database, and what existed before it.
pub struct Replay<'a> {
    server: &'a Server,
    admin: Client,
    database: String,
    before: Globals,
}

impl<'a> Replay<'a> {
    /// Create the replay's database (from template0) and note what the server holds.
    pub async fn begin(server: &'a Server) -> Result<Replay<'a>, String> {
        let admin = connect(&server.target).await?;
        let fail = |e: tokio_postgres::Error| format!("{}: {}", server.label, describe(&server.target, &e));
        let before = globals(&admin).await.map_err(fail)?;
        let database = fresh_name();
        admin.batch_execute(&format!("CREATE DATABASE {} TEMPLATE template0", quote_ident(&database))).await.map_err(fail)?;
        Ok(Replay { server, admin, database, before })
    }

    /// Carry out every step in order as psql would. On a `shared` server (a DSN's), statements
    /// that change the whole cluster are not sent, nor run by `\gexec`.
    pub async fn run(
        &self,
        steps: &[Step],
        shared: bool,
        variables: &[(String, String)],
        statement_timeout: Duration,
        mut interrupted: tokio::sync::watch::Receiver<bool>,
    ) -> Result<(Vec<Ran>, Objects), String> {
        let target = self.server.target.with_database(&self.database);
        let (client, mut notices) = connect_with_notices(&target).await?;
        client
            .batch_execute(&format!("SET statement_timeout = {}", statement_timeout.as_millis()))
            .await
            .map_err(|e| format!("{}: {}", self.server.label, describe(&target, &e)))?;
        let mut psql = Psql::new(variables);
        let mut outcomes = Vec::with_capacity(steps.len());
        for step in steps {
            if *interrupted.borrow() {
                break;
            }
            let (references, sent_with) = match &step.action {
                Action::Begin => {
                    psql.begin();
                    outcomes.push(Ran::Nothing);
                    continue;
                }
                Action::Meta(command) => {
                    outcomes.push(if psql.meta(command) { Ran::Nothing } else { Ran::UnknownVariable });
                    continue;
                }
                Action::Send { references, sent_with } => (references, sent_with),
            };
            if !psql.runs() {
                outcomes.push(Ran::Nothing);
                continue;
            }
            if shared && step.cluster_wide {
                outcomes.push(Ran::ClusterWide);
                continue;
            }
            let Some(sent) = psql.substitute(&step.sql, references) else {
                outcomes.push(Ran::UnknownVariable);
                continue;
            };
            drain(&mut notices);
            // On Ctrl-C the statement running is abandoned (cleaning drops its database, which
            // ends its session) and no other is sent: fewer outcomes than steps.
            let result = tokio::select! {
                r = send(&client, step, &sent, sent_with.as_ref(), &mut psql, shared) => r,
                _ = interrupted.wait_for(|stop| *stop) => break,
            };
            if let Err((e, _)) = &result
                && e.as_db_error().is_none()
                && client.is_closed()
            {
                return Err(format!("{}: the connection was lost: {}", self.server.label, describe(&target, e)));
            }
            if result.as_ref().is_ok_and(|skipped| *skipped) {
                outcomes.push(Ran::ClusterWide);
                continue;
            }
            let warnings = drain(&mut notices).into_iter().filter(|(sev, _)| sev == "WARNING").map(|(_, m)| m).collect();
            let failure = result.err().map(|(e, generated)| match generated {
                // A statement `\gexec` made: the server's position is in it, not in the script.
                Some(g) => {
                    let mut f = failure_of(&e, &g);
                    f.message = format!("{} (in `{}`, which \\gexec ran)", f.message, g.trim());
                    f.offset = None;
                    f.internal = None;
                    f
                }
                None => {
                    let mut f = failure_of(&e, &sent.text);
                    f.offset = f.offset.map(|o| sent.written_offset(o));
                    f
                }
            });
            outcomes.push(Ran::Sent(Outcome { failure, warnings }));
        }
        // What the statements made, unless the replay was stopped (then nothing is compared). A
        // transaction the script left open is rolled back first, as psql's exit would.
        let objects = if *interrupted.borrow() {
            Objects::new()
        } else {
            let _ = client.batch_execute("ROLLBACK").await;
            super::objects::read(&client).await
        };
        Ok((outcomes, objects))
    }

    /// Remove everything the replay made: subscriptions of its database (which DROP DATABASE
    /// refuses while they exist), new replication slots, new databases (its own among them),
    /// new roles. What could not be removed is named in the error.
    pub async fn clean(self) -> Result<(), String> {
        let mut left = Vec::new();
        let target = self.server.target.with_database(&self.database);
        if let Ok(client) = connect(&target).await {
            let subs = client.query("SELECT subname::text FROM pg_subscription WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())", &[]).await;
            for row in subs.unwrap_or_default() {
                let name = quote_ident(row.get::<_, &str>(0));
                let _ = client.batch_execute(&format!("ALTER SUBSCRIPTION {name} DISABLE")).await;
                let _ = client.batch_execute(&format!("ALTER SUBSCRIPTION {name} SET (slot_name = NONE)")).await;
                if let Err(e) = client.batch_execute(&format!("DROP SUBSCRIPTION {name}")).await {
                    left.push(format!("subscription {name}: {}", describe(&target, &e)));
                }
            }
        }
        let after = match globals(&self.admin).await {
            Ok(g) => g,
            Err(e) => return Err(format!("{}: cannot see what the replay left: {}", self.server.label, describe(&self.server.target, &e))),
        };
        for slot in after.slots.difference(&self.before.slots) {
            if let Err(e) = self.admin.batch_execute(&format!("SELECT pg_drop_replication_slot({})", quote_literal(slot))).await {
                left.push(format!("replication slot {slot}: {}", describe(&self.server.target, &e)));
            }
        }
        for db in after.databases.difference(&self.before.databases) {
            if let Err(e) = self.admin.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote_ident(db))).await {
                left.push(format!("database {db}: {}", describe(&self.server.target, &e)));
            }
        }
        for role in after.roles.difference(&self.before.roles) {
            if let Err(e) = self.admin.batch_execute(&format!("DROP ROLE IF EXISTS {}", quote_ident(role))).await {
                left.push(format!("role {role}: {}", describe(&self.server.target, &e)));
            }
        }
        if left.is_empty() { Ok(()) } else { Err(format!("{}: the replay left behind {}", self.server.label, left.join("; "))) }
    }
}

/// Send one step as psql would: a statement in one simple query; `COPY ... FROM STDIN` with its
/// data through the COPY protocol; `\gset` storing the row's values, `\gexec` running each value.
/// An error of a statement `\gexec` ran comes with that statement. True when `\gexec` made a
/// statement that changes the whole cluster, not run on a `shared` server.
async fn send(
    client: &Client,
    step: &Step,
    sent: &Sent,
    sent_with: Option<&Sending>,
    psql: &mut Psql,
    shared: bool,
) -> Result<bool, (tokio_postgres::Error, Option<String>)> {
    if let Some(data) = &step.copy_data {
        use futures_util::SinkExt;
        let copy = async {
            let sink = client.copy_in::<_, bytes::Bytes>(sent.text.as_str()).await?;
            futures_util::pin_mut!(sink);
            sink.send(bytes::Bytes::from(data.clone())).await?;
            sink.finish().await.map(|_| false)
        };
        return copy.await.map_err(|e| (e, None));
    }
    let Some(sending) = sent_with else { return client.batch_execute(&sent.text).await.map(|_| false).map_err(|e| (e, None)) };
    let rows = last_result(client.simple_query(&sent.text).await.map_err(|e| (e, None))?);
    match sending {
        // psql stores nothing unless there is exactly one row.
        Sending::Gset(prefix) => {
            if let [row] = rows.as_slice() {
                let columns = row.columns().iter().enumerate().map(|(i, c)| (c.name().to_string(), row.get(i).map(str::to_string)));
                psql.gset(prefix, columns);
            }
            Ok(false)
        }
        Sending::Gexec => {
            let mut first = None;
            let mut skipped = false;
            for row in &rows {
                for value in (0..row.len()).filter_map(|i| row.get(i)) {
                    if shared && super::is_cluster_wide(value) {
                        skipped = true;
                    } else if let Err(e) = client.batch_execute(value).await {
                        first.get_or_insert((e, Some(value.to_string())));
                    }
                }
            }
            first.map_or(Ok(skipped), Err)
        }
    }
}

/// The rows of the last statement of a simple query (psql's `\gset` and `\gexec` use its last
/// result).
fn last_result(messages: Vec<tokio_postgres::SimpleQueryMessage>) -> Vec<tokio_postgres::SimpleQueryRow> {
    let mut last = Vec::new();
    let mut current = Vec::new();
    for m in messages {
        match m {
            tokio_postgres::SimpleQueryMessage::Row(r) => current.push(r),
            tokio_postgres::SimpleQueryMessage::CommandComplete(_) => last = std::mem::take(&mut current),
            _ => {}
        }
    }
    last
}

fn drain(notices: &mut Notices) -> Vec<(String, String)> {
    let mut out = Vec::new();
    while let Ok(n) = notices.try_recv() {
        out.push(n);
    }
    out
}

/// A server error's parts; positions (1-based characters) as byte offsets.
fn failure_of(e: &tokio_postgres::Error, sql: &str) -> Failure {
    let Some(db) = e.as_db_error() else {
        return Failure {
            code: String::new(),
            message: e.to_string(),
            detail: None,
            hint: None,
            offset: None,
            internal: None,
            context: None,
        };
    };
    let byte_of = |text: &str, chars: u32| text.char_indices().nth((chars as usize).saturating_sub(1)).map_or(text.len(), |(i, _)| i);
    let (offset, internal) = match db.position() {
        Some(ErrorPosition::Original(p)) => (Some(byte_of(sql, *p)), None),
        Some(ErrorPosition::Internal { position, query }) => (None, Some((query.clone(), byte_of(query, *position)))),
        None => (None, None),
    };
    Failure {
        code: db.code().code().to_string(),
        message: db.message().to_string(),
        detail: db.detail().map(str::to_string),
        hint: db.hint().map(str::to_string),
        offset,
        internal,
        context: db.where_().map(str::to_string),
    }
}
