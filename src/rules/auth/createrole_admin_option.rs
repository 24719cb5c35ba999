//! A role with CREATEROLE (not a superuser) on a server older than 16: from 16 on it manages
//! only the roles it holds ADMIN OPTION on, so the roles it created and managed before the
//! upgrade are out of its reach afterwards. Live audits only: the catalog of a 13-15 server
//! says who has CREATEROLE, not which roles each one manages.

use pg_query::NodeEnum;

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, StatementKind};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "createrole-admin-option",
        area: Area::Auth,
        severity: Severity::Warning,
        fix: FixAvailability::None,
        summary: "A non-superuser role with CREATEROLE on a server before 16: afterwards it manages only roles it has ADMIN OPTION on",
        doc: include_str!("../../../rules/createrole-admin-option.md"),
    },
    hooks: &[StatementKind::AlterRole],
    check: Some(check),
    check_model: None,
    keywords: &[],
};

/// The release that tied CREATEROLE to ADMIN OPTION.
const CHANGED_IN: u32 = 16;

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(catalog) = &ctx.schema.catalog else { return };
    if catalog.major >= CHANGED_IN {
        return;
    }
    let NodeEnum::AlterRoleStmt(a) = ctx.node else { return };
    let creates_roles = a.options.iter().any(|o| matches!(&o.node, Some(NodeEnum::DefElem(d)) if d.defname == "createrole"));
    let Some(role) = a.role.as_ref().map(|r| r.rolename.clone()).filter(|_| creates_roles) else { return };
    let shown = crate::quote::name(&role);
    let span = ctx.ident_span(ctx.range.start, "CREATEROLE", ctx.range.clone());
    out.push(
        RULE.report(
            ctx.file,
            span,
            format!("role {shown} has CREATEROLE: from PostgreSQL {CHANGED_IN} it manages only the roles it has ADMIN OPTION on"),
        )
        .help(format!(
            "On {} a CREATEROLE role could alter, grant and drop any role that is not a superuser; from 16 it needs ADMIN \
                 OPTION on each (granted automatically only for roles it creates from then on), and it can hand out CREATEDB, \
                 REPLICATION and BYPASSRLS only if it has them. After the upgrade, as a superuser, give it back the roles it \
                 manages: `GRANT app_user TO {shown} WITH ADMIN OPTION;` for each (the old catalog does not record which ones \
                 it created).",
            catalog.major
        )),
    );
}
