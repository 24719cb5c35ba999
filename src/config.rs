//! `pgready.toml`: found by walking up from the first checked path, or given with `--config`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::Severity;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Config {
    /// Rule ids or areas to run (default: all).
    pub select: Option<Vec<String>>,
    /// Rule ids or areas never to run.
    pub ignore: Option<Vec<String>>,
    /// The major version being upgraded from (13–17).
    pub from: Option<u32>,
    /// Globs of paths not to check.
    pub exclude: Option<Vec<String>>,
    pub fail_on: Option<Severity>,
    /// Glob (matched against the path as displayed) → rule ids or areas ignored there.
    pub per_path_ignores: Option<BTreeMap<String, Vec<String>>>,
    /// How psql runs the scripts: the variables it is given (`psql -v name=value`).
    pub psql: Option<PsqlConfig>,
    /// The project's own template placeholders.
    pub templates: Option<TemplatesConfig>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct TemplatesConfig {
    /// Opening and closing delimiters of a placeholder, e.g. `["<%=", "%>"]`: a placeholder stands
    /// in as a name, like `{{ }}` and `${}`.
    pub delimiters: Option<Vec<[String; 2]>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PsqlConfig {
    /// Variables set before every script, as `psql -v name=value` sets them.
    pub variables: Option<BTreeMap<String, String>>,
}

pub const FILE_NAME: &str = "pgready.toml";

/// The nearest `pgready.toml` at or above `start`.
pub fn find(start: &Path) -> Option<PathBuf> {
    let abs = std::fs::canonicalize(start).ok()?;
    let mut dir = if abs.is_file() { abs.parent()?.to_path_buf() } else { abs };
    loop {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if !dir.pop() {
            return None;
        }
    }
}

pub fn load(path: &Path) -> Result<Config, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}
