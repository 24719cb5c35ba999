//! What a live server's catalog says beyond object definitions: cluster facts that only a catalog
//! knows (prepared transactions, replication slots, checksums...), each located at the document
//! the live audit made for it. Read by `catalog`, held by the model, judged by rules.

use serde::{Deserialize, Serialize};

use crate::diagnostic::Origin;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DatabaseInfo {
    pub name: String,
    pub allow_connections: bool,
    /// -2 marks a database left invalid by an interrupted DROP DATABASE (15+).
    pub connection_limit: i32,
    pub is_template: bool,
    /// `c` libc, `i` ICU, `b` builtin.
    pub locale_provider: String,
    /// The builtin or ICU locale (`datlocale`, 17+; `daticulocale` before): `C.UTF-8`...
    #[serde(default)]
    pub locale: Option<String>,
    /// `pg_encoding_to_char(encoding)`, `datcollate`, `datctype`: what initdb of the new
    /// cluster must match (pg_upgrade compares template0's).
    #[serde(default)]
    pub encoding: Option<String>,
    #[serde(default)]
    pub collate: Option<String>,
    #[serde(default)]
    pub ctype: Option<String>,
}

/// A live server as a report's header names it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AuditedServer {
    /// `postgresql://user@host:port`, never with a password.
    pub label: String,
    pub version: String,
    pub major: u32,
    pub data_checksums: Option<bool>,
    /// The databases whose objects were audited.
    pub databases: Vec<String>,
    /// Databases that could not be audited, with why.
    pub not_audited: Vec<(String, String)>,
    /// template0 as the new cluster's initdb must match it (encoding, locale).
    pub template0: Option<DatabaseInfo>,
    /// When the catalog was read (RFC 3339, UTC).
    pub read_at: Option<String>,
    /// The bootstrap superuser (OID 10): the new cluster's initdb must name the same.
    pub install_user: Option<String>,
    /// What pg_stat_statements gave: None when no audited database has it installed.
    #[serde(default)]
    pub statements: Option<StatementsRead>,
}

/// How much of pg_stat_statements the audit read.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct StatementsRead {
    /// Entries read (the most-called first).
    pub read: u64,
    /// Entries in the view.
    pub total: u64,
    /// Entries whose text this role may not see.
    pub hidden: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PreparedTransaction {
    pub gid: String,
    pub database: String,
    pub owner: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReplicationSlot {
    pub name: String,
    /// `logical` or `physical`.
    pub kind: String,
    pub database: Option<String>,
    /// `invalidation_reason` (17+), or `lost` from `wal_status`.
    pub invalid: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Skipped {
    /// What was not read, e.g. `pg_hba_file_rules`.
    pub what: String,
    /// The server's error.
    pub why: String,
    /// Who could read it.
    pub needs: String,
}

/// What pg_upgrade checks of a subscription (old server 17+).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SubscriptionState {
    pub name: String,
    /// Its replication origin `pg_<oid>` exists.
    pub has_origin: bool,
    /// Tables not in state `i` (init) or `r` (ready): `relation:state`.
    pub tables_not_ready: Vec<String>,
    /// Its owner, when not a superuser (on 13-15 only a superuser may own one: an owner
    /// demoted since).
    #[serde(default)]
    pub owner_not_superuser: Option<String>,
}

/// What the catalog says that no SQL definition can: located at documents the engine creates.
/// A database of the server that could not be read (a lock held past the lock timeout, a
/// refused connection): its objects were not checked.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnreadDatabase {
    pub name: String,
    /// Why, in the server's words, with the relations another session held locked when known.
    pub why: String,
}

/// The server settings that size the shared lock table (lock.c: max_locks_per_transaction ×
/// (MaxBackends + max_prepared_transactions)).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct LockTable {
    pub max_locks_per_transaction: u32,
    pub max_connections: u32,
    pub autovacuum_max_workers: u32,
    pub max_worker_processes: u32,
    pub max_wal_senders: u32,
    pub max_prepared_transactions: u32,
}

impl LockTable {
    /// The backends the lock table is sized for: MaxBackends (client connections, autovacuum
    /// workers and launcher, background workers, WAL senders) plus prepared transactions.
    pub fn slots(&self) -> u64 {
        u64::from(self.max_connections)
            + u64::from(self.autovacuum_max_workers)
            + 1
            + u64::from(self.max_worker_processes)
            + u64::from(self.max_wal_senders)
            + u64::from(self.max_prepared_transactions)
    }

    /// Locks the shared lock table holds in all (any one transaction may take most of them).
    pub fn capacity(&self) -> u64 {
        u64::from(self.max_locks_per_transaction) * self.slots()
    }
}

/// What the dump pg_upgrade makes of one database costs the old server: the relations pg_dump
/// locks in its one transaction, the large objects it restores one by one, and the event
/// triggers that fire on the DDL run after the upgrade.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
pub struct DumpLoad {
    /// Tables, partitioned tables, foreign tables, views and materialized views outside the
    /// system schemas and extensions: pg_dump holds a lock on each until it ends.
    pub relations_locked: u64,
    /// Rows of pg_largeobject_metadata.
    pub large_objects: u64,
    /// The cluster's lock table, as read from this server.
    #[serde(default)]
    pub lock_table: Option<LockTable>,
}

/// An event trigger of a database.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct EventTrigger {
    pub name: String,
    /// `ddl_command_start`, `ddl_command_end`, `sql_drop`, `table_rewrite` (`login` on 17+).
    pub event: String,
    /// `evtenabled`: `O` (origin and local), `R` (replica), `A` (always), `D` (disabled).
    pub enabled: String,
    /// The function it runs: its schema and name (quoted where they are written).
    pub function_schema: String,
    pub function: String,
    /// `WHEN TAG IN (...)`, when given.
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct CatalogFacts {
    pub server: String,
    pub major: u32,
    pub data_checksums: Option<(bool, Origin)>,
    pub databases: Vec<(DatabaseInfo, Origin)>,
    pub prepared_transactions: Vec<(PreparedTransaction, Origin)>,
    pub replication_slots: Vec<(ReplicationSlot, Origin)>,
    pub subscriptions: Vec<(SubscriptionState, Origin)>,
    /// Subscriptions of the whole cluster (every database), when readable.
    pub subscriptions_in_cluster: Option<(u32, Origin)>,
    /// The database a group of definitions comes from.
    pub this_database: Option<(DatabaseInfo, Origin)>,
    pub skipped: Vec<(Skipped, Origin)>,
    pub unread_databases: Vec<(UnreadDatabase, Origin)>,
    /// What the dump of this database costs (one database's model).
    pub dump_load: Option<(DumpLoad, Origin)>,
    pub event_triggers: Vec<(EventTrigger, Origin)>,
}
