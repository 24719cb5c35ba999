//! COPY ... FREEZE into a foreign table: ignored before 18, an error on 18.

use pg_query::NodeEnum;

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, StatementKind};
use crate::sql::tree;
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "copy-freeze-foreign-table",
        area: Area::Upgrade,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: concat!("COPY ... FREEZE into a foreign table fails on ", target_name!(), " (it was ignored)"),
        doc: include_str!("../../../rules/copy-freeze-foreign-table.md"),
    },
    hooks: &[StatementKind::Copy],
    check: Some(check),
    check_model: None,
    keywords: &[],
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let NodeEnum::CopyStmt(c) = ctx.node else { return };
    let Some(rel) = &c.relation else { return };
    if !c.is_from {
        return;
    }
    let freeze = c.options.iter().find_map(|o| match &o.node {
        Some(NodeEnum::DefElem(d)) if d.defname == "freeze" => {
            let off = matches!(d.arg.as_ref().and_then(|a| a.node.as_ref()), Some(NodeEnum::String(s)) if matches!(s.sval.as_str(), "false" | "off" | "0"))
                || matches!(d.arg.as_ref().and_then(|a| a.node.as_ref()), Some(NodeEnum::Boolean(b)) if !b.boolval);
            (!off).then_some(d.location)
        }
        _ => None,
    });
    let Some(loc) = freeze else { return };
    let Some(table) = ctx.schema.table(&tree::relation_key(rel)) else { return };
    if !table.foreign {
        return;
    }
    let at = ctx.abs(loc);
    let span = tree::tokens(ctx.text, at..ctx.range.end).first().map_or(at..at + 6, |t| t.range.clone());
    out.push(
        RULE.report(
            ctx.file,
            span,
            format!(concat!("COPY FREEZE into foreign table `{}` fails on ", target_name!()), crate::quote::dotted(&table.key)),
        )
        .help(concat!(
            target_name!(),
            " rejects FREEZE for foreign tables (it was silently ignored before). Remove the option: it never had an effect here."
        )),
    );
}
