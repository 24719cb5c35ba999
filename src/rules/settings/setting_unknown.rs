//! A setting no PostgreSQL release knows: a typo, or a name from another product.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Severity};
use crate::knowledge::settings;
use crate::rules::{Ctx, FixAvailability, Hook, Rule, RuleMeta};
use crate::sql::assign::assignments;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "setting-unknown",
        area: "settings",
        severity: Severity::Error,
        fix: FixAvailability::Sometimes,
        summary: "A setting that PostgreSQL 18 does not know (a misspelt name) is rejected",
        doc: include_str!("../../../rules/setting-unknown.md"),
    },
    hooks: &[Hook::Any],
    check: Some(check),
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for a in assignments(ctx.text, ctx.range, ctx.node).into_iter().filter(|a| !a.is_stored_reset()) {
        if settings::is_custom(&a.name) || settings::is_known(&a.name) {
            continue;
        }
        let closest = settings::closest_18(&a.name);
        let mut d = Diagnostic::new(
            RULE.meta.id,
            RULE.meta.severity,
            ctx.file,
            a.name_span.clone(),
            match closest {
                Some(c) => format!("unknown setting `{}`: did you mean `{c}`?", a.name),
                None => format!("unknown setting `{}`", a.name),
            },
        )
        .help("PostgreSQL rejects settings it does not know (42704) unless the name has a dot (`extension.name`).");
        if let Some(c) = closest {
            let quoted = ctx.text[a.name_span.clone()].starts_with('\'');
            let replacement = if quoted { format!("'{c}'") } else { c.to_string() };
            d = d.fix(format!("Use `{c}`"), Applicability::Unsafe, vec![Edit::replace(ctx.file, a.name_span.clone(), replacement)]);
        }
        out.push(d);
    }
}
