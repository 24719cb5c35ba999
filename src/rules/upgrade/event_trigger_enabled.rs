//! An enabled event trigger: it fires on the DDL run on the new cluster after pg_upgrade —
//! `ALTER EXTENSION ... UPDATE` from update_extensions.sql, `REINDEX`, the fixes of the plan —
//! and a trigger that blocks or audits DDL makes those steps fail or records them as an
//! application's changes. The managed services' upgrade guides ask to disable them around the
//! upgrade.

use crate::diagnostic::{Diagnostic, Remedy, Severity};
use crate::rules::{Area, FixAvailability, ModelCtx, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "event-trigger-enabled",
        area: Area::Upgrade,
        severity: Severity::Info,
        fix: FixAvailability::None,
        summary: "An enabled event trigger fires on the DDL the upgrade runs afterwards (extension updates, REINDEX): disable it for the upgrade",
        doc: include_str!("../../../rules/event-trigger-enabled.md"),
    },
    hooks: &[],
    check: None,
    check_model: Some(check_model),
    keywords: &[],
};

fn check_model(m: &ModelCtx, out: &mut Vec<Diagnostic>) {
    let Some(cat) = &m.schema.catalog else { return };
    let database = cat.this_database.as_ref().map(|(d, _)| d.name.clone());
    for (t, origin) in &cat.event_triggers {
        if t.enabled == "D" {
            continue;
        }
        let name = crate::quote::ident(&t.name);
        let state = match t.enabled.as_str() {
            "R" => "ENABLE REPLICA",
            "A" => "ENABLE ALWAYS",
            _ => "ENABLE",
        };
        out.push(
            RULE.report_at(
                origin,
                format!(
                    "event trigger {} on {} is enabled: it fires on the DDL run after the upgrade",
                    crate::quote::name(&t.name),
                    t.event
                ),
            )
            .help(
                "After pg_upgrade, the new cluster runs DDL of its own: ALTER EXTENSION ... UPDATE (update_extensions.sql), \
                 REINDEX, and the plan's fixes. An event trigger that refuses DDL makes them fail; one that records DDL files \
                 them as changes of the application. Disable it before the upgrade (pg_upgrade keeps it disabled) and enable it \
                 once the new cluster's own steps are done.",
            )
            .remedy(Remedy::old(format!("ALTER EVENT TRIGGER {name} DISABLE;")).in_database_if(database.clone()))
            .remedy(Remedy::new_cluster(format!("ALTER EVENT TRIGGER {name} {state};")).in_database_if(database.clone())),
        );
    }
}
