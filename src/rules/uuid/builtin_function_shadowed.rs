//! A user function named like a function PostgreSQL added to `pg_catalog`: unqualified calls
//! reach the built-in instead, because `pg_catalog` is searched before `search_path`.

use pg_query::NodeEnum;

use crate::diagnostic::{Diagnostic, Severity};
use crate::knowledge::{self, canonical_type_name};
use crate::rules::{Ctx, FixAvailability, Hook, Rule, RuleMeta};
use crate::sql::tree;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "builtin-function-shadowed",
        area: "uuid",
        severity: Severity::Warning,
        fix: FixAvailability::None,
        summary: "A user function named like a PostgreSQL 18 built-in (uuidv7, uuidv4, casefold...) is shadowed by it",
        doc: include_str!("../../../rules/builtin-function-shadowed.md"),
    },
    hooks: &[Hook::CreateFunction],
    check: Some(check),
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let NodeEnum::CreateFunctionStmt(f) = ctx.node else { return };
    let mut name = tree::names(&f.funcname);
    let Some(fname) = name.pop() else { return };
    if name.first().is_some_and(|s| s == "pg_catalog") {
        return;
    }
    let Some(builtin) = knowledge::new_builtin_function(&fname) else { return };
    if builtin.since <= ctx.from {
        return;
    }
    let args: Vec<String> = f
        .parameters
        .iter()
        .filter_map(|p| match &p.node {
            Some(NodeEnum::FunctionParameter(p)) if !matches!(p.mode, 2 | 5) => {
                Some(p.arg_type.as_ref().map(tree::type_names).and_then(|mut n| n.pop()).unwrap_or_default())
            }
            _ => None,
        })
        .map(|t| canonical_type_name(&t).to_string())
        .collect();
    let same_signature = builtin.signatures.iter().any(|s| s.len() == args.len() && s.iter().zip(&args).all(|(a, b)| a == b));
    // reverse(text) has always existed: only a bytea variant is new.
    if fname == "reverse" && !same_signature {
        return;
    }
    let span = ctx.ident_span(ctx.range.start, &fname, ctx.range.start..ctx.range.start + 1);
    let how = if same_signature {
        " with the same arguments: unqualified calls now run the built-in, not this function"
    } else {
        ": unqualified calls that used to reach this function may now run the built-in"
    };
    out.push(
        Diagnostic::new(
            RULE.meta.id,
            RULE.meta.severity,
            ctx.file,
            span,
            format!("function `{fname}` is a built-in in PostgreSQL {}{how}", builtin.since),
        )
        .help(format!(
            "pg_catalog is searched before search_path, so `{fname}(...)` binds to the built-in. Drop this function and \
             use the built-in, rename it, or always call it schema-qualified (e.g. `public.{fname}()`). Existing column \
             defaults keep working: pg_dump writes them schema-qualified."
        )),
    );
}
