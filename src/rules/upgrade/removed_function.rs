//! Calls of `pg_catalog` functions removed since the version upgraded from
//! (`pg_start_backup()`, `pg_stop_backup()`, the `pg_stat_get_checkpoint_*` family...).

use pg_query::NodeEnum;
use pg_query::protobuf::{Node, ObjectType, ObjectWithArgs};

use crate::diagnostic::{Diagnostic, Severity};
use crate::knowledge::target::TARGET;
use crate::knowledge::{self, functions};
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta};
use crate::sql::tree;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "removed-function",
        area: Area::Upgrade,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "A call of, or a GRANT/ALTER/COMMENT on, a built-in function or signature removed since the version you upgrade from (pg_start_backup...)",
        doc: include_str!("../../../rules/removed-function.md"),
    },
    hooks: &[],
    check: Some(check),
    check_model: None,
    keywords: KEYWORDS,
};

pub const KEYWORDS: &[&str] = &[
    // knowledge::functions::removed_names() and SIGNATURE_KEYWORDS (a test checks they agree).
    "binary_upgrade_set_next_toast_pg_type_oid",
    "close_lb",
    "close_sl",
    "currtid",
    "dist_bl",
    "dist_lb",
    "interval_accum",
    "interval_accum_inv",
    "interval_combine",
    "numeric_fac",
    "path_center",
    "pg_backup_start_time",
    "pg_is_in_backup",
    "pg_read_file_old",
    "pg_rotate_logfile_old",
    "pg_start_backup",
    "pg_stat_get_bgwriter_buf_written_checkpoints",
    "pg_stat_get_bgwriter_requested_checkpoints",
    "pg_stat_get_bgwriter_timed_checkpoints",
    "pg_stat_get_buf_fsync_backend",
    "pg_stat_get_buf_written_backend",
    "pg_stat_get_checkpoint_sync_time",
    "pg_stat_get_checkpoint_write_time",
    "pg_stop_backup",
    "pg_timezone_abbrevs",
    // Names that lost a signature and kept others: references by signature (GRANT ... ON FUNCTION
    // f(args), ALTER/COMMENT ON FUNCTION) are looked for in statements naming them.
    "interval_avg",
    "json_strip_nulls",
    "pg_create_logical_replication_slot",
    "pg_get_publication_tables",
    "pg_logical_emit_message",
    "pg_stat_have_stats",
    "pg_terminate_backend",
    "width_bucket",
    // Functions of contrib extensions, functions::REMOVED_EXTENSION_FUNCTIONS.
    "pg_get_wal_records_info_till_end_of_wal",
    "pg_get_wal_stats_till_end_of_wal",
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    if !ctx.mentions_keyword_of(&RULE) {
        return;
    }
    for object in referenced_by_signature(ctx.node) {
        by_signature(ctx, object, out);
    }
    // Signatures in text: only statements that may hold one are walked.
    let lower = ctx.stmt_lower();
    if lower.contains("regproc") || lower.contains("function_privilege") {
        for (text, location) in signature_literals(ctx.node) {
            by_signature_text(ctx, text, location, out);
        }
    }
    calls_that_break(ctx, out);
    for call in &ctx.statement_facts().functions {
        extension_function(ctx, call, out);
        let Some(name) = builtin_name(ctx, &call.name) else { continue };
        let Some(since) = functions::removed_since(name, ctx.from) else { continue };
        let at = ctx.range.start + call.location;
        let instead = functions::replacement(name).map_or(String::new(), |r| format!(" Use {r}."));
        out.push(
            RULE.report(ctx.file, at..at + call.name.join(".").len(), format!("function {name}() was removed in PostgreSQL {since}"))
                .help(format!("The call fails on PostgreSQL {TARGET} (42883, function does not exist).{instead}")),
        );
    }
}

