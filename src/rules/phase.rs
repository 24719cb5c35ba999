//! When a finding must be dealt with on the way to the new major: the plan's phases. Each rule
//! has one, but a live audit's finding about the cluster (a stored setting, what ALTER SYSTEM
//! wrote) and a file's finding about the same rule can fall in different phases: the old
//! cluster is repaired before pg_upgrade, a configuration file is edited for the new cluster,
//! a migration is rewritten by the application's developers.

use serde::Serialize;

use crate::diagnostic::Diagnostic;

/// The plan's phases, in the order a team goes through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// On the old cluster, before pg_upgrade: what pg_upgrade --check refuses or its restore
    /// of the schema would fail on.
    Before,
    /// The upgrade itself: how the new cluster is made (initdb options) and configured.
    Upgrade,
    /// On the new cluster, after pg_upgrade: REINDEX, ALTER EXTENSION UPDATE, ANALYZE.
    After,
    /// The application: SQL that fails or behaves differently on the new major.
    Application,
}

impl Phase {
    pub const ALL: [Phase; 4] = [Phase::Before, Phase::Upgrade, Phase::After, Phase::Application];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Before => "before",
            Phase::Upgrade => "upgrade",
            Phase::After => "after",
            Phase::Application => "application",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Phase::Before => "Before the upgrade, on the old cluster",
            Phase::Upgrade => "The upgrade itself",
            Phase::After => "After the upgrade, on the new cluster",
            Phase::Application => "Application changes",
        }
    }
}

/// Rules whose live findings make pg_upgrade --check, or the restore of the schema it runs,
/// fail: they are repaired on the old cluster.
const BLOCKS_THE_UPGRADE: &[&str] = &[
    "database-connection-settings",
    "extension-removed",
    "fk-nondeterministic-collation",
    "logical-slot-not-migratable",
    "md5-password",
    "not-null-inheritance-inconsistent",
    "old-polymorphic-signature",
    "pg-upgrade-data-type",
    "postfix-operator",
    "prepared-transaction",
    "removed-catalog-column",
    "removed-function",
    "search-path-dependent-function",
    "subscription-state",
    "unlogged-partitioned-table",
    "user-encoding-conversion",
];

/// Rules about how the new cluster is made or configured.
const MAKES_THE_NEW_CLUSTER: &[&str] =
    &["data-checksums-off", "aio-setting-review", "replication-origins-capacity", "replication-settings-review"];

/// Rules whose work is done on the new cluster once pg_upgrade has run.
const AFTER_THE_UPGRADE: &[&str] = &["createrole-admin-option", "fts-reindex-after-upgrade", "unicode-update-dependent-object"];

/// The phase of a finding: `live` for a live audit's, `conf` for one in a configuration file
/// (a live server's rebuilt one included), `system_settings` for one in postgresql.auto.conf.
pub fn phase(d: &Diagnostic, live: bool, conf: bool, system_settings: bool) -> Phase {
    if MAKES_THE_NEW_CLUSTER.contains(&d.rule) {
        return Phase::Upgrade;
    }
    if AFTER_THE_UPGRADE.contains(&d.rule) {
        return Phase::After;
    }
    if system_settings {
        // ALTER SYSTEM RESET on the old cluster, so that no copy of the file carries it over.
        return Phase::Before;
    }
    if conf {
        return Phase::Upgrade;
    }
    if live && d.rule == "extension-version-unsupported" {
        // An error: the old cluster's extension must be updated first; otherwise the new
        // installation needs the newer version (its update runs after, from the script).
        return if d.severity == crate::diagnostic::Severity::Error { Phase::Before } else { Phase::Upgrade };
    }
    if live {
        // A live server's stored settings and definitions are restored by pg_upgrade: what 18
        // refuses in them fails the upgrade. Advice about them is for the application.
        let blocks = BLOCKS_THE_UPGRADE.contains(&d.rule) || d.rule.starts_with("setting-") || d.rule == "syntax-error";
        if blocks || matches!(d.rule, "server-not-read" | "catalog-not-read") {
            return Phase::Before;
        }
    }
    Phase::Application
}
