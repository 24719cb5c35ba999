//! `pgready replay`: the migrations run on a real PostgreSQL 18 (and on the major upgraded
//! from), and every difference mapped to the file and line that caused it.
//!
//! The statements are those `check` reads, in the same order (migration order, psql scripts
//! split as psql splits them, `\set` variables substituted, COPY data sent with the COPY
//! protocol). Each server gets a fresh database; afterwards everything the replay made is
//! removed.

pub mod objects;
pub mod psql;
pub mod server;
pub mod session;

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::diagnostic::{Diagnostic, FileId, NotJudged, NotJudgedReason};
use crate::engine::{Options, Run};
use crate::rules::replay::{replay_baseline_error, replay_changed_object, replay_error, replay_warning};
use crate::source::Kind;
use crate::source::order::is_down_migration;
use crate::sql::script::{Command, Include, MetaCommand, Placeholder, Script, Sending};
use psql::Reference;
use server::Server;
use session::{Failure, Ran, Replay};

/// One statement to send.
#[derive(Debug, Clone)]
pub struct Step {
    pub file: FileId,
    /// Where the statement stands in its file.
    pub range: Range<usize>,
    /// What is sent (psql's known variables substituted).
    pub sql: String,
    /// The data of a `COPY ... FROM STDIN`, as the script holds it.
    pub copy_data: Option<String>,
    /// Changes the whole cluster (ALTER SYSTEM, tablespaces, roles that existed before):
    /// replayed on a throwaway cluster only.
    pub cluster_wide: bool,
    pub action: Action,
}

/// What a step is.
#[derive(Debug, Clone)]
pub enum Action {
    /// A statement to send, its psql variable references (substituted when it is sent, with
    /// their values then), and the meta-command that sent it if it does more than send.
    Send { references: Vec<Reference>, sent_with: Option<Sending> },
    /// A psql meta-command psql carries out itself (`\set`, `\if`...).
    Meta(Command),
    /// A script that psql runs on its own begins: no variables but the project's, no `\if`.
    Begin,
}

/// The statements of a run's SQL files, in order, and what cannot be sent (unknown psql
/// variables, template placeholders, includes of files not among the inputs) as not judged.
/// A file that another file includes (`\i`, `\ir`) is replayed where it is included, as psql
/// runs it, not on its own.
pub fn steps(run: &Run, opts: &Options) -> (Vec<Step>, Vec<(FileId, NotJudged)>) {
    let scripts: Vec<Option<Script>> = run
        .docs
        .iter()
        .zip(&run.files)
        .map(|(doc, parsed)| {
            (parsed.kind == Kind::Sql && parsed.linted && !is_down_migration(&doc.path)).then(|| {
                let mut script = crate::sql::script::split_all_branches(&doc.text, &opts.script);
                // What the migration tool runs forward: not a file's down section (goose, dbmate).
                if let Some(at) = crate::source::order::down_section_start(&doc.text) {
                    script.statements.retain(|s| s.range.start < at);
                }
                script
            })
        })
        .collect();
    let ids: HashMap<PathBuf, FileId> = run
        .docs
        .iter()
        .enumerate()
        .filter(|(id, _)| scripts[*id].is_some())
        .filter_map(|(id, d)| Some((d.path.canonicalize().ok()?, id)))
        .collect();
    let reader = Reader { run, scripts: &scripts, ids };
    let included: HashSet<FileId> = (0..scripts.len())
        .flat_map(|f| scripts[f].iter().flat_map(move |s| s.includes().map(move |i| (f, i))))
        .filter_map(|(f, i)| reader.resolve(f, i))
        .collect();
    let mut out = (Vec::new(), Vec::new());
    for file in (0..scripts.len()).filter(|f| scripts[*f].is_some() && !included.contains(f)) {
        out.0.push(Step { file, range: 0..0, sql: String::new(), copy_data: None, cluster_wide: false, action: Action::Begin });
        reader.emit(file, &mut vec![file], &mut out);
    }
    out
}

/// The scripts of a run, read in psql's order.
struct Reader<'a> {
    run: &'a Run,
    scripts: &'a [Option<Script>],
    /// Each SQL file's canonical path: how an include finds the file it names.
    ids: HashMap<PathBuf, FileId>,
}

