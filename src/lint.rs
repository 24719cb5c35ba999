//! The engine: read → split and parse in parallel → fold into the model in migration order,
//! running the rules on each statement → suppressions → sorted diagnostics.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};
use pg_query::NodeEnum;
use rayon::prelude::*;

use crate::conf::{self, Kind};
use crate::diagnostic::{Diagnostic, FileId, Severity};
use crate::model::Schema;
use crate::model::{ConfSetting, ServerConfig};
use crate::rules::ModelCtx;
use crate::rules::{self, Ctx, Hook, REGISTRY, Rule};
use crate::source::order::{is_down_migration, migration_key};
use crate::source::{self, Document};
use crate::sql::assign::{Assignment, Via};
use crate::sql::parse::{TreeStatement, parse_statement};
use crate::sql::script::{self, Comment};
use crate::suppress;

#[derive(Debug, Clone)]
pub struct Options {
    /// Rule ids or areas to run; empty means all.
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// The major version the database is upgraded from (13–17).
    pub from: u32,
    pub exclude: Vec<String>,
    /// Glob (matched against the displayed path) → rule ids or areas ignored there.
    pub per_path_ignores: Vec<(String, Vec<String>)>,
    /// Files to read as postgresql.conf / pg_hba.conf whatever their name (--conf, --hba).
    pub conf_files: Vec<PathBuf>,
    pub hba_files: Vec<PathBuf>,
    pub ident_files: Vec<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            select: Vec::new(),
            ignore: Vec::new(),
            from: 13,
            exclude: Vec::new(),
            per_path_ignores: Vec::new(),
            conf_files: Vec::new(),
            hba_files: Vec::new(),
            ident_files: Vec::new(),
        }
    }
}

impl Options {
    pub fn enabled(&self, rule: &Rule) -> bool {
        let hit = |list: &[String]| list.iter().any(|s| s == rule.meta.id || s == rule.meta.area || s == "all");
        (self.select.is_empty() || hit(&self.select)) && !hit(&self.ignore)
    }
}

/// One statement of a file: its span and its trees (empty when it did not parse).
#[derive(Debug)]
pub struct Statement {
    pub range: Range<usize>,
    pub substituted: bool,
    pub trees: Vec<TreeStatement>,
}

/// A file after the front end.
#[derive(Debug, Default)]
pub struct ParsedFile {
    pub masked: String,
    /// Emptied once the file is folded, unless a suppression comment needs them.
    pub statements: Vec<Statement>,
    /// How many statements the file has (`statements` is emptied once the file is folded).
    pub statement_count: usize,
    /// Statements (indices) whose trees are parsed only when the file is folded (large files).
    pub deferred: Vec<usize>,
    pub comments: Vec<Comment>,
    pub diagnostics: Vec<Diagnostic>,
    /// Linted at all (false for unreadable, non-UTF-8 or foreign-dialect files).
    pub linted: bool,
    pub kind: Kind,
    pub conf: Option<crate::conf::postgresql::ConfFile>,
    pub hba: Option<crate::conf::hba::HbaFile>,
    pub ident: Option<crate::conf::ident::IdentFile>,
}

impl Default for Kind {
    fn default() -> Self {
        Kind::Sql
    }
}

