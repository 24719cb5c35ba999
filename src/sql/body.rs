//! The SQL inside routine bodies and DO blocks: where each embedded statement or expression
//! stands in the file, as text the SQL front end can parse at that very place.
//!
//! A `LANGUAGE sql` body is SQL as written: its statements are split like a script. A PL/pgSQL
//! body (a function's or a DO block's) is read by libpg_query's PL/pgSQL parser, which gives
//! every embedded SQL statement and expression with its line; each is found again on that
//! line, and made parseable at the same length: an expression becomes `SELECT expr` (the
//! `SELECT ` written over the bytes before it), `PERFORM` becomes `SELECT `, and an `EXECUTE`
//! of a constant string (or of `format()` with a constant format) is judged as the SQL in the
//! string. A branch that a server-version test makes dead on the target is not judged.

use std::ops::Range;

use pg_query::NodeEnum;

use crate::diagnostic::{NotJudged, NotJudgedReason};
use crate::knowledge::target::TARGET;
use crate::sql::plpgsql::{self, Json};
use crate::sql::script::{self, Placeholder, Substitution};
use crate::sql::tree;

/// The routine a body belongs to, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Routine {
    /// A `LANGUAGE sql` function or procedure: its body is checked at CREATE (while
    /// `check_function_bodies` is on).
    Sql { name: String, procedure: bool },
    /// A PL/pgSQL function or procedure: its statements run (and fail) when it is called.
    PlPgSql { name: String, procedure: bool },
    /// A DO block: it runs where it stands.
    DoBlock,
}

impl Routine {
    /// What to add to a finding's message inside this body.
    pub fn context(&self) -> String {
        match self {
            Routine::Sql { name, procedure } => {
                let (what, create) = if *procedure { ("procedure", "CREATE PROCEDURE") } else { ("function", "CREATE FUNCTION") };
                format!("in the body of SQL {what} `{name}` ({create} checks it, unless check_function_bodies is off)")
            }
            Routine::PlPgSql { name, procedure } => {
                let (what, create) = if *procedure { ("procedure", "CREATE PROCEDURE") } else { ("function", "CREATE FUNCTION") };
                format!("in the body of PL/pgSQL {what} `{name}` (it runs when the {what} is called: {create} does not check it)")
            }
            Routine::DoBlock => "in a DO block".to_string(),
        }
    }

    /// Statements of a DO block run: they change the schema like any other.
    pub fn folds(&self) -> bool {
        *self == Routine::DoBlock
    }
}

/// One piece of embedded SQL: the text to parse in place of the file's bytes `region` (the same
/// length), and what in it differs from the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub region: Range<usize>,
    pub text: String,
    /// Bytes written over the file's (`SELECT ` before an expression, placeholders of a
    /// `format()` string): no fix may edit them, and no finding is reported about an unknown one.
    pub substitutions: Vec<Substitution>,
    /// Why the piece is not judged if it does not parse: SQL an EXECUTE builds may need what
    /// its placeholders stand for.
    pub if_unparsed: NotJudgedReason,
    /// A PL/pgSQL expression (an assignment's value, a condition, a RETURN) judged as `SELECT
    /// expr`: its value goes to a variable or a test, not to a client as a query's column.
    pub expression: bool,
}

/// The embedded SQL of one routine body.
#[derive(Debug, Default)]
pub struct Body {
    pub routine: Option<Routine>,
    pub pieces: Vec<Piece>,
    pub not_judged: Vec<NotJudged>,
}

/// Procedural languages whose bodies hold no SQL pgready can find.
const NO_SQL_LANGUAGES: &[&str] = &["c", "internal"];

