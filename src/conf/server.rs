//! One server's configuration as the server reads it: postgresql.conf with its includes and
//! postgresql.auto.conf, pg_hba.conf and pg_ident.conf with theirs, grouped by the folder they
//! are in. Reading an included file is the caller's job ([`ConfInputs::load`]): this module
//! decides what to read, in which order, and what the server would refuse.

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::conf::{Line, hba, ident, postgresql};
use crate::diagnostic::FileId;
use crate::source::Kind;
use crate::sql::assign::{Assignment, Via};

/// A setting from a configuration file, in the order the server reads them.
#[derive(Debug, Clone)]
pub struct ConfSetting {
    pub assignment: Assignment,
    /// A later line (or postgresql.auto.conf) sets it again: this value does not take effect.
    pub overridden: bool,
}

/// One server's configuration: the files found in one folder (a data directory or a config
/// folder), so that rules can cross-check postgresql.conf and pg_hba.conf.
#[derive(Debug, Clone, Default)]
pub struct ServerConfig {
    pub dir: std::path::PathBuf,
    /// postgresql.conf was found for this server (otherwise settings are the defaults).
    pub has_conf: bool,
    /// The postgresql.conf itself (not postgresql.auto.conf, not an included file).
    pub conf_file: Option<FileId>,
    pub settings: Vec<ConfSetting>,
    pub hba: Vec<(FileId, hba::Record)>,
    /// pg_ident.conf was found for this server.
    pub has_ident: bool,
    pub ident: Vec<(FileId, ident::Mapping)>,
}

impl ServerConfig {
    /// The value in effect for `name` (case-insensitive), if a file sets it.
    pub fn effective(&self, name: &str) -> Option<&Assignment> {
        self.settings.iter().rev().map(|s| &s.assignment).find(|a| a.name.eq_ignore_ascii_case(name))
    }

    /// The value in effect, or PostgreSQL 18's default.
    pub fn target_value(&self, name: &str) -> Option<String> {
        self.effective(name)
            .and_then(|a| a.value.clone())
            .or_else(|| crate::knowledge::settings::get(crate::knowledge::target::TARGET, name).map(|s| s.boot_val.to_string()))
    }
}

/// The documents of a run, as the include expansion sees them.
pub trait ConfInputs {
    /// Documents so far (ids `0..count`; `load` adds more).
    fn count(&self) -> usize;
    /// The kind of a configuration document that was read and parsed (None for SQL, or a file
    /// that could not be read).
    fn conf_kind(&self, id: FileId) -> Option<Kind>;
    fn path(&self, id: FileId) -> &Path;
    fn postgresql(&self, id: FileId) -> Option<&postgresql::ConfFile>;
    fn hba(&self, id: FileId) -> Option<&hba::HbaFile>;
    fn ident(&self, id: FileId) -> Option<&ident::IdentFile>;
    /// The document at `path`: one already read (same canonical path), or read now as `kind`.
    fn load(&mut self, path: &Path, kind: Kind) -> Result<FileId, String>;
}

/// Something the server would refuse in the configuration (a missing include, a cycle).
#[derive(Debug, Clone)]
pub struct ConfProblem {
    pub file: FileId,
    pub span: Range<usize>,
    pub message: String,
}

/// PostgreSQL stops including files deeper than this.
const MAX_INCLUDE_DEPTH: usize = 10;

/// The files an include directive names: one file, or a folder's `*.conf` in byte order.
fn include_targets(from: &Path, path: &str, kind: postgresql::IncludeKind) -> Result<Vec<PathBuf>, String> {
    use postgresql::IncludeKind;
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

/// What an expansion is writing to: the settings or entries found, and the problems.
struct Expansion<'a, T> {
    stack: Vec<FileId>,
    out: &'a mut Vec<T>,
    problems: &'a mut Vec<ConfProblem>,
}

impl<T> Expansion<'_, T> {
    fn problem(&mut self, file: FileId, span: &Range<usize>, message: String) {
        self.problems.push(ConfProblem { file, span: span.clone(), message });
    }
}