impl Reader<'_> {
    /// The file an include names: `\ir` from the including file's folder; `\i` from the
    /// working directory as psql does, or else from that folder.
    fn resolve(&self, file: FileId, include: &Include) -> Option<FileId> {
        let folder = self.run.docs[file].path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut candidates = vec![folder.join(&include.path)];
        if !include.relative {
            candidates.insert(0, PathBuf::from(&include.path));
        }
        candidates.iter().filter_map(|p| p.canonicalize().ok()).find_map(|p| self.ids.get(&p).copied())
    }

    /// The steps of `file`, its includes expanded where they stand (`stack`: the files being
    /// included, so that a file that includes itself is not followed forever).
    fn emit(&self, file: FileId, stack: &mut Vec<FileId>, out: &mut (Vec<Step>, Vec<(FileId, NotJudged)>)) {
        let Some(script) = &self.scripts[file] else { return };
        let text = &self.run.docs[file].text;
        let mut meta = script.meta.iter().peekable();
        for st in &script.statements {
            // What psql reads before the statement is sent (a meta-command between its lines too,
            // except a conditional: that makes the statement one the replay cannot split).
            while let Some(m) = meta.next_if(|m| m.range.start < st.range.end) {
                if st.range.contains(&m.range.start) && is_conditional(&m.command) {
                    continue;
                }
                self.meta(file, m, stack, out);
            }
            let inner = |m: &MetaCommand| st.range.contains(&m.range.start) && is_conditional(&m.command);
            let split_by_conditional = script.meta.iter().any(inner);
            let template = st.substitutions.iter().any(|s| s.placeholder == Placeholder::Template);
            if template || split_by_conditional {
                let reason = if template { NotJudgedReason::Template } else { NotJudgedReason::PsqlConditional };
                out.1.push((file, NotJudged { span: st.range.clone(), reason }));
                continue;
            }
            let references =
                st.substitutions.iter().filter_map(|s| Reference::read(&text[s.range.clone()], s.range.start - st.range.start)).collect();
            let sql = script.masked[st.range.clone()].to_string();
            let copy_data = st.copy_data.clone().map(|data| text[data].to_string());
            let action = Action::Send { references, sent_with: st.sent_with.clone() };
            out.0.push(Step { file, range: st.range.clone(), cluster_wide: is_cluster_wide(&sql), sql, copy_data, action });
        }
        for m in meta {
            self.meta(file, m, stack, out);
        }
    }

    /// An include is expanded where it stands; any other meta-command is a step of its own.
    fn meta(&self, file: FileId, m: &MetaCommand, stack: &mut Vec<FileId>, out: &mut (Vec<Step>, Vec<(FileId, NotJudged)>)) {
        match &m.command {
            Command::Include(inc) => self.include(file, inc, stack, out),
            command => out.0.push(Step {
                file,
                range: m.range.clone(),
                sql: self.run.docs[file].text[m.range.clone()].to_string(),
                copy_data: None,
                cluster_wide: false,
                action: Action::Meta(command.clone()),
            }),
        }
    }

    fn include(&self, file: FileId, inc: &Include, stack: &mut Vec<FileId>, out: &mut (Vec<Step>, Vec<(FileId, NotJudged)>)) {
        match self.resolve(file, inc) {
            Some(target) if !stack.contains(&target) => {
                stack.push(target);
                self.emit(target, stack, out);
                stack.pop();
            }
            _ => out.1.push((file, NotJudged { span: inc.range.clone(), reason: NotJudgedReason::Include })),
        }
    }
}

fn is_conditional(c: &Command) -> bool {
    matches!(c, Command::If(_) | Command::Elif(_) | Command::Else | Command::Endif)
}

fn leading_words(sql: &str, n: usize) -> Vec<String> {
    sql.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').filter(|w| !w.is_empty()).take(n).map(str::to_ascii_uppercase).collect()
}

/// Statements that change the whole cluster rather than the replay's database.
fn is_cluster_wide(sql: &str) -> bool {
    let w = leading_words(sql, 3);
    let w: Vec<&str> = w.iter().map(String::as_str).collect();
    matches!(
        w.as_slice(),
        ["ALTER", "SYSTEM", ..]
            | ["CREATE" | "ALTER" | "DROP", "TABLESPACE", ..]
            | ["ALTER" | "DROP", "ROLE" | "USER" | "GROUP", ..]
            | ["DROP", "DATABASE", ..]
            | ["ALTER", "DATABASE", ..]
    )
}

