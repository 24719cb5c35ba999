//! A setting renamed in PostgreSQL 18 whose old name still works as an alias.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Severity};
use crate::knowledge::settings::{self, Fate};
use crate::rules::{Area, FixAvailability, Rule, RuleMeta, SETTING_HOOKS, SETTING_KEYWORDS};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "setting-renamed",
        area: Area::Settings,
        severity: Severity::Warning,
        fix: FixAvailability::Always(Applicability::Unsafe),
        summary: "A setting renamed in PostgreSQL 18 (ssl_ecdh_curve is now ssl_groups) is set by its old name",
        doc: include_str!("../../../rules/setting-renamed.md"),
    },
    hooks: SETTING_HOOKS,
    check: Some(check),
    check_model: Some(check_model),
    keywords: SETTING_KEYWORDS,
};

crate::rules::setting_rule_checks!(judge, names);

fn judge(a: &crate::sql::assign::Assignment, from: u32, out: &mut Vec<Diagnostic>) {
    {
        let Some(Fate::Renamed { to, since, alias: true }) = settings::fate(&a.name, from) else { return };
        let quoted = a.name_quoted;
        let replacement = if quoted { format!("'{to}'") } else { to.to_string() };
        out.push(
            RULE.report(a.file, a.name_span.clone(), format!("setting `{}` is called `{to}` since PostgreSQL {since}", a.name))
                .help(format!(
                    "The old name still works as an alias of `{to}`, but it is no longer listed in pg_settings and may be removed. \
                 `ssl_groups` takes a colon-separated list; its default is now X25519:prime256v1."
                ))
                // Unsafe: the new name does not exist on the version upgraded from, so the fixed
                // file is one for the new cluster only (the old name works on both meanwhile).
                .fix(format!("Rename to `{to}`"), Applicability::Unsafe, vec![Edit::replace(a.file, a.name_span.clone(), replacement)]),
        );
    }
}