/// Everything a run produced.
pub struct Run {
    pub docs: Vec<Document>,
    pub files: Vec<ParsedFile>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Run {
    /// SQL statements checked (configuration lines are not counted).
    pub fn statements(&self) -> usize {
        self.files.iter().filter(|f| f.kind == Kind::Sql).map(|f| f.statement_count).sum()
    }
}

/// Read, discover and lint `paths`. Problems with paths themselves become `io-error` diagnostics.
pub fn lint_paths(paths: &[PathBuf], opts: &Options) -> Run {
    lint_paths_cached(paths, opts, None).0
}

/// As [`lint_paths`], answering from `cache` when every file read is unchanged (and storing the
/// run there otherwise). The flag says whether the cache answered.
pub fn lint_paths_cached(paths: &[PathBuf], opts: &Options, cache: Option<&crate::cache::Cache>) -> (Run, bool) {
    let mut roots: Vec<PathBuf> = paths.to_vec();
    roots.extend(opts.conf_files.iter().chain(&opts.hba_files).chain(&opts.ident_files).cloned());
    let found = source::discover(&roots, &opts.exclude);
    let mut inputs: Vec<(PathBuf, Result<Vec<u8>, String>)> =
        found.files.par_iter().map(|p| (p.clone(), std::fs::read(p).map_err(|e| e.to_string()))).collect();
    inputs.extend(found.problems.into_iter().map(|(p, e)| (p, Err(e))));
    let Some(cache) = cache else { return (lint_inputs(inputs, opts), false) };
    let hashes = crate::cache::Cache::hashes(&inputs);
    let key = crate::cache::Cache::key(opts, &inputs, &hashes);
    if let Some(run) = cache.load(&key, &mut inputs, &hashes) {
        return (run, true);
    }
    let read: std::collections::HashMap<PathBuf, Option<String>> = inputs.iter().map(|(p, _)| p.clone()).zip(hashes).collect();
    let run = lint_inputs(inputs, opts);
    cache.store(&key, &run, &read);
    (run, false)
}

/// A progress bar on stderr for long runs in a terminal: hidden when stderr is not a terminal
/// (indicatif's own check), under CI, and for small runs.
fn progress(files: usize) -> indicatif::ProgressBar {
    let in_ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
    if in_ci || files < 200 {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(files as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} parsing {pos}/{len} files {wide_bar} {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// Lint in-memory sources (used by tests and by `--fix` to re-check its result).
pub fn lint_inputs(mut inputs: Vec<(PathBuf, Result<Vec<u8>, String>)>, opts: &Options) -> Run {
    // Keys computed in parallel: a few dozen small strings per path, 3,000 paths in a corpus run.
    inputs.par_sort_by_cached_key(|(path, _)| migration_key(path));
    let inputs = inputs.into_iter().map(|(path, bytes)| Input { path, bytes, kind: None }).collect();
    lint_ordered(inputs, opts, None)
}

/// What a server's catalog says, as documents linted like files: one run per model (the
/// cluster, then each database), merged into one report.
pub fn lint_snapshot(snap: &crate::catalog::Snapshot, opts: &Options) -> Run {
    let mut opts = opts.clone();
    opts.from = crate::catalog::synth::upgrade_from(snap);
    let runs = crate::catalog::synth::groups(snap)
        .into_iter()
        .map(|group| {
            let facts: Vec<_> = group.docs.iter().map(|d| d.fact.clone()).collect();
            let inputs =
                group.docs.into_iter().map(|d| Input { path: d.path, bytes: Ok(d.text.into_bytes()), kind: Some(d.kind) }).collect();
            let catalog = CatalogRun { server: snap.server.clone(), major: snap.major(), facts };
            let mut run = lint_ordered(inputs, &opts, Some(catalog));
            // Fixes edit files; a server is repaired through --fix-script instead.
            run.diagnostics.iter_mut().for_each(|d| d.fix = None);
            run
        })
        .collect();
    Run::merge(runs)
}

/// One input of a run: a path, its bytes (or why they could not be read), and its kind when
/// the caller knows it better than the file name does.
pub struct Input {
    pub path: PathBuf,
    pub bytes: Result<Vec<u8>, String>,
    pub kind: Option<Kind>,
}

/// The catalog facts of a run over catalog documents, aligned with its inputs.
struct CatalogRun {
    server: String,
    major: u32,
    facts: Vec<Option<crate::catalog::synth::Fact>>,
}

impl Run {
    /// Several runs as one report (file ids renumbered).
    pub fn merge(runs: Vec<Run>) -> Run {
        let mut all = Run { docs: Vec::new(), files: Vec::new(), diagnostics: Vec::new() };
        for run in runs {
            let offset = all.docs.len();
            all.docs.extend(run.docs);
            all.files.extend(run.files);
            all.diagnostics.extend(run.diagnostics.into_iter().map(|mut d| {
                d.file += offset;
                if let Some(fix) = &mut d.fix {
                    for e in &mut fix.edits {
                        e.file += offset;
                    }
                }
                d
            }));
        }
        all
    }
}

/// Lint inputs in the order given (migration order, or a catalog's build order).
fn lint_ordered(inputs: Vec<Input>, opts: &Options, catalog: Option<CatalogRun>) -> Run {
    let bar = progress(inputs.len());
    let kind_of = |p: &Path| -> Kind {
        if opts.conf_files.iter().any(|c| c == p) {
            Kind::PostgresqlConf
        } else if opts.hba_files.iter().any(|c| c == p) {
            Kind::Hba
        } else if opts.ident_files.iter().any(|c| c == p) {
            Kind::Ident
        } else {
            conf::kind_of(p).unwrap_or(Kind::Sql)
        }
    };
    let active: Vec<&Rule> = REGISTRY.iter().copied().filter(|r| r.check.is_some() && opts.enabled(r)).collect();
    let mut schema = Schema::default();
    let from_catalog = catalog.is_some();
    if !from_catalog {
        // One or two stats per file under a `sql/` folder: in parallel, as parsing waits for it.
        schema.expected_outputs = inputs
            .par_iter()
            .enumerate()
            .filter(|(_, input)| input.kind.unwrap_or_else(|| kind_of(&input.path)) == Kind::Sql)
            .filter_map(|(id, input)| source::expected_output(&input.path).map(|out| (id, out)))
            .collect();
    }
    let parse_one = |id: usize, input: Input| -> (Document, ParsedFile) {
        let kind = input.kind.unwrap_or_else(|| kind_of(&input.path));
        let r = front_end(id, input.path, input.bytes, kind);
        bar.inc(1);
        r
    };
    let mut docs: Vec<Document> = Vec::with_capacity(inputs.len());
    let mut files: Vec<ParsedFile> = Vec::with_capacity(inputs.len());
    let mut diagnostics = Vec::new();
    if let Some(c) = catalog {
        // A catalog's facts need every document, and are known before its definitions are
        // folded (statement rules may read them): parse everything, then fold.
        let parsed: Vec<(Document, ParsedFile)> = inputs.into_par_iter().enumerate().map(|(id, input)| parse_one(id, input)).collect();
        (docs, files) = parsed.into_iter().unzip();
        schema.catalog = Some(catalog_facts(c, &docs));
        for id in 0..files.len() {
            fold_file(id, &docs[id], &mut files[id], &mut schema, from_catalog, &active, opts, &mut diagnostics);
        }
    } else {
        let mut fold = InOrderFold { docs, files, schema, diagnostics };
        parse_and_fold(inputs, &parse_one, &mut fold, |f, parsed| {
            let id = f.docs.len();
            f.docs.push(parsed.0);
            f.files.push(parsed.1);
            fold_file(id, &f.docs[id], &mut f.files[id], &mut f.schema, false, &active, opts, &mut f.diagnostics);
        });
        InOrderFold { docs, files, schema, diagnostics } = fold;
    }
    bar.finish_and_clear();

    // Configuration files: expand includes (reading included files as new documents), group
    // them by server folder, then run the whole-model rules.
    schema.servers = build_servers(&mut docs, &mut files, &mut diagnostics);
    let model_ctx = ModelCtx { schema: &schema, from: opts.from };
    for rule in REGISTRY.iter().filter(|r| opts.enabled(r)) {
        if let Some(check) = rule.check_model {
            check(&model_ctx, &mut diagnostics);
        }
    }
    // Freeing a large model (a corpus run's: 4 ms) need not delay the report: a pool thread,
    // idle by now, does it.
    rayon::spawn(move || drop(schema));

    // Suppressions apply per file, to the statement a diagnostic is located in.
    let mut by_file: Vec<Vec<Diagnostic>> = (0..files.len().max(docs.len())).map(|_| Vec::new()).collect();
    for d in diagnostics {
        by_file[d.file].push(d);
    }
    let path_ignores = PathIgnores::new(&opts.per_path_ignores);
    let mut kept = Vec::new();
    for (id, diags) in by_file.into_iter().enumerate() {
        let ran = |name: &str| {
            rules::find(name).map_or_else(|| REGISTRY.iter().any(|r| r.meta.area == name && opts.enabled(r)), |r| opts.enabled(r))
        };
        let mut diags = suppress::apply(id, &docs[id].text, &files[id], diags, &ran);
        diags.retain(|d| rules::find(d.rule).is_none_or(|r| opts.enabled(r)) && !path_ignores.ignored(&docs[id].display, d.rule));
        kept.extend(diags);
    }
    kept.sort_by(|a, b| (a.file, a.span.start, a.rule).cmp(&(b.file, b.span.start, b.rule)));
    kept.dedup_by(|a, b| a.file == b.file && a.span == b.span && a.rule == b.rule && a.message == b.message);
    Run { docs, files, diagnostics: kept }
}

struct PathIgnores {
    set: GlobSet,
    rules: Vec<Vec<String>>,
}

impl PathIgnores {
    fn new(entries: &[(String, Vec<String>)]) -> PathIgnores {
        let mut b = GlobSetBuilder::new();
        let mut rules = Vec::new();
        for (glob, ids) in entries {
            if let Ok(g) = Glob::new(glob) {
                b.add(g);
                rules.push(ids.clone());
            }
        }
        PathIgnores { set: b.build().unwrap_or_else(|_| GlobSet::empty()), rules }
    }

    fn ignored(&self, path: &str, rule: &str) -> bool {
        let area = rules::find(rule).map_or("", |r| r.meta.area);
        self.set.matches(path).into_iter().any(|i| self.rules[i].iter().any(|r| r == rule || r == area))
    }
}

fn io_diag(file: FileId, rule: &'static str, severity: Severity, message: String) -> Diagnostic {
    Diagnostic::new(rule, severity, file, 0..0, message)
}

/// Files from this size on are parsed statement segment by statement segment as they are folded.
const LARGE_FILE_BYTES: usize = 1 << 20;
/// Statement bytes parsed (in parallel) per segment of a large file.
const FOLD_SEGMENT_BYTES: usize = 256 << 10;

/// How far parsing may run ahead of the fold, in bytes of files parsed but not yet folded:
/// enough to keep every thread busy, small enough that few parse trees are alive at once.
const PARSE_AHEAD_BYTES: usize = 128 << 10;

/// What the fold owns while files are parsed around it: the files folded so far, the model
/// they built and their findings.
struct InOrderFold {
    docs: Vec<Document>,
    files: Vec<ParsedFile>,
    schema: Schema,
    diagnostics: Vec<Diagnostic>,
}

/// Parse `inputs` on every thread of the pool and fold each result with `fold_one`, in input
/// order, on whichever thread finds the next file ready: a thread never waits for a fold it
/// could not help with, and never idles while there are files left to parse (a fixed split into
/// parse chunks and fold chunks left about a seventh of the threads' time idle). A thread that
/// runs more than `PARSE_AHEAD_BYTES` ahead of the fold folds, or helps with other work,
/// instead of parsing further, which bounds the trees alive at once.
fn parse_and_fold<T: Send, S: Send>(
    inputs: Vec<Input>,
    parse_one: &(dyn Fn(usize, Input) -> T + Sync),
    fold: &mut S,
    fold_one: impl Fn(&mut S, T) + Sync,
) {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let n = inputs.len();
    // Bytes of files 0..i: how far parsing runs ahead of the fold is the difference between
    // the bytes handed out for parsing and the bytes folded.
    let ends: Vec<usize> = std::iter::once(0)
        .chain(inputs.iter().scan(0, |total, i| {
            *total += i.bytes.as_ref().map_or(0, Vec::len);
            Some(*total)
        }))
        .collect();
    let pending: Vec<Mutex<Option<Input>>> = inputs.into_iter().map(|i| Mutex::new(Some(i))).collect();
    let ready: Vec<Mutex<Option<T>>> = (0..n).map(|_| Mutex::new(None)).collect();
    let next_to_parse = AtomicUsize::new(0);
    // Files folded so far: written only by the thread holding `state`, read by all.
    let folded = AtomicUsize::new(0);
    let state = Mutex::new(fold);
    // Set when a thread panics (a bug): the others must stop rather than wait for a file that
    // will never be ready, so that the panic reaches the caller instead of hanging the run.
    let aborted = std::sync::atomic::AtomicBool::new(false);
    struct AbortOnPanic<'a>(&'a std::sync::atomic::AtomicBool);
    impl Drop for AbortOnPanic<'_> {
        fn drop(&mut self) {
            if std::thread::panicking() {
                self.0.store(true, Ordering::Release);
            }
        }
    }
    // Fold every ready file in order; `try_lock` so a thread never waits for another's fold. A
    // file made ready while another thread held the lock is seen by that thread's re-check.
    let drain = || {
        loop {
            let Ok(mut fold) = state.try_lock() else { return };
            let mut next = folded.load(Ordering::Acquire);
            while next < n {
                let Some(parsed) = ready[next].lock().unwrap().take() else { break };
                fold_one(&mut fold, parsed);
                next += 1;
                folded.store(next, Ordering::Release);
            }
            drop(fold);
            if next >= n || ready[next].lock().unwrap().is_none() {
                return;
            }
        }
    };
    let parsing_ahead = || ends[next_to_parse.load(Ordering::Acquire).min(n)] - ends[folded.load(Ordering::Acquire)] > PARSE_AHEAD_BYTES;
    rayon::broadcast(|_| {
        let _guard = AbortOnPanic(&aborted);
        while !aborted.load(Ordering::Acquire) {
            while parsing_ahead() && !aborted.load(Ordering::Acquire) {
                drain();
                // The next file to fold is still being parsed elsewhere: run other pool work
                // (a large file's segments) meanwhile, or let that thread have the core.
                if rayon::yield_now() != Some(rayon::Yield::Executed) {
                    std::thread::yield_now();
                }
            }
            let id = next_to_parse.fetch_add(1, Ordering::AcqRel);
            if id >= n {
                break;
            }
            let input = pending[id].lock().unwrap().take().expect("each file is parsed once");
            let parsed = parse_one(id, input);
            *ready[id].lock().unwrap() = Some(parsed);
            drain();
        }
    });
    // Every file is parsed; a thread that finished last may have left the final ones unfolded.
    let fold = state.into_inner().unwrap();
    for slot in &ready[folded.into_inner()..] {
        fold_one(fold, slot.lock().unwrap().take().expect("every file was parsed"));
    }
}

/// Fold one parsed file into the model in order, running the statement rules, then free its trees.
#[allow(clippy::too_many_arguments)]
fn fold_file(
    id: FileId,
    doc: &Document,
    file: &mut ParsedFile,
    schema: &mut Schema,
    from_catalog: bool,
    active: &[&Rule],
    opts: &Options,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut found = std::mem::take(&mut file.diagnostics);
    let down = !from_catalog && is_down_migration(&doc.path);
    // A down migration is linted against the schema it would run on, but never changes it.
    let mut scratch;
    let model: &mut Schema = if down {
        scratch = schema.clone();
        &mut scratch
    } else {
        schema
    };
    // A large file's statements are parsed here, a segment at a time (in parallel), just
    // before they are folded: all of a 20 MB schema dump's trees at once took 4.4 GB.
    let deferred = std::mem::take(&mut file.deferred);
    let mut folded = 0;
    let segments = crate::sql::parse::groups_by_bytes(deferred.iter().map(|&i| file.statements[i].range.len()), FOLD_SEGMENT_BYTES);
    for segment in segments.into_iter().map(|r| &deferred[r]) {
        let masked = &file.masked;
        let trees: Vec<(usize, Vec<TreeStatement>)> = segment
            .par_iter()
            .map(|&i| {
                let s = &file.statements[i];
                let sql = &masked[s.range.clone()];
                // These statements passed the syntax check in the front end.
                (i, read_trees(sql, s.range.start).unwrap_or_default())
            })
            .collect();
        for (i, t) in trees {
            file.statements[i].trees = t;
        }
        let last = segment.last().map_or(folded, |&i| i + 1);
        fold_statements(id, &file.masked, &mut file.statements[folded..last], model, active, opts, &mut found);
        folded = last;
    }
    fold_statements(id, &file.masked, &mut file.statements[folded..], model, active, opts, &mut found);
    // Nor the masked text (reports use the document's own text).
    file.masked = String::new();
    // After the fold only suppression comments are read (suppress::apply), and statement
    // ranges only to place them: most files keep neither (memory: a dump has many comments).
    file.comments.retain(|c| doc.text.get(c.range.clone()).is_some_and(|t| t.contains("pgready:")));
    if file.comments.is_empty() {
        file.statements = Vec::new();
    }
    diagnostics.extend(found);
}

/// Fold statements into the model in order, running the statement rules, then free their trees.
fn fold_statements(
    id: FileId,
    masked: &str,
    statements: &mut [Statement],
    model: &mut Schema,
    active: &[&Rule],
    opts: &Options,
    found: &mut Vec<Diagnostic>,
) {
    for stmt in statements {
        for tree in &stmt.trees {
            model.apply(id, masked, &tree.range, &tree.node);
            if stmt.substituted {
                continue;
            }
            let hook = Hook::of(&tree.node);
            let ctx = Ctx::new(id, masked, &tree.range, &tree.node, model, opts.from);
            for rule in active {
                if rule.hooks.iter().any(|h| *h == Hook::Any || Some(*h) == hook) {
                    (rule.check.expect("active rules have a check"))(&ctx, found);
                }
            }
        }
        // Folded: nothing reads the trees again.
        stmt.trees = Vec::new();
    }
}

/// Parse the statement `sql` (at byte `base` of its file), keeping only the trees the model or
/// a rule can read (memory: most statements of a dump or a test suite are DML no rule looks at).
fn read_trees(sql: &str, base: usize) -> Result<Vec<TreeStatement>, crate::sql::parse::SyntaxError> {
    if sql.len() > TREE_MEMO_MAX_TEXT || keep_all_trees() {
        return read_trees_uncached(sql, base);
    }
    // The trees depend on the text alone, and their locations are relative to its start.
    let hash = xxhash_rust::xxh3::xxh3_128(sql.as_bytes());
    let slot = hash as usize % TREE_MEMO_SLOTS;
    let at_base = |trees: &[(Range<usize>, Arc<NodeEnum>)]| -> Vec<TreeStatement> {
        trees.iter().map(|(r, node)| TreeStatement { range: base + r.start..base + r.end, node: Arc::clone(node) }).collect()
    };
    let hit = TREE_MEMO.with_borrow(|memo| match &memo[slot] {
        Some((h, trees)) if *h == hash => Some(at_base(trees)),
        _ => None,
    });
    if let Some(trees) = hit {
        return Ok(trees);
    }
    let trees = read_trees_uncached(sql, 0).map_err(|e| crate::sql::parse::SyntaxError { offset: base + e.offset, ..e })?;
    let kept: Vec<(Range<usize>, Arc<NodeEnum>)> = trees.into_iter().map(|t| (t.range, t.node)).collect();
    let result = at_base(&kept);
    TREE_MEMO.with_borrow_mut(|memo| memo[slot] = Some((hash, kept)));
    Ok(result)
}

/// Small statements repeat: a migration tool's `SET` preamble in every file, the queries of a
/// regression suite. A repeat shares the trees of the last statement of the same text (per
/// thread, in a fixed number of slots, so its memory is bounded): over the corpus a third of
/// the statements parsed in full were repeats, and a parse costs far more than a shared tree.
/// 256 slots save 94% of the instructions that 1,024 save over the corpus (callgrind) without
/// raising the peak memory; 1,024 slots raised it by 12 MiB.
const TREE_MEMO_SLOTS: usize = 256;
/// Longer statements rarely repeat, and their trees are larger to keep.
const TREE_MEMO_MAX_TEXT: usize = 256;
type TreeMemo = Vec<Option<(u128, Vec<(Range<usize>, Arc<NodeEnum>)>)>>;
thread_local! {
    static TREE_MEMO: std::cell::RefCell<TreeMemo> = std::cell::RefCell::new(vec![None; TREE_MEMO_SLOTS]);
}

fn read_trees_uncached(sql: &str, base: usize) -> Result<Vec<TreeStatement>, crate::sql::parse::SyntaxError> {
    let mut trees = parse_statement(sql, base)?;
    if !keep_all_trees() {
        trees.retain(|t| rules::statement_kind_is_read(&t.node) || has_rule_keyword(sql));
    }
    Ok(trees)
}

/// Read one file's bytes into a document and run its front end (SQL or configuration).
pub fn front_end(id: FileId, path: PathBuf, bytes: Result<Vec<u8>, String>, kind: Kind) -> (Document, ParsedFile) {
    let display = source::display_path(&path);
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            let doc = Document::new(path, display, String::new());
            let d = io_diag(id, "io-error", Severity::Error, format!("cannot read this path: {e}"));
            return (doc, ParsedFile { diagnostics: vec![d], ..Default::default() });
        }
    };
    if bytes.contains(&0) {
        let doc = Document::new(path, display, String::new());
        let d = io_diag(id, "invalid-encoding", Severity::Warning, "binary file (contains NUL bytes): skipped".into());
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
            let msg = format!("file is not valid UTF-8 (byte 0x{:02x} on line {line}): skipped", bytes[valid]);
            let d = io_diag(id, "invalid-encoding", Severity::Warning, msg);
            return (doc, ParsedFile { diagnostics: vec![d], ..Default::default() });
        }
    };
    let doc = Document::new(path, display, text);
    let mut parsed = match kind {
        Kind::Sql => parse_file(id, &doc.text),
        Kind::PostgresqlConf => {
            let c = conf::postgresql::parse(&doc.text);
            let diagnostics = c.errors.iter().map(|(span, msg)| config_error(id, span.clone(), msg.clone())).collect();
            let (statements, comments) = config_lines(&doc.text, b'\'');
            ParsedFile { diagnostics, linted: true, kind, conf: Some(c), statements, comments, ..Default::default() }
        }
        Kind::Hba => {
            let h = conf::hba::parse(&doc.text);
            let diagnostics = h.errors.iter().map(|(span, msg)| config_error(id, span.clone(), msg.clone())).collect();
            let (statements, comments) = config_lines(&doc.text, b'"');
            ParsedFile { diagnostics, linted: true, kind, hba: Some(h), statements, comments, ..Default::default() }
        }
        Kind::Ident => {
            let m = conf::ident::parse(&doc.text);
            let diagnostics = m.errors.iter().map(|(span, msg)| config_error(id, span.clone(), msg.clone())).collect();
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
            lines.push(Statement { range: start..end, substituted: false, trees: Vec::new() });
        }
        start += line.len();
    }
    (lines, comments)
}

