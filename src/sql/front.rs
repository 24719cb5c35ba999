//! The SQL front end of one file: split it into statements, decide before parsing which ones a
//! rule or the model may read (the pre-filter), parse those (or defer them, in a large file),
//! syntax-check the rest, and say what went wrong as [`Problem`]s (the engine reports them).

use std::ops::Range;

use crate::diagnostic::{NotJudged, NotJudgedReason};
use crate::sql::kinds::{StatementKind, lead_kinds};
use crate::sql::memo::read_trees;
use crate::sql::parse::{TreeStatement, failing_statements_cached, parse_statement};
use crate::sql::script::{self, Comment, Placeholder, Substitution};

/// Which statements the model and the rules read: decided by the rules layer (which knows
/// them), applied here, before and after parsing.
pub struct ReadPolicy {
    /// Whether statements of this kind are folded or read by kind: their trees are kept.
    pub kind_is_read: fn(StatementKind) -> bool,
    /// Whether the statement's text holds a word some rule looks for (any kind is then read).
    pub mentions_keyword: fn(&str) -> bool,
}

/// One statement of a file: its span and its trees (empty when it did not parse).
#[derive(Debug)]
pub struct Statement {
    pub range: Range<usize>,
    /// psql variables and placeholders rewritten in it: no finding is reported about them.
    pub substitutions: Vec<Substitution>,
    pub trees: Vec<TreeStatement>,
}

