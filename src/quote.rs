//! Text from outside — a server's names, definitions and settings, a file's path — is hostile
//! input: a database may be named `x\nDROP TABLE victim; --`. Each output context has its own
//! function here, and nothing from outside reaches an output except through one of them:
//!
//! - SQL for a person or a server to run: [`ident`], [`qualified`], [`literal`] (the name never
//!   changes what is parsed, and never splits a line: psql and a reviewer see one statement);
//! - a `--` comment or a terminal line: [`one_line`] (line breaks, control and bidirectional
//!   characters written as visible escapes);
//! - a segment of a document path (`postgresql://host/db/table/<segment>`): [`path_segment`].

use std::borrow::Cow;
use std::fmt::Write as _;

/// Characters a reader must see as escapes: control characters (C0, DEL, C1: a line break, an
/// escape sequence), line and paragraph separators, and the invisible format characters that
/// reorder or hide text (bidirectional overrides and isolates, zero-width characters, the
/// byte-order mark) — the "Trojan Source" set.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// A name as a quoted SQL identifier, for any server setting: `"name"` with `"` doubled, or,
/// when the name holds a character from [`is_hidden`], PostgreSQL's Unicode form
/// `U&"a\000Ab"`, so the statement stays on one line and shows every character.
pub fn ident(name: &str) -> String {
    if !name.chars().any(is_hidden) {
        return format!("\"{}\"", name.replace('"', "\"\""));
    }
    let mut out = String::from("U&\"");
    for c in name.chars() {
        match c {
            '"' => out.push_str("\"\""),
            '\\' => out.push_str("\\\\"),
            c if is_hidden(c) => {
                let _ = write!(out, "\\+{:06X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A name as SQL writes it in a message: bare when it folds to itself (`orders`), quoted
/// otherwise (`"User"`, `"order items"`), as `quote_ident` does (keywords aside).
pub fn name(name: &str) -> Cow<'_, str> {
    let mut chars = name.chars();
    let plain = chars.next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$');
    if plain { Cow::Borrowed(name) } else { Cow::Owned(ident(name)) }
}

/// A model key `schema.table` (or a bare `table`) as SQL writes it: `public."User"`.
pub fn dotted(key: &str) -> String {
    match key.split_once('.') {
        Some((schema, rest)) => format!("{}.{}", name(schema), name(rest)),
        None => name(key).into_owned(),
    }
}

/// `"schema"."name"`.
pub fn qualified(schema: &str, name: &str) -> String {
    format!("{}.{}", ident(schema), ident(name))
}

/// A text as a SQL string literal whose meaning does not depend on
/// `standard_conforming_strings`: `'text'` with `'` doubled when it holds no backslash and no
/// character from [`is_hidden`]; otherwise an escape string, `E'a\nb'`, with backslashes
/// doubled and those characters escaped.
pub fn literal(text: &str) -> String {
    if !text.chars().any(|c| c == '\\' || is_hidden(c)) {
        return format!("'{}'", text.replace('\'', "''"));
    }
    let mut out = String::from("E'");
    for c in text.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x80 && is_hidden(c) => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            c if is_hidden(c) => {
                let _ = write!(out, "\\U{:08X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A text for one line of a terminal or of a `--` comment: every character from [`is_hidden`]
/// is written as a visible escape (`\n`, `\r`, `\t`, `\u{202e}`), so the text can neither end
/// the line nor change how the rest of it is shown. A backslash stays as it is.
pub fn one_line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_hidden(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A name as one segment of a document path: `%` (the escape), `/` (the separator), `:` (what
/// ends a path in `path:line:col:`) and every character from [`is_hidden`] are percent-encoded
/// (UTF-8 bytes); everything else stays readable.
pub fn path_segment(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if matches!(c, '%' | '/' | ':') || is_hidden(c) {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A psql `\connect` line to the database `name` on the same server: the name goes into a
/// connection string (`dbname='...'`) so that a name holding `=` or starting `postgresql://`
/// cannot name another server, and that string into a psql single-quoted argument, where
/// backslash escapes spell every character a line could not hold (`\n`, octal bytes), so
/// the line stays one line and psql substitutes no variable and runs no backtick command.
pub fn psql_connect(name: &str) -> String {
    let conninfo = format!("dbname='{}'", name.replace('\\', "\\\\").replace('\'', "\\'"));
    let mut arg = String::new();
    for c in conninfo.chars() {
        match c {
            '\\' => arg.push_str("\\\\"),
            '\'' => arg.push_str("\\'"),
            c if is_hidden(c) => {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(arg, "\\{b:03o}");
                }
            }
            c => arg.push(c),
        }
    }
    format!("\\connect -reuse-previous=on '{arg}'")
}

/// A word of a POSIX shell command line: as it is when it holds only characters no shell
/// reads specially, else single-quoted (`'` written `'\''`). Hidden characters stay as they
/// are: a command line shown in a comment goes through [`one_line`] as well.
pub fn shell(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "._-/:=@%+,".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        return word.to_string();
    }
    format!("'{}'", word.replace('\'', "'\\''"))
}

/// Text for a Markdown (CommonMark/GFM) paragraph, list item or table cell, on one line
/// ([`one_line`]): the characters that start emphasis, code, links, images, raw HTML, entities,
/// strikethrough or a table's next cell are backslash-escaped, and so are the `:` of `http:` and
/// the `.` of `www.`, which GFM would turn into links. A name is never markup.
pub fn markdown(text: &str) -> String {
    let line = one_line(text);
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        let ends = |p: &str| out.len() >= p.len() && out.as_bytes()[out.len() - p.len()..].eq_ignore_ascii_case(p.as_bytes());
        let autolink = (c == ':' && (ends("http") || ends("https"))) || (c == '.' && ends("www"));
        if autolink || matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '~' | '&' | '$') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text for HTML element content or a quoted attribute value, on one line ([`one_line`]).
pub fn html(text: &str) -> String {
    let line = one_line(text);
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_messages_are_written_as_sql_writes_them() {
        assert_eq!(dotted("public.User"), "public.\"User\"");
        assert_eq!(dotted("public.orders"), "public.orders");
        assert_eq!(name("order items"), "\"order items\"");
        assert_eq!(dotted("accounts"), "accounts");
    }

    #[test]
    fn plain_names_stay_readable() {
        assert_eq!(ident("orders"), "\"orders\"");
        assert_eq!(ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(qualified("app", "Order Items"), "\"app\".\"Order Items\"");
        assert_eq!(literal("it's"), "'it''s'");
        assert_eq!(one_line("public.orders"), "public.orders");
        assert_eq!(path_segment("public.orders(integer, text)"), "public.orders(integer, text)");
    }

    #[test]
    fn hostile_names_are_escaped() {
        assert_eq!(ident("ev\nil\u{202e}"), "U&\"ev\\+00000Ail\\+00202E\"");
        assert_eq!(ident("a\\b\n"), "U&\"a\\\\b\\+00000A\"");
        assert_eq!(literal("gid\nDROP TABLE victim; --"), "E'gid\\nDROP TABLE victim; --'");
        assert_eq!(literal("a\\'b"), "E'a\\\\''b'");
        assert_eq!(literal("\u{1b}[31m\u{202e}"), "E'\\x1B[31m\\U0000202E'");
        assert_eq!(one_line("ev\nDROP\r\u{202e}\\"), "ev\\nDROP\\r\\u{202e}\\");
        assert_eq!(path_segment("a/b%c:1:1\n"), "a%2Fb%25c%3A1%3A1%0A");
        assert_eq!(path_segment("x\u{202e}"), "x%E2%80%AE");
    }
}