/// The servers of a replay and how long a statement may run.
pub struct Plan<'a> {
    pub target: &'a Server,
    pub baseline: Option<&'a Server>,
    pub statement_timeout: Duration,
    /// psql's variables at the start of each script (`[psql] variables`).
    pub variables: Vec<(String, String)>,
    /// Becomes true on Ctrl-C: the replay stops and cleans up.
    pub interrupted: tokio::sync::watch::Receiver<bool>,
}

/// What a replay found: findings in the files, statements not replayed, and the servers'
/// outcomes.
pub struct Replayed {
    pub diagnostics: Vec<Diagnostic>,
    pub not_replayed: Vec<(FileId, NotJudged)>,
    /// Stopped by Ctrl-C before the last statement.
    pub interrupted: bool,
    /// Where statements failed on the target only: each failing statement, and the line the
    /// server's error points at (inside a routine body, it may be in another statement).
    pub failed: Vec<(FileId, Range<usize>)>,
    /// How many statements were sent to the target.
    pub sent: usize,
}

/// Replay `steps` on one server; the replay's database and what the statements made are
/// removed afterwards whatever happened (the error says what could not be).
async fn replay_on(server: &Server, steps: &[Step], plan: &Plan<'_>) -> Result<(Vec<Ran>, objects::Objects), String> {
    let replay = Replay::begin(server).await?;
    // A DSN's server is shared: what changes the whole cluster is not sent there.
    let shared = server.throwaway.is_none();
    let outcomes = replay.run(steps, shared, &plan.variables, plan.statement_timeout, plan.interrupted.clone()).await;
    let cleaned = replay.clean().await;
    let outcomes = outcomes?;
    cleaned?;
    Ok(outcomes)
}

/// Replay on the target and the baseline concurrently, then compare.
pub async fn replay(steps: &[Step], docs: &[crate::source::Document], plan: &Plan<'_>) -> Result<Replayed, String> {
    let on_target = replay_on(plan.target, steps, plan);
    let (target, baseline) = match plan.baseline {
        Some(b) => {
            let (t, b) = futures_util::future::join(on_target, replay_on(b, steps, plan)).await;
            (t, Some(b))
        }
        None => (on_target.await, None),
    };
    let (target, target_objects) = target?;
    let baseline = baseline.transpose()?;
    let mut replayed = compare(steps, docs, &target, baseline.as_ref().map(|b| b.0.as_slice()), plan);
    if let (Some((baseline_ran, baseline_objects)), Some(old)) = (&baseline, plan.baseline) {
        // Only what the same statement made on both: a `\if` may have sent different ones.
        let sent = |ran: &[Ran], k: usize| matches!(ran.get(k), Some(Ran::Sent(_)));
        let both: Vec<&Step> =
            steps.iter().enumerate().filter(|(k, _)| sent(&target, *k) && sent(baseline_ran, *k)).map(|(_, s)| s).collect();
        for change in objects::compare(baseline_objects, &target_objects) {
            replayed.diagnostics.extend(changed_object(&both, &change, old.major, plan.target.major));
        }
    }
    replayed.interrupted = *plan.interrupted.borrow();
    Ok(replayed)
}

/// Where a routine created by a replayed statement has its body: for the PL/pgSQL context
/// line of an error raised inside it.
struct RoutineBody {
    name: String,
    file: FileId,
    /// Offset in the file of the body's first character (after the opening dollar quote).
    body_start: usize,
}

