//! A setting that was removed between the version upgraded from and 18.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Severity};
use crate::knowledge::settings::{self, Fate};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, FixAvailability, Rule, RuleMeta, SETTING_HOOKS, SETTING_KEYWORDS};
use crate::sql::assign::Via;
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "setting-removed",
        area: Area::Settings,
        severity: Severity::Error,
        fix: FixAvailability::Sometimes(Applicability::Unsafe),
        summary: concat!("A setting removed since the version you upgrade from is rejected by ", target_name!()),
        doc: include_str!("../../../rules/setting-removed.md"),
    },
    hooks: SETTING_HOOKS,
    check: Some(check),
    check_model: Some(check_model),
    keywords: SETTING_KEYWORDS,
};

crate::rules::setting_rule_checks!(judge, names);

fn judge(a: &crate::sql::assign::Assignment, from: u32, out: &mut Vec<Diagnostic>) {
    {
        let since = match settings::fate(&a.name, from) {
            Some(Fate::Removed { since }) => since,
            Some(Fate::Renamed { since, alias: false, .. }) => since,
            _ => return,
        };
        let renamed = settings::RENAMED.iter().find(|(old, ..)| *old == a.name).map(|(_, new, ..)| *new);
        let mut help = match renamed {
            Some(new) => format!("It was renamed `{new}` in PostgreSQL {since}; the old name is gone."),
            None => {
                format!("PostgreSQL {since} removed it; statements that set it fail with 42704 (unrecognized configuration parameter).")
            }
        };
        if a.via == Via::Config {
            help.push_str(concat!(
                " In postgresql.conf it keeps ",
                target_name!(),
                " from starting (\"unrecognized configuration parameter\"): remove the line."
            ));
        }
        if matches!(a.via, Via::AlterRole | Via::AlterDatabase | Via::Function) {
            help.push_str(concat!(
                " pg_upgrade restores the settings of roles, databases and functions, so one ",
                target_name!(),
                " rejects fails the upgrade itself, at that restore (pg_upgrade --check does not see it): RESET it on the old \
                 server first."
            ));
        }
        if a.via == Via::AlterSystem {
            help.push_str(concat!(
                " A postgresql.auto.conf that still sets it keeps ",
                target_name!(),
                " from starting: run ALTER SYSTEM RESET on the old server first."
            ));
        }
        let mut d = RULE
            .report(
                a.file,
                a.name_span.clone(),
                if a.via == Via::Config {
                    format!(
                        "setting `{}` was removed in PostgreSQL {since}: PostgreSQL {TARGET} does not start with it in the configuration",
                        a.name
                    )
                } else {
                    format!("setting `{}` was removed in PostgreSQL {since}: {} fails on PostgreSQL {TARGET}", a.name, a.via.describe())
                },
            )
            .help(help);
        if let Some(new) = renamed {
            let replacement = if a.name_quoted { format!("'{new}'") } else { new.to_string() };
            // Unsafe: the new name appeared after the version upgraded from, so the fixed file is
            // one for the new cluster only.
            d = d.fix(format!("Rename to `{new}`"), Applicability::Unsafe, vec![Edit::replace(a.file, a.name_span.clone(), replacement)]);
        }
        out.push(d);
    }
}