fn config_error(file: FileId, span: Range<usize>, message: String) -> Diagnostic {
    Diagnostic::new("config-error", Severity::Error, file, span, message)
        .help("PostgreSQL refuses a configuration file with errors: the server does not start (postgresql.conf), or the file is not loaded (pg_hba.conf).")
}

/// PostgreSQL stops including files deeper than this.
const MAX_INCLUDE_DEPTH: usize = 10;

/// Find or read the file at `path` as a document of `kind`; its id.
fn load_document(docs: &mut Vec<Document>, files: &mut Vec<ParsedFile>, path: &Path, kind: Kind) -> Result<FileId, String> {
    let canonical = std::fs::canonicalize(path).map_err(|e| e.to_string())?;
    if let Some(id) = docs.iter().position(|d| std::fs::canonicalize(&d.path).is_ok_and(|c| c == canonical)) {
        return Ok(id);
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let id = docs.len();
    let (doc, parsed) = front_end(id, path.to_path_buf(), Ok(bytes), kind);
    docs.push(doc);
    files.push(parsed);
    Ok(id)
}

/// The files an include directive names: one file, or a folder's `*.conf` in byte order.
fn include_targets(from: &Path, path: &str, kind: conf::postgresql::IncludeKind) -> Result<Vec<PathBuf>, String> {
    use conf::postgresql::IncludeKind;
    let base = from.parent().unwrap_or(Path::new("."));
    let target = base.join(path);
    match kind {
        IncludeKind::IncludeDir => {
            let mut list: Vec<PathBuf> = std::fs::read_dir(&target)
                .map_err(|e| format!("could not open configuration directory \"{}\": {e}", target.display()))?
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                    !name.starts_with('.') && name.ends_with(".conf") && p.is_file()
                })
                .collect();
            // C-locale order: by bytes.
            list.sort_by(|a, b| a.as_os_str().as_encoded_bytes().cmp(b.as_os_str().as_encoded_bytes()));
            Ok(list)
        }
        IncludeKind::IncludeIfExists if !target.exists() => Ok(Vec::new()),
        _ if !target.exists() => Err(format!("could not open configuration file \"{}\": No such file or directory", target.display())),
        _ => Ok(vec![target]),
    }
}

