//! What psql itself does while it runs a script, which decides what the server is sent: its
//! variables (`\set`, `\unset`, the results `\gset` stores) and its conditionals (`\if`,
//! `\elif`, `\else`, `\endif`). The replay follows them on each server, because a `\gset` of
//! `server_version_num` may make the two servers take different branches.

use std::collections::HashMap;
use std::ops::Range;

use crate::sql::script::Command;

/// A psql variable reference in a statement: `:name`, `:'name'` or `:"name"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Its bytes, from the start of the statement.
    pub range: Range<usize>,
    pub name: String,
    /// `'` or `"` for the quoted forms.
    pub quote: Option<u8>,
}

impl Reference {
    /// The reference written at the start of `text` (`:name`, `:'name'`, `:"name"`).
    pub fn read(text: &str, at: usize) -> Option<Reference> {
        let rest = text.strip_prefix(':')?;
        let (quote, inner) = match rest.as_bytes().first() {
            Some(q @ (b'\'' | b'"')) => (Some(*q), &rest[1..]),
            _ => (None, rest),
        };
        let len = inner.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(inner.len());
        if len == 0 || (quote.is_some() && inner.as_bytes().get(len) != quote.as_ref()) {
            return None;
        }
        let end = 1 + usize::from(quote.is_some()) * 2 + len;
        Some(Reference { range: at..at + end, name: inner[..len].to_string(), quote })
    }
}

/// A statement as it is sent, with psql's variables as they are when it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub text: String,
    /// Each substituted value: its bytes in `text`, and the reference's bytes in the statement.
    substituted: Vec<(Range<usize>, Range<usize>)>,
}

impl Sent {
    /// The offset in the statement as written of an offset in the text sent (a value's bytes
    /// map to its reference).
    pub fn written_offset(&self, sent: usize) -> usize {
        match self.substituted.iter().rev().find(|(s, _)| s.start <= sent) {
            Some((s, w)) if sent < s.end => w.start,
            Some((s, w)) => w.end + (sent - s.end),
            None => sent,
        }
    }
}

/// One open `\if`: whether its current branch runs, and whether one of its branches has.
#[derive(Debug, Clone, Copy)]
struct Branch {
    outer_runs: bool,
    taken: bool,
    runs: bool,
}

/// psql's state while a script runs.
#[derive(Debug, Default)]
pub struct Psql {
    /// What psql starts with (`psql -v`: `[psql] variables` in pgready.toml).
    initial: Vec<(String, String)>,
    variables: HashMap<String, String>,
    branches: Vec<Branch>,
}

impl Psql {
    pub fn new(initial: &[(String, String)]) -> Psql {
        let mut psql = Psql { initial: initial.to_vec(), ..Psql::default() };
        psql.begin();
        psql
    }

    /// A script run by a psql of its own: the initial variables, no `\if` open.
    pub fn begin(&mut self) {
        self.variables = self.initial.iter().cloned().collect();
        self.branches.clear();
    }

    /// Whether the statements here run (every open `\if` is in a branch that runs).
    pub fn runs(&self) -> bool {
        self.branches.last().is_none_or(|b| b.runs)
    }

    /// Carry out a meta-command; false when an `\if`'s expression cannot be known here (a
    /// backquoted command, a variable with no value): then none of its branches runs.
    pub fn meta(&mut self, command: &Command) -> bool {
        let runs = self.runs();
        match command {
            Command::Set { name, value } if runs => {
                match value {
                    Some(v) => self.variables.insert(name.clone(), v.clone()),
                    None => self.variables.remove(name),
                };
            }
            Command::Unset { name } if runs => {
                self.variables.remove(name);
            }
            Command::If(expr) => {
                let value = if runs { self.truth(expr) } else { Some(false) };
                self.branches.push(Branch { outer_runs: runs, taken: value != Some(false), runs: value == Some(true) });
                return value.is_some();
            }
            Command::Elif(expr) => {
                let Some(b) = self.branches.last().copied() else { return true };
                let value = if b.outer_runs && !b.taken { self.truth(expr) } else { Some(false) };
                if let Some(top) = self.branches.last_mut() {
                    top.runs = value == Some(true);
                    top.taken |= value != Some(false);
                }
                return value.is_some();
            }
            Command::Else => {
                if let Some(top) = self.branches.last_mut() {
                    top.runs = top.outer_runs && !top.taken;
                    top.taken = true;
                }
            }
            Command::Endif => {
                self.branches.pop();
            }
            _ => {}
        }
        true
    }

    /// `\gset`: the columns of a result's one row become variables (a NULL unsets one).
    pub fn gset(&mut self, prefix: &str, columns: impl IntoIterator<Item = (String, Option<String>)>) {
        for (name, value) in columns {
            let name = format!("{prefix}{name}");
            match value {
                Some(v) => self.variables.insert(name, v),
                None => self.variables.remove(&name),
            };
        }
    }