/// A call of a function a contrib extension's newer version removed (pg_walinspect's
/// `*_till_end_of_wal`), in whatever schema the extension lives, unless the files define one.
fn extension_function(ctx: &Ctx, call: &tree::FuncCallRef, out: &mut Vec<Diagnostic>) {
    let Some(name) = call.name.last() else { return };
    let Some((_, extension, since, instead)) = functions::REMOVED_EXTENSION_FUNCTIONS.iter().find(|(n, ..)| n == name) else { return };
    if *since <= ctx.from || ctx.schema.functions.contains_key(name) {
        return;
    }
    let at = ctx.range.start + call.location;
    out.push(
        RULE.report(
            ctx.file,
            at..at + call.name.join(".").len(),
            format!("function {name}() of {extension} was removed by its PostgreSQL {since} version"),
        )
        .help(format!(
            "The call fails on PostgreSQL {TARGET} (42883) wherever {extension} is at its new version: a new \
                 installation, or after `ALTER EXTENSION {extension} UPDATE` (pg_upgrade keeps the old version, and its update \
                 fails while a view or function uses the removed one). Use {instead}."
        )),
    );
}

/// What a call of a name that lost a signature passes, that no surviving signature takes.
enum Breaks {
    /// Every call: what survives takes `internal` (an aggregate's own support function).
    Any,
    /// A call whose argument at this index is of one of these types.
    ArgumentOfType(usize, &'static [&'static str]),
}

/// Names whose removed signature is the one calls resolve to: (name, removed signature, the
/// release that removed it, which calls break, what to write instead). The other names that
/// lost a signature kept one that takes the same calls (a new argument with a default).
const CALLS_THAT_BREAK: &[(&str, &str, u32, Breaks, &str)] = &[
    ("interval_avg", "interval_avg(interval[])", 17, Breaks::Any, "avg(interval), the aggregate"),
    (
        "pg_stat_have_stats",
        "pg_stat_have_stats(text, oid, oid)",
        18,
        Breaks::ArgumentOfType(2, &["oid", "regclass", "regproc", "regprocedure", "regtype"]),
        "pg_stat_have_stats(kind, dboid, objid::bigint): the object id is bigint on 18",
    ),
];

/// The type of an argument where the statement shows it: a cast, an array of casts, or the
/// `oid` column of a catalog relation of the statement.
fn argument_type(node: &NodeEnum, relations: &[tree::NamedRelation]) -> Option<String> {
    match node {
        NodeEnum::TypeCast(c) => {
            let t = c.type_name.as_ref()?;
            let base = knowledge::canonical_type_name(tree::type_names(t).last()?).to_string();
            Some(if t.array_bounds.is_empty() { base } else { format!("_{base}") })
        }
        NodeEnum::AArrayExpr(a) => {
            let types: Vec<Option<String>> = a.elements.iter().map(|e| e.node.as_ref().and_then(|n| argument_type(n, relations))).collect();
            let first = types.first()?.clone()?;
            types.iter().all(|t| t.as_deref() == Some(first.as_str())).then(|| format!("_{first}"))
        }
        NodeEnum::ColumnRef(c) => {
            let fields = tree::names(&c.fields);
            let (r, column) = tree::column_relation(&fields, relations)?;
            (column == "oid" && crate::knowledge::catalog::is_catalog_relation(&r.relation.relname)).then(|| "oid".to_string())
        }
        _ => None,
    }
}