fn expand_conf(
    id: FileId,
    docs: &mut Vec<Document>,
    files: &mut Vec<ParsedFile>,
    stack: &mut Vec<FileId>,
    out: &mut Vec<ConfSetting>,
    diags: &mut Vec<Diagnostic>,
) {
    use conf::postgresql::Item;
    let items = files[id].conf.as_ref().map(|c| c.items.clone()).unwrap_or_default();
    stack.push(id);
    for item in items {
        match item {
            Item::Entry(e) => out.push(ConfSetting {
                assignment: Assignment {
                    file: id,
                    name: e.name.to_ascii_lowercase(),
                    name_span: e.name_span,
                    value: Some(e.value),
                    value_span: Some(e.value_span),
                    via: Via::Config,
                    reset: false,
                    name_quoted: false,
                },
                overridden: false,
            }),
            Item::Include(inc) => {
                let targets = match include_targets(&docs[id].path.clone(), &inc.path, inc.kind) {
                    Ok(t) => t,
                    Err(e) => {
                        diags.push(config_error(id, inc.span.clone(), e));
                        continue;
                    }
                };
                for t in targets {
                    match load_document(docs, files, &t, Kind::PostgresqlConf) {
                        Ok(child) if stack.contains(&child) => {
                            diags.push(config_error(id, inc.span.clone(), format!("include cycle: \"{}\" includes itself", t.display())))
                        }
                        Ok(_) if stack.len() >= MAX_INCLUDE_DEPTH => diags.push(config_error(
                            id,
                            inc.span.clone(),
                            format!("could not open configuration file \"{}\": maximum nesting depth exceeded", t.display()),
                        )),
                        Ok(child) => expand_conf(child, docs, files, stack, out, diags),
                        Err(e) => diags.push(config_error(id, inc.span.clone(), e)),
                    }
                }
            }
        }
    }
    stack.pop();
}

