//! `hostssl` records on a server whose configuration leaves SSL off: they can never match.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Area, FixAvailability, ModelCtx, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "hba-hostssl-ssl-off",
        area: Area::Auth,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "hostssl records in pg_hba.conf while postgresql.conf leaves ssl off: they cannot match",
        doc: include_str!("../../../rules/hba-hostssl-ssl-off.md"),
    },
    hooks: &[],
    check: None,
    check_model: Some(check_model),
    keywords: &[],
};

fn check_model(m: &ModelCtx, out: &mut Vec<Diagnostic>) {
    for server in m.schema.servers.iter().filter(|s| s.has_conf) {
        let ssl = server.target_value("ssl").unwrap_or_default().to_ascii_lowercase();
        if matches!(ssl.as_str(), "on" | "true" | "yes" | "1") {
            continue;
        }
        for (file, r) in &server.hba {
            if r.kind.text != "hostssl" {
                continue;
            }
            out.push(RULE.report(*file, r.kind.span.clone(), "hostssl record cannot match: ssl is off in postgresql.conf").help(
                "PostgreSQL reports \"hostssl record cannot match because SSL is disabled\" for this line. Turn ssl on \
                         (with ssl_cert_file and ssl_key_file), or use host if unencrypted connections are meant to match.",
            ));
        }
    }
}
