//! `delegate_ident_mapping=1` on an oauth record: the validator alone decides who may log in
//! as which role.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Area, FixAvailability, ModelCtx, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "hba-delegate-ident-mapping",
        area: Area::Auth,
        severity: Severity::Warning,
        fix: FixAvailability::None,
        summary: "An oauth record with delegate_ident_mapping=1 lets the token validator alone map identities to roles",
        doc: include_str!("../../../rules/hba-delegate-ident-mapping.md"),
    },
    hooks: &[],
    check: None,
    check_model: Some(check_model),
    keywords: &[],
};

fn check_model(m: &ModelCtx, out: &mut Vec<Diagnostic>) {
    for server in &m.schema.servers {
        for (file, r) in &server.hba {
            let Some((_, value, span)) = r.option("delegate_ident_mapping") else { continue };
            if !matches!(value.to_ascii_lowercase().as_str(), "1" | "true" | "on" | "yes") {
                continue;
            }
            out.push(
                RULE.report(*file, span.clone(), "delegate_ident_mapping=1: the OAuth validator alone decides which role a token may use")
                    .help(
                        "PostgreSQL then skips its own check that the token's identity matches the role (no pg_ident map \
                         applies). Only use it with a validator you trust to authorize roles, and prefer map= otherwise.",
                    ),
            );
        }
    }
}