fn hba_items(f: &ParsedFile) -> Vec<conf::Line<conf::hba::Record>> {
    f.hba.as_ref().map(|h| h.items.clone()).unwrap_or_default()
}

fn ident_items(f: &ParsedFile) -> Vec<conf::Line<conf::ident::Mapping>> {
    f.ident.as_ref().map(|m| m.items.clone()).unwrap_or_default()
}

/// The entries of a pg_hba.conf or pg_ident.conf, its includes expanded in place (as the server
/// reads them), each with the document it comes from.
#[allow(clippy::too_many_arguments)]
fn expand_includes<T>(
    id: FileId,
    kind: Kind,
    // Owned: expanding an include adds documents to `files`.
    items_of: fn(&ParsedFile) -> Vec<conf::Line<T>>,
    docs: &mut Vec<Document>,
    files: &mut Vec<ParsedFile>,
    stack: &mut Vec<FileId>,
    out: &mut Vec<(FileId, T)>,
    diags: &mut Vec<Diagnostic>,
) {
    let items = items_of(&files[id]);
    stack.push(id);
    for item in items {
        match item {
            conf::Line::Entry(e) => out.push((id, e)),
            conf::Line::Include { kind: include, path, span } => {
                let targets = match include_targets(&docs[id].path.clone(), &path, include) {
                    Ok(t) => t,
                    Err(e) => {
                        diags.push(config_error(id, span.clone(), e));
                        continue;
                    }
                };
                for t in targets {
                    match load_document(docs, files, &t, kind) {
                        Ok(child) if stack.contains(&child) || stack.len() >= MAX_INCLUDE_DEPTH => {
                            diags.push(config_error(id, span.clone(), format!("include cycle or nesting too deep at \"{}\"", t.display())))
                        }
                        Ok(child) => expand_includes(child, kind, items_of, docs, files, stack, out, diags),
                        Err(e) => diags.push(config_error(id, span.clone(), e)),
                    }
                }
            }
        }
    }
    stack.pop();
}

