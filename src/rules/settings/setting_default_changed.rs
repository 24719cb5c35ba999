//! Settings a live server's configuration leaves at their default, where the default changed
//! between its major and 18: the new cluster behaves differently without a line changing. One
//! finding per server, listing them, with the values read off the real servers.

use crate::diagnostic::{Diagnostic, Severity};
use crate::knowledge::settings;
use crate::knowledge::target::TARGET;
use crate::rules::{Area, FixAvailability, ModelCtx, Rule, RuleMeta};
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "setting-default-changed",
        area: Area::Settings,
        severity: Severity::Info,
        fix: FixAvailability::None,
        summary: concat!(
            "Settings left at their default whose default changed before ",
            target_name!(),
            " (checkpoint_completion_target, hash_mem_multiplier, log_checkpoints, effective_io_concurrency...)"
        ),
        doc: include_str!("../../../rules/setting-default-changed.md"),
    },
    hooks: &[],
    check: None,
    check_model: Some(check_model),
    keywords: &[],
};

/// The defaults the release notes list as changed, and what the change does. The values come
/// from the servers' tables (`knowledge::settings`), so only the names are kept here.
const CHANGED_DEFAULTS: &[(&str, &str)] = &[
    ("checkpoint_completion_target", "checkpoints spread their writes over 90% of the interval"),
    ("vacuum_cost_page_miss", "cost-based vacuum delay charges less for a page read from disk, so vacuum runs faster"),
    ("password_encryption", "new and changed passwords are stored as SCRAM, which every client library must support"),
    ("hash_mem_multiplier", "hash joins and hash aggregates may use twice work_mem"),
    ("log_autovacuum_min_duration", "autovacuum runs longer than 10 minutes are logged"),
    ("log_checkpoints", "every checkpoint is logged"),
    ("vacuum_buffer_usage_limit", "VACUUM and ANALYZE use a larger ring of shared buffers"),
    ("effective_io_concurrency", "asynchronous I/O reads further ahead for each scan"),
    ("maintenance_io_concurrency", "maintenance work reads further ahead"),
];

fn shown(s: &settings::Setting) -> String {
    if s.unit.is_empty() || s.boot_val == "-1" { format!("`{}`", s.boot_val) } else { format!("`{}` ({})", s.boot_val, s.unit) }
}

fn check_model(m: &ModelCtx, out: &mut Vec<Diagnostic>) {
    // A live server only: its files are the whole configuration and its major is known, where
    // a configuration file alone may be a fragment, and --from only assumed.
    let Some(cat) = &m.schema.catalog else { return };
    if cat.major >= TARGET {
        return;
    }
    for server in m.schema.servers.iter().filter(|s| s.has_conf) {
        let Some(file) = server.conf_file else { continue };
        let changed: Vec<String> = CHANGED_DEFAULTS
            .iter()
            .filter(|(name, _)| server.effective(name).is_none())
            .filter_map(|(name, what)| {
                let (old, new) = (settings::get(m.from, name)?, settings::get(TARGET, name)?);
                (old.boot_val != new.boot_val).then(|| format!("{name} {} → {} ({what})", shown(old), shown(new)))
            })
            .collect();
        if changed.is_empty() {
            continue;
        }
        out.push(
            RULE.report(
                file,
                0..0,
                format!(
                    "{} setting(s) left at their default change meaning between {} and {TARGET}: {}",
                    changed.len(),
                    m.from,
                    changed.iter().map(|c| c.split(' ').next().unwrap_or_default()).collect::<Vec<_>>().join(", ")
                ),
            )
            .help(format!(
                "Not set in this configuration, so the new cluster takes {}'s defaults: {}. Set the old value in the new \
                 cluster's postgresql.conf to keep the old behaviour, or leave it to take the new one.",
                target_name!(),
                changed.join("; ")
            )),
        );
    }
}