fn compare(steps: &[Step], docs: &[crate::source::Document], target: &[Ran], baseline: Option<&[Ran]>, plan: &Plan<'_>) -> Replayed {
    let sent = target.iter().filter(|r| matches!(r, Ran::Sent(_))).count();
    let mut out = Replayed { diagnostics: Vec::new(), not_replayed: Vec::new(), interrupted: false, failed: Vec::new(), sent };
    let mut routines: Vec<RoutineBody> = Vec::new();
    let new = plan.target.major;
    let old = plan.baseline.map(|b| b.major);
    // The first statement that failed on the target only: later failures may follow from it.
    let mut first_cause: Option<(FileId, usize)> = None;
    for (k, step) in steps.iter().enumerate() {
        if let Some(r) = routine_body(step) {
            routines.push(r);
        }
        let outcome = match target.get(k) {
            None => break,
            Some(Ran::Sent(outcome)) => outcome,
            Some(Ran::Nothing) => continue,
            Some(Ran::ClusterWide) => {
                out.not_replayed.push((step.file, NotJudged { span: step.range.clone(), reason: NotJudgedReason::ClusterWide }));
                continue;
            }
            Some(Ran::UnknownVariable) => {
                out.not_replayed.push((step.file, NotJudged { span: step.range.clone(), reason: NotJudgedReason::PsqlVariable }));
                continue;
            }
        };
        let before = match baseline.and_then(|b| b.get(k)) {
            Some(Ran::Sent(o)) => Some(o),
            _ => None,
        };
        if let Some(f) = &outcome.failure {
            // In a transaction block that already failed: the block's first error is reported.
            if f.code == "25P02" {
                continue;
            }
            let (file, span) = locate(step, f, &routines, docs);
            // Raised inside a routine another statement made: say which statement called it.
            let called_at = (file != step.file || !step.range.contains(&span.start)).then(|| {
                let d = &docs[step.file];
                let (line, col) = d.line_col(step.range.start);
                format!(" — when called at {}:{line}:{col}", d.display)
            });
            let failed_before = before.and_then(|o| o.failure.as_ref());
            let diag = match (old, failed_before) {
                (Some(old), Some(b)) => replay_baseline_error::RULE
                    .report(file, span, format!("fails on PostgreSQL {old} as well as on {new}: {} ({})", f.message, f.code))
                    .help(format!(
                        "Not an upgrade problem: PostgreSQL {old} refuses it too ({}: {}). Fix it or remove it from the migrations.{}",
                        b.code,
                        b.message,
                        f.details()
                    )),
                _ => {
                    let mut message =
                        format!("fails on PostgreSQL {new}: {} ({}){}", f.message, f.code, called_at.as_deref().unwrap_or(""));
                    match old {
                        Some(old) => message.push_str(&format!(" — it runs on PostgreSQL {old}")),
                        None => message.push_str(" (no --baseline: it may fail on the current server too)"),
                    }
                    if let Some((cf, at)) = first_cause.filter(|_| is_missing_object(&f.code)) {
                        let d = &docs[cf];
                        let (line, col) = d.line_col(at);
                        message.push_str(&format!("; it may follow from the failure at {}:{line}:{col}", d.display));
                    }
                    if first_cause.is_none() {
                        first_cause = Some((file, span.start));
                    }
                    out.failed.push((step.file, step.range.clone()));
                    let text = &docs[file].text;
                    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
                    let line_end = text[span.start..].find('\n').map_or(text.len(), |i| span.start + i);
                    out.failed.push((file, line_start..line_end));
                    replay_error::RULE.report(file, span, message).help(format!(
                        "Replayed on {} in a scratch database.{}",
                        plan.target.label,
                        f.details()
                    ))
                }
            };
            out.diagnostics.push(diag);
        }
        // A warning the baseline gave too, or in other words (as many warnings there), is
        // not new on 18.
        let known = |w: &String| before.is_some_and(|b| b.warnings.contains(w) || b.warnings.len() >= outcome.warnings.len());
        for w in outcome.warnings.iter().filter(|w| !known(w)) {
            let span = first_line(step);
            let mut message = format!("PostgreSQL {new} warns: {w}");
            if let Some(old) = old {
                message.push_str(&format!(" (PostgreSQL {old} does not)"));
            }
            out.diagnostics.push(replay_warning::RULE.report(step.file, span, message));
        }
    }
    out
}

