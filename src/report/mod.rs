//! Renderers: human (miette), concise (`path:line:col: RULE message`) and JSON.

use std::fmt::Write as _;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};
use serde::Serialize;

use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::engine::Run;
use crate::knowledge::target::TARGET;
use crate::quote::one_line;
use crate::rules;

pub mod document;
pub mod machine;
pub mod plan;

/// The JSON schema version; bumped only on incompatible changes (documented in the README).
pub const JSON_SCHEMA_VERSION: u32 = 1;

pub fn concise(run: &Run) -> String {
    let mut out = String::new();
    for d in &run.diagnostics {
        let doc = &run.docs[d.file];
        let (line, col) = doc.line_col(d.span.start);
        // One finding, one line: a path or message holding a line break (a catalog name) would
        // otherwise print a second, forged `path:line:col:` line.
        // `[*]`: `--fix` repairs it (ruff's marker); a fix that needs --unsafe-fixes is not marked.
        let fixable = if d.fix.as_ref().is_some_and(|f| f.applicability == Applicability::Safe) { "[*]" } else { "" };
        let _ =
            writeln!(out, "{}:{line}:{col}: {} {}{fixable} {}", one_line(&doc.display), d.rule, d.severity.as_str(), one_line(&d.message));
    }
    out
}

/// A diagnostic wrapped for miette: source snippet, label at the span, help, fix suggestion.
#[derive(Debug)]
struct Rendered {
    message: String,
    code: String,
    severity: miette::Severity,
    help: Option<String>,
    source: NamedSource<String>,
    labels: Vec<LabeledSpan>,
}

impl std::fmt::Display for Rendered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}
impl std::error::Error for Rendered {}

impl miette::Diagnostic for Rendered {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.clone().into_iter()))
    }
}

fn fix_suggestion(run: &Run, d: &Diagnostic) -> Option<String> {
    let fix = d.fix.as_ref()?;
    let how = match fix.applicability {
        Applicability::Safe => "--fix",
        Applicability::Unsafe => "--fix --unsafe-fixes",
    };
    let mut s = format!("fix: {} ({how})", fix.title);
    for e in &fix.edits {
        if e.file != d.file {
            let doc = &run.docs[e.file];
            let (l, c) = doc.line_col(e.range.start);
            let _ = write!(s, "; edits {}:{l}:{c}", doc.display);
        }
    }
    Some(s)
}

pub fn human(run: &Run, color: bool) -> String {
    let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100).with_links(false);
    let mut out = String::new();
    for d in &run.diagnostics {
        let doc = &run.docs[d.file];
        // The message and help hold names (a catalog's, a path's): each stays on its lines.
        let mut help = d.help.as_deref().map(|h| one_line(h).into_owned());
        if let Some(s) = fix_suggestion(run, d).map(|s| one_line(&s).into_owned()) {
            help = Some(match help {
                Some(h) => format!("{h}\n{s}"),
                None => s,
            });
        }
        if d.scope == Some(crate::diagnostic::Scope::Cluster) {
            help = Some(match help {
                Some(h) => format!("{h}\nscope: the whole cluster (not only the database audited)"),
                None => "scope: the whole cluster (not only the database audited)".into(),
            });
        }
        let (text, span, clipped) = snippet(&doc.text, d.span.clone());
        if let Some(note) = clipped {
            help = Some(match help {
                Some(h) => format!("{h}\n{note}"),
                None => note,
            });
        }
        let rendered = Rendered {
            // Without a snippet (a path that could not be read, a binary file) miette shows no
            // file name: the message carries it.
            message: one_line(&if doc.text.is_empty() { format!("{}: {}", doc.display, d.message) } else { d.message.clone() })
                .into_owned(),
            code: d.rule.to_string(),
            severity: match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Info => miette::Severity::Advice,
            },
            help,
            source: NamedSource::new(one_line(&doc.display), printable(&text).into_owned()),
            labels: if doc.text.is_empty() { vec![] } else { vec![LabeledSpan::at(span, d.rule)] },
        };
        let _ = handler.render_report(&mut out, &rendered);
        out.push('\n');
    }
    out
}

