//! Applying fixes: non-overlapping edits, re-parsed before anything is written, written
//! atomically (temporary file in the same folder, then rename) with the original permissions.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use crate::diagnostic::{Applicability, Edit, FileId};
use crate::engine::Run;
use crate::rules::READ_POLICY;
use crate::sql::front::parse_file;

/// A file's new text, with how many fixes went into it.
pub struct FixedFile {
    pub file: FileId,
    pub path: PathBuf,
    pub display: String,
    pub before: String,
    pub after: String,
    pub fixes: usize,
}

/// Problems that stopped a file from being fixed.
pub struct Refused {
    pub display: String,
    pub reason: String,
}

/// Compute the fixed text of every file the fixes touch. A fix whose edits overlap an edit
/// already taken is skipped whole (it will be offered again on the next run); a file whose
/// result parses worse than before is refused.
pub fn plan(run: &Run, min: Applicability) -> (Vec<FixedFile>, Vec<Refused>) {
    let mut per_file: BTreeMap<FileId, (Vec<Edit>, usize)> = BTreeMap::new();
    for d in &run.diagnostics {
        let Some(fix) = &d.fix else { continue };
        if fix.applicability < min {
            continue;
        }
        let overlaps = fix.edits.iter().any(|e| {
            per_file.get(&e.file).is_some_and(|(taken, _)| {
                taken.iter().any(|t| {
                    t != e && t.range.start < e.range.end.max(e.range.start + 1) && e.range.start < t.range.end.max(t.range.start + 1)
                })
            })
        });
        if overlaps {
            continue;
        }
        for e in &fix.edits {
            let entry = per_file.entry(e.file).or_default();
            if !entry.0.contains(e) {
                entry.0.push(e.clone());
            }
        }
        if let Some(first) = fix.edits.first() {
            per_file.entry(first.file).or_default().1 += 1;
        }
    }
    let mut fixed = Vec::new();
    let mut refused = Vec::new();
    for (file, (mut edits, fixes)) in per_file {
        let doc = &run.docs[file];
        edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
        let mut after = doc.text.clone();
        for e in &edits {
            after.replace_range(e.range.clone(), &e.replacement);
        }
        // Re-read the result with the file's own front end: it must not read worse than before.
        let kind = run.files.get(file).map_or(crate::source::Kind::Sql, |f| f.kind);
        let errors = |text: &str| match kind {
            crate::source::Kind::Sql => parse_file(text, &READ_POLICY).syntax_errors(),
            crate::source::Kind::PostgresqlConf => crate::conf::postgresql::parse(text).errors.len(),
            crate::source::Kind::Hba => crate::conf::hba::parse(text).errors.len(),
            crate::source::Kind::Ident => crate::conf::ident::parse(text).errors.len(),
        };
        if errors(&after) > errors(&doc.text) {
            refused.push(Refused { display: doc.display.clone(), reason: "the fixed text would not parse; nothing written".into() });
            continue;
        }
        fixed.push(FixedFile { file, path: doc.path.clone(), display: doc.display.clone(), before: doc.text.clone(), after, fixes });
    }
    (fixed, refused)
}

/// Write `text` to `path` atomically, keeping the file's permissions.
pub fn write_atomic(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let perms = std::fs::metadata(path).ok().map(|m| m.permissions());
    let mut tmp = tempfile::Builder::new().prefix(".pgready-").suffix(".tmp").tempfile_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    if let Some(perms) = perms {
        tmp.as_file().set_permissions(perms)?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A unified diff of one fixed file, as `--diff` prints it.
pub fn unified_diff(f: &FixedFile) -> String {
    similar::TextDiff::from_lines(&f.before, &f.after)
        .unified_diff()
        .context_radius(2)
        // As git writes it: `a/srv/db/x.sql` for an absolute path, not `a//srv/db/x.sql`.
        .header(&format!("a/{}", f.display.trim_start_matches('/')), &format!("b/{}", f.display.trim_start_matches('/')))
        .to_string()
}
