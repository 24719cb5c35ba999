//! pg_hba.conf `oauth` records that PostgreSQL 18 refuses to load.

use crate::diagnostic::{Diagnostic, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, FixAvailability, ModelCtx, Rule, RuleMeta};
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "hba-oauth-incomplete",
        area: Area::Auth,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "A pg_hba.conf oauth record without issuer/scope, without validator library, or with an ambiguous validator",
        doc: include_str!("../../../rules/hba-oauth-incomplete.md"),
    },
    hooks: &[],
    check: None,
    check_model: Some(check_model),
    keywords: &[],
};

fn libraries(value: &str) -> Vec<String> {
    value.split(',').map(|l| l.trim().trim_matches('"').to_string()).filter(|l| !l.is_empty()).collect()
}

fn check_model(m: &ModelCtx, out: &mut Vec<Diagnostic>) {
    for server in &m.schema.servers {
        let libs = server.has_conf.then(|| libraries(&server.target_value("oauth_validator_libraries").unwrap_or_default()));
        for (file, r) in &server.hba {
            if r.method.text != "oauth" {
                continue;
            }
            let mut report = |msg: String, help: &str| {
                out.push(RULE.report(*file, r.method.span.clone(), msg).help(help.to_string()));
            };
            for required in ["issuer", "scope"] {
                if r.option(required).is_none() {
                    report(
                        format!("oauth record without `{required}=`: PostgreSQL {TARGET} refuses it"),
                        concat!(
                            target_name!(),
                            " requires both issuer= (the OAuth issuer URL) and scope= on oauth records; the file is not loaded otherwise."
                        ),
                    );
                }
            }
            let Some(libs) = &libs else { continue };
            match (libs.len(), r.option("validator")) {
                (0, _) => report(
                    "oauth record while oauth_validator_libraries is empty: every OAuth login is refused".into(),
                    "PostgreSQL ships no token validator. Set oauth_validator_libraries in postgresql.conf to the validator \
                     module you install; until then the record cannot authenticate anyone.",
                ),
                (n, None) if n > 1 => report(
                    "oauth record without `validator=` while several validator libraries are loaded".into(),
                    "With more than one library in oauth_validator_libraries, each oauth record must say which one \
                     validates its tokens (validator=name).",
                ),
                (_, Some((_, v, _))) if !libs.iter().any(|l| l == v) => report(
                    format!("oauth record names validator `{v}`, which is not in oauth_validator_libraries"),
                    "The validator= option must name one of the libraries listed in oauth_validator_libraries.",
                ),
                _ => {}
            }
        }
    }
}