/// A `replay-changed-object` finding at the statement that made the object (found by its
/// name among the statements that create or alter objects of its kind).
fn changed_object(steps: &[&Step], change: &objects::Change, old: u32, new: u32) -> Option<Diagnostic> {
    let (kind, name) = change.object.split_once(' ')?;
    let parts: Vec<&str> = name.split('.').collect();
    let last = *parts.last()?;
    let table = parts.get(parts.len().wrapping_sub(2)).copied();
    // Where to look, in order: statements whose first words name one of these kinds of object,
    // and that name these names. An index or a constraint a CREATE TABLE made has no statement
    // of its own: then the table's.
    let wanted: Vec<(&[&str], Vec<&str>)> = match kind {
        "subscription" => vec![(&["SUBSCRIPTION"], vec![name])],
        "publication" => vec![(&["PUBLICATION"], vec![name])],
        "relation" => vec![(&["TABLE", "VIEW", "SEQUENCE", "MATERIALIZED"], vec![last])],
        "column" => vec![(&["TABLE"], vec![table?, last])],
        "function" => vec![(&["FUNCTION", "PROCEDURE"], vec![name.split('(').next()?.rsplit('.').next()?])],
        "index" => vec![(&["INDEX"], vec![last]), (&["TABLE"], vec![table?, last]), (&["TABLE"], vec![table?])],
        "constraint" => vec![(&["TABLE", "DOMAIN"], vec![table?, last]), (&["TABLE"], vec![table?])],
        "trigger" => vec![(&["TRIGGER"], vec![last])],
        _ => return None,
    };
    let (step, at, names) = wanted.iter().find_map(|(first_words, names)| {
        steps.iter().copied().find_map(|s| {
            let words = leading_words(&s.sql, 4);
            let creates = matches!(words.first().map(String::as_str), Some("CREATE" | "ALTER"))
                && words.iter().any(|w| first_words.contains(&w.as_str()));
            if !creates {
                return None;
            }
            let lower = s.sql.to_ascii_lowercase();
            let found: Vec<Option<usize>> = names.iter().map(|n| word_at(&lower, &n.to_ascii_lowercase())).collect();
            found.iter().all(Option::is_some).then(|| (s, found.last().copied().flatten().unwrap_or(0), names))
        })
    })?;
    let differences: Vec<String> = change
        .properties
        .iter()
        .map(|(p, before, after)| format!("{} on {old}, {} on {new}", objects::describe(p, before), objects::describe(p, after)))
        .collect();
    let len = names.last().map_or(0, |n| n.len());
    Some(
        replay_changed_object::RULE
            .report(step.file, step.range.start + at..step.range.start + at + len, format!("this makes a different {kind} `{name}` on PostgreSQL {new} than on {old}: {}", differences.join("; ")))
            .help("The same statement, replayed on both servers, made objects that behave differently. Say what you want explicitly in the statement, so that the object is the same on both."),
    )
}

/// The offset of `word` in `text` where it stands as a whole word (both already lower-case).
fn word_at(text: &str, word: &str) -> Option<usize> {
    let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    text.match_indices(word)
        .map(|(i, _)| i)
        .find(|&i| !ident(text[..i].chars().next_back()) && !ident(text[i + word.len()..].chars().next()))
}

impl Failure {
    /// The server's detail, hint and context, as sentences for a finding's help.
    fn details(&self) -> String {
        let mut s = String::new();
        for (label, part) in [("Detail", &self.detail), ("Hint", &self.hint), ("Context", &self.context)] {
            if let Some(p) = part {
                s.push_str(&format!(" {label}: {}", p.trim_end_matches('.').replace('\n', "; ")));
                s.push('.');
            }
        }
        s
    }
}

/// SQLSTATEs of an object that does not exist: a consequence of an earlier failure, often.
fn is_missing_object(code: &str) -> bool {
    matches!(code, "42883" | "42P01" | "42704" | "3F000" | "3D000")
}

/// The statement's first line (trailing spaces left out).
fn first_line(step: &Step) -> Range<usize> {
    let len = step.sql.find('\n').unwrap_or(step.sql.len());
    step.range.start..step.range.start + step.sql[..len].trim_end().len()
}

/// From the offset of a token in the statement, the token's span in the file.
fn token_at(step: &Step, offset: usize) -> Range<usize> {
    // A psql variable's value: the reference written there.
    if let Action::Send { references, .. } = &step.action
        && let Some(r) = references.iter().find(|r| r.range.start == offset)
    {
        return step.range.start + r.range.start..step.range.start + r.range.end;
    }
    let offset = offset.min(step.sql.len());
    let rest = &step.sql[offset..];
    let len = rest
        .find(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == ')')
        .unwrap_or(rest.len())
        .max(rest.chars().next().map_or(0, char::len_utf8));
    step.range.start + offset..step.range.start + offset + len
}

