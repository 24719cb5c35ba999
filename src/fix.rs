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
    apply(run, per_file)
}

/// Rules whose findings `--add-noqa` leaves alone: about the file as a whole, or about
/// suppressions themselves.
const NOT_SUPPRESSED_INLINE: &[&str] = &["unused-suppression", "io-error", "invalid-encoding", "foreign-dialect", "template-not-judged"];

/// `--add-noqa`: a suppression comment for each statement (each line of a configuration file)
/// with findings today, naming their rules, so that only new findings are reported. The comment
/// goes on its own line above the statement (`-- pgready: ignore a, b -- ...`; `#` in
/// configuration files), with the statement's indentation. Live findings have no file.
pub fn suppressions(run: &Run) -> (Vec<FixedFile>, Vec<Refused>) {
    let mut points: BTreeMap<FileId, BTreeMap<usize, Vec<&'static str>>> = BTreeMap::new();
    // Each SQL file's statements, split again: the run keeps only what the rules needed.
    let mut statements: BTreeMap<FileId, Vec<std::ops::Range<usize>>> = BTreeMap::new();
    for d in &run.diagnostics {
        let doc = &run.docs[d.file];
        let Some(parsed) = run.files.get(d.file) else { continue };
        if NOT_SUPPRESSED_INLINE.contains(&d.rule) || doc.display.starts_with("postgresql://") || !parsed.linted {
            continue;
        }
        let at = match parsed.kind {
            crate::source::Kind::Sql => {
                let ranges = statements
                    .entry(d.file)
                    .or_insert_with(|| crate::sql::script::split(&doc.text).statements.into_iter().map(|s| s.range).collect());
                ranges.iter().find(|r| r.start <= d.span.start && d.span.start <= r.end).map_or(d.span.start, |r| r.start)
            }
            _ => d.span.start,
        };
        let rules = points.entry(d.file).or_default().entry(at).or_default();
        if !rules.contains(&d.rule) {
            rules.push(d.rule);
        }
    }
    let mut per_file: BTreeMap<FileId, (Vec<Edit>, usize)> = BTreeMap::new();
    for (file, at) in points {
        let text = &run.docs[file].text;
        let sql = run.files[file].kind == crate::source::Kind::Sql;
        let entry = per_file.entry(file).or_default();
        for (pos, mut rules) in at {
            rules.sort_unstable();
            let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
            let before = &text[line_start..pos];
            let marker = if sql { "--" } else { "#" };
            let comment = format!("{marker} pgready: ignore {} -- added by --add-noqa: review and say why", rules.join(", "));
            let edit = if before.trim().is_empty() {
                // Its own line, indented as the statement is.
                Edit::insert(file, line_start, format!("{before}{comment}\n"))
            } else {
                // The statement starts after another on the same line: break the line there.
                Edit::insert(file, pos, format!("\n{comment}\n"))
            };
            entry.0.push(edit);
            entry.1 += 1;
        }
    }
    apply(run, per_file)
}

/// The files' new texts from their edits; a file whose result parses worse than before is
/// refused.
fn apply(run: &Run, per_file: BTreeMap<FileId, (Vec<Edit>, usize)>) -> (Vec<FixedFile>, Vec<Refused>) {
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
            crate::source::Kind::Sql => parse_file(text, &READ_POLICY, &Default::default()).syntax_errors(),
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
    write_checked(path, text, None).map_err(std::io::Error::other)
}

/// Write a fixed file over the original, unless the original is read-only, is owned by someone
/// the new file could not be given to, or changed since it was read (another process appended
/// to it: replacing it would lose that). The check of the bytes is made just before the rename,
/// once the new file is written, so the window it leaves is that of one rename.
pub fn write_fixed(f: &FixedFile) -> Result<(), String> {
    if f.path.as_os_str() == crate::source::STDIN {
        return Err("standard input cannot be fixed in place: use --diff".into());
    }
    write_checked(&f.path, &f.after, Some(f.before.as_bytes()))
}

fn write_checked(path: &std::path::Path, text: &str, expected: Option<&[u8]>) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let meta = std::fs::metadata(path).ok();
    if expected.is_some() && meta.as_ref().is_some_and(|m| m.permissions().readonly()) {
        return Err("the file is read-only".into());
    }
    let mut tmp = tempfile::Builder::new().prefix(".pgready-").suffix(".tmp").tempfile_in(dir).map_err(|e| e.to_string())?;
    tmp.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    tmp.as_file().sync_all().map_err(|e| e.to_string())?;
    if let Some(m) = &meta {
        tmp.as_file().set_permissions(m.permissions()).map_err(|e| e.to_string())?;
        let mine = tmp.as_file().metadata().map_err(|e| e.to_string())?;
        if (mine.uid(), mine.gid()) != (m.uid(), m.gid())
            && std::os::unix::fs::fchown(tmp.as_file(), Some(m.uid()), Some(m.gid())).is_err()
            && expected.is_some()
        {
            return Err("the file belongs to another user: not fixed".into());
        }
    }
    if let Some(expected) = expected
        && std::fs::read(path).map_err(|e| e.to_string())? != expected
    {
        return Err("the file changed since it was read: not fixed (run again)".into());
    }
    tmp.persist(path).map_err(|e| e.error.to_string())?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(dir: &std::path::Path, before: &str) -> FixedFile {
        let path = dir.join("m.sql");
        FixedFile { file: 0, path, display: "m.sql".into(), before: before.into(), after: "fixed\n".into(), fixes: 1 }
    }

    /// What another process appended after the file was read is not lost: the file is left as
    /// it is and the fix refused.
    #[test]
    fn a_file_changed_since_it_was_read_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("m.sql"), "original\nappended by another process\n").unwrap();
        let err = write_fixed(&fixed(dir.path(), "original\n")).unwrap_err();
        assert!(err.contains("changed since it was read"), "{err}");
        assert_eq!(std::fs::read_to_string(dir.path().join("m.sql")).unwrap(), "original\nappended by another process\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left behind");
        // Unchanged: written.
        std::fs::write(dir.path().join("m.sql"), "original\n").unwrap();
        write_fixed(&fixed(dir.path(), "original\n")).unwrap();
        assert_eq!(std::fs::read_to_string(dir.path().join("m.sql")).unwrap(), "fixed\n");
    }
}
