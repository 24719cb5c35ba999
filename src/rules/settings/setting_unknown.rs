//! A setting no PostgreSQL release knows: a typo, or a name from another product.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Severity};
use crate::knowledge::settings;
use crate::rules::{Area, FixAvailability, Rule, RuleMeta, SETTING_HOOKS, SETTING_KEYWORDS};
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "setting-unknown",
        area: Area::Settings,
        severity: Severity::Error,
        fix: FixAvailability::Sometimes(Applicability::Unsafe),
        summary: concat!("A setting that ", target_name!(), " does not know (a misspelt name) is rejected"),
        doc: include_str!("../../../rules/setting-unknown.md"),
    },
    hooks: SETTING_HOOKS,
    check: Some(check),
    check_model: Some(check_model),
    keywords: SETTING_KEYWORDS,
};

crate::rules::setting_rule_checks!(judge, names);

fn judge(a: &crate::sql::assign::Assignment, _from: u32, out: &mut Vec<Diagnostic>) {
    {
        if settings::is_custom(&a.name) || settings::is_known(&a.name) {
            return;
        }
        let closest = settings::closest_target(&a.name);
        let mut d = RULE
            .report(
                a.file,
                a.name_span.clone(),
                match closest {
                    Some(c) => format!("unknown setting `{}`: did you mean `{c}`?", a.name),
                    None => format!("unknown setting `{}`", a.name),
                },
            )
            .help("PostgreSQL rejects settings it does not know (42704) unless the name has a dot (`extension.name`).");
        if let Some(c) = closest {
            let quoted = a.name_quoted;
            let replacement = if quoted { format!("'{c}'") } else { c.to_string() };
            d = d.fix(format!("Use `{c}`"), Applicability::Unsafe, vec![Edit::replace(a.file, a.name_span.clone(), replacement)]);
        }
        out.push(d);
    }
}
