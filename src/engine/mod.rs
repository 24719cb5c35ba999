//! The engine: read → split and parse in parallel → fold into the model in migration order,
//! running the rules on each statement → configuration servers and whole-model rules →
//! suppressions → sorted diagnostics.
//!
//! It sits above `rules` (which it runs), `model`, `conf`, `sql` and `source`, and below
//! everything that presents or stores a run (`cache`, `fix`, `catalog`, `report`, `cli`).

mod fold;
mod front;
mod schedule;
pub mod suppress;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::conf::server::ConfInputs;
use crate::diagnostic::Diagnostic;
use crate::model::CatalogFacts;
use crate::rules::{self, ModelCtx, REGISTRY, Rule};
use crate::source::order::migration_key;
use crate::source::{self, Document, Kind};
use crate::sql::front::Statement;
use crate::sql::script::Comment;

pub use front::front_end;

#[derive(Debug, Clone)]
pub struct Options {
    /// Rule ids or areas to run; empty means all.
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// The major version the database is upgraded from.
    pub from: u32,
    pub exclude: Vec<String>,
    /// Glob (matched against the displayed path) → rule ids or areas ignored there.
    pub per_path_ignores: Vec<(String, Vec<String>)>,
    /// Files to read as postgresql.conf / pg_hba.conf whatever their name (--conf, --hba).
    pub conf_files: Vec<PathBuf>,
    pub hba_files: Vec<PathBuf>,
    pub ident_files: Vec<PathBuf>,
    /// The name standard input (`-`) is shown as, which also decides its kind (--stdin-filename).
    pub stdin_name: Option<PathBuf>,
    /// How the project's SQL files are run: psql variables (`[psql] variables`) and its own
    /// placeholders (`[templates] delimiters`).
    pub script: crate::sql::script::ScriptSettings,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            select: Vec::new(),
            ignore: Vec::new(),
            from: crate::knowledge::target::OLDEST_SOURCE,
            exclude: Vec::new(),
            per_path_ignores: Vec::new(),
            conf_files: Vec::new(),
            hba_files: Vec::new(),
            ident_files: Vec::new(),
            stdin_name: None,
            script: Default::default(),
        }
    }
}

impl Options {
    pub fn enabled(&self, rule: &Rule) -> bool {
        let hit = |list: &[String]| list.iter().any(|s| rule.is_named(s) || s == "all");
        (self.select.is_empty() || hit(&self.select)) && !hit(&self.ignore)
    }

    /// The name an input is shown as and judged by: its path, or for standard input (`-`) its
    /// --stdin-filename when given. (Its path stays `-`: nothing is ever written to it.)
    fn name_of<'a>(&'a self, p: &'a Path) -> &'a Path {
        match &self.stdin_name {
            Some(name) if p.as_os_str() == source::STDIN => name,
            _ => p,
        }
    }

    /// The kind of an input: as its reader said, as `--conf`/`--hba`/`--ident` said, from its
    /// name, or — standard input without --stdin-filename — from what it holds.
    fn input_kind(&self, input: &Input) -> Kind {
        if let Some(kind) = input.kind {
            return kind;
        }
        match &input.bytes {
            Ok(bytes) if input.path.as_os_str() == source::STDIN && self.stdin_name.is_none() => {
                kind_of_text(&String::from_utf8_lossy(bytes))
            }
            _ => self.kind_of(&input.path),
        }
    }

    /// The kind of an input: as `--conf`/`--hba`/`--ident` said, or from its name.
    fn kind_of(&self, p: &Path) -> Kind {
        let p = self.name_of(p);
        if self.conf_files.iter().any(|c| c == p) {
            Kind::PostgresqlConf
        } else if self.hba_files.iter().any(|c| c == p) {
            Kind::Hba
        } else if self.ident_files.iter().any(|c| c == p) {
            Kind::Ident
        } else {
            source::kind_of(p).unwrap_or(Kind::Sql)
        }
    }
}

