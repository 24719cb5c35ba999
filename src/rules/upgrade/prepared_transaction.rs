//! Prepared transactions: pg_upgrade refuses a cluster that has any.

use crate::diagnostic::{Diagnostic, Remedy, Severity};
use crate::rules::{Area, FixAvailability, ModelCtx, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "prepared-transaction",
        area: Area::Upgrade,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "A prepared (two-phase) transaction is pending: pg_upgrade refuses the cluster",
        doc: include_str!("../../../rules/prepared-transaction.md"),
    },
    hooks: &[],
    check: None,
    check_model: Some(check_model),
    keywords: &[],
};

fn check_model(m: &ModelCtx, out: &mut Vec<Diagnostic>) {
    let Some(cat) = &m.schema.catalog else { return };
    for (p, origin) in &cat.prepared_transactions {
        let gid = crate::quote::literal(&p.gid);
        out.push(
            RULE.report_at(origin, format!("prepared transaction {gid} in database {} is pending: pg_upgrade refuses the cluster", p.database))
                .help("pg_upgrade --check fails at \"Checking for prepared transactions\". Its transaction manager must finish it: COMMIT PREPARED or ROLLBACK PREPARED, in its database.")
                .remedy(
                    Remedy::old(format!("COMMIT PREPARED {gid};\nROLLBACK PREPARED {gid};"))
                        .in_database(&p.database)
                        .decide("a choice for the application that prepared it: COMMIT PREPARED or ROLLBACK PREPARED (one of the two)"),
                ),
        );
    }
}
