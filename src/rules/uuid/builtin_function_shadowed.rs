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
        // Calls are looked for in statements that name these: the user-facing functions new in
        // 18 (each a knowledge::new_builtin_function, a test checks). Definitions shadowed by
        // any built-in added since 13 are found without keywords (the rule reads every CREATE
        // FUNCTION).
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
    if ctx.schema.functions.is_empty() {
        return;
    }
    for call in &ctx.statement_facts().functions {
        let [name] = call.name.as_slice() else { continue };
        let Some(defs) = ctx.schema.functions.get(name) else { continue };
        let Some(builtin) = knowledge::new_builtin_function(name) else { continue };
        let shadowed = defs.iter().any(|d| {
            let args: Vec<&str> = d.arg_types.iter().map(|t| canonical_type_name(t)).collect();
            shadowing_release(builtin, &args, d.required_args, ctx.from).is_some()
        });
        let Some(def) = defs.first().filter(|_| shadowed) else { continue };
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

/// The release after `from` whose new built-in may take the calls that reached a user function
/// with these arguments (`required` of them without a DEFAULT): one with the same argument types,
/// or — for a name that had no built-in before — one taking a number of arguments a call may pass
/// to the user function thanks to its defaults (`uuidv7(ts timestamptz DEFAULT now())` loses
/// `uuidv7()` calls). A user `crc32(text)` keeps its calls: the built-in takes bytea, which a text
/// argument never casts to implicitly, and an untyped literal prefers the string type. A name
/// that had built-ins before (`reverse(text)`) loses only calls with the new argument types.
fn shadowing_release(builtin: &knowledge::NewBuiltinFunction, args: &[&str], required: usize, from: u32) -> Option<u32> {
    let old_name = knowledge::functions::exists(builtin.name, from);
    builtin
        .added_after(from)
        .filter(|(s, _)| {
            let same = s.len() == args.len() && s.iter().zip(args).all(|(a, b)| a == b);
            same || (!old_name && required < args.len() && (required..=args.len()).contains(&s.len()) && s.len() < args.len())
        })
        .map(|(_, since)| since)
        .min()
}

fn definition(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let NodeEnum::CreateFunctionStmt(f) = ctx.node else { return };
    let mut name = tree::names(&f.funcname);
    let Some(fname) = name.pop() else { return };
    if name.first().is_some_and(|s| s == "pg_catalog") {
        return;
    }
    let Some(builtin) = knowledge::new_builtin_function(&fname) else { return };
    let types: Vec<String> = tree::routine_arguments(&f.parameters).map(tree::argument_type).collect();
    let args: Vec<&str> = types.iter().map(|t| canonical_type_name(t)).collect();
    let required = tree::routine_arguments(&f.parameters).filter(|p| p.defexpr.is_none()).count();
    let Some(since) = shadowing_release(builtin, &args, required, ctx.from) else { return };
    let same_signature = builtin.added_after(ctx.from).any(|(s, _)| s.len() == args.len() && s.iter().zip(&args).all(|(a, b)| a == b));
    let span = ctx.ident_span(ctx.range.start, &fname, ctx.range.start..ctx.range.start + 1);
    let how = if same_signature {
        " with the same arguments: unqualified calls now run the built-in, not this function"
    } else {
        ": unqualified calls that used to reach this function may now run the built-in"
    };
    // Its own schema: `app.uuidv7()` is called as `app.uuidv7()` (an unqualified CREATE puts
    // it in the first schema of search_path, `public` by default).
    let schema = name.last().map_or("public", String::as_str);
    let qualified = crate::quote::qualified(schema, &fname);
    out.push(RULE.report(ctx.file, span, format!("function `{fname}` is a built-in in PostgreSQL {since}{how}")).help(format!(
        "pg_catalog is searched before search_path, so `{fname}(...)` binds to the built-in. Drop this function and \
             use the built-in, rename it, or always call it schema-qualified (`{qualified}()`). Existing column \
             defaults keep working: pg_dump writes them schema-qualified."
    )));
}
