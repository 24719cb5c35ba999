//! Setting assignments a statement makes: `SET`, `SET LOCAL`, `ALTER SYSTEM SET`,
//! `ALTER DATABASE/ROLE ... SET`, and `set_config('name', 'value', ...)` calls.

use std::ops::Range;

use pg_query::NodeEnum;
use pg_query::protobuf::{Node, VariableSetKind, VariableSetStmt, a_const};

use crate::sql::tree;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Set,
    AlterSystem,
    AlterDatabase,
    AlterRole,
    SetConfig,
    /// A line of postgresql.conf (or a file it includes, or postgresql.auto.conf).
    Config,
    /// `CREATE/ALTER FUNCTION ... SET name = value`: checked at CREATE, and restored by pg_upgrade.
    Function,
    /// `SHOW name`: a read, with no value.
    Show,
    /// `current_setting('name')` (without `missing_ok`): a read, with no value.
    CurrentSetting,
}

impl Via {
    pub fn describe(self) -> &'static str {
        match self {
            Via::Set => "SET",
            Via::AlterSystem => "ALTER SYSTEM",
            Via::AlterDatabase => "ALTER DATABASE ... SET",
            Via::AlterRole => "ALTER ROLE ... SET",
            Via::SetConfig => "set_config()",
            Via::Config => "postgresql.conf",
            Via::Function => "CREATE FUNCTION ... SET",
            Via::Show => "SHOW",
            Via::CurrentSetting => "current_setting()",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Assignment {
    /// The file the assignment is written in.
    pub file: crate::diagnostic::FileId,
    /// Lower-cased, as PostgreSQL folds setting names.
    pub name: String,
    /// File span of the name as written.
    pub name_span: Range<usize>,
    /// The value as PostgreSQL would read it (list elements joined by `, `); `None` for
    /// `RESET`/`TO DEFAULT`.
    pub value: Option<String>,
    /// File span of the value as written (all of it, for lists).
    pub value_span: Option<Range<usize>>,
    pub via: Via,
    /// `RESET name` (or `SET name TO DEFAULT`).
    pub reset: bool,
    /// The name is a string literal (`set_config('name', ...)`): a rename must keep the quotes.
    pub name_quoted: bool,
}

impl Assignment {
    /// `ALTER SYSTEM/DATABASE/ROLE ... RESET name` removes a stored setting without validating
    /// its name: the remedy for a removed setting, never a failure.
    pub fn is_stored_reset(&self) -> bool {
        self.reset && matches!(self.via, Via::AlterSystem | Via::AlterDatabase | Via::AlterRole)
    }

    /// `SHOW name` or `current_setting('name')`: the setting is named, not set. Only the rules
    /// about names (removed, renamed, unknown) judge reads; a rule about values never does.
    pub fn is_read(&self) -> bool {
        matches!(self.via, Via::Show | Via::CurrentSetting)
    }
}

fn const_text(n: &Node) -> Option<(String, usize)> {
    match &n.node {
        Some(NodeEnum::AConst(c)) => {
            let text = match c.val.as_ref()? {
                a_const::Val::Sval(s) => s.sval.clone(),
                a_const::Val::Ival(i) => i.ival.to_string(),
                a_const::Val::Fval(f) => f.fval.clone(),
                a_const::Val::Boolval(b) => if b.boolval { "on" } else { "off" }.to_string(),
                a_const::Val::Bsval(b) => b.bsval.clone(),
            };
            Some((text, c.location.max(0) as usize))
        }
        // `SET x TO on` arrives as a type-cast-free identifier in some forms.
        Some(NodeEnum::TypeCast(tc)) => tc.arg.as_deref().and_then(const_text),
        _ => None,
    }
}

/// The end of the value token starting at `start` (a quoted string, or a word).
fn value_end(text: &str, start: usize, limit: usize) -> usize {
    tree::tokens(text, start..limit).first().map_or(start, |t| t.range.end)
}

/// The same, among the statement's tokens already scanned.
fn value_end_in(toks: &[tree::Token], start: usize) -> usize {
    toks.iter().find(|t| t.range.start >= start).map_or(start, |t| t.range.end)
}

fn from_set_stmt(
    file: crate::diagnostic::FileId,
    text: &str,
    base: usize,
    stmt_end: usize,
    s: &VariableSetStmt,
    via: Via,
    out: &mut Vec<Assignment>,
) {
    let kind = VariableSetKind::try_from(s.kind).unwrap_or(VariableSetKind::Undefined);
    if !matches!(kind, VariableSetKind::VarSetValue | VariableSetKind::VarSetDefault | VariableSetKind::VarReset) || s.name.is_empty() {
        return;
    }
    let name = s.name.to_ascii_lowercase();
    // One scan of the statement serves every span below.
    let toks = tree::tokens(text, base..stmt_end);
    let find = |ident: &str| toks.iter().find(|t| tree::ident_of(text, t) == ident).map(|t| t.range.clone());
    let name_span = find(&name)
        .or_else(|| {
            // Dotted names (`a.b`) are several tokens: find the first part.
            let first = name.split('.').next().unwrap_or(&name);
            find(first).map(|r| r.start..r.start + name.len())
        })
        .unwrap_or(base..base);
    let mut value = None;
    let mut value_span = None;
    if kind == VariableSetKind::VarSetValue {
        let parts: Vec<(String, usize)> = s.args.iter().filter_map(const_text).collect();
        if !parts.is_empty() {
            value = Some(parts.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>().join(", "));
            let first = base + parts[0].1;
            let last = base + parts[parts.len() - 1].1;
            value_span = Some(first..value_end_in(&toks, last));
        }
    }
    let reset = kind != VariableSetKind::VarSetValue;
    out.push(Assignment { file, name, name_span, value, value_span, via, reset, name_quoted: false });
}

/// A `SET` statement's assignment. The same few `SET` statements open every file pg_dump writes,
/// verbatim, and finding their spans takes a scan of the statement's tokens: the assignment is
/// worked out once per distinct text, with spans relative to the statement, and reused.
fn set_statement(file: crate::diagnostic::FileId, text: &str, range: &Range<usize>, s: &VariableSetStmt, out: &mut Vec<Assignment>) {
    type Memo = crate::sql::parse::TextHashMap<Option<Assignment>>;
    static MEMO: std::sync::LazyLock<std::sync::Mutex<Memo>> = std::sync::LazyLock::new(Default::default);
    const CAP: usize = 4096;
    let base = range.start;
    let key = xxhash_rust::xxh3::xxh3_128(text[range.clone()].as_bytes());
    // Spans lie inside the statement (an unfound name is the empty span at its start).
    let relative = |r: Range<usize>| r.start - base..r.end - base;
    let absolute = |r: Range<usize>| r.start + base..r.end + base;
    let known = MEMO.lock().unwrap_or_else(|e| e.into_inner()).get(&key).cloned();
    let relative = match known {
        Some(relative) => relative,
        None => {
            let mut found = Vec::new();
            from_set_stmt(file, text, base, range.end, s, Via::Set, &mut found);
            let relative = found.pop().map(|mut a| {
                a.name_span = relative(a.name_span);
                a.value_span = a.value_span.map(relative);
                a
            });
            let mut memo = MEMO.lock().unwrap_or_else(|e| e.into_inner());
            if memo.len() < CAP {
                memo.insert(key, relative.clone());
            }
            relative
        }
    };
    if let Some(mut a) = relative {
        a.file = file;
        a.name_span = absolute(a.name_span);
        a.value_span = a.value_span.map(absolute);
        out.push(a);
    }
}

/// Every assignment in the statement `node` whose locations are relative to `range.start`.
pub fn assignments(file: crate::diagnostic::FileId, text: &str, range: &Range<usize>, node: &NodeEnum) -> Vec<Assignment> {
    let mut out = statement_assignments(file, text, range, node);
    if mentions_current_setting(text, range) {
        out.extend(current_setting_reads(file, text, range));
    }
    if mentions_set_config(text, range)
        && let Some(v) = crate::sql::tree::statement_json(node)
    {
        out.extend(set_config_assignments(file, text, range, &v));
    }
    out
}

/// set_config() can hide in any statement; it is looked for only when the text mentions it (in
/// any case). Found from its `_`, which is rare in SQL text, without lower-casing a copy.
pub fn mentions_set_config(text: &str, range: &Range<usize>) -> bool {
    let t = text[range.clone()].as_bytes();
    memchr::memchr_iter(b'_', t).any(|at| at >= 3 && t.get(at - 3..at + 7).is_some_and(|w| w.eq_ignore_ascii_case(b"set_config")))
}

/// Whether the statement's text holds `current_setting` (any case).
pub fn mentions_current_setting(text: &str, range: &Range<usize>) -> bool {
    let t = text[range.clone()].as_bytes();
    memchr::memchr_iter(b'_', t).any(|at| at >= 7 && t.get(at - 7..at + 8).is_some_and(|w| w.eq_ignore_ascii_case(b"current_setting")))
}

/// The reads `current_setting('name')` and `current_setting('name', false)` of a statement (not
/// with `missing_ok` true, which does not fail), from its tokens: the call's shape is fixed, and
/// the scanner already leaves comments out.
pub fn current_setting_reads(file: crate::diagnostic::FileId, text: &str, range: &Range<usize>) -> Vec<Assignment> {
    let toks = tree::tokens(text, range.clone());
    let word = |i: usize| toks.get(i).map_or("", |t| &text[t.range.clone()]);
    let mut out = Vec::new();
    for i in 0..toks.len() {
        if !word(i).eq_ignore_ascii_case("current_setting") || word(i + 1) != "(" {
            continue;
        }
        let name = word(i + 2);
        let closed = word(i + 3) == ")" || (word(i + 3) == "," && word(i + 4).eq_ignore_ascii_case("false") && word(i + 5) == ")");
        let Some(inner) = name.strip_prefix('\'').and_then(|n| n.strip_suffix('\'')).filter(|n| !n.contains('\'')) else { continue };
        if closed && !inner.is_empty() {
            out.push(Assignment {
                file,
                name: inner.to_ascii_lowercase(),
                name_span: toks[i + 2].range.clone(),
                value: None,
                value_span: None,
                via: Via::CurrentSetting,
                reset: false,
                name_quoted: true,
            });
        }
    }
    out
}

/// The assignments the statement itself makes (SET, ALTER SYSTEM/DATABASE/ROLE ... SET).
pub fn statement_assignments(file: crate::diagnostic::FileId, text: &str, range: &Range<usize>, node: &NodeEnum) -> Vec<Assignment> {
    let mut out = Vec::new();
    let base = range.start;
    let set_stmt = match node {
        NodeEnum::VariableSetStmt(s) => Some((&**s, Via::Set)),
        NodeEnum::AlterSystemStmt(a) => a.setstmt.as_ref().map(|s| (s, Via::AlterSystem)),
        NodeEnum::AlterDatabaseSetStmt(a) => a.setstmt.as_ref().map(|s| (s, Via::AlterDatabase)),
        NodeEnum::AlterRoleSetStmt(a) => a.setstmt.as_ref().map(|s| (s, Via::AlterRole)),
        _ => None,
    };
    match set_stmt {
        Some((s, Via::Set)) => set_statement(file, text, range, s, &mut out),
        Some((s, via)) => from_set_stmt(file, text, base, range.end, s, via, &mut out),
        None => {}
    }
    // A routine's own settings: `CREATE FUNCTION ... SET x = v`, `ALTER FUNCTION ... SET/RESET x`.
    let routine_options = match node {
        NodeEnum::CreateFunctionStmt(f) => Some(&f.options),
        NodeEnum::AlterFunctionStmt(f) => Some(&f.actions),
        _ => None,
    };
    for o in routine_options.into_iter().flatten() {
        if let Some(NodeEnum::DefElem(d)) = &o.node
            && d.defname == "set"
            && let Some(NodeEnum::VariableSetStmt(s)) = d.arg.as_ref().and_then(|a| a.node.as_ref())
        {
            from_set_stmt(file, text, base, range.end, s, Via::Function, &mut out);
        }
    }
    if let NodeEnum::VariableShowStmt(s) = node {
        let name = s.name.to_ascii_lowercase();
        // `SHOW ALL` and the SQL-standard spellings (`SHOW TIME ZONE`) name no single setting.
        if name != "all" {
            let toks = tree::tokens(text, base..range.end);
            let name_span = toks.iter().skip(1).find(|t| tree::ident_of(text, t) == name).map_or(base..base, |t| t.range.clone());
            if name_span.start > base {
                out.push(Assignment {
                    file,
                    name,
                    name_span,
                    value: None,
                    value_span: None,
                    via: Via::Show,
                    reset: false,
                    name_quoted: false,
                });
            }
        }
    }
    out
}

/// The `set_config('name', 'value', ...)` calls of a statement given in its serde form.
pub fn set_config_assignments(
    file: crate::diagnostic::FileId,
    text: &str,
    range: &Range<usize>,
    json: &serde_json::Value,
) -> Vec<Assignment> {
    let mut out = Vec::new();
    set_config_calls(file, text, range.start, range.end, json, &mut out);
    out
}

fn set_config_calls(
    file: crate::diagnostic::FileId,
    text: &str,
    base: usize,
    end: usize,
    v: &serde_json::Value,
    out: &mut Vec<Assignment>,
) {
    match v {
        serde_json::Value::Object(map) => {
            if let Some(call) = map.get("FuncCall") {
                let name: Vec<String> = call["funcname"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|n| n.pointer("/node/String/sval").and_then(|s| s.as_str()).map(str::to_string)).collect())
                    .unwrap_or_default();
                let args = call["args"].as_array().cloned().unwrap_or_default();
                if name.last().is_some_and(|n| n == "set_config") && args.len() == 3 {
                    let sval = |a: &serde_json::Value| {
                        Some((
                            a.pointer("/node/AConst/val/Sval/sval")?.as_str()?.to_string(),
                            a.pointer("/node/AConst/location")?.as_i64()? as usize,
                        ))
                    };
                    if let (Some((n, nloc)), value) = (sval(&args[0]), sval(&args[1])) {
                        let nstart = base + nloc;
                        out.push(Assignment {
                            file,
                            name: n.to_ascii_lowercase(),
                            name_span: nstart..value_end(text, nstart, end),
                            value: value.as_ref().map(|(t, _)| t.clone()),
                            value_span: value.map(|(_, l)| base + l..value_end(text, base + l, end)),
                            via: Via::SetConfig,
                            reset: false,
                            name_quoted: true,
                        });
                    }
                }
            }
            map.values().for_each(|x| set_config_calls(file, text, base, end, x, out));
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| set_config_calls(file, text, base, end, x, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(sql: &str) -> Vec<Assignment> {
        let r = pg_query::parse(sql, 0).unwrap();
        let node = r.protobuf.stmts[0].stmt.as_ref().unwrap().node.as_ref().unwrap().clone();
        assignments(0, sql, &(0..sql.len()), &node)
    }

    #[test]
    fn set_config_is_found_in_any_case_and_position() {
        for (sql, expected) in [
            ("select set_config('a', 'b', false)", true),
            ("SELECT pg_catalog.SET_CONFIG('a', 'b', false)", true),
            ("set_config", true),
            ("select x_set_config_y", true),
            ("select set_confi", false),
            ("select set config", false),
            ("select _et_config, set_", false),
        ] {
            assert_eq!(mentions_set_config(sql, &(0..sql.len())), expected, "{sql}");
            assert_eq!(mentions_set_config(sql, &(0..sql.len())), sql.to_ascii_lowercase().contains("set_config"), "{sql}");
        }
    }

    #[test]
    fn all_forms() {
        let a = &first("ALTER SYSTEM SET Effective_IO_Concurrency = 1")[0];
        assert_eq!((a.name.as_str(), a.value.as_deref(), a.via), ("effective_io_concurrency", Some("1"), Via::AlterSystem));
        assert_eq!(&"ALTER SYSTEM SET Effective_IO_Concurrency = 1"[a.value_span.clone().unwrap()], "1");
        let sql = "SET log_connections TO 'receipt', 'authentication'";
        let a = &first(sql)[0];
        assert_eq!(a.value.as_deref(), Some("receipt, authentication"));
        assert_eq!(&sql[a.value_span.clone().unwrap()], "'receipt', 'authentication'");
        let sql = "SELECT set_config('vacuum_defer_cleanup_age', '10', false)";
        let a = &first(sql)[0];
        assert_eq!((a.name.as_str(), a.via), ("vacuum_defer_cleanup_age", Via::SetConfig));
        assert_eq!(&sql[a.name_span.clone()], "'vacuum_defer_cleanup_age'");
        let a = &first("ALTER ROLE app SET password_encryption = 'md5'")[0];
        assert_eq!((a.name.as_str(), a.value.as_deref(), a.via), ("password_encryption", Some("md5"), Via::AlterRole));
        assert!(first("RESET ALL").is_empty());
        let sql = "SET ssl_ecdh_curve = 'prime256v1'";
        assert_eq!(&sql[first(sql)[0].name_span.clone()], "ssl_ecdh_curve");
    }
}