/// What a text without a name holds: pg_hba.conf when every record starts with a record type
/// (`local`, `host`...) or an include, postgresql.conf when every line is `name = value` (or
/// `name value`, or an include) for a setting PostgreSQL knows or a custom `a.b` one, SQL otherwise.
pub fn kind_of_text(text: &str) -> Kind {
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or_default().trim())
        .filter(|l| !l.is_empty() && !l.starts_with("--"))
        .take(200)
        .collect();
    if lines.is_empty() {
        return Kind::Sql;
    }
    let first_word = |l: &str| l.split_whitespace().next().unwrap_or_default().to_ascii_lowercase();
    let include = |w: &str| matches!(w, "include" | "include_if_exists" | "include_dir");
    if lines.iter().all(|l| {
        let w = first_word(l);
        include(&w) || (crate::conf::hba::RECORD_TYPES.contains(&w.as_str()) && l.split_whitespace().count() >= 3)
    }) {
        return Kind::Hba;
    }
    let setting_line = |l: &str| {
        let name_end = l.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(l.len());
        let name = l[..name_end].to_ascii_lowercase();
        let value = l[name_end..].trim_start().trim_start_matches('=').trim();
        let known = crate::knowledge::settings::get(crate::knowledge::target::TARGET, &name).is_some()
            || crate::knowledge::target::SOURCES.into_iter().any(|m| crate::knowledge::settings::get(m, &name).is_some())
            || (name.contains('.') && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.'));
        include(&name) || (known && !value.is_empty() && !l.ends_with(';'))
    };
    if lines.iter().all(|l| setting_line(l)) {
        return Kind::PostgresqlConf;
    }
    Kind::Sql
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
    /// Statements (or parts: a function body, a dynamic `EXECUTE`) not judged, and why.
    pub not_judged: Vec<crate::diagnostic::NotJudged>,
    /// Linted at all (false for unreadable, non-UTF-8 or foreign-dialect files).
    pub linted: bool,
    pub kind: Kind,
    pub conf: Option<crate::conf::postgresql::ConfFile>,
    pub hba: Option<crate::conf::hba::HbaFile>,
    pub ident: Option<crate::conf::ident::IdentFile>,
}

/// Everything a run produced.
pub struct Run {
    pub docs: Vec<Document>,
    pub files: Vec<ParsedFile>,
    pub diagnostics: Vec<Diagnostic>,
    /// The live servers this run audited (empty for files): what a report's header says.
    pub servers: Vec<crate::model::facts::AuditedServer>,
}

impl Run {
    /// SQL statements checked (configuration lines are not counted).
    pub fn statements(&self) -> usize {
        self.files.iter().filter(|f| f.kind == Kind::Sql).map(|f| f.statement_count).sum()
    }

    /// How many statements were not judged, by reason (in [`NotJudgedReason`]'s order).
    ///
    /// [`NotJudgedReason`]: crate::diagnostic::NotJudgedReason
    pub fn not_judged_by_reason(&self) -> Vec<(crate::diagnostic::NotJudgedReason, usize)> {
        let mut counts = std::collections::BTreeMap::new();
        for n in self.files.iter().flat_map(|f| &f.not_judged) {
            *counts.entry(n.reason).or_insert(0) += 1;
        }
        counts.into_iter().collect()
    }

