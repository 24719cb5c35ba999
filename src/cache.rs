//! The warm-run cache: when every file a run read is unchanged (same bytes), with the same pgready
//! and the same options, the findings are those of last time. Entries are content-addressed (a
//! hash of the version, the options and every input's path and bytes), written atomically (so
//! concurrent runs never see half a file), kept under `.pgready-cache/` (which ignores itself for
//! git), and checked against the files an entry also read through includes before being trusted.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, NotJudged, NotJudgedReason, Severity};
use crate::engine::{self, Options, ParsedFile, Run};
use crate::source::Document;
use crate::source::Kind;

/// Entries kept; older ones are removed when a new one is written.
const KEEP: usize = 8;
/// Bumped when the entry format changes.
const FORMAT: u32 = 3;

/// As [`engine::lint_paths`], answering from `cache` when every file read is unchanged (and storing the
/// run there otherwise). The flag says whether the cache answered.
pub fn lint_paths(paths: &[PathBuf], opts: &Options, cache: Option<&Cache>) -> (Run, bool) {
    let mut inputs = engine::read_inputs(paths, opts);
    let Some(cache) = cache else { return (engine::lint_inputs(inputs, opts), false) };
    let hashes = Cache::hashes(&inputs);
    let key = Cache::key(opts, &inputs, &hashes);
    if let Some(run) = cache.load(&key, &mut inputs, &hashes) {
        return (run, true);
    }
    let read: std::collections::HashMap<PathBuf, Option<String>> = inputs.iter().map(|(p, _)| p.clone()).zip(hashes).collect();
    let run = engine::lint_inputs(inputs, opts);
    cache.store(&key, &run, &read);
    (run, false)
}

pub struct Cache {
    dir: PathBuf,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    format: u32,
    docs: Vec<DocEntry>,
    diagnostics: Vec<DiagEntry>,
}

#[derive(Serialize, Deserialize)]
struct DocEntry {
    path: PathBuf,
    display: String,
    /// sha256 of the bytes read; None when the path could not be read.
    hash: Option<String>,
    linted: bool,
    kind: u8,
    statements: usize,
    /// Statements not judged: (start, end, reason).
    #[serde(default)]
    not_judged: Vec<(usize, usize, String)>,
}

#[derive(Serialize, Deserialize)]
struct DiagEntry {
    rule: String,
    severity: Severity,
    file: usize,
    span: (usize, usize),
    message: String,
    help: Option<String>,
    fix: Option<FixEntry>,
    #[serde(default)]
    remedy: Vec<crate::diagnostic::Remedy>,
}

/// A fix as stored: title, whether safe, and its edits as (file, start, end, replacement).
type FixEntry = (String, bool, Vec<(usize, usize, usize, String)>);

fn kind_code(k: Kind) -> u8 {
    match k {
        Kind::Sql => 0,
        Kind::PostgresqlConf => 1,
        Kind::Hba => 2,
        Kind::Ident => 3,
    }
}