/// Lines longer than this are shown clipped around the finding: a generated one-line statement
/// can be megabytes long, and miette cannot draw a label past column 65,535 (it panicked).
const LONG_LINE: usize = 2_000;
/// What is shown of a long line on each side of the finding.
const CLIP_CONTEXT: usize = 120;

/// The text and span miette draws for a finding: the document itself, or, when the finding's
/// line is long, that line clipped around the span (earlier lines kept as blank lines, so the
/// line number stays right), with a note saying where the finding really is.
fn snippet(text: &str, span: std::ops::Range<usize>) -> (std::borrow::Cow<'_, str>, std::ops::Range<usize>, Option<String>) {
    let start = span.start.min(text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let end = span.end.clamp(start, line_end);
    if line_end - line_start <= LONG_LINE {
        return (std::borrow::Cow::Borrowed(text), start..span.end.max(start).min(text.len()), None);
    }
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let from = floor(start.saturating_sub(CLIP_CONTEXT).max(line_start));
    let to = floor((end + CLIP_CONTEXT).min(line_end).max(end));
    let line_no = text[..line_start].matches('\n').count();
    let (lead, tail) = (if from > line_start { "…" } else { "" }, if to < line_end { "…" } else { "" });
    let mut shown = "\n".repeat(line_no);
    shown.push_str(lead);
    let offset = shown.len();
    shown.push_str(&text[from..to]);
    shown.push_str(tail);
    let column = text[line_start..start].chars().count() + 1;
    let chars = text[line_start..line_end].chars().count();
    let note = format!("(line {} is {chars} characters long: shown around column {column})", line_no + 1);
    (std::borrow::Cow::Owned(shown), offset + (start - from)..offset + (end - from), Some(note))
}

/// Text as a terminal may show it: control characters (an escape sequence in a flagged file
/// would otherwise reach the terminal) and invisible format characters (a bidirectional
/// override would reorder what is shown) become `?`, byte for byte, so that spans still fit.
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let shown = |c: char| !crate::quote::is_hidden(c) || matches!(c, '\n' | '\t' | '\r');
    if text.chars().all(shown) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if shown(c) {
            out.push(c);
        } else {
            (0..c.len_utf8()).for_each(|_| out.push('?'));
        }
    }
    std::borrow::Cow::Owned(out)
}

/// What a run checked, in words: `3 file(s), 20 statement(s)`, `14 catalog object(s)`.
pub fn checked(run: &Run) -> String {
    // Documents rebuilt from a live server's catalog are objects, not files.
    let live = |i: usize| run.docs.get(i).is_some_and(|d| d.display.starts_with("postgresql://"));
    let files = (0..run.files.len()).filter(|&i| run.files[i].linted && !live(i)).count();
    let objects = (0..run.files.len()).filter(|&i| run.files[i].linted && live(i)).count();
    let scope = format!("{files} file(s), {} statement(s)", run.statements());
    match objects {
        0 => scope,
        _ if files == 0 => format!("{objects} catalog object(s)"),
        _ => format!("{scope} and {objects} catalog object(s)"),
    }
}

