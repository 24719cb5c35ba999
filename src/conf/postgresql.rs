//! postgresql.conf as PostgreSQL reads it (guc-file.l): `name = value` or `name value`, `#`
//! comments, quoted values with `''` and backslash escapes, and the `include`,
//! `include_if_exists` and `include_dir` directives.

use std::ops::Range;

/// One `name = value` line.
#[derive(Debug, Clone)]
pub struct Entry {
    /// As written; PostgreSQL compares names case-insensitively.
    pub name: String,
    pub name_span: Range<usize>,
    /// The value as the server reads it (quotes removed, escapes applied).
    pub value: String,
    /// The value as written, quotes included.
    pub value_span: Range<usize>,
    pub quoted: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncludeKind {
    Include,
    IncludeIfExists,
    IncludeDir,
}

#[derive(Debug, Clone)]
pub struct Include {
    pub kind: IncludeKind,
    pub path: String,
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub enum Item {
    Entry(Entry),
    Include(Include),
}

#[derive(Debug, Default)]
pub struct ConfFile {
    pub items: Vec<Item>,
    /// Lines PostgreSQL would reject as a syntax error (the server would not start).
    pub errors: Vec<(Range<usize>, String)>,
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'$' | b'.' | b'-')
}

/// Unquote a `'...'` value: `''` and `\'` are quotes, `\n`, `\t`... are escapes.
fn unquote(s: &str) -> String {
    let inner = &s[1..s.len() - 1];
    let mut out = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' if chars.peek() == Some(&'\'') => {
                chars.next();
                out.push('\'');
            }
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('b') => out.push('\u{8}'),
                Some('f') => out.push('\u{c}'),
                Some(o) => out.push(o),
                None => {}
            },
            c => out.push(c),
        }
    }
    out
}

pub fn parse(text: &str) -> ConfFile {
    let mut file = ConfFile::default();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let base = line_start;
        line_start += line.len();
        let b = line.trim_end_matches(['\n', '\r']).as_bytes();
        let mut i = 0;
        let skip_ws = |i: &mut usize| {
            while *i < b.len() && (b[*i] == b' ' || b[*i] == b'\t') {
                *i += 1;
            }
        };
        skip_ws(&mut i);
        if i >= b.len() || b[i] == b'#' {
            continue;
        }
        if !is_name_start(b[i]) {
            file.errors.push((base + i..base + b.len(), "syntax error: a setting name was expected".into()));
            continue;
        }
        let name_start = i;
        while i < b.len() && is_name_char(b[i]) {
            i += 1;
        }
        let name = &line[name_start..i];
        let name_span = base + name_start..base + i;
        skip_ws(&mut i);
        if i < b.len() && b[i] == b'=' {
            i += 1;
            skip_ws(&mut i);
        }
        // The value: a quoted string, or one unquoted token.
        let value_start = i;
        let quoted = i < b.len() && b[i] == b'\'';
        if quoted {
            i += 1;
            loop {
                if i >= b.len() {
                    file.errors.push((base + value_start..base + b.len(), "unterminated quoted string".into()));
                    break;
                }
                if b[i] == b'\\' {
                    i += 2;
                    continue;
                }
                if b[i] == b'\'' {
                    if i + 1 < b.len() && b[i + 1] == b'\'' {
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                i += 1;
            }
        } else {
            while i < b.len() && !matches!(b[i], b' ' | b'\t' | b'#' | b'\'') {
                i += 1;
            }
        }
        let value_end = i.min(b.len());
        skip_ws(&mut i);
        if i < b.len() && b[i] != b'#' {
            file.errors.push((base + i..base + b.len(), format!("syntax error after the value of `{name}`")));
            continue;
        }
        if value_end == value_start {
            file.errors.push((name_span.clone(), format!("`{name}` has no value")));
            continue;
        }
        let raw = &line[value_start..value_end];
        let value = if quoted && raw.len() >= 2 && raw.ends_with('\'') { unquote(raw) } else { raw.to_string() };
        let value_span = base + value_start..base + value_end;
        let kind = match name.to_ascii_lowercase().as_str() {
            "include" => Some(IncludeKind::Include),
            "include_if_exists" => Some(IncludeKind::IncludeIfExists),
            "include_dir" => Some(IncludeKind::IncludeDir),
            _ => None,
        };
        match kind {
            Some(kind) => file.items.push(Item::Include(Include { kind, path: value, span: base + name_start..value_span.end })),
            None => file.items.push(Item::Entry(Entry { name: name.to_string(), name_span, value, value_span, quoted })),
        }
    }
    file
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(text: &str) -> Vec<(String, String)> {
        parse(text)
            .items
            .into_iter()
            .filter_map(|i| match i {
                Item::Entry(e) => Some((e.name, e.value)),
                Item::Include(_) => None,
            })
            .collect()
    }

    #[test]
    fn both_forms_quotes_and_comments() {
        let text = "# comment\nshared_buffers = 128MB   # trailing\nwork_mem 4MB\nsearch_path = '\"$user\", public'\nlog_line_prefix = 'it''s %m \\' '\n\n  port=5433\n";
        assert_eq!(
            entries(text),
            [
                ("shared_buffers".into(), "128MB".into()),
                ("work_mem".into(), "4MB".into()),
                ("search_path".into(), "\"$user\", public".into()),
                ("log_line_prefix".into(), "it's %m ' ".into()),
                ("port".into(), "5433".into())
            ]
        );
        assert!(parse(text).errors.is_empty());
    }

    #[test]
    fn spans_point_at_the_text() {
        let text = "a = 1\nssl_ecdh_curve = 'prime256v1'\n";
        let Item::Entry(e) = &parse(text).items[1] else { panic!() };
        assert_eq!(&text[e.name_span.clone()], "ssl_ecdh_curve");
        assert_eq!(&text[e.value_span.clone()], "'prime256v1'");
    }

    #[test]
    fn includes_and_errors() {
        let f = parse("include 'a.conf'\ninclude_dir = conf.d\ninclude_if_exists 'x'\nfoo = 1 2\n= 3\nbar = 'open\n");
        let kinds: Vec<_> =
            f.items.iter().filter_map(|i| if let Item::Include(i) = i { Some((i.kind, i.path.clone())) } else { None }).collect();
        assert_eq!(
            kinds,
            [
                (IncludeKind::Include, "a.conf".into()),
                (IncludeKind::IncludeDir, "conf.d".into()),
                (IncludeKind::IncludeIfExists, "x".into())
            ]
        );
        assert_eq!(f.errors.len(), 3, "{:?}", f.errors);
    }
}
