//! A value PostgreSQL 18 rejects for a setting: not a boolean, not one of the enum's values,
//! a bad unit, or out of range.

use crate::diagnostic::{Diagnostic, Severity};
use crate::knowledge::settings;
use crate::knowledge::target::TARGET;
use crate::rules::{Area, FixAvailability, Rule, RuleMeta, SETTING_HOOKS, SETTING_KEYWORDS};
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "setting-invalid-value",
        area: Area::Settings,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: concat!("A value ", target_name!(), " rejects for a setting (wrong enum value, unit or range)"),
        doc: include_str!("../../../rules/setting-invalid-value.md"),
    },
    hooks: SETTING_HOOKS,
    check: Some(check),
    check_model: Some(check_model),
    keywords: SETTING_KEYWORDS,
};

crate::rules::setting_rule_checks!(judge);

fn judge(a: &crate::sql::assign::Assignment, _from: u32, out: &mut Vec<Diagnostic>) {
    {
        let (Some(value), Some(span)) = (&a.value, &a.value_span) else { return };
        let Some(setting) = settings::get(crate::knowledge::target::TARGET, &a.name) else { return };
        // io_uring is a valid io_method on Linux builds with liburing; aio-setting-review covers it.
        if a.name == "io_method" && value.eq_ignore_ascii_case("io_uring") {
            return;
        }
        let Some(why) = settings::invalid_value(setting, value) else { return };
        out.push(RULE.report(a.file, span.clone(), format!("invalid value for `{}` on PostgreSQL {TARGET}: {why}", a.name)).help(format!(
            concat!(target_name!(), " rejects it (22023). `{}` is {} with default `{}`{}."),
            a.name,
            match setting.vartype {
                "enum" => "an enum",
                "bool" => "a boolean",
                "integer" => "an integer",
                "real" => "a number",
                _ => "a string",
            },
            setting.boot_val,
            if setting.unit.is_empty() { String::new() } else { format!(" in units of {}", setting.unit) }
        )));
    }
}