/// Calls of a name that lost the signature they resolve to (`interval_avg(ARRAY[...])`,
/// `pg_stat_have_stats('relation', d.oid, c.oid)`): where the arguments' types can be told.
fn calls_that_break(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let lower = ctx.stmt_lower();
    if !CALLS_THAT_BREAK.iter().any(|(name, ..)| lower.contains(name)) {
        return;
    }
    let relations = tree::statement_relations(ctx.node);
    for (n, ..) in ctx.node.nodes() {
        let pg_query::NodeRef::FuncCall(f) = n else { continue };
        let names = tree::names(&f.funcname);
        let Some(name) = builtin_name(ctx, &names) else { continue };
        let Some((_, signature, since, breaks, instead)) = CALLS_THAT_BREAK.iter().find(|(n, ..)| n == name) else { continue };
        if *since <= ctx.from {
            continue;
        }
        let broken = match breaks {
            Breaks::Any => true,
            Breaks::ArgumentOfType(i, types) => f
                .args
                .get(*i)
                .and_then(|a| a.node.as_ref())
                .and_then(|a| argument_type(a, &relations))
                .is_some_and(|t| types.contains(&t.as_str())),
        };
        if !broken {
            continue;
        }
        let at = ctx.abs(f.location);
        out.push(
            RULE.report(ctx.file, at..at + names.join(".").len(), format!("{signature} was removed in PostgreSQL {since}: this call resolves to it"))
                .help(format!("The call fails on PostgreSQL {TARGET} (42883, function does not exist): no signature left takes these arguments. Use {instead}.")),
        );
    }
}

/// The functions a statement names by signature: GRANT/REVOKE ... ON FUNCTION, ALTER FUNCTION
/// (its options, its owner), COMMENT ON FUNCTION.
fn referenced_by_signature(node: &NodeEnum) -> Vec<&ObjectWithArgs> {
    let is_routine = |t: i32| matches!(ObjectType::try_from(t), Ok(ObjectType::ObjectFunction | ObjectType::ObjectRoutine));
    fn of(n: &Node) -> Option<&ObjectWithArgs> {
        match &n.node {
            Some(NodeEnum::ObjectWithArgs(o)) => Some(o.as_ref()),
            _ => None,
        }
    }
    match node {
        NodeEnum::GrantStmt(g) if is_routine(g.objtype) => g.objects.iter().filter_map(of).collect(),
        NodeEnum::AlterFunctionStmt(a) => a.func.iter().collect(),
        NodeEnum::CommentStmt(c) if is_routine(c.objtype) => c.object.as_deref().and_then(of).into_iter().collect(),
        NodeEnum::AlterOwnerStmt(a) if is_routine(a.object_type) => a.object.as_deref().and_then(of).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// Text values that name a routine: cast to `regprocedure` or `regproc`, or the routine
/// argument of `has_function_privilege` (its second of three, its first of two). Each with the
/// literal's location in the statement.
fn signature_literals(node: &NodeEnum) -> Vec<(&str, usize)> {
    fn text(n: Option<&Node>) -> Option<(&str, usize)> {
        match n?.node.as_ref()? {
            NodeEnum::AConst(c) => match c.val.as_ref()? {
                pg_query::protobuf::a_const::Val::Sval(s) => Some((s.sval.as_str(), c.location.max(0) as usize)),
                _ => None,
            },
            _ => None,
        }
    }
    let mut out = Vec::new();
    for (n, ..) in node.nodes() {
        match n {
            pg_query::NodeRef::TypeCast(c) => {
                let to = c.type_name.as_ref().map(tree::type_names).unwrap_or_default();
                if matches!(to.last().map(String::as_str), Some("regprocedure" | "regproc"))
                    && let Some(t) = text(c.arg.as_deref())
                {
                    out.push(t);
                }
            }
            pg_query::NodeRef::FuncCall(f) if tree::names(&f.funcname).last().is_some_and(|n| n == "has_function_privilege") => {
                let routine = if f.args.len() == 3 { f.args.get(1) } else { f.args.first() };
                out.extend(text(routine));
            }
            _ => {}
        }
    }
    out
}

/// A signature written as text: it fails to resolve on 18 (42883) when the function or this
/// signature of it is gone.
fn by_signature_text(ctx: &Ctx, text: &str, location: usize, out: &mut Vec<Diagnostic>) {
    let Some((names, args)) = tree::signature_text(text) else { return };
    let Some(name) = builtin_name(ctx, &names) else { return };
    let Some((since, signature)) = removed(name, args.as_deref(), ctx.from) else { return };
    // The literal, quotes included: its token at the location.
    let at = ctx.range.start + location;
    let span = tree::tokens(ctx.text, at..ctx.range.end).first().map_or(at..at + 1, |t| t.range.clone());
    out.push(RULE.report(ctx.file, span, format!("function {signature} was removed in PostgreSQL {since}")).help(format!(
        "The text `{text}` no longer names a function on PostgreSQL {TARGET}: resolving it fails (42883, function does not \
         exist).{}",
        functions::replacement(name).map_or(String::new(), |r| format!(" Use {r}."))
    )));
}

/// The built-in a written name means: `pg_catalog.f`, or `f` when the files define no `f`.
fn builtin_name<'a>(ctx: &Ctx, names: &'a [String]) -> Option<&'a String> {
    let (schema, name) = match names {
        [name] => (None, name),
        [schema, name] => (Some(schema.as_str()), name),
        _ => return None,
    };
    let user_function = schema.is_some_and(|s| s != "pg_catalog") || (schema.is_none() && ctx.schema.functions.contains_key(name));
    (!user_function).then_some(name)
}

