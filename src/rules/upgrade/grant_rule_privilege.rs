//! The RULE privilege: a no-op since 8.2, removed in PostgreSQL 18.

use pg_query::NodeEnum;

use crate::diagnostic::{Applicability, Diagnostic, Edit, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta};
use crate::sql::tree;
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "grant-rule-privilege",
        area: Area::Upgrade,
        severity: Severity::Error,
        fix: FixAvailability::Sometimes(Applicability::Safe),
        summary: concat!("GRANT/REVOKE RULE and has_table_privilege(..., 'RULE') fail on ", target_name!()),
        doc: include_str!("../../../rules/grant-rule-privilege.md"),
    },
    hooks: &[],
    check: Some(check),
    check_model: None,
    // "rule": GRANT and REVOKE are parsed only when they mention it (sql::front::may_be_read).
    keywords: &["privilege", "rule"],
};

const HELP: &str = concat!(
    "The RULE privilege has done nothing since PostgreSQL 8.2; ",
    target_name!(),
    " removed it and rejects the \
    word. Dropping it changes nothing."
);

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    if let NodeEnum::GrantStmt(g) = ctx.node {
        let privs: Vec<&str> = g
            .privileges
            .iter()
            .filter_map(|p| match &p.node {
                Some(NodeEnum::AccessPriv(a)) => Some(a.priv_name.as_str()),
                _ => None,
            })
            .collect();
        if !privs.contains(&"rule") {
            return;
        }
        let toks = tree::tokens(ctx.text, ctx.range.clone());
        let Some(i) = toks.iter().position(|t| ctx.text[t.range.clone()].eq_ignore_ascii_case("rule")) else { return };
        let span = toks[i].range.clone();
        let verb = if g.is_grant { "GRANT" } else { "REVOKE" };
        let mut d = RULE.report(ctx.file, span.clone(), format!("{verb} of the RULE privilege fails on PostgreSQL {TARGET}")).help(HELP);
        if privs.len() > 1 {
            // Remove `RULE` with the comma on one side of it.
            let text = |j: usize| &ctx.text[toks[j].range.clone()];
            let range = if i + 1 < toks.len() && text(i + 1) == "," {
                span.start..toks[i + 2].range.start
            } else if i > 0 && text(i - 1) == "," {
                toks[i - 1].range.start..span.end
            } else {
                span.clone()
            };
            d = d.fix("Remove RULE from the privilege list", Applicability::Safe, vec![Edit::replace(ctx.file, range, "")]);
        }
        out.push(d);
        return;
    }
    if !ctx.mentions("privilege") {
        return;
    }
    for call in &ctx.statement_facts().functions {
        let Some(name) = call.name.last() else { continue };
        if !matches!(name.as_str(), "has_table_privilege" | "has_any_column_privilege") {
            continue;
        }
        // The privilege string is the last argument: find a 'RULE' literal inside the call.
        let toks = tree::tokens(ctx.text, ctx.range.start + call.location..ctx.range.end);
        let mut depth = 0;
        for t in &toks {
            let s = &ctx.text[t.range.clone()];
            match s {
                "(" => depth += 1,
                ")" => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ if s.starts_with('\'') && s.to_ascii_lowercase().split(|c: char| !c.is_ascii_alphabetic()).any(|w| w == "rule") => {
                    out.push(
                        RULE.report(ctx.file, t.range.clone(), format!("{name}() with the RULE privilege fails on PostgreSQL {TARGET}"))
                            .help(HELP),
                    );
                }
                _ => {}
            }
        }
    }
}