/// One ServerConfig per folder holding a postgresql.conf, postgresql.auto.conf or pg_hba.conf
/// given as input; postgresql.auto.conf is read after postgresql.conf, as the server does.
fn build_servers(docs: &mut Vec<Document>, files: &mut Vec<ParsedFile>, diags: &mut Vec<Diagnostic>) -> Vec<ServerConfig> {
    let roots: Vec<(FileId, Kind)> =
        (0..files.len()).filter(|&i| files[i].kind != Kind::Sql && files[i].linted).map(|i| (i, files[i].kind)).collect();
    let mut servers: Vec<ServerConfig> = Vec::new();
    let dir_of = |docs: &Vec<Document>, id: FileId| {
        let path = std::fs::canonicalize(&docs[id].path).unwrap_or_else(|_| docs[id].path.clone());
        path.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let is_auto = |docs: &Vec<Document>, id: FileId| docs[id].path.file_name().is_some_and(|n| n == "postgresql.auto.conf");
    // postgresql.conf (and --conf files) first, then postgresql.auto.conf, then pg_hba.conf.
    let mut ordered = roots.clone();
    ordered.sort_by_key(|(id, kind)| (*kind == Kind::Hba || *kind == Kind::Ident, is_auto(docs, *id), *id));
    for (id, kind) in ordered {
        let dir = dir_of(docs, id);
        let idx = match servers.iter().position(|s| s.dir == dir) {
            Some(i) => i,
            None => {
                servers.push(ServerConfig { dir: dir.clone(), ..Default::default() });
                servers.len() - 1
            }
        };
        let mut stack = Vec::new();
        match kind {
            Kind::PostgresqlConf => {
                let mut out = Vec::new();
                expand_conf(id, docs, files, &mut stack, &mut out, diags);
                servers[idx].has_conf = true;
                servers[idx].settings.extend(out);
            }
            Kind::Hba => {
                let mut out = Vec::new();
                expand_includes(id, Kind::Hba, hba_items, docs, files, &mut stack, &mut out, diags);
                servers[idx].hba.extend(out);
            }
            Kind::Ident => {
                let mut out = Vec::new();
                expand_includes(id, Kind::Ident, ident_items, docs, files, &mut stack, &mut out, diags);
                servers[idx].has_ident = true;
                servers[idx].ident.extend(out);
            }
            Kind::Sql => {}
        }
    }
    // A postgresql.conf without its postgresql.auto.conf among the inputs: read the one beside it.
    for server in servers.iter_mut().filter(|s| s.has_conf) {
        let auto = server.dir.join("postgresql.auto.conf");
        let already = server.settings.iter().any(|c| docs[c.assignment.file].path.file_name().is_some_and(|n| n == "postgresql.auto.conf"));
        if !already && auto.is_file() {
            if let Ok(id) = load_document(docs, files, &auto, Kind::PostgresqlConf) {
                let mut out = Vec::new();
                expand_conf(id, docs, files, &mut Vec::new(), &mut out, diags);
                server.settings.extend(out);
            }
        }
        // Later lines win.
        let n = server.settings.len();
        for i in 0..n {
            let name = server.settings[i].assignment.name.clone();
            server.settings[i].overridden = server.settings[i + 1..].iter().any(|s| s.assignment.name == name);
        }
    }
    servers
}

/// The SQL front end for one file's text.
pub fn parse_file(id: FileId, text: &str) -> ParsedFile {
    let script = script::split(text);
    let mut diagnostics = Vec::new();
    let mut statements = Vec::with_capacity(script.statements.len());
    let mut failed: Vec<Range<usize>> = Vec::new();
    // Statements that neither the model nor any rule can read only need their syntax checked:
    // they are checked together after this loop, without building trees.
    let sql_of = |s: &script::StatementSpan| &script.masked[s.range.clone()];
    let (read, unread): (Vec<usize>, Vec<usize>) =
        (0..script.statements.len()).partition(|&i| keep_all_trees() || may_be_read(sql_of(&script.statements[i])));
    // A large file (a schema dump) is only syntax-checked here, in parallel batches; its
    // statements are parsed segment by segment when folded (see `fold_file`), so that its trees
    // are never all alive at once. Only the statements that fail are parsed now, for the error.
    let large = text.len() >= LARGE_FILE_BYTES && !keep_all_trees();
    let (to_parse, deferred): (Vec<usize>, Vec<usize>) = if large {
        let read_sql: Vec<&str> = read.iter().map(|&i| sql_of(&script.statements[i])).collect();
        let failing: Vec<usize> = crate::sql::parse::failing_statements_cached(&read_sql).into_iter().map(|k| read[k]).collect();
        let deferred = read.into_iter().filter(|i| failing.binary_search(i).is_err()).collect();
        (failing, deferred)
    } else {
        (read, Vec::new())
    };
    let mut to_parse = to_parse.into_iter().peekable();
    for (i, s) in script.statements.iter().enumerate() {
        if to_parse.next_if_eq(&i).is_none() {
            statements.push(Statement { range: s.range.clone(), substituted: s.substituted, trees: Vec::new() });
            continue;
        }
        match read_trees(sql_of(s), s.range.start) {
            Ok(trees) => statements.push(Statement { range: s.range.clone(), substituted: s.substituted, trees }),
            Err(e) => {
                statements.push(Statement { range: s.range.clone(), substituted: s.substituted, trees: Vec::new() });
                syntax_error(id, &script.masked, s, e, &mut failed, &mut diagnostics);
            }
        }
    }
    let unread_sql: Vec<&str> = unread.iter().map(|&i| sql_of(&script.statements[i])).collect();
    for at in crate::sql::parse::failing_statements_cached(&unread_sql) {
        let s = &script.statements[unread[at]];
        if let Err(e) = parse_statement(sql_of(s), s.range.start) {
            syntax_error(id, &script.masked, s, e, &mut failed, &mut diagnostics);
        }
    }
    failed.sort_by_key(|r| r.start);
    diagnostics.sort_by_key(|d| d.span.start);
    if let Some((at, what)) = script.unterminated {
        diagnostics.push(Diagnostic::new(
            "syntax-error",
            Severity::Error,
            id,
            at..at + 1,
            format!("{what}: the rest of the file is not checked"),
        ));
    }
    if !failed.is_empty() {
        if let Some(dialect) = foreign_dialect(text, &failed) {
            let d = Diagnostic::new(
                "foreign-dialect",
                Severity::Info,
                id,
                failed[0].start..failed[0].start,
                format!("this file looks written for {dialect}, not PostgreSQL: skipped"),
            )
            .help(format!(
                "{} statement(s) fail PostgreSQL's grammar but parse as {dialect}. Exclude the file (--exclude or `exclude` in pgready.toml) to silence this.",
                failed.len()
            ));
            return ParsedFile { masked: script.masked, diagnostics: vec![d], linted: false, ..Default::default() };
        }
    }
    ParsedFile { masked: script.masked, statements, deferred, comments: script.comments, diagnostics, linted: true, ..Default::default() }
}

/// Report a statement that does not parse, unless psql variables were substituted into it: its
/// text is then not what the server would see, so its failure says nothing about the file.
fn syntax_error(
    id: FileId,
    masked: &str,
    s: &script::StatementSpan,
    e: crate::sql::parse::SyntaxError,
    failed: &mut Vec<Range<usize>>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if s.substituted {
        return;
    }
    failed.push(s.range.clone());
    let end = token_end(masked, e.offset, s.range.end);
    diagnostics.push(
        Diagnostic::new("syntax-error", Severity::Error, id, e.offset..end, format!("{} (PostgreSQL 18 grammar)", e.message))
            .help("This statement does not parse with PostgreSQL 18's grammar; rules skip it. The rest of the file is still checked."),
    );
}

/// Whether the statement's text holds a word some rule looks for (ASCII case-insensitive).
fn has_rule_keyword(sql: &str) -> bool {
    rules::KEYWORD_MATCHER.is_match(sql)
}

/// Statements that start like these are never folded into the model nor read by a rule by
/// kind (see `rules::statement_kind_is_read`); they matter only through rule keywords.
const NEVER_READ_FIRST_WORDS: &[&str] = &[
    "select",
    "insert",
    "update",
    "delete",
    "with",
    "values",
    "table",
    "merge",
    "explain",
    "prepare",
    "execute",
    "deallocate",
    "declare",
    "fetch",
    "move",
    "close",
    "listen",
    "notify",
    "unlisten",
    "lock",
    "discard",
    "checkpoint",
    "begin",
    "start",
    "commit",
    "rollback",
    "savepoint",
    "release",
    "end",
    "abort",
    "show",
    "truncate",
    "call",
    "do",
    "load",
    "reindex",
    "cluster",
    "refresh",
    "comment",
    "security",
    // Read only for the RULE privilege (grant-rule-privilege's keywords).
    "grant",
    "revoke",
];

/// Whether the model or a rule may read this statement's tree: decided from its first words
/// and the rules' keywords, before parsing.
pub fn may_be_read(sql: &str) -> bool {
    let mut words = LeadingWords { rest: sql };
    let first = words.next().unwrap_or("");
    let never_read = NEVER_READ_FIRST_WORDS.iter().any(|w| w.eq_ignore_ascii_case(first))
        || (first.eq_ignore_ascii_case("create") && creates_keyword_only_kind(&mut words))
        || (first.eq_ignore_ascii_case("drop")
            && !words.next().is_some_and(|w| ["table", "subscription"].iter().any(|k| w.eq_ignore_ascii_case(k))));
    !never_read || has_rule_keyword(sql)
}

/// After `CREATE`: whether the statement creates a (non-materialized) view or a trigger, kinds
/// read only by rules with keywords (see `rules::statement_kind_is_read`).
fn creates_keyword_only_kind(words: &mut LeadingWords) -> bool {
    for w in words.take(4) {
        match w.to_ascii_lowercase().as_str() {
            "or" | "replace" | "temp" | "temporary" | "recursive" | "constraint" => continue,
            "view" | "trigger" => return true,
            _ => return false,
        }
    }
    false
}

/// The leading words of a statement, skipping blanks, comments and opening parentheses
/// (`(SELECT ...)`, `/* hint */ SELECT`); stops at the first other character.
struct LeadingWords<'a> {
    rest: &'a str,
}