/// The embedded SQL of a `CREATE FUNCTION/PROCEDURE` or `DO` statement (`stmt` is its text in
/// the file, at byte `base`). None for any other statement, for bodies with no SQL text
/// (`BEGIN ATOMIC`, which the grammar already parsed, and C functions), and for a body that
/// `worth_reading` (given its text) says nothing could be found in — a DO block's too: the
/// statements that change the schema are of kinds `worth_reading` looks for.
pub fn body_of(node: &NodeEnum, stmt: &str, base: usize, worth_reading: impl Fn(&str) -> bool) -> Option<Body> {
    let (name, procedure, options, is_do) = match node {
        NodeEnum::CreateFunctionStmt(f) => {
            if f.sql_body.is_some() {
                return None;
            }
            (tree::names(&f.funcname).join("."), f.is_procedure, &f.options, false)
        }
        NodeEnum::DoStmt(d) => (String::new(), false, &d.args, true),
        _ => return None,
    };
    let mut language = if is_do { Some("plpgsql".to_string()) } else { None };
    let mut source = None;
    for o in options {
        let Some(NodeEnum::DefElem(d)) = &o.node else { continue };
        let arg = d.arg.as_ref().and_then(|a| a.node.as_ref());
        match (d.defname.as_str(), arg) {
            ("language", Some(NodeEnum::String(s))) => language = Some(s.sval.to_ascii_lowercase()),
            ("as", Some(NodeEnum::String(s))) => source = Some(s.sval.clone()),
            ("as", Some(NodeEnum::List(l))) if l.items.len() == 1 => {
                if let Some(NodeEnum::String(s)) = l.items[0].node.as_ref() {
                    source = Some(s.sval.clone());
                }
            }
            _ => {}
        }
    }
    let (language, source) = (language?, source?);
    if NO_SQL_LANGUAGES.contains(&language.as_str()) || source.trim().is_empty() {
        return None;
    }
    if (language == "sql" || language == "plpgsql") && !worth_reading(&source) {
        return None;
    }
    let mut body = Body::default();
    let whole = base..base + stmt.len();
    if language != "sql" && language != "plpgsql" {
        body.not_judged.push(NotJudged { span: whole, reason: NotJudgedReason::BodyLanguage });
        return Some(body);
    }
    // The body as written: a dollar-quoted string, or a quoted one with nothing escaped.
    let Some(at) = find_string_constant(stmt, &source) else {
        body.not_judged.push(NotJudged { span: whole, reason: NotJudgedReason::BodyNotParsed });
        return Some(body);
    };
    let span = base + at..base + at + source.len();
    if language == "sql" {
        body.routine = Some(Routine::Sql { name, procedure });
        for s in script::split(&source).statements {
            let region = span.start + s.range.start..span.start + s.range.end;
            body.pieces.push(Piece {
                text: source[s.range.clone()].to_string(),
                region,
                substitutions: Vec::new(),
                if_unparsed: NotJudgedReason::BodyNotParsed,
                expression: false,
            });
        }
        return Some(body);
    }
    body.routine = Some(if is_do { Routine::DoBlock } else { Routine::PlPgSql { name, procedure } });
    let parsed = plpgsql::with_parsed(stmt, |functions| {
        let lines = Lines::new(&source);
        let mut reader = PlPgSqlReader { source: &source, base: span.start, lines, body: &mut body };
        for function in functions.as_array().into_iter().flatten() {
            let Some(function) = function.get("PLpgSQL_function") else { continue };
            if let Some(action) = function.get("action") {
                reader.walk(action, 1);
            }
            // Initial values of declared variables and cursor queries are embedded SQL too.
            if let Some(datums) = function.get("datums") {
                reader.walk(datums, 1);
            }
        }
    });
    if parsed.is_none() {
        body.not_judged.push(NotJudged { span, reason: NotJudgedReason::BodyNotParsed });
    }
    Some(body)
}

