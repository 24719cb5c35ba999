//! A generated column written without STORED or VIRTUAL: VIRTUAL on PostgreSQL 18.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Severity};
use crate::model::GeneratedKind;
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, StatementKind};
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "generated-column-implicit-virtual",
        area: Area::Generated,
        severity: Severity::Warning,
        fix: FixAvailability::Always(Applicability::Unsafe),
        summary: concat!("A generated column without STORED or VIRTUAL is VIRTUAL on ", target_name!()),
        doc: include_str!("../../../rules/generated-column-implicit-virtual.md"),
    },
    hooks: &[StatementKind::CreateTable, StatementKind::AlterTable],
    check: Some(check),
    check_model: None,
    keywords: &[],
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for &(table, column) in ctx.columns_defined_here() {
        let Some(g) = &column.generated else { continue };
        if g.explicit || g.kind != GeneratedKind::Virtual {
            continue;
        }
        let d = RULE
            .report(
                g.clause.file,
                g.clause.span.clone(),
                format!(
                    concat!("generated column `{}.{}` has neither STORED nor VIRTUAL: ", target_name!(), " makes it VIRTUAL"),
                    crate::quote::dotted(&table.key),
                    crate::quote::name(&column.name)
                ),
            )
            .help(
                "Before 18 every generated column was stored (and this syntax was an error). Write STORED to keep \
             that behaviour, as pg_dump does; write VIRTUAL to accept 18's default explicitly. A virtual column is \
             computed on read, cannot be indexed or constrained, and may use only built-in functions and types.",
            )
            .fix("Write STORED", Applicability::Unsafe, vec![Edit::insert(g.clause.file, g.tail.expr_end, " STORED")]);
        out.push(d);
    }
}
