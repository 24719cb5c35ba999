//! Baselines and changed-files mode: which findings a run reports.
//!
//! A baseline records the fingerprints of today's findings (`--write-baseline`); later runs with
//! `--baseline` hide them and report only new ones. Fingerprints name the rule, the path, the
//! message and the flagged text, so they survive unrelated edits that move lines.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::{Deserialize, Serialize};

use crate::engine::Run;
use crate::report::machine::fingerprints;

#[derive(Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<BaselineEntry>,
}

#[derive(Serialize, Deserialize)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub rule: String,
    pub path: String,
    pub message: String,
}

pub fn write(run: &Run, path: &Path) -> Result<usize, String> {
    let findings: Vec<BaselineEntry> = run
        .diagnostics
        .iter()
        .zip(fingerprints(run))
        .map(|(d, fingerprint)| BaselineEntry {
            fingerprint,
            rule: d.rule.into(),
            path: crate::source::project_path(&run.docs[d.file].path).unwrap_or_else(|| run.docs[d.file].display.clone()),
            message: d.message.clone(),
        })
        .collect();
    let n = findings.len();
    let text = serde_json::to_string_pretty(&Baseline { version: 1, findings }).expect("serialises") + "\n";
    std::fs::write(path, text).map_err(|e| format!("cannot write baseline {}: {e}", path.display()))?;
    Ok(n)
}

pub fn load(path: &Path) -> Result<HashSet<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read baseline {}: {e}", path.display()))?;
    let b: Baseline = serde_json::from_str(&text).map_err(|e| format!("{} is not a pgready baseline: {e}", path.display()))?;
    Ok(b.findings.into_iter().map(|f| f.fingerprint).collect())
}

/// Keep only the findings whose fingerprint is not in `known`; returns how many were hidden.
pub fn hide_known(run: &mut Run, known: &HashSet<String>) -> usize {
    let fps = fingerprints(run);
    let before = run.diagnostics.len();
    let mut keep = fps.iter().map(|fp| !known.contains(fp));
    run.diagnostics.retain(|_| keep.next().unwrap_or(true));
    before - run.diagnostics.len()
}

/// Files changed since `base` in the git repository around `dir`: committed, staged and
/// unstaged changes, and untracked files (absolute, canonical paths).
pub fn changed_files(dir: &Path, base: &str) -> Result<HashSet<PathBuf>, String> {
    let git = |args: &[&str]| -> Result<String, String> {
        let out = Command::new("git").arg("-C").arg(dir).args(args).output().map_err(|e| format!("cannot run git: {e}"))?;
        if !out.status.success() {
            return Err(format!("git {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim()));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let top = PathBuf::from(
        git(&["rev-parse", "--show-toplevel"])
            .map_err(|e| format!("--changed and --diff-base need a git repository, and {} is not in one ({e})", dir.display()))?
            .trim(),
    );
    let untracked = git(&["ls-files", "--others", "--exclude-standard", "--full-name"])?;
    // Before the first commit there is no HEAD: what is staged (against the empty tree) and
    // what changed since it is the change — exactly when a pre-commit hook first runs.
    let unborn = base == "HEAD" && git(&["rev-parse", "--verify", "--quiet", "HEAD"]).is_err();
    let changes = if unborn {
        vec![git(&["diff", "--cached", "--name-only", "--no-renames", "--"])?, git(&["diff", "--name-only", "--no-renames", "--"])?]
    } else {
        vec![git(&["diff", "--name-only", "--no-renames", base, "--"])?]
    };
    let mut files = HashSet::new();
    for list in changes.into_iter().chain([untracked]) {
        for line in list.lines().filter(|l| !l.is_empty()) {
            let p = top.join(line);
            files.insert(std::fs::canonicalize(&p).unwrap_or(p));
        }
    }
    Ok(files)
}

/// Keep only findings in `changed` files (the model was still built from every file); returns
/// how many of the run's files are among them.
pub fn only_changed(run: &mut Run, changed: &HashSet<PathBuf>) -> usize {
    only_where(run, |p| changed.contains(&std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())))
}

/// Keep only findings in the files `keep` accepts; returns how many of the run's files it
/// accepts.
pub fn only_where(run: &mut Run, keep: impl Fn(&Path) -> bool) -> usize {
    let kept: Vec<bool> = run.docs.iter().map(|d| keep(&d.path)).collect();
    run.diagnostics.retain(|d| kept[d.file]);
    kept.iter().filter(|k| **k).count()
}