/// `n` things, in words: `1 error`, `2 errors`.
fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `a`, `a and b`, `a, b and c`.
fn listed(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The upgrade judged: from `from` for files, from each audited server's own major.
fn upgrade_judged(run: &Run, from: u32) -> String {
    let mut majors: Vec<u32> = run
        .servers
        .iter()
        .map(|s| s.major.clamp(crate::knowledge::target::OLDEST_SOURCE, crate::knowledge::target::NEWEST_SOURCE))
        .collect();
    let files = (0..run.files.len()).any(|i| run.files[i].linted && !run.docs[i].display.starts_with("postgresql://"));
    if files || majors.is_empty() {
        majors.push(from);
    }
    majors.sort_unstable();
    majors.dedup();
    let majors: Vec<String> = majors.iter().map(u32::to_string).collect();
    format!("an upgrade from PostgreSQL {} to {TARGET}", listed(&majors))
}

/// The one-line summary printed after the diagnostics (to stderr in human mode): the counts by
/// severity in words, the scope, the upgrade judged (`from`: the files' source major), what
/// `--fix` would do, and what was not judged (`verbose`: the list was printed).
pub fn summary(run: &Run, from: u32, verbose: bool) -> String {
    let count = |s: Severity| run.diagnostics.iter().filter(|d| d.severity == s).count();
    let safe = run.diagnostics.iter().filter(|d| d.fix.as_ref().is_some_and(|f| f.applicability == Applicability::Safe)).count();
    let unsafe_ = run.diagnostics.iter().filter(|d| d.fix.as_ref().is_some_and(|f| f.applicability == Applicability::Unsafe)).count();
    let scope = checked(run);
    let upgrade = upgrade_judged(run, from);
    let not_judged = run.not_judged_by_reason();
    let unjudged: usize = not_judged.iter().map(|(_, n)| n).sum();
    let unjudged_note = || {
        let reasons: Vec<String> = not_judged.iter().map(|(r, n)| format!("{}: {n}", r.as_str())).collect();
        let then = if verbose { "listed above" } else { "--verbose lists them" };
        format!(" {unjudged} statement(s) or part(s) not judged ({}); {then}.", reasons.join(", "))
    };
    if run.diagnostics.is_empty() {
        if unjudged > 0 {
            return format!("No problem found in {scope} for {upgrade}, but not all clear:{}", unjudged_note());
        }
        return format!("All clear: {scope} checked for {upgrade}.");
    }
    let counts: Vec<String> = [
        (count(Severity::Error), "error", "errors"),
        (count(Severity::Warning), "warning", "warnings"),
        (count(Severity::Info), "recommendation", "recommendations"),
    ]
    .into_iter()
    .filter(|(n, ..)| *n > 0)
    .map(|(n, one, many)| counted(n, one, many))
    .collect();
    let mut s = format!("Found {} in {scope}, for {upgrade}.", listed(&counts));
    if safe > 0 {
        let _ = write!(s, " {safe} fixable with --fix.");
    }
    if unsafe_ > 0 {
        let _ = write!(s, " {unsafe_} more with --fix --unsafe-fixes.");
    }
    if unjudged > 0 {
        s += &unjudged_note();
    }
    s
}

/// `--statistics`: how many findings each rule has, the most first, as ruff prints them
/// (`count rule [*] summary`; `[*]` when --fix repairs them all), or as a JSON array.
pub fn statistics(run: &Run, json: bool) -> String {
    let mut by_rule: std::collections::BTreeMap<&'static str, (usize, usize)> = std::collections::BTreeMap::new();
    for d in &run.diagnostics {
        let e = by_rule.entry(d.rule).or_default();
        e.0 += 1;
        if d.fix.as_ref().is_some_and(|f| f.applicability == Applicability::Safe) {
            e.1 += 1;
        }
    }
    let mut rows: Vec<(&'static str, usize, usize)> = by_rule.into_iter().map(|(r, (n, fixable))| (r, n, fixable)).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let summary = |id: &str| crate::rules::find(id).map_or("", |r| r.meta.summary);
    let severity = |id: &str| crate::rules::find(id).map_or("", |r| r.meta.severity.as_str());
    if json {
        let list: Vec<serde_json::Value> = rows
            .iter()
            .map(|(rule, count, fixable)| {
                serde_json::json!({"rule": rule, "count": count, "fixable": fixable, "severity": severity(rule), "summary": summary(rule)})
            })
            .collect();
        return serde_json::to_string_pretty(&list).unwrap_or_default() + "\n";
    }
    let width = rows.iter().map(|(r, ..)| r.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (rule, count, fixable) in &rows {
        let marker = if fixable == count { "[*]" } else { "   " };
        let _ = writeln!(out, "{count:>5}  {rule:<width$}  {marker} {}", summary(rule));
    }
    out
}

/// The statements (or parts) not judged, one line each: `path:line:col: not judged (reason)`.
pub fn not_judged_list(run: &Run) -> String {
    let mut out = String::new();
    for (i, f) in run.files.iter().enumerate() {
        for n in &f.not_judged {
            let (line, col) = run.docs[i].line_col(n.span.start);
            let _ = writeln!(out, "{}:{line}:{col}: not judged ({})", one_line(&run.docs[i].display), n.reason.as_str());
        }
    }
    out
}

#[derive(Serialize)]
struct JsonPosition {
    line: usize,
    column: usize,
    offset: usize,
}

#[derive(Serialize)]
struct JsonEdit {
    path: String,
    start: JsonPosition,
    end: JsonPosition,
    content: String,
}

#[derive(Serialize)]
struct JsonFix {
    title: String,
    applicability: Applicability,
    edits: Vec<JsonEdit>,
}

#[derive(Serialize)]
struct JsonDiagnostic {
    rule: &'static str,
    /// The same as SARIF's, GitLab's, JUnit's and the baseline's.
    fingerprint: String,
    severity: Severity,
    area: &'static str,
    path: String,
    start: JsonPosition,
    end: JsonPosition,
    message: String,
    help: Option<String>,
    fix: Option<JsonFix>,
    /// Present (true) only when `pgready replay` saw the statement fail on PostgreSQL 18.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    confirmed: bool,
    /// A live audit's finding: `"scope": "cluster"`, or `"scope": "database", "database": name`.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    scope: Option<crate::diagnostic::Scope>,
}

#[derive(Serialize)]
struct JsonReport {
    version: u32,
    tool: &'static str,
    tool_version: &'static str,
    /// The live servers audited: version, databases audited and not, read time, template0.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    servers: Vec<crate::model::facts::AuditedServer>,
    diagnostics: Vec<JsonDiagnostic>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    statements: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    /// Statements (or parts of one: a function body, a dynamic EXECUTE) not judged.
    not_judged: usize,
    not_judged_by_reason: std::collections::BTreeMap<&'static str, usize>,
    /// The upgrade plan's verdict: `blocked`, `ready-after-steps` or `ready`.
    verdict: plan::Verdict,
}

fn position(run: &Run, file: usize, offset: usize) -> JsonPosition {
    let (line, column) = run.docs[file].line_col(offset);
    JsonPosition { line, column, offset }
}

pub fn json(run: &Run) -> String {
    let diagnostics = run
        .diagnostics
        .iter()
        .zip(machine::fingerprints(run))
        .map(|(d, fingerprint)| JsonDiagnostic {
            rule: d.rule,
            fingerprint,
            severity: d.severity,
            area: rules::find(d.rule).map_or("", |r| r.meta.area.as_str()),
            path: run.docs[d.file].display.clone(),
            start: position(run, d.file, d.span.start),
            end: position(run, d.file, d.span.end),
            message: d.message.clone(),
            help: d.help.clone(),
            confirmed: d.confirmed,
            scope: d.scope.clone(),
            fix: d.fix.as_ref().map(|f| JsonFix {
                title: f.title.clone(),
                applicability: f.applicability,
                edits: f
                    .edits
                    .iter()
                    .map(|e| JsonEdit {
                        path: run.docs[e.file].display.clone(),
                        start: position(run, e.file, e.range.start),
                        end: position(run, e.file, e.range.end),
                        content: e.replacement.clone(),
                    })
                    .collect(),
            }),
        })
        .collect();
    let count = |s: Severity| run.diagnostics.iter().filter(|d| d.severity == s).count();
    let report = JsonReport {
        version: JSON_SCHEMA_VERSION,
        tool: "pgready",
        tool_version: env!("CARGO_PKG_VERSION"),
        servers: run.servers.clone(),
        diagnostics,
        summary: JsonSummary {
            files: run.files.iter().filter(|f| f.linted).count(),
            statements: run.statements(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            not_judged: run.not_judged_by_reason().iter().map(|(_, n)| n).sum(),
            not_judged_by_reason: run.not_judged_by_reason().into_iter().map(|(r, n)| (r.as_str(), n)).collect(),
            verdict: plan::plan(run).verdict,
        },
    };
    serde_json::to_string_pretty(&report).expect("report serialises") + "\n"
}
