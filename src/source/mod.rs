//! Finding the input files, reading them, and ordering them as migrations are applied.

pub mod order;

use std::path::{Path, PathBuf};

use ignore::WalkBuilder;
use ignore::overrides::OverrideBuilder;
use rayon::prelude::*;

/// What kind of input a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    #[default]
    Sql,
    PostgresqlConf,
    Hba,
    /// pg_ident.conf: user name maps for `map=` in pg_hba.conf.
    Ident,
}

/// Classify by file name: `postgresql.conf`, `postgresql.auto.conf`, `pg_hba.conf`; SQL by
/// extension. Anything else is not read unless named with --conf/--hba.
pub fn kind_of(path: &Path) -> Option<Kind> {
    let name = path.file_name()?.to_str()?;
    match name {
        "postgresql.conf" | "postgresql.auto.conf" => Some(Kind::PostgresqlConf),
        "pg_hba.conf" => Some(Kind::Hba),
        "pg_ident.conf" => Some(Kind::Ident),
        _ if is_sql_path(path) => Some(Kind::Sql),
        _ => None,
    }
}

/// A file's text with a line index for turning byte offsets into lines and columns.
#[derive(Debug)]
pub struct Document {
    /// The path as the user will read it: relative to the current directory when possible.
    pub display: String,
    pub path: PathBuf,
    pub text: String,
    /// Built on first use: most documents of a run never need a line number.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl Document {
    pub fn new(path: PathBuf, display: String, text: String) -> Document {
        Document { display, path, text, line_starts: std::sync::OnceLock::new() }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(self.text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1));
            starts
        })
    }

    /// 1-based line and 1-based column counted in characters.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s <= offset) - 1;
        let start = starts[line];
        let mut col = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count());
        // Editors do not show a byte-order mark: it takes no column.
        if line == 0 && offset >= 3 && self.text.starts_with('\u{feff}') {
            col -= 1;
        }
        (line + 1, col + 1)
    }
}

/// What discovery found: files to read, and paths that could not be used.
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<PathBuf>,
    pub problems: Vec<(PathBuf, String)>,
}

pub const SQL_EXTENSIONS: &[&str] = &["sql", "psql", "pgsql"];

/// The path that names standard input on the command line.
pub const STDIN: &str = "-";

/// The bytes of an input: standard input for [`STDIN`], the file otherwise.
pub fn read(path: &Path) -> std::io::Result<Vec<u8>> {
    if path.as_os_str() == STDIN {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)?;
        return Ok(bytes);
    }
    std::fs::read(path)
}

pub fn is_sql_path(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| SQL_EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Walk `roots`: explicit files are always taken; directories are walked for SQL files,
/// honouring `.gitignore`, `.ignore` and the `exclude` globs. The result is sorted.
pub fn discover(roots: &[PathBuf], exclude: &[String]) -> Discovered {
    let mut found = Discovered::default();
    // A stat per root: in parallel, for the thousands of files a pre-commit hook or a shell
    // glob passes.
    let metas: Vec<std::io::Result<std::fs::Metadata>> = roots.par_iter().map(std::fs::metadata).collect();
    for (root, meta) in roots.iter().zip(metas) {
        if root.as_os_str() == STDIN {
            found.files.push(root.clone());
            continue;
        }
        let meta = match meta {
            Ok(m) => m,
            Err(e) => {
                found.problems.push((root.clone(), e.to_string()));
                continue;
            }
        };
        // A file named on the command line is read whatever it is: a regular file, or a pipe
        // (`/dev/stdin`, a FIFO, the shell's `<(...)`). Only directories are walked.
        if !meta.is_dir() {
            found.files.push(root.clone());
            continue;
        }
        let mut overrides = OverrideBuilder::new(root);
        for pattern in exclude {
            // An override glob without `!` would *whitelist*; `!` turns it into an exclusion.
            let _ = overrides.add(&format!("!{pattern}"));
        }
        let mut walk = WalkBuilder::new(root);
        walk.hidden(true).git_ignore(true).git_exclude(true).require_git(false).follow_links(true).sort_by_file_path(|a, b| a.cmp(b));
        if let Ok(o) = overrides.build() {
            walk.overrides(o);
        }
        for entry in walk.build() {
            match entry {
                Ok(e) => {
                    let is_file = e.file_type().is_some_and(|t| t.is_file());
                    if is_file && kind_of(e.path()).is_some() {
                        found.files.push(e.into_path());
                    }
                }
                Err(err) => {
                    let path = error_path(&err).unwrap_or_else(|| root.clone());
                    found.problems.push((path, err.to_string()));
                }
            }
        }
    }
    found.files.par_sort();
    found.files.dedup();
    found
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } => error_path(err),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

/// The file a regression-test runner compares this SQL file's output with: pg_regress's
/// `<suite>/sql/<name>.sql` ↔ `<suite>/expected/<name>.out` (or an alternative `<name>_1.out`).
pub fn expected_output(sql: &Path) -> Option<PathBuf> {
    let dir = sql.parent()?;
    if dir.file_name()? != "sql" {
        return None;
    }
    let stem = sql.file_stem()?.to_str()?;
    let expected = dir.parent()?.join("expected");
    [format!("{stem}.out"), format!("{stem}_1.out")].into_iter().map(|n| expected.join(n)).find(|p| p.is_file())
}

/// The path as shown to the user: relative to the current directory when it is below it.
pub fn display_path(path: &Path) -> String {
    // Only an absolute path can lie below the (absolute) current directory: a relative one is
    // shown as given, without a getcwd per file.
    let shown = if path.is_absolute() {
        std::env::current_dir().ok().and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
    } else {
        None
    };
    let p = shown.unwrap_or_else(|| path.to_path_buf());
    let s = p.to_string_lossy().into_owned();
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// The project `path` belongs to: the nearest folder above it (or it) holding a `pgready.toml`
/// or a `.git`; None outside any project.
pub fn project_root(path: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(path).ok()?;
    let mut dir = if start.is_dir() { Some(start.as_path()) } else { start.parent() };
    while let Some(d) = dir {
        if d.join("pgready.toml").is_file() || d.join(".git").exists() {
            return Some(d.to_path_buf());
        }
        dir = d.parent();
    }
    None
}

/// A file's path from its project's root, with `/` (what a baseline and a fingerprint record,
/// so that they hold from any folder of the project); None outside a project.
pub fn project_path(path: &Path) -> Option<String> {
    let file = std::fs::canonicalize(path).ok()?;
    let root = project_root(&file)?;
    let rel = file.strip_prefix(&root).ok()?;
    Some(rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let d = Document::new("x".into(), "x".into(), "ab\néü x\n".into());
        assert_eq!(d.line_col(0), (1, 1));
        assert_eq!(d.line_col(3), (2, 1));
        assert_eq!(d.line_col(8), (2, 4));
    }
}
