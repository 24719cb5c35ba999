//! The rewrites of the splitter: psql variables (substituted from `\\set`, or a stand-in),
//! template placeholders and extension-script placeholders, each at the same length.

use std::ops::Range;

use super::{Command, Placeholder, Splitter, Substitution, is_ident_char, is_ident_start};

impl Splitter<'_> {
    /// Note a rewrite of `range` in the current statement.
    fn substituted(&mut self, range: Range<usize>, placeholder: Placeholder) {
        self.current_substitutions.push(Substitution { range, placeholder });
    }

    /// A placeholder name over `range` that still says what stood there: `${schema}` → `__schema_`.
    fn stand_in_name(&mut self, range: Range<usize>) {
        for b in &mut self.out[range] {
            *b = if b.is_ascii_alphanumeric() { b.to_ascii_lowercase() } else { b'_' };
        }
    }

    /// Write `value` over `range` (padded with spaces) when it fits; false when it does not.
    fn write_value(&mut self, range: Range<usize>, value: &[u8]) -> bool {
        if value.len() > range.len() || value.contains(&b'\n') || std::str::from_utf8(value).is_err() {
            return false;
        }
        self.out[range.start..range.start + value.len()].copy_from_slice(value);
        self.out[range.start + value.len()..range.end].fill(b' ');
        true
    }

    fn variable(&self, name: &[u8]) -> Option<&[u8]> {
        self.variables.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.as_slice())
    }

    /// `:name`, `:'name'`, `:"name"` outside quotes are psql variables. A variable `\set` gave is
    /// replaced by its value as psql would (quoted as a literal or an identifier for the quoted
    /// forms) when the value fits in the reference's bytes; any other is rewritten at the same
    /// length into a placeholder (`_name`, ` 'name'`, ` "name"`) so that the statement still
    /// parses and is judged, except where the placeholder stands.
    pub(super) fn psql_variable(&mut self) {
        let pos = self.pos;
        let next = self.src.get(pos + 1).copied();
        let prev = if pos > 0 { self.src[pos - 1] } else { b' ' };
        // `::` casts and `:=` assignments are not variables.
        if next == Some(b':') {
            self.pos += 2;
            return;
        }
        self.begin_token(pos);
        let name_at = |from: usize| -> usize {
            let rest = &self.src[from.min(self.src.len())..];
            rest.iter().take_while(|&&b| is_ident_char(b) && b != b'$').count()
        };
        // psql substitutes a variable it knows wherever it stands outside quotes (after an
        // identifier too: `name_:v`); one it does not know stays as written.
        let (quote, name_start) = match next {
            Some(q @ (b'\'' | b'"')) => (Some(q), pos + 2),
            _ => (None, pos + 1),
        };
        let len = name_at(name_start);
        let name_end = name_start + len;
        let closed = match quote {
            Some(q) => self.src.get(name_end) == Some(&q),
            None => true,
        };
        let end = if quote.is_some() { name_end + 1 } else { name_end };
        if len > 0
            && closed
            && let Some(value) = self.variable(&self.src[name_start..name_end]).map(<[u8]>::to_vec)
        {
            let value = match quote {
                Some(b'\'') => quote_literal(&value),
                Some(_) => quote_ident(&value),
                None => value,
            };
            if self.write_value(pos..end, &value) {
                self.substituted(pos..end, Placeholder::KnownVariable);
                self.pos = end;
                return;
            }
        }
        // An unknown variable: slices such as `a[1:n]` and identifiers followed by `:` are not one.
        if prev == b':' || is_ident_char(prev) || prev == b']' || prev == b')' || len == 0 || !closed {
            self.pos += 1;
            return;
        }
        if quote.is_none() && !(is_ident_start(self.src[name_start]) && self.src[name_start] < 0x80) {
            self.pos += 1;
            return;
        }
        self.out[pos] = if quote.is_some() { b' ' } else { b'_' };
        self.substituted(pos..end, Placeholder::PsqlVariable);
        self.pos = end;
    }

    /// `\set name value...` and `\unset name`: the variables later statements may use. A value
    /// psql would compute (a backquoted command, another variable) is not known. The command,
    /// for the replay, which follows psql's variables as the script runs.
    pub(super) fn set_variable(&mut self, line: &[u8]) -> Option<Command> {
        let text = String::from_utf8_lossy(line);
        let mut words = text.split_ascii_whitespace();
        let command = words.next().unwrap_or("");
        let name = words.next()?;
        let name_bytes = name.as_bytes().to_vec();
        self.variables.retain(|(n, _)| *n != name_bytes);
        if command != "\\set" {
            return Some(Command::Unset { name: name.to_string() });
        }
        let mut value = Vec::new();
        for arg in words {
            if let Some(inner) = arg.strip_prefix('\'').and_then(|a| a.strip_suffix('\'')) {
                value.extend_from_slice(inner.replace("''", "'").as_bytes());
            } else if arg.starts_with(['`', ':', '\'', '\\']) {
                return Some(Command::Set { name: name.to_string(), value: None });
            } else {
                value.extend_from_slice(arg.as_bytes());
            }
        }
        let set = Command::Set { name: name.to_string(), value: Some(String::from_utf8_lossy(&value).into_owned()) };
        self.variables.push((name_bytes, value));
        Some(set)
    }

    /// `$%NAME%$` placeholders that some projects (Synapse) replace before running a script.
    pub(super) fn percent_placeholder(&mut self) {
        let pos = self.pos;
        self.begin_token(pos);
        let rest = &self.src[pos + 2..];
        let name_len = rest.iter().take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_').count();
        if name_len > 0 && rest[name_len..].starts_with(b"%$") {
            let end = pos + 2 + name_len + 2;
            for i in [pos, pos + 1, end - 2, end - 1] {
                self.out[i] = b'_';
            }
            self.substituted(pos..end, Placeholder::Template);
            self.pos = end;
        } else {
            self.pos += 1;
        }
    }

    /// Template placeholders outside quotes: `{{ expr }}` (Go, Jinja) and `${name}` (Flyway,
    /// Liquibase) stand for a name or a value, so they become a placeholder name of the same
    /// length (its letters and digits kept); `{% tag %}` and `{# comment #}` are control, and become blanks. PostgreSQL's
    /// grammar has no braces outside strings, so none of these is SQL.
    pub(super) fn brace_placeholder(&mut self) {
        let pos = self.pos;
        let (open_len, close): (usize, &[u8]) = match (self.src[pos], self.src.get(pos + 1)) {
            (b'$', Some(b'{')) => (2, b"}"),
            (b'{', Some(b'{')) => (2, b"}}"),
            (b'{', Some(b'%')) => (2, b"%}"),
            (b'{', Some(b'#')) => (2, b"#}"),
            _ => {
                self.begin_token(pos);
                self.pos += 1;
                return;
            }
        };
        let search_end = self.line_end(pos);
        let Some(p) = memchr::memmem::find(&self.src[pos + open_len..search_end], close) else {
            self.begin_token(pos);
            self.pos += 1;
            return;
        };
        let end = pos + open_len + p + close.len();
        let control = self.src[pos] == b'{' && self.src[pos + 1] != b'{';
        if control {
            self.mask(pos..end);
        } else {
            self.begin_token(pos);
            self.stand_in_name(pos..end);
        }
        self.substituted(pos..end, Placeholder::Template);
        self.pos = end;
    }

    /// A placeholder of the project's own syntax (`[templates]` in pgready.toml) at the current
    /// position: a stand-in name of the same length, as for `{{ }}`. False when none starts here.
    pub(super) fn project_placeholder(&mut self) -> bool {
        let pos = self.pos;
        let Some((open, close)) = self.templates.iter().find(|(o, _)| self.src[pos..].starts_with(o)).cloned() else { return false };
        let search_end = self.line_end(pos);
        let Some(p) = memchr::memmem::find(&self.src[pos + open.len()..search_end], &close) else { return false };
        let end = pos + open.len() + p + close.len();
        self.begin_token(pos);
        self.stand_in_name(pos..end);
        self.substituted(pos..end, Placeholder::Template);
        self.pos = end;
        true
    }

    /// `@extschema@`, `@extowner@` and `@extschema:name@` in extension scripts.
    pub(super) fn extension_placeholder(&mut self) {
        let pos = self.pos;
        self.begin_token(pos);
        let rest = &self.src[pos + 1..];
        let name_len = rest.iter().take_while(|&&b| is_ident_char(b) || b == b':').count();
        let name = &rest[..name_len];
        let known = name == b"extschema" || name == b"extowner" || name.starts_with(b"extschema:");
        if known && rest.get(name_len) == Some(&b'@') {
            let end = pos + 1 + name_len + 1;
            for i in pos..end {
                if self.out[i] == b'@' || self.out[i] == b':' {
                    self.out[i] = b'_';
                }
            }
            self.substituted(pos..end, Placeholder::Template);
            self.pos = end;
        } else {
            self.pos += 1;
        }
    }
}

/// A value as psql's `:'name'` quotes it.
fn quote_literal(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len() + 2);
    if value.contains(&b'\\') {
        out.push(b'E');
    }
    out.push(b'\'');
    for &b in value {
        if b == b'\'' || b == b'\\' {
            out.push(b);
        }
        out.push(b);
    }
    out.push(b'\'');
    out
}

/// A value as psql's `:"name"` quotes it.
fn quote_ident(value: &[u8]) -> Vec<u8> {
    let mut out = vec![b'"'];
    for &b in value {
        if b == b'"' {
            out.push(b);
        }
        out.push(b);
    }
    out.push(b'"');
    out
}
