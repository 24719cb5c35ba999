//! SLRU names as `pg_stat_slru.name` and `pg_stat_reset_slru()` spelled them before 17 ('Xact',
//! 'CommitTs'...): 17 renamed them ('transaction', 'commit_timestamp'...). Nothing fails: a
//! filter on the old name finds no row, and a reset of an unknown name resets "other".

use crate::diagnostic::{Applicability, Diagnostic, Edit, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "slru-name-renamed",
        area: Area::Upgrade,
        severity: Severity::Warning,
        fix: FixAvailability::Always(Applicability::Unsafe),
        summary: "An SLRU name as pg_stat_slru spelled it before 17 ('Xact', 'CommitTs'...): it matches nothing on PostgreSQL 18",
        doc: include_str!("../../../rules/slru-name-renamed.md"),
    },
    hooks: &[],
    check: Some(check),
    check_model: None,
    keywords: &["pg_stat_slru", "pg_stat_reset_slru"],
};

/// The release that renamed them.
const RENAMED_IN: u32 = 17;

/// (name before 17, name since), as the real 16 and 17 servers list them in pg_stat_slru.
const RENAMED: &[(&str, &str)] = &[
    ("CommitTs", "commit_timestamp"),
    ("MultiXactMember", "multixact_member"),
    ("MultiXactOffset", "multixact_offset"),
    ("Notify", "notify"),
    ("Serial", "serializable"),
    ("Subtrans", "subtransaction"),
    ("Xact", "transaction"),
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    if ctx.from >= RENAMED_IN || !ctx.mentions_keyword_of(&RULE) {
        return;
    }
    for (n, ..) in ctx.node.nodes() {
        let pg_query::NodeRef::AConst(c) = n else { continue };
        let Some(pg_query::protobuf::a_const::Val::Sval(s)) = &c.val else { continue };
        let Some((old, new)) = RENAMED.iter().find(|(old, _)| *old == s.sval) else { continue };
        let at = ctx.abs(c.location);
        // The literal's token, quotes included.
        let Some(span) = crate::sql::tree::tokens(ctx.text, at..ctx.range.end).first().map(|t| t.range.clone()) else { continue };
        if ctx.text.get(span.clone()) != Some(&format!("'{old}'")) {
            continue;
        }
        out.push(
            RULE.report(
                ctx.file,
                span.clone(),
                format!("SLRU '{old}' was renamed '{new}' in PostgreSQL {RENAMED_IN}: '{old}' matches nothing on {TARGET}"),
            )
            .help(format!(
                "pg_stat_slru lists '{new}' since 17: a filter on '{old}' returns no row, and pg_stat_reset_slru('{old}') resets \
                     the \"other\" entry instead, without an error."
            ))
            .fix(format!("Write '{new}'"), Applicability::Unsafe, vec![Edit::replace(ctx.file, span, format!("'{new}'"))]),
        );
    }
}