impl<'a> Iterator for LeadingWords<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        loop {
            self.rest = self.rest.trim_start_matches(|c: char| c.is_whitespace() || c == '(');
            if let Some(r) = self.rest.strip_prefix("--") {
                self.rest = r.split_once('\n').map_or("", |(_, after)| after);
            } else if let Some(r) = self.rest.strip_prefix("/*") {
                self.rest = r.split_once("*/").map_or("", |(_, after)| after);
            } else {
                break;
            }
        }
        let len = self.rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(self.rest.len());
        let (word, rest) = self.rest.split_at(len);
        self.rest = rest;
        (!word.is_empty()).then_some(word)
    }
}

/// `PGREADY_KEEP_ALL_TREES=1` keeps every parse tree, and parses every statement itself (no
/// tree memo): the test that proves these shortcuts change no finding runs both ways.
fn keep_all_trees() -> bool {
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
    use sqlparser::dialect::{Dialect, MySqlDialect, SQLiteDialect};
    use sqlparser::parser::Parser;
    const SQLITE_MARKS: &[&str] = &["AUTOINCREMENT", "INSERT OR REPLACE", "INSERT OR IGNORE", "PRAGMA ", "WITHOUT ROWID"];
    const MYSQL_MARKS: &[&str] = &["AUTO_INCREMENT", "ENGINE=", "ENGINE =", "UNSIGNED", "`"];
    let dialects: [(&'static str, &dyn Dialect, &[&str]); 2] =
        [("SQLite", &SQLiteDialect {}, SQLITE_MARKS), ("MySQL", &MySqlDialect {}, MYSQL_MARKS)];
    dialects.into_iter().find_map(|(name, d, marks)| {
        let marked = failed.iter().any(|r| {
            let upper = text[r.clone()].to_ascii_uppercase();
            marks.iter().any(|m| upper.contains(m))
        });
        (marked && failed.iter().all(|r| Parser::parse_sql(d, &text[r.clone()]).is_ok())).then_some(name)
    })
}

/// Convenience for tests and `--fix`: lint one in-memory file.
pub fn lint_text(path: &Path, text: &str, opts: &Options) -> Run {
    lint_inputs(vec![(path.to_path_buf(), Ok(text.as_bytes().to_vec()))], opts)
}

/// Attach each catalog fact to its document: the first line is its location.
fn catalog_facts(run: CatalogRun, docs: &[Document]) -> crate::catalog::CatalogFacts {
    use crate::catalog::synth::Fact;
    let mut facts = crate::catalog::CatalogFacts { server: run.server, major: run.major, ..Default::default() };
    for (file, fact) in run.facts.into_iter().enumerate() {
        let Some(fact) = fact else { continue };
        let first = docs[file].text.lines().next().map_or(0, str::len);
        let origin = crate::model::Origin { file, span: 0..first };
        match fact {
            Fact::Server { data_checksums, subscriptions } => {
                facts.data_checksums = data_checksums.map(|c| (c, origin.clone()));
                let text = &docs[file].text;
                let line = text.find("-- subscriptions in the cluster").map(|at| at..at + text[at..].find('\n').unwrap_or(text.len() - at));
                let at = crate::model::Origin { file, span: line.unwrap_or(origin.span.clone()) };
                facts.subscriptions_in_cluster = subscriptions.map(|n| (n, at));
            }
            Fact::ThisDatabase(d) => facts.this_database = Some((d, origin)),
            Fact::Database(d) => facts.databases.push((d, origin)),
            Fact::PreparedTransaction(p) => facts.prepared_transactions.push((p, origin)),
            Fact::ReplicationSlot(s) => facts.replication_slots.push((s, origin)),
            Fact::Subscription(s) => facts.subscriptions.push((s, origin)),
            Fact::Skipped(s) => facts.skipped.push((s, origin)),
        }
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A panic while parsing (a bug) reaches the caller: the other threads, waiting for the
    /// fold to catch up with a file that will never be ready, stop instead of hanging the run.
    #[test]
    fn a_panic_in_a_parse_reaches_the_caller() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        // Every file is larger than the look-ahead: a thread waits for the fold after one file.
        let inputs: Vec<Input> =
            (0..8).map(|i| Input { path: PathBuf::from(format!("{i}.sql")), bytes: Ok(vec![b' '; 200 << 10]), kind: None }).collect();
        let parse_one = |id: usize, _input: Input| {
            if id == 0 {
                std::thread::sleep(std::time::Duration::from_millis(50));
                panic!("parse bug");
            }
            id
        };
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pool.install(|| parse_and_fold(inputs, &parse_one, &mut Vec::new(), |f: &mut Vec<usize>, id| f.push(id)))
        }));
        assert!(result.is_err());
    }

    /// Files are folded exactly once each and in input order, however long each takes to parse
    /// and on however many threads (large inputs exceed the look-ahead and wait for the fold).
    #[test]
    fn parse_and_fold_folds_every_file_once_in_order() {
        for threads in [1, 2, 4] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let n = 300;
            let inputs: Vec<Input> = (0..n)
                .map(|i| Input { path: PathBuf::from(format!("{i}.sql")), bytes: Ok(vec![b' '; (i * 7919) % 40_000]), kind: None })
                .collect();
            let parse_one = |id: usize, input: Input| {
                // Uneven parse times: some files finish long after later ones.
                let spin = (id * 31) % 17 * 2_000;
                let mut x = 0u64;
                for k in 0..spin {
                    x = std::hint::black_box(x.wrapping_add(k as u64));
                }
                (id, input.path, x)
            };
            let mut folded: Vec<usize> = Vec::new();
            pool.install(|| {
                parse_and_fold(inputs, &parse_one, &mut folded, |f, (id, path, _)| {
                    assert_eq!(path, PathBuf::from(format!("{id}.sql")));
                    f.push(id)
                })
            });
            assert_eq!(folded, (0..n).collect::<Vec<_>>(), "{threads} threads");
        }
    }

    /// A repeated text shares its first occurrence's trees: ranges and error offsets are
    /// still those of where each occurrence stands in its file.
    #[test]
    fn repeated_statements_keep_their_own_positions() {
        let sql = "ALTER TABLE t ADD COLUMN b int";
        for base in [0, 1000, 7] {
            let trees = read_trees(sql, base).unwrap();
            assert_eq!(trees.len(), 1);
            assert_eq!(trees[0].range, base..base + sql.len());
        }
        let first = read_trees(sql, 0).unwrap();
        let again = read_trees(sql, 50).unwrap();
        assert!(Arc::ptr_eq(&first[0].node, &again[0].node), "a repeat shares the tree");
        let bad = "ALTER TABLE t ADD COLUMN FROM";
        for base in [0, 300] {
            let err = read_trees(bad, base).unwrap_err();
            assert_eq!(err.offset, base + bad.find("FROM").unwrap(), "{}", err.message);
        }
        // Longer texts are parsed each time, with the same positions.
        let long = format!("SET search_path = {}", vec!["s"; 200].join(", "));
        assert_eq!(read_trees(&long, 40).unwrap()[0].range, 40..40 + long.len());
    }

    /// The first-words shortcut must never skip a statement whose kind is always read: one
    /// sample per kind in `rules::statement_kind_is_read` (and the kinds it leaves to keywords).
    #[test]
    fn statements_of_read_kinds_are_parsed() {
        let samples = [
            "CREATE TABLE t (a int)",
            "create temp table t (a int)",
            "/* c */ CREATE UNLOGGED TABLE t (a int)",
            "CREATE FOREIGN TABLE f (a int) SERVER s",
            "ALTER TABLE t ADD COLUMN b int",
            "ALTER TABLE t RENAME TO u",
            "CREATE INDEX ON t (a)",
            "CREATE STATISTICS s ON a, b FROM t",
            "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
            "CREATE EXTENSION pgcrypto",
            "DROP TABLE t",
            "drop table if exists t",
            "DROP SUBSCRIPTION s",
            "CREATE TYPE mood AS ENUM ('a')",
            "CREATE TYPE pair AS (a int, b int)",
            "CREATE TYPE r AS RANGE (subtype = int4)",
            "CREATE DOMAIN d AS int",
            "SET work_mem = '1MB'",
            "ALTER SYSTEM SET work_mem = '1MB'",
            "ALTER DATABASE d SET work_mem = '1MB'",
            "ALTER ROLE r SET work_mem = '1MB'",
            "CREATE ROLE r PASSWORD 'x'",
            "ALTER ROLE r PASSWORD 'x'",
            "CREATE SUBSCRIPTION s CONNECTION 'host=127.0.0.1' PUBLICATION p WITH (connect = false)",
            "CREATE PUBLICATION p FOR ALL TABLES",
            "VACUUM t",
            "COPY t FROM stdin",
            "CREATE TABLESPACE s LOCATION '/x'",
            "ALTER TABLESPACE s SET (effective_io_concurrency = 1)",
            "EXPLAIN (ANALYZE) SELECT 1",
        ];
        for sql in samples {
            let trees = crate::sql::parse::parse_statement(sql, 0).unwrap_or_else(|e| panic!("{sql}: {}", e.message));
            assert!(rules::statement_kind_is_read(&trees[0].node), "{sql}: sample of a kind that is not always read");
            assert!(may_be_read(sql), "{sql}: skipped before parsing, but its kind is always read");
        }
        // Kinds left to keywords are skipped unless one appears.
        for sql in [
            "CREATE VIEW v AS SELECT 1",
            "create or replace temp view v as select 1",
            "DROP INDEX i",
            "SELECT 1",
            "GRANT SELECT ON t TO r",
            "REVOKE ALL ON t FROM r",
            "CREATE TRIGGER g AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()",
            "CREATE CONSTRAINT TRIGGER g AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()",
        ] {
            assert!(!may_be_read(sql), "{sql}");
        }
        for sql in [
            "CREATE VIEW v AS SELECT wal_write FROM pg_stat_wal",
            "GRANT SELECT, RULE ON t TO r",
            "revoke rule on t from r",
            "CREATE CONSTRAINT TRIGGER g AFTER INSERT ON t DEFERRABLE FOR EACH ROW EXECUTE FUNCTION f()",
            "CREATE CONSTRAINT TRIGGER g AFTER INSERT ON t INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION f()",
        ] {
            assert!(may_be_read(sql), "{sql}");
        }
    }
}
