//! MD5 passwords: deprecated in PostgreSQL 18, which warns on every one that is set.

use pg_query::NodeEnum;
use pg_query::protobuf::Node;

use crate::diagnostic::{Applicability, Edit};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Area, Ctx, FixAvailability, ModelCtx, Rule, RuleMeta, StatementKind};
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "md5-password",
        area: Area::Auth,
        severity: Severity::Warning,
        fix: FixAvailability::Sometimes(Applicability::Unsafe),
        summary: "An MD5 password hash, or password_encryption = md5: deprecated in PostgreSQL 18",
        doc: include_str!("../../../rules/md5-password.md"),
    },
    hooks: &[
        StatementKind::CreateRole,
        StatementKind::AlterRole,
        StatementKind::Set,
        StatementKind::AlterSystem,
        StatementKind::AlterDatabaseSet,
        StatementKind::AlterRoleSet,
    ],
    check: Some(check),
    check_model: Some(check_model),
    keywords: &["set_config"],
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
        out.push(RULE.report(ctx.file, at..at + s.sval.len() + 2, format!("role `{role}` gets an MD5-hashed password")).help(concat!(
            target_name!(),
            " deprecates MD5 passwords and warns each time one is set (01P01; silence with \
                     md5_password_warnings = off); support will be removed in a future release. Set a SCRAM-SHA-256 \
                     password instead: with password_encryption = 'scram-sha-256' (the default), give the plain password \
                     or a SCRAM verifier. An MD5 hash cannot be converted: the password itself must be set again."
        )));
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
    for a in ctx.assignments().iter().filter(|a| !a.is_read()) {
        password_encryption(a, out);
    }
}

fn password_encryption(a: &crate::sql::assign::Assignment, out: &mut Vec<Diagnostic>) {
    {
        if a.name == "password_encryption" && a.value.as_deref().is_some_and(|v| v.eq_ignore_ascii_case("md5")) {
            out.push(
                RULE.report(
                    a.file,
                    a.value_span.clone().unwrap_or(a.name_span.clone()),
                    format!("{} password_encryption = md5: MD5 passwords are deprecated in PostgreSQL 18", a.via.describe()),
                )
                .help("Keep the default, scram-sha-256. Passwords stored as MD5 stay MD5 until they are set again.".to_string()),
            );
        }
    }
}

/// postgresql.conf's password_encryption, and pg_hba.conf records with the `md5` method.
fn check_model(m: &ModelCtx, out: &mut Vec<Diagnostic>) {
    for (_, c) in m.schema.conf_settings() {
        password_encryption(&c.assignment, out);
    }
    for server in &m.schema.servers {
        for (file, r) in &server.hba {
            if r.method.text != "md5" {
                continue;
            }
            out.push(
                RULE.report(*file, r.method.span.clone(), "pg_hba.conf record uses the deprecated md5 method")
                    .help(concat!(
                        "MD5 authentication is deprecated in ",
                        target_name!(),
                        ". An md5 record already accepts SCRAM-SHA-256 \
                         passwords; switch it to scram-sha-256 once every role that connects through it has a SCRAM \
                         password (SELECT rolname FROM pg_authid WHERE rolpassword LIKE 'md5%' must be empty): roles \
                         whose passwords are still MD5 hashes cannot log in through a scram-sha-256 record until their \
                         passwords are set again."
                    ))
                    .fix("Use scram-sha-256", Applicability::Unsafe, vec![Edit::replace(*file, r.method.span.clone(), "scram-sha-256")]),
            );
        }
    }
}
