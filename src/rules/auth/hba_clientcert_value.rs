//! `clientcert=1`, `clientcert=0` or `clientcert=no-verify` in pg_hba.conf: PostgreSQL 14 kept
//! only `verify-ca` and `verify-full`, and a pg_hba.conf with another value does not load.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Severity};
use crate::rules::{Area, FixAvailability, ModelCtx, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "hba-clientcert-value",
        area: Area::Auth,
        severity: Severity::Error,
        fix: FixAvailability::Always(Applicability::Safe),
        summary: "clientcert=1, 0 or no-verify in pg_hba.conf: only verify-ca and verify-full are accepted since PostgreSQL 14, and the file does not load",
        doc: include_str!("../../../rules/hba-clientcert-value.md"),
    },
    hooks: &[],
    check: None,
    check_model: Some(check_model),
    keywords: &[],
};

fn check_model(m: &ModelCtx, out: &mut Vec<Diagnostic>) {
    for server in &m.schema.servers {
        for (file, r) in &server.hba {
            let Some((_, value, span)) = r.option("clientcert") else { continue };
            let lower = value.to_ascii_lowercase();
            if matches!(lower.as_str(), "verify-ca" | "verify-full") {
                continue;
            }
            // 1 meant verify-ca; 0 and no-verify meant no check, which is what leaving the
            // option out means. With `cert` authentication the certificate is always verified
            // in full, so the option goes.
            let (replacement, title) = match lower.as_str() {
                "1" if r.method.text != "cert" => ("clientcert=verify-ca", "Write clientcert=verify-ca".to_string()),
                "0" | "1" | "no-verify" => ("", "Remove the option".to_string()),
                _ => continue,
            };
            let meaning = match lower.as_str() {
                "1" => "it meant verify-ca",
                _ => "it meant no verification, which leaving the option out means",
            };
            out.push(
                RULE.report(
                    *file,
                    span.clone(),
                    format!("clientcert={value} is not accepted since PostgreSQL 14: pg_hba.conf does not load"),
                )
                .help(format!(
                    "PostgreSQL 14 removed clientcert=1, 0 and no-verify ({meaning}); the server reports \"invalid value for \
                         clientcert\" for the line and refuses the whole file. Write clientcert=verify-ca or verify-full, or leave \
                         the option out; both spellings are accepted by every supported release."
                ))
                .fix(title, Applicability::Safe, vec![Edit::replace(*file, span.clone(), replacement)]),
            );
        }
    }
}