/// Whether a routine body may hold a statement of a kind other than `Other` — the only ones a
/// rule reads without a keyword: one of [`LEAD_WORDS_OF_KINDS`] where a statement starts (the
/// body's start, after `;`, `BEGIN`, `THEN`, `ELSE`, `LOOP` or a `<<label>>`), or an `EXECUTE`
/// (whose string is SQL: judged when constant, counted when built at run time). Read from the SQL
/// scanner's tokens, so comments and strings are what they are.
///
/// [`LEAD_WORDS_OF_KINDS`]: crate::sql::kinds::LEAD_WORDS_OF_KINDS
pub fn may_hold_read_statement(source: &str) -> bool {
    use crate::sql::kinds::is_lead_word;
    let toks = tree::tokens(source, 0..source.len());
    if toks.is_empty() {
        // The scanner gave up (an unterminated quote): read it all.
        return !source.trim().is_empty();
    }
    let mut statement_start = true;
    for t in &toks {
        let s = &source[t.range.clone()];
        if (statement_start && is_lead_word(s)) || s.eq_ignore_ascii_case("execute") {
            return true;
        }
        statement_start = matches!(s, ";" | ">>") || ["begin", "then", "else", "loop"].iter().any(|w| w.eq_ignore_ascii_case(s));
    }
    false
}

/// The offset in `stmt` of the string constant whose value is `value`, written so that its
/// value is its text (dollar-quoted, or quoted without a doubled quote or a backslash escape).
fn find_string_constant(stmt: &str, value: &str) -> Option<usize> {
    let mut from = 0;
    // memmem: `str::find` prepares its searcher for the whole body, at every call.
    let finder = memchr::memmem::Finder::new(value.as_bytes());
    while let Some(p) = finder.find(&stmt.as_bytes()[from..]) {
        let at = from + p;
        let before = &stmt[..at];
        let after = &stmt[at + value.len()..];
        // `$tag$` right before and the same tag right after.
        if let Some(open) = before.strip_suffix('$').and_then(|b| b.rfind('$')) {
            let tag = &before[open..];
            if tag[1..tag.len() - 1].chars().all(|c| c.is_alphanumeric() || c == '_') && after.starts_with(tag) {
                return Some(at);
            }
        }
        if before.ends_with('\'') && after.starts_with('\'') && !value.contains('\'') && !before[..before.len() - 1].ends_with(['E', 'e']) {
            return Some(at);
        }
        from = at + value.len().max(1);
        if from >= stmt.len() || value.is_empty() {
            break;
        }
    }
    None
}

/// Line starts of a body (line 1 is the one the body starts on, as PL/pgSQL counts).
struct Lines {
    starts: Vec<usize>,
    len: usize,
}

impl Lines {
    fn new(source: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts, len: source.len() }
    }

    /// Body offsets of line `n` (1-based), without its newline.
    fn line(&self, n: usize) -> Range<usize> {
        let start = self.starts.get(n.saturating_sub(1)).copied().unwrap_or(self.len);
        let end = self.starts.get(n).map_or(self.len, |e| e - 1);
        start..end.max(start)
    }
}

struct PlPgSqlReader<'a> {
    source: &'a str,
    base: usize,
    lines: Lines,
    body: &'a mut Body,
}

/// How PL/pgSQL parses an embedded expression (its `RawParseMode`).
const PARSE_DEFAULT: i64 = 0;
const PARSE_ASSIGN: [i64; 3] = [3, 4, 5];

