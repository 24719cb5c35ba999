//! Inline suppressions, applied after the rules ran (rules never see them):
//!
//! ```sql
//! -- pgready: ignore uuid-random-default -- reason
//! CREATE TABLE t (id uuid DEFAULT gen_random_uuid());   -- the statement the comment is in, or the next one
//! SET password_encryption = 'md5'; -- pgready: ignore md5-password  -- after a statement, on its line: that one
//! -- pgready: ignore-file generated                      -- the whole file; rule ids or areas
//! ```
//! An unknown rule id, or a suppression that hides nothing, is itself reported.

use std::ops::Range;

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::diagnostic::{Diagnostic, FileId};
use crate::engine::ParsedFile;
use crate::rules::meta::unused_suppression::RULE;
use crate::rules::{self, Area};

struct Suppression {
    file_wide: bool,
    /// Each named rule with its span in the file.
    names: Vec<(String, Range<usize>)>,
    comment: Range<usize>,
    /// The statement range it covers (unused for file-wide ones).
    target: Option<Range<usize>>,
    used: Vec<bool>,
}

/// The rules or areas a suppression names, each with its span in the file.
type Names = Vec<(String, Range<usize>)>;

/// A `pgready: ignore[-file]` comment: whether file-wide, and the names it lists.
fn parse(text: &str, comment: &Range<usize>) -> Option<(bool, Names)> {
    let body = &text[comment.clone()];
    let at = body.find("pgready:")?;
    let mut pos = at + "pgready:".len();
    let rest = &body[pos..];
    let trimmed = rest.trim_start();
    pos += rest.len() - trimmed.len();
    let (file_wide, directive_len) = if trimmed.starts_with("ignore-file") {
        (true, "ignore-file".len())
    } else if trimmed.starts_with("ignore") {
        (false, "ignore".len())
    } else {
        return None;
    };
    pos += directive_len;
    // The list runs to a `--` (the reason), a `*/` or the end of the comment.
    let list_end = [body[pos..].find("--"), body[pos..].find("*/")].into_iter().flatten().min().map_or(body.len(), |e| pos + e);
    let mut names = Vec::new();
    let mut i = pos;
    for part in body[pos..list_end].split(|c: char| c == ',' || c.is_whitespace()) {
        if !part.is_empty() {
            let start = comment.start + i;
            names.push((part.to_string(), start..start + part.len()));
        }
        i += part.len() + 1;
    }
    Some((file_wide, names))
}

/// `ran(name)` tells whether a rule or area was enabled in this run: a suppression of a rule
/// that did not run is not "unused".
pub fn apply(file: FileId, text: &str, parsed: &ParsedFile, diags: Vec<Diagnostic>, ran: &dyn Fn(&str) -> bool) -> Vec<Diagnostic> {
    let mut sups: Vec<Suppression> = Vec::new();
    for c in &parsed.comments {
        let Some((file_wide, names)) = parse(text, &c.range) else { continue };
        // A comment after a statement on its last line (`SET x = 1; -- pgready: ignore ...`) is
        // about that statement; otherwise about the statement it is in, or the next one.
        let trailing = parsed
            .statements
            .iter()
            .rev()
            .find(|s| s.range.end <= c.range.start)
            .filter(|s| {
                text.get(s.range.end..c.range.start).is_some_and(|between| between.chars().all(|ch| ch == ';' || ch == ' ' || ch == '\t'))
            })
            .filter(|s| text.get(s.range.clone()).is_some_and(|t| !t.trim().is_empty()));
        let target = trailing
            .or_else(|| parsed.statements.iter().find(|s| s.range.contains(&c.range.start) || s.range.start >= c.range.end))
            .map(|s| s.range.clone());
        let used = vec![false; names.len()];
        sups.push(Suppression { file_wide, names, comment: c.range.clone(), target, used });
    }
    if sups.is_empty() {
        return diags;
    }
    let mut kept = Vec::with_capacity(diags.len());
    for d in diags {
        let area = rules::find(d.rule).map_or("", |r| r.meta.area.as_str());
        let mut hidden = false;
        for s in sups.iter_mut() {
            let covers = s.file_wide || s.target.as_ref().is_some_and(|t| t.contains(&d.span.start) || t.start == d.span.start);
            if !covers {
                continue;
            }
            for (i, (name, _)) in s.names.iter().enumerate() {
                if name == d.rule || name == area {
                    s.used[i] = true;
                    hidden = true;
                }
            }
        }
        if !hidden {
            kept.push(d);
        }
    }
    for s in &sups {
        if s.names.is_empty() {
            kept.push(RULE.report(file, s.comment.clone(), "suppression names no rule"));
        }
        for (i, (name, span)) in s.names.iter().enumerate() {
            let known = rules::find(name).is_some() || Area::named(name).is_some_and(|a| rules::areas().contains(&a));
            let (msg, help) = if !known {
                let help = match rules::did_you_mean(name) {
                    Some(close) => format!("Did you mean `{close}`? (`pgready rules` lists them.)"),
                    None => "Remove it, or correct the rule id (`pgready rules` lists them).".to_string(),
                };
                (format!("unknown rule `{name}` in suppression"), help)
            } else if !s.used[i] && ran(name) {
                (format!("suppression of `{name}` hides nothing"), "Remove it: nothing it names is reported here any more.".to_string())
            } else {
                continue;
            };
            kept.push(RULE.report(file, span.clone(), msg).help(help));
        }
    }
    kept
}

/// `[per-path-ignores]` of pgready.toml: glob (matched against the displayed path) → rule ids
/// or areas ignored there.
pub struct PathIgnores {
    set: GlobSet,
    rules: Vec<Vec<String>>,
}

impl PathIgnores {
    /// An invalid glob is an error: silently dropping it would report what the user ignored.
    pub fn new(entries: &[(String, Vec<String>)]) -> Result<PathIgnores, String> {
        let mut b = GlobSetBuilder::new();
        let mut rules = Vec::new();
        for (glob, ids) in entries {
            let g = Glob::new(glob).map_err(|e| format!("invalid glob in per-path-ignores: {e}"))?;
            b.add(g);
            rules.push(ids.clone());
        }
        let set = b.build().map_err(|e| format!("invalid per-path-ignores: {e}"))?;
        Ok(PathIgnores { set, rules })
    }

    pub fn ignored(&self, path: &str, rule: &str) -> bool {
        let area = rules::find(rule).map_or("", |r| r.meta.area.as_str());
        self.set.matches(path).into_iter().any(|i| self.rules[i].iter().any(|r| r == rule || r == area))
    }
}