/// What went wrong in a file's front end; the engine turns each into a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A statement PostgreSQL's grammar rejects, at the offending token.
    Syntax { span: Range<usize>, message: String },
    /// An unterminated quote or comment: the rest of the file is not split.
    Unterminated { at: usize, what: &'static str },
    /// Every failing statement parses in another dialect: the file is skipped.
    ForeignDialect { at: usize, dialect: &'static str, failing: usize },
}

/// A SQL file after the front end.
#[derive(Debug, Default)]
pub struct SqlFile {
    pub masked: String,
    pub statements: Vec<Statement>,
    /// Statements (indices) whose trees are parsed only when the file is folded (large files).
    pub deferred: Vec<usize>,
    pub comments: Vec<Comment>,
    pub problems: Vec<Problem>,
    /// Statements that were not judged, and why (a syntax error among them).
    pub not_judged: Vec<NotJudged>,
    /// False for a file skipped as written for another dialect.
    pub linted: bool,
}

impl SqlFile {
    /// Statements that do not parse, and an unterminated quote (what `--fix` must not add).
    pub fn syntax_errors(&self) -> usize {
        self.problems.iter().filter(|p| matches!(p, Problem::Syntax { .. } | Problem::Unterminated { .. })).count()
    }
}

/// Files from this size on are only syntax-checked here; their statements are parsed segment by
/// segment as they are folded (the engine's job), so that their trees are never all alive at once.
pub const LARGE_FILE_BYTES: usize = 1 << 20;

/// The SQL front end for one file's text, which psql runs as `settings` say.
pub fn parse_file(text: &str, policy: &ReadPolicy, settings: &script::ScriptSettings) -> SqlFile {
    let script = script::split_with(text, settings);
    let mut problems = Vec::new();
    let mut not_judged = Vec::new();
    let mut statements = Vec::with_capacity(script.statements.len());
    let mut failed: Vec<Range<usize>> = Vec::new();
    // Statements that parse only with their stand-ins blanked, and their text so.
    let mut blanks: Vec<(Range<usize>, String)> = Vec::new();
    // Statements that neither the model nor any rule can read only need their syntax checked:
    // they are checked together after this loop, without building trees.
    let sql_of = |s: &script::StatementSpan| &script.masked[s.range.clone()];
    let (read, unread): (Vec<usize>, Vec<usize>) =
        (0..script.statements.len()).partition(|&i| keep_all_trees() || may_be_read(sql_of(&script.statements[i]), policy));
    // A large file (a schema dump) is only syntax-checked here, in parallel batches; its
    // statements are parsed segment by segment when folded, so that its trees are never all
    // alive at once. Only the statements that fail are parsed now, for the error.
    let large = text.len() >= LARGE_FILE_BYTES && !keep_all_trees();
    let (to_parse, deferred): (Vec<usize>, Vec<usize>) = if large {
        let read_sql: Vec<&str> = read.iter().map(|&i| sql_of(&script.statements[i])).collect();
        let failing: Vec<usize> = failing_statements_cached(&read_sql).into_iter().map(|k| read[k]).collect();
        let deferred = read.into_iter().filter(|i| failing.binary_search(i).is_err()).collect();
        (failing, deferred)
    } else {
        (read, Vec::new())
    };
    let mut to_parse = to_parse.into_iter().peekable();
    for (i, s) in script.statements.iter().enumerate() {
        if to_parse.next_if_eq(&i).is_none() {
            statements.push(Statement { range: s.range.clone(), substitutions: s.substitutions.clone(), trees: Vec::new() });
            continue;
        }
        match read_trees(sql_of(s), s.range.start, policy) {
            Ok(trees) => statements.push(Statement { range: s.range.clone(), substitutions: s.substitutions.clone(), trees }),
            Err(e) => {
                // Parsed from its first token: a tree's locations count from the text's start,
                // its range from the statement's first token.
                let retried = blanked(&script.masked, s).and_then(|b| {
                    let lead = b.len() - b.trim_start().len();
                    Some((read_trees(&b[lead..], s.range.start + lead, policy).ok()?, b))
                });
                let trees = match retried {
                    Some((trees, text)) => {
                        blanks.push((s.range.clone(), text));
                        trees
                    }
                    None => {
                        syntax_error(&script.masked, s, e, &mut failed, &mut problems, &mut not_judged);
                        Vec::new()
                    }
                };
                statements.push(Statement { range: s.range.clone(), substitutions: s.substitutions.clone(), trees });
            }
        }
    }
    let unread_sql: Vec<&str> = unread.iter().map(|&i| sql_of(&script.statements[i])).collect();
    for at in failing_statements_cached(&unread_sql) {
        let s = &script.statements[unread[at]];
        if let Err(e) = parse_statement(sql_of(s), s.range.start) {
            if let Some(text) = blanked(&script.masked, s).filter(|b| parse_statement(b, s.range.start).is_ok()) {
                blanks.push((s.range.clone(), text));
                continue;
            }
            syntax_error(&script.masked, s, e, &mut failed, &mut problems, &mut not_judged);
        }
    }
    let branches = script.skipped_branches.iter().map(|r| NotJudged { span: r.clone(), reason: NotJudgedReason::PsqlConditional });
    not_judged.extend(branches);
    not_judged.sort_by_key(|n: &NotJudged| n.span.start);
    failed.sort_by_key(|r| r.start);
    problems.sort_by_key(|p| match p {
        Problem::Syntax { span, .. } => span.start,
        _ => 0,
    });
    if let Some((at, what)) = script.unterminated {
        problems.push(Problem::Unterminated { at, what });
        not_judged.push(NotJudged { span: at..text.len(), reason: NotJudgedReason::SyntaxError });
    }
    let mut masked = script.masked;
    for (range, text) in blanks {
        masked.replace_range(range, &text);
    }
    if !failed.is_empty()
        && let Some(dialect) = foreign_dialect(text, &failed)
    {
        let problem = Problem::ForeignDialect { at: failed[0].start, dialect, failing: failed.len() };
        let not_judged =
            script.statements.iter().map(|s| NotJudged { span: s.range.clone(), reason: NotJudgedReason::ForeignDialect }).collect();
        return SqlFile { masked, problems: vec![problem], not_judged, linted: false, ..Default::default() };
    }
    SqlFile { masked, statements, deferred, comments: script.comments, problems, not_judged, linted: true }
}

/// A statement with stand-ins that does not parse, with the stand-ins blanked instead: a
/// variable may hold a prefix (`:PREFIX SELECT ...`, where PREFIX is `EXPLAIN (costs off)`) or
/// options (`EXPLAIN :flags SELECT ...`). None when nothing is left.
fn blanked(masked: &str, s: &script::StatementSpan) -> Option<String> {
    let mut bytes = masked.get(s.range.clone())?.as_bytes().to_vec();
    let mut any = false;
    for sub in s.substitutions.iter().filter(|x| x.is_unknown()) {
        let (start, end) = (sub.range.start.checked_sub(s.range.start)?, sub.range.end.checked_sub(s.range.start)?);
        bytes.get_mut(start..end)?.iter_mut().filter(|b| **b != b'\n').for_each(|b| *b = b' ');
        any = true;
    }
    let text = String::from_utf8(bytes).ok()?;
    (any && !text.trim().is_empty()).then_some(text)
}

/// Note a statement that does not parse. When a stand-in for an unknown psql variable or a
/// template placeholder is in it, the server would see other text: the statement is not judged
/// (and counted as such), but it is no syntax error of the file.
fn syntax_error(
    masked: &str,
    s: &script::StatementSpan,
    e: crate::sql::parse::SyntaxError,
    failed: &mut Vec<Range<usize>>,
    problems: &mut Vec<Problem>,
    not_judged: &mut Vec<NotJudged>,
) {
    if s.substitutions.iter().any(Substitution::is_unknown) {
        let reason = if s.substitutions.iter().any(|x| x.placeholder == Placeholder::PsqlVariable) {
            NotJudgedReason::PsqlVariable
        } else {
            NotJudgedReason::Template
        };
        not_judged.push(NotJudged { span: s.range.clone(), reason });
        return;
    }
    failed.push(s.range.clone());
    not_judged.push(NotJudged { span: s.range.clone(), reason: NotJudgedReason::SyntaxError });
    let end = token_end(masked, e.offset, s.range.end);
    problems.push(Problem::Syntax { span: e.offset..end, message: e.message });
}

/// Whether the model or a rule may read this statement's tree: decided before parsing from the
/// kinds its first words allow ([`lead_kinds`]) and the rules' keywords.
pub fn may_be_read(sql: &str, policy: &ReadPolicy) -> bool {
    lead_kinds(sql).is_none_or(|kinds| kinds.iter().any(|k| (policy.kind_is_read)(*k))) || (policy.mentions_keyword)(sql)
}

/// `PGREADY_KEEP_ALL_TREES=1` keeps every parse tree, and parses every statement itself (no
/// tree memo): the test that proves these shortcuts change no finding runs both ways.
pub fn keep_all_trees() -> bool {
    static KEEP: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *KEEP.get_or_init(|| std::env::var_os("PGREADY_KEEP_ALL_TREES").is_some_and(|v| v == "1"))
}

/// The end of the token that starts at `offset`, for a readable syntax-error span.
fn token_end(text: &str, offset: usize, limit: usize) -> usize {
    let rest = text.get(offset..limit.max(offset)).unwrap_or("");
    let len = rest.find(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')').unwrap_or(rest.len());
    offset + len.max(rest.chars().next().map_or(0, char::len_utf8))
}

/// sqlparser's one job: recognise files written for another dialect, so that they are reported
/// once as skipped instead of as a storm of syntax errors. Every statement that PostgreSQL's
/// grammar rejects must parse in the other dialect.
///
/// A lenient parser accepts many a deliberately broken PostgreSQL statement, so a dialect is only
/// considered when a failing statement also shows one of its marks (`AUTOINCREMENT`, backticks...).
fn foreign_dialect(text: &str, failed: &[Range<usize>]) -> Option<&'static str> {
    use sqlparser::dialect::{ClickHouseDialect, Dialect, MsSqlDialect, MySqlDialect, SQLiteDialect};
    use sqlparser::parser::Parser;
    const SQLITE_MARKS: &[&str] = &["AUTOINCREMENT", "INSERT OR REPLACE", "INSERT OR IGNORE", "PRAGMA ", "WITHOUT ROWID"];
    const MYSQL_MARKS: &[&str] = &["AUTO_INCREMENT", "ENGINE=", "ENGINE =", "UNSIGNED", "`", "SET @", ":=", "\n#", "# "];
    const CLICKHOUSE_MARKS: &[&str] = &["MERGETREE", "LOWCARDINALITY(", "NULLABLE(", "ENGINE = LOG", "ENGINE = MEMORY"];
    const TSQL_MARKS: &[&str] = &["[DBO]", "NVARCHAR(MAX)", "IDENTITY(1,1)", "IDENTITY (1, 1)", "\nGO\n", "SET NOCOUNT", "SET ANSI_NULLS"];
    let dialects: [(&'static str, &dyn Dialect, &[&str]); 4] = [
        ("SQLite", &SQLiteDialect {}, SQLITE_MARKS),
        ("ClickHouse", &ClickHouseDialect {}, CLICKHOUSE_MARKS),
        ("MySQL", &MySqlDialect {}, MYSQL_MARKS),
        ("T-SQL", &MsSqlDialect {}, TSQL_MARKS),
    ];
    dialects.into_iter().find_map(|(name, d, marks)| {
        let marked = failed.iter().any(|r| {
            let upper = text[r.clone()].to_ascii_uppercase();
            marks.iter().any(|m| upper.contains(m))
        });
        // sqlparser's MySQL dialect knows `SET @x = ...` but not MySQL's `SET @x := ...`.
        let parses = |sql: &str| match name {
            "MySQL" => Parser::parse_sql(d, &sql.replace(":=", "=")).is_ok(),
            _ => Parser::parse_sql(d, sql).is_ok(),
        };
        (marked && failed.iter().all(|r| parses(&text[r.clone()]))).then_some(name)
    })
}