fn expand_conf(id: FileId, inputs: &mut dyn ConfInputs, x: &mut Expansion<ConfSetting>) {
    use postgresql::Item;
    let items = inputs.postgresql(id).map(|c| c.items.clone()).unwrap_or_default();
    x.stack.push(id);
    for item in items {
        match item {
            Item::Entry(e) => x.out.push(ConfSetting {
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
                let targets = match include_targets(inputs.path(id), &inc.path, inc.kind) {
                    Ok(t) => t,
                    Err(e) => {
                        x.problem(id, &inc.span, e);
                        continue;
                    }
                };
                for t in targets {
                    match inputs.load(&t, Kind::PostgresqlConf) {
                        Ok(child) if x.stack.contains(&child) => {
                            x.problem(id, &inc.span, format!("include cycle: \"{}\" includes itself", t.display()))
                        }
                        Ok(_) if x.stack.len() >= MAX_INCLUDE_DEPTH => x.problem(
                            id,
                            &inc.span,
                            format!("could not open configuration file \"{}\": maximum nesting depth exceeded", t.display()),
                        ),
                        Ok(child) => expand_conf(child, inputs, x),
                        Err(e) => x.problem(id, &inc.span, e),
                    }
                }
            }
        }
    }
    x.stack.pop();
}

fn hba_items(inputs: &dyn ConfInputs, id: FileId) -> Vec<Line<hba::Record>> {
    inputs.hba(id).map(|h| h.items.clone()).unwrap_or_default()
}

fn ident_items(inputs: &dyn ConfInputs, id: FileId) -> Vec<Line<ident::Mapping>> {
    inputs.ident(id).map(|m| m.items.clone()).unwrap_or_default()
}

/// The entries of a pg_hba.conf or pg_ident.conf, its includes expanded in place (as the server
/// reads them), each with the document it comes from.
fn expand_includes<T>(
    id: FileId,
    kind: Kind,
    // Owned: expanding an include adds documents.
    items_of: fn(&dyn ConfInputs, FileId) -> Vec<Line<T>>,
    inputs: &mut dyn ConfInputs,
    x: &mut Expansion<(FileId, T)>,
) {
    let items = items_of(inputs, id);
    x.stack.push(id);
    for item in items {
        match item {
            Line::Entry(e) => x.out.push((id, e)),
            Line::Include { kind: include, path, span } => {
                let targets = match include_targets(inputs.path(id), &path, include) {
                    Ok(t) => t,
                    Err(e) => {
                        x.problem(id, &span, e);
                        continue;
                    }
                };
                for t in targets {
                    match inputs.load(&t, kind) {
                        Ok(child) if x.stack.contains(&child) || x.stack.len() >= MAX_INCLUDE_DEPTH => {
                            x.problem(id, &span, format!("include cycle or nesting too deep at \"{}\"", t.display()))
                        }
                        Ok(child) => expand_includes(child, kind, items_of, inputs, x),
                        Err(e) => x.problem(id, &span, e),
                    }
                }
            }
        }
    }
    x.stack.pop();
}

/// One ServerConfig per folder holding a postgresql.conf, postgresql.auto.conf or pg_hba.conf
/// given as input; postgresql.auto.conf is read after postgresql.conf, as the server does.
pub fn build_servers(inputs: &mut dyn ConfInputs, problems: &mut Vec<ConfProblem>) -> Vec<ServerConfig> {
    let roots: Vec<(FileId, Kind)> = (0..inputs.count()).filter_map(|i| inputs.conf_kind(i).map(|k| (i, k))).collect();
    let mut servers: Vec<ServerConfig> = Vec::new();
    let dir_of = |inputs: &dyn ConfInputs, id: FileId| {
        let path = std::fs::canonicalize(inputs.path(id)).unwrap_or_else(|_| inputs.path(id).to_path_buf());
        path.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let is_auto = |inputs: &dyn ConfInputs, id: FileId| inputs.path(id).file_name().is_some_and(|n| n == "postgresql.auto.conf");
    // postgresql.conf (and --conf files) first, then postgresql.auto.conf, then pg_hba.conf.
    let mut ordered = roots.clone();
    ordered.sort_by_key(|(id, kind)| (*kind == Kind::Hba || *kind == Kind::Ident, is_auto(inputs, *id), *id));
    for (id, kind) in ordered {
        let dir = dir_of(inputs, id);
        let idx = match servers.iter().position(|s| s.dir == dir) {
            Some(i) => i,
            None => {
                servers.push(ServerConfig { dir: dir.clone(), ..Default::default() });
                servers.len() - 1
            }
        };
        match kind {
            Kind::PostgresqlConf => {
                let mut out = Vec::new();
                expand_conf(id, inputs, &mut Expansion { stack: Vec::new(), out: &mut out, problems });
                servers[idx].has_conf = true;
                if !is_auto(inputs, id) {
                    servers[idx].conf_file.get_or_insert(id);
                }
                servers[idx].settings.extend(out);
            }
            Kind::Hba => {
                let mut out = Vec::new();
                expand_includes(id, Kind::Hba, hba_items, inputs, &mut Expansion { stack: Vec::new(), out: &mut out, problems });
                servers[idx].hba.extend(out);
            }
            Kind::Ident => {
                let mut out = Vec::new();
                expand_includes(id, Kind::Ident, ident_items, inputs, &mut Expansion { stack: Vec::new(), out: &mut out, problems });
                servers[idx].has_ident = true;
                servers[idx].ident.extend(out);
            }
            Kind::Sql => {}
        }
    }
    // A postgresql.conf without its postgresql.auto.conf among the inputs: read the one beside it.
    for server in servers.iter_mut().filter(|s| s.has_conf) {
        let auto = server.dir.join("postgresql.auto.conf");
        let already =
            server.settings.iter().any(|c| inputs.path(c.assignment.file).file_name().is_some_and(|n| n == "postgresql.auto.conf"));
        if !already
            && auto.is_file()
            && let Ok(id) = inputs.load(&auto, Kind::PostgresqlConf)
        {
            let mut out = Vec::new();
            expand_conf(id, inputs, &mut Expansion { stack: Vec::new(), out: &mut out, problems });
            server.settings.extend(out);
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
