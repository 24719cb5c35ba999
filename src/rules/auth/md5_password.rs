//! MD5 passwords: deprecated in PostgreSQL 18, which warns on every one that is set.

use pg_query::NodeEnum;
use pg_query::protobuf::Node;

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Ctx, FixAvailability, Hook, Rule, RuleMeta};
use crate::sql::assign::assignments;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "md5-password",
        area: "auth",
        severity: Severity::Warning,
        fix: FixAvailability::None,
        summary: "An MD5 password hash, or password_encryption = md5: deprecated in PostgreSQL 18",
        doc: include_str!("../../../rules/md5-password.md"),
    },
    hooks: &[Hook::Any],
    check: Some(check),
};

fn is_md5_hash(s: &str) -> bool {
    s.len() == 35 && s.starts_with("md5") && s[3..].bytes().all(|b| b.is_ascii_hexdigit())
}

fn role_options(ctx: &Ctx, role: &str, options: &[Node], out: &mut Vec<Diagnostic>) {
    for o in options {
        let Some(NodeEnum::DefElem(d)) = &o.node else { continue };
        if d.defname != "password" {
            continue;
        }
        let Some(NodeEnum::String(s)) = d.arg.as_ref().and_then(|a| a.node.as_ref()) else { continue };
        if !is_md5_hash(&s.sval) {
            continue;
        }
        let at = if d.arg_location > 0 { ctx.abs(d.arg_location) } else { ctx.abs(d.location) };
        out.push(
            Diagnostic::new(RULE.meta.id, RULE.meta.severity, ctx.file, at..at + s.sval.len() + 2, format!("role `{role}` gets an MD5-hashed password"))
                .help(
                    "PostgreSQL 18 deprecates MD5 passwords and warns each time one is set (01P01; silence with \
                     md5_password_warnings = off); support will be removed in a future release. Set a SCRAM-SHA-256 \
                     password instead: with password_encryption = 'scram-sha-256' (the default), give the plain password \
                     or a SCRAM verifier. An MD5 hash cannot be converted: the password itself must be set again.",
                ),
        );
    }
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    match ctx.node {
        NodeEnum::CreateRoleStmt(r) => role_options(ctx, &r.role, &r.options, out),
        NodeEnum::AlterRoleStmt(r) => {
            let name = r.role.as_ref().map_or(String::new(), |r| r.rolename.clone());
            role_options(ctx, &name, &r.options, out)
        }
        _ => {}
    }
    for a in assignments(ctx.text, ctx.range, ctx.node) {
        if a.name == "password_encryption" && a.value.as_deref().is_some_and(|v| v.eq_ignore_ascii_case("md5")) {
            out.push(
                Diagnostic::new(
                    RULE.meta.id,
                    RULE.meta.severity,
                    ctx.file,
                    a.value_span.clone().unwrap_or(a.name_span.clone()),
                    format!("{} password_encryption = md5: MD5 passwords are deprecated in PostgreSQL 18", a.via.describe()),
                )
                .help("Keep the default, scram-sha-256. Passwords stored as MD5 stay MD5 until they are set again.".to_string()),
            );
        }
    }
}
