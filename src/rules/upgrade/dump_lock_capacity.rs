//! pg_upgrade dumps each database with the target's pg_dump, which locks every table and view it
//! dumps in one transaction on the old server. When they are about as many as the shared lock
//! table holds (max_locks_per_transaction × the backends it is sized for), the dump fails with
//! "out of shared memory — You might need to increase max_locks_per_transaction", and the
//! upgrade with it.

use crate::diagnostic::{Diagnostic, Remedy, Severity};
use crate::rules::{Area, FixAvailability, ModelCtx, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "dump-lock-capacity",
        area: Area::Upgrade,
        severity: Severity::Warning,
        fix: FixAvailability::None,
        summary: "pg_dump must lock more tables and views than the old server's lock table has room for: pg_upgrade's dump runs out of shared memory",
        doc: include_str!("../../../rules/dump-lock-capacity.md"),
    },
    hooks: &[],
    check: None,
    check_model: Some(check_model),
    keywords: &[],
};

/// Locks pg_dump 18 holds besides the relations it dumps (the catalogs and their indexes it
/// reads), as measured on a real 15: with room for 90 locks it dumped 56 tables and failed at 60.
const PG_DUMP_OWN_LOCKS: u64 = 34;

/// Reported from this share of the lock table on: other sessions' locks and the slack of the
/// estimate make the last tenth unreliable.
const SHARE_PERCENT: u64 = 90;

fn check_model(m: &ModelCtx, out: &mut Vec<Diagnostic>) {
    let Some(cat) = &m.schema.catalog else { return };
    let Some((load, origin)) = &cat.dump_load else { return };
    let Some(table) = &load.lock_table else { return };
    let needed = load.relations_locked + PG_DUMP_OWN_LOCKS;
    let capacity = table.capacity();
    if needed * 100 < capacity * SHARE_PERCENT {
        return;
    }
    let database = cat.this_database.as_ref().map(|(d, _)| d.name.clone());
    let name = database.as_deref().unwrap_or("this database");
    // Twice what the dump needs, per slot, rounded up to a multiple of 64 (the default).
    let suggested = (needed * 2).div_ceil(table.slots().max(1)).div_ceil(64) * 64;
    let verdict = if needed > capacity { "runs out of it" } else { "fills it to within a tenth" };
    out.push(
        RULE.report_at(
            origin,
            format!(
                "pg_dump of database {name} locks {} tables and views (about {needed} locks with its own); the lock table holds about \
                 {capacity}: pg_upgrade's dump {verdict}",
                load.relations_locked
            ),
        )
        .help(format!(
            "pg_upgrade runs the target's pg_dump against the old server, in one transaction that keeps a lock on every table \
             and view it dumps. The shared lock table has room for max_locks_per_transaction ({}) x {} (max_connections, \
             autovacuum and background workers, WAL senders, prepared transactions) = {capacity} locks; when the dump needs more, \
             it fails with \"out of shared memory\" (53200) and pg_upgrade stops. Raise max_locks_per_transaction on the old \
             server (a restart is needed; {suggested} leaves room for twice this dump), or drop tables nothing uses.",
            table.max_locks_per_transaction,
            table.slots()
        ))
        .remedy(
            Remedy::old(format!("ALTER SYSTEM SET max_locks_per_transaction = {suggested};"))
                .decide("takes effect at the next restart of the old server, which pg_upgrade itself does when it starts it"),
        ),
    );
}
