//! `map=` in pg_hba.conf naming a user name map that pg_ident.conf does not define.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Area, FixAvailability, ModelCtx, Rule, RuleMeta};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "hba-ident-map-missing",
        area: Area::Auth,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "A pg_hba.conf record's map= names a user name map pg_ident.conf does not define: every login through it fails",
        doc: include_str!("../../../rules/hba-ident-map-missing.md"),
    },
    hooks: &[],
    check: None,
    check_model: Some(check_model),
    keywords: &[],
};

fn check_model(m: &ModelCtx, out: &mut Vec<Diagnostic>) {
    for server in m.schema.servers.iter().filter(|s| s.has_ident) {
        for (file, r) in &server.hba {
            let Some((_, map, span)) = r.option("map") else { continue };
            if server.ident.iter().any(|(_, m)| &m.map.text == map) {
                continue;
            }
            let known: Vec<&str> = server.ident.iter().map(|(_, m)| m.map.text.as_str()).collect();
            let suggestion = known.iter().copied().min_by_key(|k| strsim::levenshtein(k, map)).filter(|k| strsim::levenshtein(k, map) <= 2);
            let mut d = RULE.report(
                *file,
                span.clone(),
                format!("user name map \"{map}\" is not defined in pg_ident.conf: every login through this record fails"),
            );
            d = d.help(match suggestion {
                Some(s) => format!("PostgreSQL reports \"no match in usermap\" and refuses the connection. Did you mean map={s}?"),
                None => "PostgreSQL reports \"no match in usermap\" and refuses the connection. Add the map's lines to pg_ident.conf \
                         (MAPNAME SYSTEM-USERNAME DATABASE-USERNAME), or remove map= from the record."
                    .to_string(),
            });
            out.push(d);
        }
    }
}
