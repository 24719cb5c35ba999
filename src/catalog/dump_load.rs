//! What pg_upgrade's dump and restore of a database will cost the servers, read from the
//! catalog: the relations pg_dump locks in its one transaction (against the lock table's size),
//! the large objects restored one by one, and the event triggers that fire on the DDL run after
//! the upgrade. One query per database, one per cluster.

use tokio_postgres::Client;

use super::connect::Target;
use super::read::{ReadError, opt_text, query_counted, text};
use super::{DumpLoad, EventTrigger, LockTable};

/// The settings that size the lock table: readable by every role.
pub(super) const LOCK_TABLE_SQL: &str = "SELECT current_setting('max_locks_per_transaction')::int4, current_setting('max_connections')::int4, \
     current_setting('autovacuum_max_workers')::int4, current_setting('max_worker_processes')::int4, \
     current_setting('max_wal_senders')::int4, current_setting('max_prepared_transactions')::int4";

pub(super) fn lock_table(row: &tokio_postgres::Row) -> LockTable {
    let n = |i: usize| row.get::<_, i32>(i).max(0) as u32;
    LockTable {
        max_locks_per_transaction: n(0),
        max_connections: n(1),
        autovacuum_max_workers: n(2),
        max_worker_processes: n(3),
        max_wal_senders: n(4),
        max_prepared_transactions: n(5),
    }
}

/// The relations pg_dump 18 holds a lock on until it ends, as measured on a real 15 with the
/// target's pg_dump: tables of every kind and views (pg_get_viewdef opens them); not indexes
/// or sequences. Members of an extension are not dumped.
const DUMP_LOAD_SQL: &str = "SELECT \
     (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
       WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm') \
         AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)' \
         AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'))::int8, \
     (SELECT count(*) FROM pg_largeobject_metadata)::int8";

const EVENT_TRIGGERS_SQL: &str = "SELECT e.evtname::text, e.evtevent::text, e.evtenabled::text, n.nspname::text, p.proname::text, \
     coalesce(array_to_string(e.evttags, E'\\x1f'), '') FROM pg_event_trigger e \
     JOIN pg_proc p ON p.oid = e.evtfoid JOIN pg_namespace n ON n.oid = p.pronamespace ORDER BY e.evtname";

pub(super) async fn read(
    client: &Client,
    target: &Target,
    count: &std::cell::Cell<u32>,
) -> Result<(DumpLoad, Vec<EventTrigger>), ReadError> {
    let rows = query_counted(client, target, count, DUMP_LOAD_SQL).await?;
    let load = DumpLoad {
        relations_locked: rows[0].get::<_, i64>(0).max(0) as u64,
        large_objects: rows[0].get::<_, i64>(1).max(0) as u64,
        lock_table: None,
    };
    let triggers = query_counted(client, target, count, EVENT_TRIGGERS_SQL)
        .await?
        .iter()
        .map(|r| EventTrigger {
            name: text(r, 0),
            event: text(r, 1),
            enabled: text(r, 2),
            function_schema: text(r, 3),
            function: text(r, 4),
            tags: opt_text(r, 5).filter(|t| !t.is_empty()).map(|t| t.split('\u{1f}').map(str::to_string).collect()).unwrap_or_default(),
        })
        .collect();
    Ok((load, triggers))
}