impl PlPgSqlReader<'_> {
    fn walk(&mut self, v: &Json, line: usize) {
        match v {
            Json::Array(items) => items.iter().for_each(|i| self.walk(i, line)),
            Json::Object(map) => {
                let line = v.get("lineno").and_then(Json::as_line).unwrap_or(line);
                if let Some(expr) = v.get("PLpgSQL_expr") {
                    self.expression(expr, line, false);
                    return;
                }
                if let Some(stmt) = v.get("PLpgSQL_stmt_if") {
                    self.if_statement(stmt, line);
                    return;
                }
                for (key, value) in map {
                    let dynamic = matches!(key.as_ref(), "PLpgSQL_stmt_dynexecute" | "PLpgSQL_stmt_dynfors") || (key == "dynquery");
                    if dynamic {
                        self.dynamic(value, line);
                    } else {
                        self.walk(value, line);
                    }
                }
            }
            _ => {}
        }
    }

    /// `EXECUTE expr`: the expression itself is judged, and the SQL it builds when that is a
    /// constant; otherwise the statement is counted as not judged.
    fn dynamic(&mut self, v: &Json, line: usize) {
        let line = v.get("lineno").and_then(Json::as_line).unwrap_or(line);
        // The query expression of the statement (`query`), or the value itself (`dynquery`).
        let (query, rest) = match v.get("query") {
            Some(q) => (q, Some(v)),
            None => (v, None),
        };
        let expr = query.get("PLpgSQL_expr").unwrap_or(query);
        self.expression(expr, line, true);
        if let Some(Json::Object(map)) = rest {
            for (k, value) in map {
                if k != "query" {
                    self.walk(value, line);
                }
            }
        }
    }

    fn if_statement(&mut self, stmt: &Json, line: usize) {
        let line = stmt.get("lineno").and_then(Json::as_line).unwrap_or(line);
        let mut branches: Vec<(Option<&Json>, Option<&Json>, usize)> = vec![(stmt.get("cond"), stmt.get("then_body"), line)];
        for e in stmt.get("elsif_list").and_then(Json::as_array).into_iter().flatten() {
            let e = e.get("PLpgSQL_if_elsif").unwrap_or(e);
            let l = e.get("lineno").and_then(Json::as_line).unwrap_or(line);
            branches.push((e.get("cond"), e.get("stmts"), l));
        }
        for (cond, then, l) in branches {
            let verdict =
                cond.and_then(|c| c.get("PLpgSQL_expr")).and_then(|e| e.get("query")).and_then(Json::as_str).and_then(version_test);
            if let Some(c) = cond {
                self.walk(c, l);
            }
            match verdict {
                // Dead on the target: written for older servers.
                Some(false) => continue,
                Some(true) => {
                    if let Some(t) = then {
                        self.walk(t, l);
                    }
                    return;
                }
                None => {
                    if let Some(t) = then {
                        self.walk(t, l);
                    }
                }
            }
        }
        if let Some(e) = stmt.get("else_body") {
            self.walk(e, line);
        }
    }

    /// Find an embedded query on its line and note it as a piece to judge. `dynamic`: it is the
    /// string an EXECUTE runs.
    fn expression(&mut self, expr: &Json, line: usize, dynamic: bool) {
        let Some(query) = expr.get("query").and_then(Json::as_str) else { return };
        let mode = expr.get("parseMode").and_then(Json::as_int).unwrap_or(PARSE_DEFAULT);
        let query = query.trim_start();
        if query.is_empty() {
            return;
        }
        let Some((at, perform)) = self.locate(query, line) else {
            let span = self.at(self.lines.line(line));
            self.body.not_judged.push(NotJudged { span, reason: NotJudgedReason::BodyNotParsed });
            return;
        };
        let written = &self.source[at..at + query.len() + usize::from(perform)];
        if perform {
            // `PERFORM x` is run as `SELECT x`: the same length.
            let text = format!("SELECT {}", &query["SELECT".len()..]);
            let region = self.at(at..at + text.len());
            let substitutions = vec![known(region.start..region.start + 7)];
            self.body.pieces.push(Piece { region, text, substitutions, if_unparsed: NotJudgedReason::BodyNotParsed, expression: false });
            return;
        }
        if mode == PARSE_DEFAULT {
            // A statement as written (an INTO clause is blanked in `query`).
            let substitutions = differing(written, query, self.base + at);
            self.body.pieces.push(Piece {
                region: self.at(at..at + query.len()),
                text: query.to_string(),
                substitutions,
                if_unparsed: NotJudgedReason::BodyNotParsed,
                expression: false,
            });
            return;
        }
        // An expression (after `target :=` for an assignment): judged as `SELECT expr`.
        let skip = if PARSE_ASSIGN.contains(&mode) { assignment_value(query) } else { 0 };
        let value = &query[skip..];
        let start = at + skip;
        if self.base + start >= 7 {
            let region = self.base + start - 7..self.base + at + query.len();
            let substitutions = vec![known(region.start..region.start + 7)];
            self.body.pieces.push(Piece {
                region,
                text: format!("SELECT {value}"),
                substitutions,
                if_unparsed: NotJudgedReason::BodyNotParsed,
                expression: true,
            });
        }
        if dynamic {
            self.dynamic_sql(value.trim_end(), start);
        }
    }

    /// The SQL an `EXECUTE` runs, when its expression is a constant string or `format()` of one.
    fn dynamic_sql(&mut self, value: &str, at: usize) {
        let (lead, format) = match value.strip_prefix("format(") {
            Some(_) => ("format(".len(), true),
            None => (0, false),
        };
        let rest = &value[lead..];
        let literal = rest.strip_prefix('\'').and_then(|r| r.find('\'').map(|end| &r[..end]));
        let whole = if format { rest.starts_with('\'') } else { literal.is_some_and(|l| l.len() + 2 == value.len()) };
        let Some(sql) = literal.filter(|l| whole && !rest[l.len() + 2..].starts_with('\'')) else {
            let span = self.at(at..at + value.len());
            self.body.not_judged.push(NotJudged { span, reason: NotJudgedReason::DynamicSql });
            return;
        };
        let start = self.base + at + lead + 1;
        let mut text = sql.to_string();
        let mut substitutions = Vec::new();
        if format {
            // `%I`, `%s` and `%L` stand for what format() is given: placeholders of the same
            // length (`''`, an empty literal, for `%L`).
            if sql.contains("%%") || sql.contains('$') && sql.contains('%') {
                self.body.not_judged.push(NotJudged { span: start..start + sql.len(), reason: NotJudgedReason::DynamicSql });
                return;
            }
            let mut bytes = text.into_bytes();
            for i in 0..bytes.len().saturating_sub(1) {
                if bytes[i] == b'%' && matches!(bytes[i + 1], b'I' | b's' | b'L') {
                    if bytes[i + 1] == b'L' {
                        bytes[i..i + 2].copy_from_slice(b"''");
                    } else {
                        bytes[i] = b'_';
                    }
                    substitutions.push(Substitution { range: start + i..start + i + 2, placeholder: Placeholder::Template });
                }
            }
            text = String::from_utf8(bytes).unwrap_or_default();
        }
        // One piece per statement, each from its first token (a tree's locations count from
        // the start of the text it was parsed from).
        for s in script::split(&text).statements {
            let region = start + s.range.start..start + s.range.end;
            let substitutions =
                substitutions.iter().filter(|x| x.range.start >= region.start && x.range.end <= region.end).cloned().collect();
            let if_unparsed = NotJudgedReason::DynamicSql;
            self.body.pieces.push(Piece { region, text: text[s.range].to_string(), substitutions, if_unparsed, expression: false });
        }
    }

    /// Where `query` stands in the body: on `line` (or, failing that, anywhere after it), as
    /// written or with blanks where PL/pgSQL cut an INTO clause. The flag: written as PERFORM.
    fn locate(&self, query: &str, line: usize) -> Option<(usize, bool)> {
        let src = self.source.as_bytes();
        let q = query.as_bytes();
        let fits = |p: usize, q: &[u8], off: usize| {
            src.len() >= p + off + q.len()
                && q.iter().zip(&src[p + off..]).all(|(a, b)| a == b || *a == b' ' || (a.is_ascii_whitespace() && b.is_ascii_whitespace()))
        };
        let perform_tail = query.strip_prefix("SELECT").map(str::as_bytes);
        let range = self.lines.line(line);
        let starts = (range.start..=range.end).chain(range.end + 1..src.len());
        for p in starts {
            if p >= src.len() {
                break;
            }
            if src[p] == q[0] && fits(p, q, 0) {
                return Some((p, false));
            }
            if let Some(tail) = perform_tail
                && src.len() >= p + 7
                && src[p..p + 7].eq_ignore_ascii_case(b"PERFORM")
                && fits(p, tail, 7)
            {
                return Some((p, true));
            }
        }
        None
    }

    fn at(&self, r: Range<usize>) -> Range<usize> {
        self.base + r.start..self.base + r.end
    }
}

