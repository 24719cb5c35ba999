//! `ALTER ROLE r [NO]INHERIT` when upgrading from 15 or older: since 16 whether a member uses the
//! privileges of a role it was granted is an option of each grant (`GRANT a TO r WITH INHERIT
//! ...`), and the role's INHERIT attribute is only the default for grants made after it. The
//! statement no longer changes what the role can do through the memberships it already has.

use pg_query::NodeEnum;

use crate::diagnostic::{Diagnostic, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, StatementKind};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "role-inherit-per-grant",
        area: Area::Auth,
        severity: Severity::Warning,
        fix: FixAvailability::None,
        summary: "ALTER ROLE ... [NO]INHERIT: since PostgreSQL 16 it changes only grants made afterwards, not the memberships the role has",
        doc: include_str!("../../../rules/role-inherit-per-grant.md"),
    },
    hooks: &[StatementKind::AlterRole],
    check: Some(check),
    check_model: None,
    keywords: &[],
};

/// The release that made INHERIT an option of each grant.
const CHANGED_IN: u32 = 16;

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    if ctx.from >= CHANGED_IN {
        return;
    }
    let NodeEnum::AlterRoleStmt(a) = ctx.node else { return };
    let Some(inherit) = a.options.iter().find_map(|o| match &o.node {
        Some(NodeEnum::DefElem(d)) if d.defname == "inherit" => Some(match d.arg.as_ref().and_then(|x| x.node.as_ref()) {
            Some(NodeEnum::Boolean(b)) => b.boolval,
            Some(NodeEnum::Integer(i)) => i.ival != 0,
            _ => true,
        }),
        _ => None,
    }) else {
        return;
    };
    let Some(role) = a.role.as_ref().map(|r| r.rolename.clone()).filter(|r| !r.is_empty()) else { return };
    let word = if inherit { "INHERIT" } else { "NOINHERIT" };
    let span = crate::sql::tree::tokens(ctx.text, ctx.range.clone())
        .into_iter()
        .map(|t| t.range)
        .find(|r| ctx.text[r.clone()].eq_ignore_ascii_case(word))
        .unwrap_or(ctx.range.clone());
    let shown = crate::quote::name(&role);
    let (effect, grant) = if inherit {
        ("the roles it was granted WITH INHERIT FALSE stay uninherited", "TRUE")
    } else {
        ("it keeps using the privileges of the roles it was already granted", "FALSE")
    };
    out.push(
        RULE.report(ctx.file, span, format!("ALTER ROLE {shown} {word} changes only later grants since PostgreSQL {CHANGED_IN}: {effect}"))
            .help(format!(
                "Before {CHANGED_IN} INHERIT was an attribute of the role, read at every use of a membership. Since {CHANGED_IN} it is \
             an option of each grant, taken from the role's attribute when the grant is made (pg_upgrade sets every existing \
             grant from it). On {TARGET} this statement leaves the existing memberships as they are: set them per grant, \
             `GRANT some_role TO {shown} WITH INHERIT {grant};` for each role it is a member of."
            )),
    );
}