/// When `name` (with these argument types as `pg_type` names, when written) went after
/// `from`: the whole function, or only this signature of it; and the signature as a message
/// names it.
fn removed(name: &str, args: Option<&[String]>, from: u32) -> Option<(u32, String)> {
    let whole = functions::removed_since(name, from);
    let since = match args {
        None => whole,
        Some(args) => {
            whole.or_else(|| functions::signature_removed_since(name, &args.iter().map(String::as_str).collect::<Vec<_>>(), from))
        }
    }?;
    Some((since, format!("{name}({})", args.unwrap_or_default().join(", "))))
}

fn by_signature(ctx: &Ctx, o: &ObjectWithArgs, out: &mut Vec<Diagnostic>) {
    let names = tree::names(&o.objname);
    let Some(name) = builtin_name(ctx, &names) else { return };
    let args: Vec<String> = o
        .objargs
        .iter()
        .filter_map(|a| match &a.node {
            Some(NodeEnum::TypeName(t)) => {
                let base = knowledge::canonical_type_name(tree::type_names(t).last()?).to_string();
                Some(if t.array_bounds.is_empty() { base } else { format!("_{base}") })
            }
            _ => None,
        })
        .collect();
    let args = (!o.args_unspecified).then_some(args);
    let Some((since, signature)) = removed(name, args.as_deref(), ctx.from) else { return };
    let span = ctx.ident_span(ctx.range.start, name, ctx.range.clone());
    out.push(RULE.report(ctx.file, span, format!("function {signature} was removed in PostgreSQL {since}")).help(format!(
        "The statement fails on PostgreSQL {TARGET} (42883, function does not exist). A GRANT on a pg_catalog \
                 function is kept by pg_dump: if the old server has one on this signature, pg_upgrade's restore fails \
                 too. Revoke it on the old server before upgrading, and grant what replaces the function."
    )));
}

#[cfg(test)]
mod tests {
    use crate::knowledge::functions;

    #[test]
    fn keywords_are_the_removed_names() {
        // The removed names first, then names that lost a signature and kept others — not words
        // queries use for other things (`lead`, `lag`, `point`, `array_*`), nor encoding
        // conversions (user-encoding-conversion's business); jsonb_strip_nulls is found by
        // json_strip_nulls.
        let removed = functions::removed_names();
        assert_eq!(&super::KEYWORDS[..removed.len()], removed.as_slice());
        let partial = functions::names_with_removed_signatures();
        let extensions: Vec<&str> = functions::REMOVED_EXTENSION_FUNCTIONS.iter().map(|(n, ..)| *n).collect();
        let rest = &super::KEYWORDS[removed.len()..];
        let (signature_keywords, extension_keywords) = rest.split_at(rest.len() - extensions.len());
        assert!(!signature_keywords.is_empty() && signature_keywords.iter().all(|k| partial.contains(k)), "{partial:?}");
        assert_eq!(extension_keywords, extensions.as_slice());
    }
}