fn known(range: Range<usize>) -> Substitution {
    Substitution { range, placeholder: Placeholder::KnownVariable }
}

/// The byte ranges (at `base`) where `text` differs from what is `written` (a blanked INTO).
fn differing(written: &str, text: &str, base: usize) -> Vec<Substitution> {
    let mut out: Vec<Substitution> = Vec::new();
    for (i, (a, b)) in written.bytes().zip(text.bytes()).enumerate() {
        if a != b {
            match out.last_mut() {
                Some(s) if s.range.end == base + i => s.range.end += 1,
                _ => out.push(known(base + i..base + i + 1)),
            }
        }
    }
    out
}

/// Where the value of a PL/pgSQL assignment (`target := value`, `target = value`) starts.
fn assignment_value(query: &str) -> usize {
    match query.find(":=") {
        Some(p) => p + 2,
        None => query.find('=').map_or(0, |p| p + 1),
    }
}

/// Whether an IF condition that tests the server's version holds on the target, when it is such
/// a test: `current_setting('server_version_num')::int < 170000`, `... >= 180000`...
fn version_test(cond: &str) -> Option<bool> {
    let lower = cond.to_ascii_lowercase();
    if !lower.contains("server_version_num") {
        return None;
    }
    let target = i64::from(TARGET) * 10000;
    let ops = ["<=", ">=", "<>", "!=", "<", ">", "="];
    let (op_at, op) = ops.iter().filter_map(|op| lower.find(op).map(|p| (p, *op))).min_by_key(|(p, op)| (*p, usize::MAX - op.len()))?;
    let (left, right) = (&lower[..op_at], &lower[op_at + op.len()..]);
    let number = |s: &str| s.trim().trim_end_matches(')').trim().parse::<i64>().ok();
    let (value, flipped) = if left.contains("server_version_num") { (number(right)?, false) } else { (number(left)?, true) };
    let holds = |a: i64, b: i64| match op {
        "<" => a < b,
        "<=" => a <= b,
        ">" => a > b,
        ">=" => a >= b,
        "=" => a == b,
        _ => a != b,
    };
    Some(if flipped { holds(value, target) } else { holds(target, value) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(sql: &str) -> Body {
        let trees = crate::sql::parse::parse_statement(sql, 0).unwrap();
        body_of(&trees[0].node, sql, 0, |_| true).unwrap()
    }

    fn texts(b: &Body, sql: &str) -> Vec<(String, String)> {
        b.pieces.iter().map(|p| (sql[p.region.clone()].to_string(), p.text.clone())).collect()
    }

    #[test]
    fn sql_bodies_are_split_in_place() {
        let sql = "CREATE FUNCTION f() RETURNS bigint LANGUAGE sql AS $$ SELECT 1; SELECT buffers_backend FROM pg_stat_bgwriter $$";
        let b = body(sql);
        assert_eq!(b.routine, Some(Routine::Sql { name: "f".into(), procedure: false }));
        let t = texts(&b, sql);
        assert_eq!(t[1].0, "SELECT buffers_backend FROM pg_stat_bgwriter");
        assert_eq!(t[1].0, t[1].1);
    }

    #[test]
    fn plpgsql_statements_and_expressions_stand_where_written() {
        let sql = "CREATE FUNCTION s() RETURNS void LANGUAGE plpgsql AS $$\nDECLARE v int;\nBEGIN\n  PERFORM pg_stop_backup();\n  SELECT a INTO v FROM t;\n  v := v + 1;\n  IF current_setting('server_version_num')::int < 170000 THEN\n    PERFORM old_thing();\n  END IF;\n  EXECUTE 'REVOKE RULE ON orders FROM app';\n  EXECUTE 'SELECT ' || v;\nEND $$";
        let b = body(sql);
        let t = texts(&b, sql);
        assert!(t.contains(&("PERFORM pg_stop_backup()".into(), "SELECT  pg_stop_backup()".into())), "{t:#?}");
        assert!(t.contains(&("SELECT a INTO v FROM t".into(), "SELECT a        FROM t".into())), "{t:#?}");
        assert!(t.iter().any(|(_, x)| x == "SELECT  v + 1"), "{t:#?}");
        assert!(t.iter().any(|(w, x)| w == x && x == "REVOKE RULE ON orders FROM app"), "{t:#?}");
        assert!(!t.iter().any(|(_, x)| x.contains("old_thing")), "a branch dead on the target is not judged: {t:#?}");
        assert_eq!(b.not_judged.iter().map(|n| n.reason).collect::<Vec<_>>(), vec![NotJudgedReason::DynamicSql]);
        assert_eq!(&sql[b.not_judged[0].span.clone()], "'SELECT ' || v");
    }

    #[test]
    fn do_blocks_and_other_languages() {
        let sql = "DO $$ BEGIN REVOKE RULE ON orders FROM app; END $$";
        let b = body(sql);
        assert_eq!(b.routine, Some(Routine::DoBlock));
        assert_eq!(texts(&b, sql), vec![("REVOKE RULE ON orders FROM app".to_string(), "REVOKE RULE ON orders FROM app".to_string())]);
        let b = body("CREATE FUNCTION p() RETURNS int LANGUAGE plpython3u AS $$ return 1 $$");
        assert_eq!(b.not_judged[0].reason, NotJudgedReason::BodyLanguage);
        let quoted = "CREATE FUNCTION q() RETURNS int LANGUAGE sql AS 'SELECT ''x''::text'";
        assert_eq!(body(quoted).not_judged[0].reason, NotJudgedReason::BodyNotParsed);
    }

    /// Trigger functions' implicit variables (`TG_OP`...) once made libpg_query's JSON invalid
    /// (vendor/README.md, patch 3).
    #[test]
    fn trigger_function_bodies_are_read() {
        let sql = "CREATE FUNCTION t() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP = 'INSERT' THEN\n    INSERT INTO a (id) VALUES (NEW.id);\n  END IF;\n  RETURN NULL;\nEND $$";
        let b = body(sql);
        assert!(b.not_judged.is_empty(), "{:?}", b.not_judged);
        assert!(texts(&b, sql).iter().any(|(w, x)| w == x && x == "INSERT INTO a (id) VALUES (NEW.id)"));
    }

    #[test]
    fn bodies_worth_reading() {
        assert!(may_hold_read_statement("BEGIN\n  IF x THEN ALTER TABLE t ADD c int; END IF;\nEND"));
        assert!(may_hold_read_statement(" SELECT 1; CREATE TABLE t (a int) "));
        assert!(!may_hold_read_statement("BEGIN RETURN format('DROP TABLE %I', t); END"), "a string is not a statement");
        assert!(may_hold_read_statement("BEGIN EXECUTE q; END"));
        assert!(may_hold_read_statement("<<outer>> BEGIN SET LOCAL work_mem = '1MB'; END"));
        assert!(!may_hold_read_statement("BEGIN\n  UPDATE t\n  SET a = 1;\n  -- create nothing\n  RETURN NEW;\nEND"));
        assert!(!may_hold_read_statement("SELECT count(*) FROM t WHERE kind = 'set'"));
    }

    #[test]
    fn version_tests() {
        assert_eq!(version_test("current_setting('server_version_num')::int < 170000"), Some(false));
        assert_eq!(version_test("current_setting('server_version_num')::int >= 180000"), Some(true));
        assert_eq!(version_test("170000 > current_setting('server_version_num')::integer"), Some(false));
        assert_eq!(version_test("v > 2"), None);
    }
}