fn kind_of(c: u8) -> Kind {
    match c {
        1 => Kind::PostgresqlConf,
        2 => Kind::Hba,
        3 => Kind::Ident,
        _ => Kind::Sql,
    }
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A file's content address: xxh3-128 (the cache needs speed and collision resistance, not a
/// cryptographic hash; the whole key is still sha256 over these).
fn hash(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

/// A document's text as the engine makes it from bytes (binary: empty; invalid UTF-8: lossy).
fn text_of(bytes: Vec<u8>) -> String {
    if memchr::memchr(0, &bytes).is_some() {
        return String::new();
    }
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

impl Cache {
    /// The cache of the project `path` belongs to: the nearest folder above it (or it) holding a
    /// `pgready.toml` or a `.git`; None outside any project (nothing is written then).
    pub fn for_project(path: &Path) -> Option<Cache> {
        crate::source::project_root(path).map(|root| Cache::at(&root))
    }

    /// The cache of the project rooted at `root`.
    pub fn at(root: &Path) -> Cache {
        Cache { dir: root.join(".pgready-cache") }
    }

    /// A cache kept in `dir` itself.
    pub fn in_dir(dir: PathBuf) -> Cache {
        Cache { dir }
    }

    /// Each input's content hash (None when it could not be read), computed once per run.
    pub fn hashes(inputs: &[(PathBuf, Result<Vec<u8>, String>)]) -> Vec<Option<String>> {
        inputs.par_iter().map(|(_, b)| b.as_ref().ok().map(|b| hash(b))).collect()
    }

    /// The content address of a run: version, options, and each input's path and bytes.
    pub fn key(opts: &Options, inputs: &[(PathBuf, Result<Vec<u8>, String>)], hashes: &[Option<String>]) -> String {
        // The build identity (build.rs): a development build with changed rules is another pgready.
        Self::key_of_build(env!("PGREADY_BUILD_ID"), opts, inputs, hashes)
    }

    fn key_of_build(build: &str, opts: &Options, inputs: &[(PathBuf, Result<Vec<u8>, String>)], hashes: &[Option<String>]) -> String {
        let mut parts: Vec<String> = inputs
            .iter()
            .zip(hashes)
            .map(|((p, b), h)| match (b, h) {
                (Err(e), _) => format!("{}\0error:{e}", p.display()),
                (Ok(_), h) => format!("{}\0{}", p.display(), h.as_deref().unwrap_or("")),
            })
            .collect();
        parts.sort();
        let mut h = Sha256::new();
        // The engine's own switch changes how it works (a test compares both ways): part of the key.
        let keep_all = std::env::var("PGREADY_KEEP_ALL_TREES").unwrap_or_default();
        h.update(format!("pgready {} build {build} format {FORMAT} keep-all-trees {keep_all}\n{opts:?}\n", env!("CARGO_PKG_VERSION")));
        for p in parts {
            h.update(p.as_bytes());
            h.update(b"\n");
        }
        hex(&h.finalize())
    }

    fn file(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.json"))
    }

    /// The run stored under `key`, if every document it read is unchanged. On a hit the inputs'
    /// bytes are moved into the run's documents (no copy).
    pub fn load(&self, key: &str, inputs: &mut [(PathBuf, Result<Vec<u8>, String>)], hashes: &[Option<String>]) -> Option<Run> {
        let bytes = std::fs::read(self.file(key)).ok()?;
        let entry: Entry = serde_json::from_slice(&bytes).ok()?;
        if entry.format != FORMAT {
            return None;
        }
        let by_path: std::collections::HashMap<&Path, usize> = inputs.iter().enumerate().map(|(i, (p, _))| (p.as_path(), i)).collect();
        // First check every document (files reached through includes are read again); only then
        // take the inputs apart.
        enum Source {
            Input(usize),
            Read(Option<Vec<u8>>),
        }
        let sources: Option<Vec<Source>> = entry
            .docs
            .par_iter()
            .map(|d| match by_path.get(d.path.as_path()) {
                Some(&i) => (hashes[i] == d.hash).then_some(Source::Input(i)),
                None => {
                    let b = std::fs::read(&d.path).ok();
                    (b.as_ref().map(|b| hash(b)) == d.hash).then_some(Source::Read(b))
                }
            })
            .collect();
        let sources = sources?;
        let mut texts: Vec<Option<Vec<u8>>> = sources
            .into_iter()
            .map(|s| match s {
                Source::Input(i) => std::mem::replace(&mut inputs[i].1, Err(String::new())).ok(),
                Source::Read(b) => b,
            })
            .collect();
        let rebuilt: Vec<(Document, ParsedFile)> = entry
            .docs
            .par_iter()
            .zip(texts.par_iter_mut())
            .map(|(d, bytes)| {
                let doc = Document::new(d.path.clone(), d.display.clone(), bytes.take().map(text_of).unwrap_or_default());
                let not_judged = d
                    .not_judged
                    .iter()
                    .filter_map(|(s, e, r)| Some(NotJudged { span: *s..*e, reason: NotJudgedReason::named(r)? }))
                    .collect();
                (
                    doc,
                    ParsedFile { linted: d.linted, kind: kind_of(d.kind), statement_count: d.statements, not_judged, ..Default::default() },
                )
            })
            .collect();
        let (docs, files): (Vec<Document>, Vec<ParsedFile>) = rebuilt.into_iter().unzip();
        let mut diagnostics = Vec::with_capacity(entry.diagnostics.len());
        for d in entry.diagnostics {
            let rule = crate::rules::find(&d.rule)?.meta.id;
            if d.file >= docs.len() {
                return None;
            }
            diagnostics.push(Diagnostic {
                rule,
                severity: d.severity,
                file: d.file,
                span: d.span.0..d.span.1,
                message: d.message,
                help: d.help,
                fix: d.fix.map(|(title, safe, edits)| Fix {
                    title,
                    applicability: if safe { Applicability::Safe } else { Applicability::Unsafe },
                    edits: edits.into_iter().map(|(file, s, e, replacement)| Edit { file, range: s..e, replacement }).collect(),
                }),
                remedy: d.remedy,
                confirmed: false,
                scope: None,
            });
        }
        Some(Run { docs, files, diagnostics, servers: Vec::new() })
    }

    /// Store a run under `key` (atomically; a failure only means no cache next time). `hashes`
    /// are those of the inputs as the run read them; only files reached through includes are
    /// read again.
    pub fn store(&self, key: &str, run: &Run, hashes: &std::collections::HashMap<PathBuf, Option<String>>) {
        let docs = run
            .docs
            .iter()
            .zip(&run.files)
            .map(|(doc, f)| DocEntry {
                path: doc.path.clone(),
                display: doc.display.clone(),
                hash: match hashes.get(&doc.path) {
                    Some(h) => h.clone(),
                    None => std::fs::read(&doc.path).ok().map(|b| hash(&b)),
                },
                linted: f.linted,
                kind: kind_code(f.kind),
                statements: f.statement_count,
                not_judged: f.not_judged.iter().map(|n| (n.span.start, n.span.end, n.reason.as_str().to_string())).collect(),
            })
            .collect();
        let diagnostics = run
            .diagnostics
            .iter()
            .map(|d| DiagEntry {
                rule: d.rule.to_string(),
                severity: d.severity,
                file: d.file,
                span: (d.span.start, d.span.end),
                message: d.message.clone(),
                help: d.help.clone(),
                fix: d.fix.as_ref().map(|f| {
                    (
                        f.title.clone(),
                        f.applicability == Applicability::Safe,
                        f.edits.iter().map(|e| (e.file, e.range.start, e.range.end, e.replacement.clone())).collect(),
                    )
                }),
                remedy: d.remedy.clone(),
            })
            .collect();
        let entry = Entry { format: FORMAT, docs, diagnostics };
        let Ok(json) = serde_json::to_vec(&entry) else { return };
        if std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let ignore = self.dir.join(".gitignore");
        if !ignore.exists() {
            let _ = std::fs::write(&ignore, "# pgready's cache: never committed.\n*\n");
        }
        let Ok(mut tmp) = tempfile::Builder::new().prefix(".entry-").tempfile_in(&self.dir) else { return };
        use std::io::Write;
        if tmp.write_all(&json).is_err() || tmp.persist(self.file(key)).is_err() {
            return;
        }
        self.evict();
    }

    fn evict(&self) {
        let Ok(dir) = std::fs::read_dir(&self.dir) else { return };
        let mut entries: Vec<(std::time::SystemTime, PathBuf)> = dir
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
            .collect();
        entries.sort();
        let excess = entries.len().saturating_sub(KEEP);
        for (_, p) in entries.into_iter().take(excess) {
            let _ = std::fs::remove_file(p);
        }
    }
}

#[cfg(test)]
mod build_identity_tests {
    use super::*;

    /// Two builds from different sources never share an entry, even with the same version.
    #[test]
    fn the_key_depends_on_the_build() {
        let inputs = vec![(PathBuf::from("a.sql"), Ok(b"SELECT 1;".to_vec()))];
        let hashes = Cache::hashes(&inputs);
        let opts = Options::default();
        assert_ne!(Cache::key_of_build("0001", &opts, &inputs, &hashes), Cache::key_of_build("0002", &opts, &inputs, &hashes));
        assert_eq!(Cache::key(&opts, &inputs, &hashes), Cache::key_of_build(env!("PGREADY_BUILD_ID"), &opts, &inputs, &hashes));
        assert_eq!(env!("PGREADY_BUILD_ID").len(), 16);
    }
}