/// Where a failure happened: inside a PL/pgSQL body (from the context's line number), at the
/// server's position in the statement, inside the internal query it ran, or at the statement.
fn locate(step: &Step, f: &Failure, routines: &[RoutineBody], docs: &[crate::source::Document]) -> (FileId, Range<usize>) {
    if let Some((name, line)) = f.context.as_deref().and_then(plpgsql_context) {
        let body = if name == "inline_code_block" {
            body_start(&step.sql).map(|b| (step.file, step.range.start + b))
        } else {
            routines.iter().rev().find(|r| r.name == name).map(|r| (r.file, r.body_start))
        };
        if let Some((file, start)) = body {
            let text = &docs[file].text;
            // PL/pgSQL counts lines from the body's first line.
            let mut at = start;
            for _ in 1..line {
                match text[at..].find('\n') {
                    Some(nl) => at += nl + 1,
                    None => break,
                }
            }
            let end = text[at..].find('\n').map_or(text.len(), |nl| at + nl);
            let indent = text[at..end].len() - text[at..end].trim_start().len();
            return (file, at + indent..end.max(at + indent));
        }
    }
    if let Some(offset) = f.offset {
        return (step.file, token_at(step, offset));
    }
    if let Some((query, offset)) = &f.internal
        && let Some(found) = step.sql.find(query.as_str())
    {
        return (step.file, token_at(step, found + offset));
    }
    (step.file, first_line(step))
}

/// The innermost PL/pgSQL frame of an error context: the routine's name (lower-cased, no
/// schema or arguments) and the line in its body.
fn plpgsql_context(context: &str) -> Option<(String, usize)> {
    let line = context.lines().find(|l| l.starts_with("PL/pgSQL function "))?;
    let rest = line.strip_prefix("PL/pgSQL function ")?;
    // `f(integer)`, `s.f()`, or a DO block's `inline_code_block` (no arguments).
    let name_end = rest.find(['(', ' ']).unwrap_or(rest.len());
    let name = rest[..name_end].rsplit('.').next()?.trim_matches('"').to_ascii_lowercase();
    let after = rest.split(" line ").nth(1)?;
    let n: usize = after.split_whitespace().next()?.parse().ok()?;
    Some((name, n))
}

/// Offset in `sql` of the first character of its first dollar-quoted string.
fn body_start(sql: &str) -> Option<usize> {
    let bytes = sql.as_bytes();
    let mut i = 0;
    while let Some(p) = sql[i..].find('$') {
        let open = i + p;
        let tag_len = bytes[open + 1..].iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'_').count();
        if bytes.get(open + 1 + tag_len) == Some(&b'$') && (open == 0 || !bytes[open - 1].is_ascii_alphanumeric()) {
            return Some(open + tag_len + 2);
        }
        i = open + 1;
    }
    None
}

/// A `CREATE [OR REPLACE] FUNCTION|PROCEDURE name(...) ... AS $$ body $$` statement's routine.
fn routine_body(step: &Step) -> Option<RoutineBody> {
    let words = leading_words(&step.sql, 4);
    let kw = words.iter().position(|w| w == "FUNCTION" || w == "PROCEDURE")?;
    if words.first().map(String::as_str) != Some("CREATE") {
        return None;
    }
    let upper = step.sql.to_ascii_uppercase();
    let at = upper.find(words[kw].as_str())? + words[kw].len();
    let rest = &step.sql[at..];
    let name_end = rest.find('(')?;
    let name = rest[..name_end].trim().rsplit('.').next()?.trim_matches('"').to_ascii_lowercase();
    let body = body_start(&step.sql[at + name_end..])? + at + name_end;
    Some(RoutineBody { name, file: step.file, body_start: step.range.start + body })
}

