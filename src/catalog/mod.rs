//! The live audit's front end: connect read-only to a running server (13–18), read its catalogs
//! with a constant number of queries per database, and turn what they say into the same inputs a
//! file audit has — SQL definitions of the objects, a postgresql.conf, a pg_hba.conf — plus the
//! cluster facts only a catalog knows (prepared transactions, slots, checksums...). Every rule then
//! runs on that, unchanged: one rule, two inputs.
//!
//! What is read is kept in a [`Snapshot`] (serialisable: `pgready snapshot` writes it, `pgready
//! check --snapshot` audits it offline). It holds definitions, never table data or password hashes.

pub mod connect;
mod dump_load;
pub mod lint;
mod objects;
pub mod read;
pub mod remedy;
pub mod synth;

pub use crate::model::facts::{
    CatalogFacts, DatabaseInfo, DumpLoad, EventTrigger, LockTable, PreparedTransaction, ReplicationSlot, Skipped, SubscriptionState,
    UnreadDatabase,
};

use serde::{Deserialize, Serialize};

pub use crate::quote::{ident as quote_ident, literal as quote_literal};

/// Bumped on incompatible changes of the snapshot file.
pub const SNAPSHOT_FORMAT: u32 = 1;

/// A setting stored for a role, a database, or a role in a database.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct RoleSetting {
    pub role: Option<String>,
    pub database: Option<String>,
    /// `name=value`, as the catalog stores it.
    pub setting: String,
}

/// Everything read from one server.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Snapshot {
    pub format: u32,
    pub pgready_version: String,
    /// `postgresql://user@host:port`, never with a password.
    pub server: String,
    /// `server_version_num`, e.g. 150014.
    pub version_num: u32,
    pub version: String,
    pub current_user: String,
    pub superuser: bool,
    /// `data_checksums` (None when unknown).
    pub data_checksums: Option<bool>,
    pub databases: Vec<DatabaseInfo>,
    pub prepared_transactions: Vec<PreparedTransaction>,
    /// Roles whose stored password is an MD5 hash (never the hash itself).
    pub md5_roles: Vec<String>,
    /// Roles with CREATEROLE that are not superusers (what CREATEROLE lets them do changed in 16).
    #[serde(default)]
    pub createrole_roles: Vec<String>,
    /// Settings stored for roles and databases (`ALTER ROLE/DATABASE ... SET`, pg_db_role_setting):
    /// pg_upgrade restores them, so one that 18 rejects fails the upgrade itself.
    #[serde(default)]
    pub role_settings: Vec<RoleSetting>,
    /// The server's configuration as its files set it, in the order the server applies them.
    pub settings: Vec<FileSetting>,
    /// pg_hba.conf as the server has loaded it.
    pub hba: Vec<HbaLine>,
    /// pg_ident.conf as the server reads it (15+: pg_ident_file_mappings); same shape as `hba`.
    /// None when it could not be read.
    #[serde(default)]
    pub ident: Option<Vec<HbaLine>>,
    pub replication_slots: Vec<ReplicationSlot>,
    /// Subscriptions in the cluster, all databases (None when not readable).
    #[serde(default)]
    pub subscription_count: Option<u32>,
    /// What could not be read, and why (permissions): reported as one info finding each.
    pub skipped: Vec<Skipped>,
    /// Databases whose objects could not be read; the others were.
    #[serde(default)]
    pub unread_databases: Vec<UnreadDatabase>,
    /// The databases audited, with their objects.
    pub audited: Vec<DatabaseObjects>,
    /// When the catalog was read, by the server's clock (RFC 3339, UTC).
    #[serde(default)]
    pub read_at: Option<String>,
    /// The bootstrap superuser (the role with OID 10).
    #[serde(default)]
    pub install_user: Option<String>,
    /// The settings that size the lock table (None in snapshots written before they were read).
    #[serde(default)]
    pub lock_table: Option<LockTable>,
}

impl Snapshot {
    pub fn major(&self) -> u32 {
        self.version_num / 10000
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileSetting {
    /// The file it comes from (None when the server did not say: no pg_read_all_settings).
    pub file: Option<String>,
    pub line: Option<i32>,
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HbaLine {
    pub line: i32,
    /// The record rebuilt from pg_hba_file_rules' fields.
    pub text: String,
    /// The server's own error for this line, if any.
    pub error: Option<String>,
}

/// One database: its objects as SQL definitions, in an order that builds them up.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DatabaseObjects {
    pub name: String,
    pub objects: Vec<CatalogObject>,
    pub subscriptions: Vec<SubscriptionState>,
    /// Catalog queries the audit of this database took (constant, whatever its size).
    #[serde(default)]
    pub queries: u32,
    /// What pg_stat_statements showed from this database (None: not installed here, or not
    /// readable).
    #[serde(default)]
    pub statements: Option<StatStatements>,
    /// What pg_upgrade's dump of this database costs (None in older snapshots).
    #[serde(default)]
    pub dump_load: Option<DumpLoad>,
    #[serde(default)]
    pub event_triggers: Vec<EventTrigger>,
}

/// The comment that opens every catalog query of the audit.
pub const AUDIT_MARK: &str = "/* pgready audit */";

/// How many of pg_stat_statements' entries are read, the most-called first.
pub const STAT_STATEMENTS_CAP: u32 = 5000;

/// Who reads pg_stat_statements completely (the catalog-not-read finding's help).
pub const STAT_STATEMENTS_NEEDS: &str = "a member of pg_read_all_stats (other roles' query texts are hidden otherwise), on a server where \
     pg_stat_statements is loaded (shared_preload_libraries) and installed (CREATE EXTENSION pg_stat_statements) in an audited database";

/// The statements pg_stat_statements collected: the cluster's, read from one database.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StatStatements {
    /// The most-called first, at most [`STAT_STATEMENTS_CAP`].
    pub entries: Vec<StatStatement>,
    /// Entries in the view, read or not.
    pub total: u64,
    /// Entries whose text this role may not see (`<insufficient privilege>`).
    pub hidden: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StatStatement {
    pub queryid: Option<i64>,
    pub database: String,
    pub role: String,
    pub calls: i64,
    /// The normalised text: constants are `$1`, `$2`...
    pub query: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CatalogObject {
    /// `table`, `view`, `function`, `index`, `constraint`, `role`...
    pub kind: String,
    /// `schema.name` (for constraints and triggers `schema.table.name`).
    pub name: String,
    /// A definition PostgreSQL accepts, rebuilt from the catalog.
    pub sql: String,
    /// The object as a statement names it, quoted (functions: with their argument types).
    #[serde(default)]
    pub ident: Option<String>,
}
