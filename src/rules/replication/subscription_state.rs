//! Subscriptions pg_upgrade refuses (old cluster 17+): tables still synchronising, or no origin;
//! and subscriptions whose state pg_upgrade does not carry (old cluster 16 or older).

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Area, FixAvailability, ModelCtx, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "subscription-state",
        area: Area::Replication,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "A subscription pg_upgrade refuses (tables still synchronising, no replication origin), or whose state it does not carry from 16 and older",
        doc: include_str!("../../../rules/subscription-state.md"),
    },
    hooks: &[],
    check: None,
    check_model: Some(check_model),
    keywords: &[],
};

fn check_model(m: &ModelCtx, out: &mut Vec<Diagnostic>) {
    let Some(cat) = &m.schema.catalog else { return };
    if cat.major < 17 {
        // pg_upgrade carries subscriptions' state only from 17 on: from an older cluster they
        // come back without their tables' states and without their replication origin.
        for (sub, origin) in &cat.subscriptions {
            owner_demoted(cat.major, sub, origin, out);
            out.push(
                RULE.report_at(
                    origin,
                    format!(
                        "subscription {}: pg_upgrade from PostgreSQL {} does not carry its tables' states and its replication origin",
                        sub.name, cat.major
                    ),
                )
                .severity(Severity::Warning)
                .help(
                    "Only an old cluster of 17 or later keeps a subscription's progress through pg_upgrade. From an older \
                     one the subscription is restored without knowing which changes it applied: left as it is, enabling it \
                     copies its tables again (duplicate rows, or conflicts on keys) or misses what the publisher sent \
                     meanwhile. Plan it: disable the subscription before the upgrade, and after it recreate or refresh it \
                     (ALTER SUBSCRIPTION ... REFRESH PUBLICATION WITH (copy_data = false) once the tables are known to be \
                     in step), or upgrade the subscriber to 17 first.",
                ),
            );
        }
        return;
    }
    for (sub, origin) in &cat.subscriptions {
        owner_demoted(cat.major, sub, origin, out);
        if !sub.has_origin {
            out.push(
                RULE.report_at(origin, format!("subscription {} has no replication origin: pg_upgrade refuses it", sub.name))
                    .help("pg_upgrade --check fails at \"Checking for subscription state\". Recreate the subscription."),
            );
        }
        if !sub.tables_not_ready.is_empty() {
            out.push(
                RULE.report_at(origin, format!("subscription {} has tables not yet ready ({}): pg_upgrade refuses it", sub.name, sub.tables_not_ready.join(", ")))
                    .help("pg_upgrade --check fails at \"Checking for subscription state\": every table must be in state i (init) or r (ready). Wait for the initial sync to finish."),
            );
        }
    }
}

/// A subscription whose owner is no longer a superuser: on 13-15 only a superuser may own one,
/// so its owner was demoted since. From 15 on, changes are applied with the owner's rights (RLS
/// policies refuse the changes unless the owner bypasses them), and from 16 as each table's
/// owner (the subscription's owner must be able to SET ROLE to it).
fn owner_demoted(major: u32, sub: &crate::model::facts::SubscriptionState, origin: &crate::diagnostic::Origin, out: &mut Vec<Diagnostic>) {
    // From 16 on a subscription may be owned by a non-superuser (pg_create_subscription), and
    // applies as the tables' owners already: nothing changes on the way to 18.
    if major >= 16 {
        return;
    }
    let Some(owner) = &sub.owner_not_superuser else { return };
    let owner = crate::quote::name(owner);
    out.push(
        RULE.report_at(
            origin,
            format!("subscription {}: its owner {owner} is not a superuser: on 18 it applies changes with that role's rights", sub.name),
        )
        .severity(Severity::Warning)
        .help(format!(
            "PostgreSQL {major} did not check the owner's rights while applying; 15 applies with them (a table with row-level \
                 security refuses the changes unless {owner} bypasses RLS or owns it) and 16 as each table's owner, so {owner} \
                 must be able to SET ROLE to every owner of a subscribed table (or set run_as_owner = true). Make {owner} a \
                 superuser again, or grant it membership in the tables' owners, before enabling the subscription on 18."
        )),
    );
}
