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
}