/// Add a replay's findings (of the rules `opts` selects) and what it did not send to `run`;
/// the findings in file order.
pub fn merge_into(run: &mut Run, opts: &Options, replayed: Replayed, unsent: Vec<(FileId, NotJudged)>) {
    // A static finding inside a statement (or on a line) where the server's error was: proven.
    for d in &mut run.diagnostics {
        if replayed.failed.iter().any(|(f, r)| *f == d.file && r.start <= d.span.start && d.span.start <= r.end) {
            d.confirmed = true;
            d.message.push_str(" [confirmed: it failed on the real PostgreSQL 18]");
        }
    }
    let enabled = |d: &Diagnostic| crate::rules::find(d.rule).is_some_and(|r| opts.enabled(r));
    run.diagnostics.extend(replayed.diagnostics.into_iter().filter(enabled));
    run.diagnostics.sort_by(|a, b| (a.file, a.span.start, a.rule).cmp(&(b.file, b.span.start, b.rule)));
    for (file, n) in unsent.into_iter().chain(replayed.not_replayed) {
        if let Some(f) = run.files.get_mut(file) {
            f.not_judged.push(n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(sql: &str, start: usize) -> Step {
        let action = Action::Send { references: Vec::new(), sent_with: None };
        Step { file: 0, range: start..start + sql.len(), sql: sql.to_string(), copy_data: None, cluster_wide: is_cluster_wide(sql), action }
    }

    #[test]
    fn plpgsql_context_names_the_innermost_routine_and_its_line() {
        let ctx = "SQL statement \"REVOKE RULE ON t FROM PUBLIC\"\nPL/pgSQL function inline_code_block line 3 at EXECUTE";
        assert_eq!(plpgsql_context(ctx), Some(("inline_code_block".into(), 3)));
        let nested = "PL/pgSQL function app.\"IO_total\"(integer) line 12 at RETURN\nPL/pgSQL function outer() line 2 at PERFORM";
        assert_eq!(plpgsql_context(nested), Some(("io_total".into(), 12)));
        assert_eq!(plpgsql_context("SQL function \"f\" statement 1"), None);
    }

    #[test]
    fn routine_bodies_start_after_their_dollar_quote() {
        let sql = "CREATE OR REPLACE FUNCTION public.snap(a int) RETURNS void LANGUAGE plpgsql AS $body$\nBEGIN END $body$";
        let r = routine_body(&step(sql, 100)).unwrap();
        assert_eq!(r.name, "snap");
        assert_eq!(&sql[r.body_start - 100..r.body_start - 100 + 6], "\nBEGIN");
        assert!(routine_body(&step("CREATE TABLE f (a int)", 0)).is_none());
        // A `$1` parameter reference is not a dollar quote.
        assert_eq!(body_start("SELECT $1, $$x$$"), Some(13));
    }

    #[test]
    fn cluster_wide_statements_are_told_apart() {
        for sql in
            ["ALTER SYSTEM SET work_mem = '1MB'", "create tablespace ts location '/x'", "ALTER ROLE app SET x = 1", "DROP DATABASE d"]
        {
            assert!(is_cluster_wide(sql), "{sql}");
        }
        for sql in ["CREATE ROLE app", "CREATE DATABASE d", "ALTER TABLE t ADD c int", "SELECT 1"] {
            assert!(!is_cluster_wide(sql), "{sql}");
        }
    }

    #[test]
    fn changed_objects_are_found_at_the_statement_that_made_them() {
        let steps = [
            step("CREATE TABLE orders (id int)", 0),
            step("CREATE SUBSCRIPTION \"Sub\" CONNECTION 'host=127.0.0.1' PUBLICATION p WITH (connect = false)", 40),
        ];
        let change = objects::Change { object: "subscription sub".into(), properties: vec![("substream".into(), "f".into(), "p".into())] };
        let d = changed_object(&steps.iter().collect::<Vec<_>>(), &change, 15, 18).unwrap();
        assert_eq!(d.span.start, 40 + "CREATE SUBSCRIPTION \"".len());
        assert!(d.message.contains("streaming = off on 15, streaming = parallel on 18"), "{}", d.message);
        // An index a CREATE TABLE made (its primary key) is found at the table's statement.
        let index = objects::Change {
            object: "index public.orders.orders_pkey".into(),
            properties: vec![("definition".into(), "CREATE UNIQUE INDEX orders_pkey ON public.orders USING btree (id)".into(), "x".into())],
        };
        let d = changed_object(&steps.iter().collect::<Vec<_>>(), &index, 15, 18).unwrap();
        assert_eq!(d.span, "CREATE TABLE ".len().."CREATE TABLE orders".len());
        assert!(d.message.contains("`CREATE UNIQUE INDEX"), "{}", d.message);
        let unknown = objects::Change { object: "subscription other".into(), properties: change.properties.clone() };
        assert!(changed_object(&steps.iter().collect::<Vec<_>>(), &unknown, 15, 18).is_none());
    }
}