    /// Several runs as one report (file ids renumbered).
    pub fn merge(runs: Vec<Run>) -> Run {
        let mut all = Run { docs: Vec::new(), files: Vec::new(), diagnostics: Vec::new(), servers: Vec::new() };
        for run in runs {
            let offset = all.docs.len();
            all.servers.extend(run.servers);
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

/// One input of a run: a path, its bytes (or why they could not be read), and its kind when
/// the caller knows it better than the file name does.
pub struct Input {
    pub path: PathBuf,
    pub bytes: Result<Vec<u8>, String>,
    pub kind: Option<Kind>,
}

/// The files under `paths` (and the `--conf`/`--hba`/`--ident` files), read: what a run of
/// them lints. Problems with paths themselves are inputs that could not be read.
pub fn read_inputs(paths: &[PathBuf], opts: &Options) -> Vec<(PathBuf, Result<Vec<u8>, String>)> {
    let mut roots: Vec<PathBuf> = paths.to_vec();
    roots.extend(opts.conf_files.iter().chain(&opts.hba_files).chain(&opts.ident_files).cloned());
    let found = source::discover(&roots, &opts.exclude);
    let mut inputs: Vec<(PathBuf, Result<Vec<u8>, String>)> =
        found.files.par_iter().map(|p| (p.clone(), source::read(p).map_err(|e| e.to_string()))).collect();
    inputs.extend(found.problems.into_iter().map(|(p, e)| (p, Err(e))));
    inputs
}

/// Read, discover and lint `paths`. Problems with paths themselves become `io-error` diagnostics.
pub fn lint_paths(paths: &[PathBuf], opts: &Options) -> Run {
    lint_inputs(read_inputs(paths, opts), opts)
}

/// Lint in-memory sources (used by tests and by `--fix` to re-check its result).
pub fn lint_inputs(mut inputs: Vec<(PathBuf, Result<Vec<u8>, String>)>, opts: &Options) -> Run {
    // Keys computed in parallel: a few dozen small strings per path, 3,000 paths in a corpus run.
    inputs.par_sort_by_cached_key(|(path, _)| migration_key(path));
    let inputs = inputs.into_iter().map(|(path, bytes)| Input { path, bytes, kind: None }).collect();
    lint_ordered(inputs, opts, None)
}

/// Convenience for tests and `--fix`: lint one in-memory file.
pub fn lint_text(path: &Path, text: &str, opts: &Options) -> Run {
    lint_inputs(vec![(path.to_path_buf(), Ok(text.as_bytes().to_vec()))], opts)
}

/// What a live catalog adds to a run over its documents: the facts no definition states, made
/// from the documents once they are read (each fact is located at its document).
pub type CatalogFactsOf<'a> = Box<dyn FnOnce(&[Document]) -> CatalogFacts + 'a>;

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

/// Lint inputs in the order given (migration order, or a catalog's build order). A catalog's
/// run (`catalog` given) folds its documents only once all are read, as its facts need them.
pub fn lint_ordered(inputs: Vec<Input>, opts: &Options, catalog: Option<CatalogFactsOf>) -> Run {
    let bar = progress(inputs.len());
    let active: Vec<&Rule> = REGISTRY.iter().copied().filter(|r| r.check.is_some() && opts.enabled(r)).collect();
    let mut built = fold::Built::default();
    let from_catalog = catalog.is_some();
    if !from_catalog {
        // One or two stats per file under a `sql/` folder: in parallel, as parsing waits for it.
        built.schema.expected_outputs = inputs
            .par_iter()
            .enumerate()
            .filter(|(_, input)| opts.input_kind(input) == Kind::Sql)
            .filter_map(|(id, input)| source::expected_output(&input.path).map(|out| (id, out)))
            .collect();
    }
    let parse_one = |id: usize, input: Input| -> (Document, ParsedFile) {
        let kind = opts.input_kind(&input);
        let renamed = (opts.name_of(&input.path) != input.path).then(|| source::display_path(opts.name_of(&input.path)));
        let (mut doc, file) = front_end(id, input.path, input.bytes, kind, &opts.script);
        if let Some(shown) = renamed {
            doc.display = shown;
        }
        bar.inc(1);
        (doc, file)
    };
    let keyword_masks = active.iter().map(|r| crate::rules::KeywordMask::of(r.keywords)).collect();
    let fold = fold::Fold { active: &active, keyword_masks, opts, from_catalog };
    let mut docs: Vec<Document> = Vec::with_capacity(inputs.len());
    let mut files: Vec<ParsedFile> = Vec::with_capacity(inputs.len());
    if let Some(facts_of) = catalog {
        // A catalog's facts need every document, and are known before its definitions are
        // folded (statement rules may read them): parse everything, then fold.
        let parsed: Vec<(Document, ParsedFile)> = inputs.into_par_iter().enumerate().map(|(id, input)| parse_one(id, input)).collect();
        (docs, files) = parsed.into_iter().unzip();
        built.schema.catalog = Some(facts_of(&docs));
        for id in 0..files.len() {
            fold.file(id, &docs[id], &mut files[id], &mut built);
        }
    } else {
        let mut done = fold::Folded { docs, files, built };
        schedule::parse_and_fold(inputs, &parse_one, &mut done, |f, parsed| {
            let id = f.docs.len();
            f.docs.push(parsed.0);
            f.files.push(parsed.1);
            fold.file(id, &f.docs[id], &mut f.files[id], &mut f.built);
        });
        fold::Folded { docs, files, built } = done;
    }
    let fold::Built { mut schema, states, mut diagnostics } = built;
    bar.finish_and_clear();

    // Configuration files: expand includes (reading included files as new documents), group
    // them by server folder, then run the whole-model rules.
    let mut problems = Vec::new();
    schema.servers = crate::conf::server::build_servers(&mut Documents { docs: &mut docs, files: &mut files }, &mut problems);
    diagnostics.extend(problems.into_iter().map(|p| front::config_problem(p.file, p.span, p.message)));
    let model_ctx = ModelCtx { schema: &schema, from: opts.from, states: &states };
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
    // The command line checks the globs before a run; a library caller's invalid glob ignores nothing.
    let path_ignores = suppress::PathIgnores::new(&opts.per_path_ignores).ok();
    let mut kept = Vec::new();
    for (id, diags) in by_file.into_iter().enumerate() {
        let ran = |name: &str| {
            rules::find(name).map_or_else(|| REGISTRY.iter().any(|r| r.meta.area.as_str() == name && opts.enabled(r)), |r| opts.enabled(r))
        };
        let mut diags = suppress::apply(id, &docs[id].text, &files[id], diags, &ran);
        diags.retain(|d| {
            rules::find(d.rule).is_none_or(|r| opts.enabled(r))
                && !path_ignores.as_ref().is_some_and(|p| p.ignored(&docs[id].display, d.rule))
        });
        kept.extend(diags);
    }
    kept.sort_by(|a, b| (a.file, a.span.start, a.rule).cmp(&(b.file, b.span.start, b.rule)));
    kept.dedup_by(|a, b| a.file == b.file && a.span == b.span && a.rule == b.rule && a.message == b.message);
    Run { docs, files, diagnostics: kept, servers: Vec::new() }
}

/// A run's documents as the configuration layer's include expansion reads and extends them.
struct Documents<'a> {
    docs: &'a mut Vec<Document>,
    files: &'a mut Vec<ParsedFile>,
}

impl ConfInputs for Documents<'_> {
    fn count(&self) -> usize {
        self.files.len()
    }
    fn conf_kind(&self, id: usize) -> Option<Kind> {
        let f = &self.files[id];
        (f.kind != Kind::Sql && f.linted).then_some(f.kind)
    }
    fn path(&self, id: usize) -> &Path {
        &self.docs[id].path
    }
    fn postgresql(&self, id: usize) -> Option<&crate::conf::postgresql::ConfFile> {
        self.files[id].conf.as_ref()
    }
    fn hba(&self, id: usize) -> Option<&crate::conf::hba::HbaFile> {
        self.files[id].hba.as_ref()
    }
    fn ident(&self, id: usize) -> Option<&crate::conf::ident::IdentFile> {
        self.files[id].ident.as_ref()
    }
    fn load(&mut self, path: &Path, kind: Kind) -> Result<usize, String> {
        let canonical = std::fs::canonicalize(path).map_err(|e| e.to_string())?;
        if let Some(id) = self.docs.iter().position(|d| std::fs::canonicalize(&d.path).is_ok_and(|c| c == canonical)) {
            return Ok(id);
        }
        let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
        let id = self.docs.len();
        let (doc, parsed) = front_end(id, path.to_path_buf(), Ok(bytes), kind, &Default::default());
        self.docs.push(doc);
        self.files.push(parsed);
        Ok(id)
    }
}
