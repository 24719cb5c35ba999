//! `log_connections` set to a boolean: PostgreSQL 18 made it a list of aspects to log.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, FixAvailability, Rule, RuleMeta, SETTING_HOOKS, SETTING_KEYWORDS};
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "log-connections-boolean",
        area: Area::Settings,
        severity: Severity::Info,
        fix: FixAvailability::Always(Applicability::Unsafe),
        summary: concat!(
            "log_connections set to a boolean: ",
            target_name!(),
            " takes a list (receipt, authentication, authorization, setup_durations)"
        ),
        doc: include_str!("../../../rules/log-connections-boolean.md"),
    },
    hooks: SETTING_HOOKS,
    check: Some(check),
    check_model: Some(check_model),
    keywords: SETTING_KEYWORDS,
};

const TRUE: &[&str] = &["on", "true", "yes", "1", "t", "y"];
const FALSE: &[&str] = &["off", "false", "no", "0", "f", "n"];

crate::rules::setting_rule_checks!(judge);

fn judge(a: &crate::sql::assign::Assignment, _from: u32, out: &mut Vec<Diagnostic>) {
    {
        if a.name != "log_connections" {
            return;
        }
        let (Some(value), Some(span)) = (&a.value, &a.value_span) else { return };
        let lower = value.to_ascii_lowercase();
        let replacement = if TRUE.contains(&lower.as_str()) {
            "'receipt,authentication,authorization'"
        } else if FALSE.contains(&lower.as_str()) {
            "''"
        } else {
            return;
        };
        out.push(
            RULE.report(a.file, span.clone(), format!("log_connections = {value}: PostgreSQL {TARGET} takes a list of aspects to log"))
                .help(
                    "Booleans are still accepted (true means receipt,authentication,authorization), but 18 can also log \
                 setup_durations, or `all`. Write the list to say what you want.",
                )
                // Unsafe: versions before 18 reject the list, so the fixed file is for the new cluster.
                .fix(format!("Write {replacement}"), Applicability::Unsafe, vec![Edit::replace(a.file, span.clone(), replacement)]),
        );
    }
}
