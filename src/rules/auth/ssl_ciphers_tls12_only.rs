//! `ssl_ciphers` without `ssl_tls13_ciphers`: in PostgreSQL 18 it no longer reaches TLS 1.3.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Area, Ctx, FixAvailability, ModelCtx, Rule, RuleMeta, StatementKind, judge_statement};
use crate::sql::assign::Assignment;
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "ssl-ciphers-tls12-only",
        area: Area::Auth,
        severity: Severity::Info,
        fix: FixAvailability::None,
        summary: concat!("ssl_ciphers set without ssl_tls13_ciphers: in ", target_name!(), " it only restricts TLS 1.2 and older"),
        doc: include_str!("../../../rules/ssl-ciphers-tls12-only.md"),
    },
    hooks: &[StatementKind::Set, StatementKind::AlterSystem, StatementKind::AlterDatabaseSet, StatementKind::AlterRoleSet],
    check: Some(check),
    check_model: Some(check_model),
    keywords: &["set_config"],
};

fn finding(a: &Assignment) -> Option<Diagnostic> {
    if a.name != "ssl_ciphers" || a.reset {
        return None;
    }
    let span = a.value_span.clone().unwrap_or(a.name_span.clone());
    Some(RULE.report(a.file, span, concat!("ssl_ciphers no longer applies to TLS 1.3 connections on ", target_name!())).help(concat!(
        target_name!(),
        " splits cipher configuration: ssl_ciphers governs TLS 1.2 and older, the new ssl_tls13_ciphers \
                 governs TLS 1.3 cipher suites (empty = OpenSSL's defaults). If this list was meant to restrict every \
                 connection, set ssl_tls13_ciphers too (e.g. 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256')."
    )))
}

fn judge(a: &Assignment, _from: u32, out: &mut Vec<Diagnostic>) {
    out.extend(finding(a));
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    judge_statement(ctx, out, judge);
}

/// In a server's configuration, only when its files do not set ssl_tls13_ciphers as well.
fn check_model(m: &ModelCtx, out: &mut Vec<Diagnostic>) {
    for server in &m.schema.servers {
        if server.effective("ssl_tls13_ciphers").is_some() {
            continue;
        }
        if let Some(a) = server.effective("ssl_ciphers") {
            out.extend(finding(a));
        }
    }
}
