//! A database with very many large objects: pg_upgrade's dump (the target's pg_dump in
//! binary-upgrade mode) writes two statements for each one — `lo_create` and `ALTER LARGE OBJECT
//! ... OWNER TO` — and restores them into the new cluster before the upgrade can finish.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Area, FixAvailability, ModelCtx, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "large-objects-many",
        area: Area::Upgrade,
        severity: Severity::Info,
        fix: FixAvailability::None,
        summary: "Very many large objects: pg_upgrade dumps and restores each one's metadata, two statements per object",
        doc: include_str!("../../../rules/large-objects-many.md"),
    },
    hooks: &[],
    check: None,
    check_model: Some(check_model),
    keywords: &[],
};

/// From here on the restore of large objects is a noticeable part of the upgrade's downtime.
const MANY: u64 = 100_000;

fn check_model(m: &ModelCtx, out: &mut Vec<Diagnostic>) {
    let Some(cat) = &m.schema.catalog else { return };
    let Some((load, origin)) = &cat.dump_load else { return };
    if load.large_objects < MANY {
        return;
    }
    let name = cat.this_database.as_ref().map_or("this database".to_string(), |(d, _)| d.name.clone());
    out.push(
        RULE.report_at(
            origin,
            format!(
                "database {name} has {} large objects: pg_upgrade's restore runs {} statements for them before the new cluster is ready",
                load.large_objects,
                load.large_objects * 2
            ),
        )
        .help(
            "pg_upgrade copies the large objects' data files, but their metadata goes through the dump: the target's pg_dump \
             writes lo_create() and ALTER LARGE OBJECT ... OWNER TO (and any GRANT) for every one, restored in batches while \
             the database is down. Time the restore in a rehearsal (`pg_upgrade --check` does not), and consider whether the \
             objects are still needed: vacuumlo removes those no table references.",
        ),
    );
}