    /// The text sent for `sql` whose variable references are `references`; `None` when one
    /// has no value (psql would send it as written, which is not what the script means).
    pub fn substitute(&self, sql: &str, references: &[Reference]) -> Option<Sent> {
        let mut text = String::with_capacity(sql.len());
        let mut substituted = Vec::with_capacity(references.len());
        let mut at = 0;
        for r in references {
            let value = self.variables.get(&r.name)?;
            text.push_str(&sql[at..r.range.start]);
            let start = text.len();
            match r.quote {
                // As PQescapeLiteral writes it.
                Some(b'\'') if value.contains('\\') => text.push_str(&format!(" E'{}'", value.replace('\\', "\\\\").replace('\'', "''"))),
                Some(b'\'') => text.push_str(&crate::catalog::quote_literal(value)),
                Some(_) => text.push_str(&crate::catalog::quote_ident(value)),
                None => text.push_str(value),
            }
            substituted.push((start..text.len(), r.range.clone()));
            at = r.range.end;
        }
        text.push_str(&sql[at..]);
        Some(Sent { text, substituted })
    }

    /// The value of an `\if` expression as psql reads it: its first word, variables
    /// substituted (`:{?name}` tells whether one is set), then read as a boolean. `None` when it
    /// cannot be known; an invalid boolean is false, as in psql.
    fn truth(&self, expr: &str) -> Option<bool> {
        let word = expr.split_whitespace().next().unwrap_or("");
        let value = if let Some(name) = word.strip_prefix(":{?").and_then(|w| w.strip_suffix('}')) {
            if self.variables.contains_key(name) { "true".to_string() } else { "false".to_string() }
        } else if word.starts_with(':') {
            let r = Reference::read(word, 0)?;
            self.variables.get(&r.name)?.clone()
        } else if word.starts_with('`') {
            return None;
        } else {
            word.trim_matches('\'').to_string()
        };
        Some(parse_bool(&value).unwrap_or(false))
    }
}

/// psql's `ParseVariableBool`: an unambiguous prefix of true/false/yes/no, on/off, 1/0.
fn parse_bool(value: &str) -> Option<bool> {
    let v = value.to_ascii_lowercase();
    let prefix_of = |word: &str, min: usize| v.len() >= min && word.starts_with(v.as_str());
    if prefix_of("true", 1) || prefix_of("yes", 1) || prefix_of("on", 2) || v == "1" {
        Some(true)
    } else if prefix_of("false", 1) || prefix_of("no", 1) || prefix_of("off", 2) || v == "0" {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(name: &str, value: &str) -> Command {
        Command::Set { name: name.into(), value: Some(value.into()) }
    }

    #[test]
    fn booleans_are_read_as_psql_reads_them() {
        for t in ["t", "TRUE", "y", "on", "1", "Yes"] {
            assert_eq!(parse_bool(t), Some(true), "{t}");
        }
        for f in ["f", "false", "n", "off", "0", "NO"] {
            assert_eq!(parse_bool(f), Some(false), "{f}");
        }
        for bad in ["o", "", "2", "truth"] {
            assert_eq!(parse_bool(bad), None, "{bad}");
        }
    }

    #[test]
    fn conditionals_run_one_branch_and_nest() {
        let mut p = Psql::new(&[]);
        assert!(p.meta(&set("pg18", "t")));
        assert!(p.meta(&Command::If(":pg18".into())));
        assert!(p.runs());
        p.meta(&Command::If("false".into()));
        assert!(!p.runs());
        p.meta(&Command::Elif(":{?pg18}".into()));
        assert!(p.runs());
        p.meta(&Command::Else);
        assert!(!p.runs());
        p.meta(&Command::Endif);
        p.meta(&Command::Else);
        assert!(!p.runs());
        // A \set in a branch that does not run sets nothing.
        p.meta(&set("x", "1"));
        p.meta(&Command::Endif);
        assert!(p.runs());
        assert!(p.substitute("select :x", &[Reference::read(":x", 7).unwrap()]).is_none());
    }

    #[test]
    fn an_unknown_expression_runs_no_branch() {
        let mut p = Psql::new(&[]);
        assert!(!p.meta(&Command::If(":missing".into())));
        assert!(!p.runs());
        assert!(p.meta(&Command::Else));
        assert!(!p.runs());
        p.meta(&Command::Endif);
        assert!(p.runs());
        assert!(!p.meta(&Command::If("`echo t`".into())));
    }

    #[test]
    fn gset_values_are_substituted_and_offsets_map_back() {
        let mut p = Psql::new(&[("schema".into(), "app".into())]);
        p.gset("v_", [("num".to_string(), Some("180001".to_string())), ("gone".to_string(), None)]);
        let sql = "select :v_num, :'schema', :\"schema\"x";
        let refs: Vec<Reference> = [7, 15, 26].iter().map(|&i| Reference::read(&sql[i..], i).unwrap()).collect();
        let sent = p.substitute(sql, &refs).unwrap();
        assert_eq!(sent.text, "select 180001, 'app', \"app\"x");
        assert_eq!(sent.written_offset(9), 7);
        assert_eq!(sent.written_offset(13), 13);
        assert_eq!(sent.text.find('x').map(|o| sent.written_offset(o)), sql.find('x'));
        p.begin();
        assert!(p.substitute(sql, &refs[..1]).is_none());
    }
}
