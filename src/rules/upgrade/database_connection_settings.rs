//! Databases pg_upgrade cannot connect to (or must not): it refuses the upgrade.

use crate::diagnostic::{Diagnostic, Remedy, Severity};
use crate::quote::ident;
use crate::rules::{Area, FixAvailability, ModelCtx, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "database-connection-settings",
        area: Area::Upgrade,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "A database pg_upgrade cannot connect to (datallowconn off, invalid), or template0 accepting connections",
        doc: include_str!("../../../rules/database-connection-settings.md"),
    },
    hooks: &[],
    check: None,
    check_model: Some(check_model),
    keywords: &[],
};

fn check_model(m: &ModelCtx, out: &mut Vec<Diagnostic>) {
    let Some(cat) = &m.schema.catalog else { return };
    for (db, origin) in &cat.databases {
        let d = if db.connection_limit == -2 {
            RULE.report_at(origin, format!("database {} is invalid (an interrupted DROP DATABASE): pg_upgrade refuses it", db.name))
                .help("pg_upgrade --check fails at \"Checking database connection settings\". Finish dropping it.")
                .remedy(Remedy::old(format!("DROP DATABASE {};", ident(&db.name))))
        } else if db.name == "template0" && db.allow_connections {
            RULE.report_at(origin, "template0 accepts connections: pg_upgrade refuses the upgrade")
                .help("pg_upgrade --check fails at \"Checking database connection settings\": template0 must not allow connections.")
                .remedy(Remedy::old("ALTER DATABASE template0 WITH ALLOW_CONNECTIONS false;"))
        } else if db.name != "template0" && !db.allow_connections {
            RULE.report_at(origin, format!("database {} does not accept connections: pg_upgrade refuses the upgrade", db.name))
                .help("pg_upgrade must connect to every database but template0 (\"Checking database connection settings\"). Allow connections for the upgrade, or drop the database.")
                .remedy(Remedy::old(format!("ALTER DATABASE {} WITH ALLOW_CONNECTIONS true;", ident(&db.name))))
                .remedy(Remedy::new_cluster(format!("ALTER DATABASE {} WITH ALLOW_CONNECTIONS false;", ident(&db.name))))
        } else {
            continue;
        };
        out.push(d);
    }
}
