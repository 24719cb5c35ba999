//! The front end of one input: bytes → document → a parsed SQL file or configuration file,
//! with what went wrong reported by the engine's own rules (`syntax-error`, `io-error`...).

use std::ops::Range;
use std::path::PathBuf;

use super::ParsedFile;
use crate::conf;
use crate::diagnostic::NotJudgedReason;
use crate::diagnostic::{Diagnostic, FileId, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::READ_POLICY;
use crate::rules::meta::{config_error, foreign_dialect, invalid_encoding, io_error, syntax_error, template_not_judged};
use crate::source::{self, Document, Kind};
use crate::sql::front::{Problem, SqlFile, Statement, parse_file};
use crate::sql::script::{Comment, ScriptSettings};
use crate::target_name;

/// Read one file's bytes into a document and run its front end (SQL or configuration).
/// `script`: how the project's SQL files are run (psql variables, its own placeholders).
pub fn front_end(id: FileId, path: PathBuf, bytes: Result<Vec<u8>, String>, kind: Kind, script: &ScriptSettings) -> (Document, ParsedFile) {
    let display = source::display_path(&path);
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            let doc = Document::new(path, display, String::new());
            let d = io_error::RULE.report(id, 0..0, format!("cannot read this path: {e}"));
            return (doc, ParsedFile { diagnostics: vec![d], ..Default::default() });
        }
    };
    // A NUL byte in an otherwise textual SQL file (a stray byte from an editor or a generator)
    // is an error where it is, and the rest of the file is checked; a file with other control
    // bytes or invalid UTF-8 as well is binary, and skipped.
    let nuls: Vec<usize> = memchr::memchr_iter(0, &bytes).collect();
    let textual =
        |b: &[u8]| b.iter().all(|&c| c >= 0x20 || matches!(c, 0 | b'\t' | b'\n' | b'\r' | 0x0c)) && std::str::from_utf8(b).is_ok();
    if !nuls.is_empty() && (kind != Kind::Sql || !textual(&bytes)) {
        let doc = Document::new(path, display, String::new());
        let d = invalid_encoding::RULE.report(id, 0..0, "binary file (contains NUL bytes): skipped").severity(Severity::Warning);
        return (doc, ParsedFile { diagnostics: vec![d], ..Default::default() });
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let lossy = String::from_utf8_lossy(&bytes).into_owned();
            let doc = Document::new(path, display, lossy);
            let line = bytes[..valid].iter().filter(|b| **b == b'\n').count() + 1;
            let msg = format!("file is not valid UTF-8 (byte 0x{:02x} on line {line}): not checked", bytes[valid]);
            // An error, not a warning: a migration nothing checked must not pass a gate.
            let d = invalid_encoding::RULE.report(id, 0..0, msg).help(
                "pgready reads SQL as UTF-8, as PostgreSQL reads files sent by a UTF-8 client. Convert the file (for a \
                 Windows-1252 file: `iconv -f WINDOWS-1252 -t UTF-8 in.sql > out.sql`), or exclude it.",
            );
            return (doc, ParsedFile { diagnostics: vec![d], ..Default::default() });
        }
    };
    let doc = Document::new(path, display, text);
    let mut parsed = match kind {
        Kind::Sql if !nuls.is_empty() => {
            // Read with each NUL as a blank (same length: every position stays where it is).
            let mut f = sql_file(id, parse_file(&doc.text.replace('\0', " "), &READ_POLICY, script));
            let more = match nuls.len() - 1 {
                0 => String::new(),
                n => format!(" (and {n} more)"),
            };
            f.diagnostics.push(
                invalid_encoding::RULE
                    .report(
                        id,
                        nuls[0]..nuls[0] + 1,
                        format!("NUL byte{more}: PostgreSQL rejects it (invalid byte sequence for encoding \"UTF8\": 0x00)"),
                    )
                    .help("Remove the NUL byte(s); the rest of the file was checked with each read as a blank."),
            );
            f
        }
        Kind::Sql => sql_file(id, parse_file(&doc.text, &READ_POLICY, script)),
        Kind::PostgresqlConf => {
            let c = conf::postgresql::parse(&doc.text);
            let diagnostics = c.errors.iter().map(|(span, msg)| config_problem(id, span.clone(), msg.clone())).collect();
            let (statements, comments) = config_lines(&doc.text, b'\'');
            ParsedFile { diagnostics, linted: true, kind, conf: Some(c), statements, comments, ..Default::default() }
        }
        Kind::Hba => {
            let h = conf::hba::parse(&doc.text);
            let diagnostics = h.errors.iter().map(|(span, msg)| config_problem(id, span.clone(), msg.clone())).collect();
            let (statements, comments) = config_lines(&doc.text, b'"');
            ParsedFile { diagnostics, linted: true, kind, hba: Some(h), statements, comments, ..Default::default() }
        }
        Kind::Ident => {
            let m = conf::ident::parse(&doc.text);
            let diagnostics = m.errors.iter().map(|(span, msg)| config_problem(id, span.clone(), msg.clone())).collect();
            let (statements, comments) = config_lines(&doc.text, b'"');
            ParsedFile { diagnostics, linted: true, kind, ident: Some(m), statements, comments, ..Default::default() }
        }
    };
    parsed.statement_count = parsed.statements.len();
    (doc, parsed)
}

