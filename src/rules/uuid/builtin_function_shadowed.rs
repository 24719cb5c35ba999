//! A user function named like a function PostgreSQL added to `pg_catalog`: unqualified calls
//! reach the built-in instead, because `pg_catalog` is searched before `search_path`.

use pg_query::NodeEnum;

use crate::diagnostic::{Diagnostic, Severity};
use crate::knowledge::target::TARGET;
use crate::knowledge::{self, canonical_type_name};
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, StatementKind};
use crate::sql::tree;
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "builtin-function-shadowed",
        area: Area::Uuid,
        severity: Severity::Warning,
        fix: FixAvailability::None,
        summary: concat!("A user function named like a ", target_name!(), " built-in (uuidv7, uuidv4, casefold...) is shadowed by it"),
        doc: include_str!("../../../rules/builtin-function-shadowed.md"),
    },
    hooks: &[StatementKind::CreateFunction],
    check: Some(check),
    check_model: None,
    keywords: &[
        // The names of knowledge::NEW_BUILTIN_FUNCTIONS (a test checks they agree).
        "uuidv7",
        "uuidv4",
        "casefold",
        "array_sort",
        "array_reverse",
        "reverse",
        "crc32",
        "crc32c",
        "gamma",
        "lgamma",
        "pg_get_acl",
        "has_largeobject_privilege",
        "pg_get_loaded_modules",
        "pg_numa_available",
        "pg_ls_summariesdir",
        "pg_stat_get_backend_io",
        "pg_stat_get_backend_wal",
        "pg_stat_reset_backend_stats",
        "pg_clear_relation_stats",
        "pg_clear_attribute_stats",
    ],
};

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    match ctx.node {
        NodeEnum::CreateFunctionStmt(_) => definition(ctx, out),
        _ => calls(ctx, out),
    }
}

/// Unqualified calls of a user function that an earlier migration defined and that a new
/// built-in now shadows: the call binds to the built-in on PostgreSQL 18.
fn calls(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    // User functions named like a built-in new since the source version (a few dozen names).
    let mut shadowed: Vec<&str> = knowledge::NEW_BUILTIN_FUNCTIONS
        .iter()
        .filter(|b| {
            ctx.schema.functions.get(b.name).is_some_and(|defs| {
                defs.iter().any(|d| {
                    let args: Vec<&str> = d.arg_types.iter().map(|t| canonical_type_name(t)).collect();
                    builtin_may_win(b, &args, d.required_args)
                })
            })
        })
        .filter(|b| knowledge::new_builtin_function(b.name).is_some_and(|b| b.since > ctx.from && b.name != "reverse"))
        .map(|b| b.name)
        .collect();
    shadowed.sort_unstable();
    shadowed.dedup();
    if shadowed.is_empty() {
        return;
    }
    let lower = ctx.stmt_lower();
    if !shadowed.iter().any(|n| lower.contains(n)) {
        return;
    }
    for call in &ctx.statement_facts().functions {
        let [name] = call.name.as_slice() else { continue };
        if !shadowed.contains(&name.as_str()) {
            continue;
        }
        let Some(def) = ctx.schema.functions.get(name).and_then(|d| d.first()) else { continue };
        let at = ctx.range.start + call.location;
        let schema = def.schema.clone().unwrap_or_else(|| "public".into());
        out.push(
            RULE.report(ctx.file,
                at..at + name.len(),
                format!("`{name}()` here runs PostgreSQL {TARGET}'s built-in, not the function `{schema}.{name}` defined earlier"),
            )
            .help(format!(
                "pg_catalog is searched before search_path. Write `{schema}.{name}()` to keep calling your function, or drop yours and use the built-in."
            )),
        );
    }
}

/// Whether a call that reached a user function with these arguments (`required` of them without
/// a DEFAULT) may bind to the built-in instead: the built-in has the same argument types, or the
/// user function has defaults and the built-in takes a number of arguments the call may pass
/// (`uuidv7(ts timestamptz DEFAULT now())` loses `uuidv7()` calls). A user `crc32(text)` keeps
/// its calls: the built-in takes bytea, which a text argument never casts to implicitly, and an
/// untyped literal prefers the string type.
fn builtin_may_win(builtin: &knowledge::NewBuiltinFunction, args: &[&str], required: usize) -> bool {
    builtin.signatures.iter().any(|s| {
        let same = s.len() == args.len() && s.iter().zip(args).all(|(a, b)| a == b);
        same || (required < args.len() && (required..=args.len()).contains(&s.len()) && s.len() < args.len())
    })
}

fn definition(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
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
    let types: Vec<String> = tree::routine_arguments(&f.parameters).map(tree::argument_type).collect();
    let args: Vec<&str> = types.iter().map(|t| canonical_type_name(t)).collect();
    let same_signature = builtin.signatures.iter().any(|s| s.len() == args.len() && s.iter().zip(&args).all(|(a, b)| a == b));
    let required = tree::routine_arguments(&f.parameters).filter(|p| p.defexpr.is_none()).count();
    // reverse(text) has always existed: only a bytea variant is new.
    if !builtin_may_win(builtin, &args, required) || (fname == "reverse" && !same_signature) {
        return;
    }
    let span = ctx.ident_span(ctx.range.start, &fname, ctx.range.start..ctx.range.start + 1);
    let how = if same_signature {
        " with the same arguments: unqualified calls now run the built-in, not this function"
    } else {
        ": unqualified calls that used to reach this function may now run the built-in"
    };
    out.push(RULE.report(ctx.file, span, format!("function `{fname}` is a built-in in PostgreSQL {}{how}", builtin.since)).help(format!(
        "pg_catalog is searched before search_path, so `{fname}(...)` binds to the built-in. Drop this function and \
             use the built-in, rename it, or always call it schema-qualified (e.g. `public.{fname}()`). Existing column \
             defaults keep working: pg_dump writes them schema-qualified."
    )));
}