/// The lines of a configuration file as suppression units (a `# pgready: ignore RULE` comment
/// applies to its own line, or else to the next line), and its `#` comments outside quotes.
fn config_lines(text: &str, quote: u8) -> (Vec<Statement>, Vec<Comment>) {
    let (mut lines, mut comments) = (Vec::new(), Vec::new());
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let b = line.as_bytes();
        let mut in_quote = false;
        let mut comment_at = None;
        for (i, &c) in b.iter().enumerate() {
            if c == quote {
                in_quote = !in_quote;
            } else if c == b'#' && !in_quote {
                comment_at = Some(i);
                break;
            }
        }
        let end = start + line.trim_end_matches(['\n', '\r']).len();
        if let Some(i) = comment_at {
            comments.push(Comment { range: start + i..end });
        }
        let content_end = comment_at.map_or(end, |i| start + i);
        if !text[start..content_end].trim().is_empty() {
            lines.push(Statement { range: start..end, substitutions: Vec::new(), trees: Vec::new() });
        }
        start += line.len();
    }
    (lines, comments)
}

pub(super) fn config_problem(file: FileId, span: Range<usize>, message: String) -> Diagnostic {
    config_error::RULE.report(file, span, message)
        .help("PostgreSQL refuses a configuration file with errors: the server does not start (postgresql.conf), or the file is not loaded (pg_hba.conf).")
}

/// A SQL file's front end as the engine keeps it, its problems as diagnostics.
fn sql_file(id: FileId, f: SqlFile) -> ParsedFile {
    let diagnostics = f
        .problems
        .into_iter()
        .map(|p| match p {
            Problem::Syntax { span, message } => syntax_error::RULE
                .report(id, span, format!("{message} (PostgreSQL {TARGET} grammar)"))
                .help(concat!("This statement does not parse with ", target_name!(), "'s grammar; rules skip it. The rest of the file is still checked.")),
            Problem::Unterminated { at, what } => syntax_error::RULE.report(id, at..at + 1, format!("{what}: the rest of the file is not checked")),
            Problem::ForeignDialect { at, dialect, failing } => foreign_dialect::RULE
                .report(id, at..at, format!("this file looks written for {dialect}, not PostgreSQL: skipped"))
                .help(format!(
                    "{failing} statement(s) fail PostgreSQL's grammar but parse as {dialect}. Exclude the file (--exclude or `exclude` in pgready.toml) to silence this."
                )),
        })
        .collect::<Vec<_>>();
    let mut diagnostics = diagnostics;
    // Template statements that no stand-in makes parseable: one note for the file, not one
    // syntax error per statement.
    let templates: Vec<&Range<usize>> = f.not_judged.iter().filter(|n| n.reason == NotJudgedReason::Template).map(|n| &n.span).collect();
    if let Some(first) = templates.first() {
        let n = templates.len();
        diagnostics.push(
            template_not_judged::RULE
                .report(id, first.start..first.start, format!("{n} statement(s) with template placeholders do not parse with a stand-in for them: not judged"))
                .help("pgready stands a placeholder name in for `{{ }}`, `${name}` and `$%NAME%$`, and blanks `{% %}` tags; where that does not parse, judge the SQL the template renders to (run pgready on the rendered files)."),
        );
    }
    ParsedFile {
        masked: f.masked,
        not_judged: f.not_judged,
        statements: f.statements,
        deferred: f.deferred,
        comments: f.comments,
        diagnostics,
        linted: f.linted,
        ..Default::default()
    }
}
