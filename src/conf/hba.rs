//! pg_hba.conf as PostgreSQL reads it (hba.c): one record per line, `\` continues a line,
//! `#` starts a comment, fields may be double-quoted and comma-separated lists, `@file` includes
//! a list, `/regex` users and databases, auth options `name=value`, and (16+) the `include`,
//! `include_if_exists` and `include_dir` directives.

use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Unquoted text.
    pub text: String,
    pub quoted: bool,
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Record {
    pub kind: Token,
    pub databases: Vec<Token>,
    pub users: Vec<Token>,
    pub address: Option<Token>,
    pub mask: Option<Token>,
    pub method: Token,
    /// `name=value` options after the method.
    pub options: Vec<(String, String, Range<usize>)>,
    pub span: Range<usize>,
}

impl Record {
    pub fn option(&self, name: &str) -> Option<&(String, String, Range<usize>)> {
        self.options.iter().find(|(n, ..)| n == name)
    }
}

pub type Item = super::Line<Record>;

#[derive(Debug, Default)]
pub struct HbaFile {
    pub items: Vec<Item>,
    pub errors: Vec<(Range<usize>, String)>,
}

pub const RECORD_TYPES: &[&str] = &["local", "host", "hostssl", "hostnossl", "hostgssenc", "hostnogssenc"];
pub const METHODS: &[&str] = &[
    "trust",
    "reject",
    "scram-sha-256",
    "md5",
    "password",
    "gss",
    "sspi",
    "ident",
    "peer",
    "ldap",
    "radius",
    "cert",
    "pam",
    "bsd",
    "oauth",
];

/// The fields of one logical line (continuations joined), each a list of tokens.
pub(crate) fn fields(text: &str, start: usize, end: usize) -> Vec<Vec<Token>> {
    let b = text.as_bytes();
    let mut out: Vec<Vec<Token>> = Vec::new();
    let mut i = start;
    while i < end {
        let c = b[i];
        if c == b'#' {
            // A comment runs to the end of its physical line.
            while i < end && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if c == b'\\' && (b.get(i + 1) == Some(&b'\n') || (b.get(i + 1) == Some(&b'\r') && b.get(i + 2) == Some(&b'\n'))) {
            i += if b[i + 1] == b'\r' { 3 } else { 2 };
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        // One field: tokens separated by commas, no blanks between them.
        let mut field = Vec::new();
        loop {
            let tok_start = i;
            let mut textbuf = String::new();
            let mut quoted = false;
            while i < end && !b[i].is_ascii_whitespace() && b[i] != b',' && b[i] != b'#' {
                if b[i] == b'"' {
                    quoted = true;
                    i += 1;
                    while i < end && b[i] != b'"' && b[i] != b'\n' {
                        textbuf.push(b[i] as char);
                        i += 1;
                    }
                    i += 1;
                } else {
                    let ch_len = text[i..].chars().next().map_or(1, char::len_utf8);
                    textbuf.push_str(&text[i..i + ch_len]);
                    i += ch_len;
                }
            }
            field.push(Token { text: textbuf, quoted, span: tok_start..i.min(end) });
            if i < end && b[i] == b',' {
                i += 1;
                continue;
            }
            break;
        }
        out.push(field);
    }
    out
}

fn is_ip(s: &str) -> bool {
    s.parse::<std::net::IpAddr>().is_ok()
}

pub fn parse(text: &str) -> HbaFile {
    let mut file = HbaFile::default();
    for (line_fields, span) in logical_lines(text) {
        let first = &line_fields[0][0];
        let lower = first.text.to_ascii_lowercase();
        if let Some(kind) = include_directive(first) {
            match line_fields.get(1).and_then(|f| f.first()) {
                Some(path) => file.items.push(Item::Include { kind, path: path.text.clone(), span: span.clone() }),
                None => file.errors.push((span.clone(), format!("{lower} needs a file name"))),
            }
            continue;
        }
        if !RECORD_TYPES.contains(&lower.as_str()) {
            file.errors.push((first.span.clone(), format!("invalid connection type \"{}\"", first.text)));
            continue;
        }
        let local = lower == "local";
        let need = if local { 4 } else { 5 };
        if line_fields.len() < need {
            file.errors.push((span.clone(), "end-of-line before authentication method".into()));
            continue;
        }
        let mut idx = 3;
        let (mut address, mut mask) = (None, None);
        if !local {
            let a = line_fields[3][0].clone();
            idx = 4;
            if is_ip(&a.text) {
                // An IP address without /prefix takes its netmask from the next field.
                if let Some(m) = line_fields.get(4).and_then(|f| f.first()).filter(|m| is_ip(&m.text)) {
                    mask = Some(m.clone());
                    idx = 5;
                }
            }
            address = Some(a);
        }
        let Some(method) = line_fields.get(idx).and_then(|f| f.first()).cloned() else {
            file.errors.push((span.clone(), "end-of-line before authentication method".into()));
            continue;
        };
        let mut options = Vec::new();
        for f in &line_fields[idx + 1..] {
            for t in f {
                match t.text.split_once('=') {
                    Some((n, v)) => options.push((n.to_string(), v.to_string(), t.span.clone())),
                    None => file.errors.push((t.span.clone(), format!("authentication option not in name=value format: {}", t.text))),
                }
            }
        }
        if !METHODS.contains(&method.text.as_str()) {
            file.errors.push((method.span.clone(), format!("invalid authentication method \"{}\"", method.text)));
        }
        file.items.push(Item::Entry(Record {
            kind: first.clone(),
            databases: line_fields[1].clone(),
            users: line_fields[2].clone(),
            address,
            mask,
            method,
            options,
            span,
        }));
    }
    file
}

/// The logical lines of a pg_hba.conf-style file (a `\` before the newline continues a line), as
/// their fields and their span from the first to the last token; blank lines skipped.
pub(crate) fn logical_lines(text: &str) -> Vec<(Vec<Vec<Token>>, Range<usize>)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    while start < b.len() {
        let mut end = start;
        while end < b.len() {
            if b[end] == b'\n' {
                let before = if end > 0 && b[end - 1] == b'\r' { end - 1 } else { end };
                if before > start && b[before - 1] == b'\\' {
                    end += 1;
                    continue;
                }
                break;
            }
            end += 1;
        }
        let line = fields(text, start, end);
        if !line.is_empty() {
            let span = line[0][0].span.start..line.last().and_then(|f| f.last()).map_or(end, |t| t.span.end);
            out.push((line, span));
        }
        start = end + 1;
    }
    out
}

/// `include`, `include_if_exists` or `include_dir` as a line's first (unquoted) word.
pub(crate) fn include_directive(first: &Token) -> Option<super::postgresql::IncludeKind> {
    use super::postgresql::IncludeKind;
    if first.quoted {
        return None;
    }
    match first.text.to_ascii_lowercase().as_str() {
        "include" => Some(IncludeKind::Include),
        "include_if_exists" => Some(IncludeKind::IncludeIfExists),
        "include_dir" => Some(IncludeKind::IncludeDir),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Vec<Record> {
        parse(text).items.into_iter().filter_map(|i| if let Item::Entry(r) = i { Some(r) } else { None }).collect()
    }

    #[test]
    fn record_shapes() {
        let text = "# TYPE DATABASE USER ADDRESS METHOD\nlocal all all peer\nhost \"my db\",other @admins 10.0.0.0/8 md5\n\
                    host all all 192.168.1.0 255.255.255.0 scram-sha-256\nhostssl all /^app_.*$ ::1/128 cert clientcert=verify-full\n\
                    host all all all \\\n  oauth issuer=https://id.example.com scope=openid\n";
        let r = records(text);
        assert_eq!(r.len(), 5);
        assert_eq!(r[1].databases.iter().map(|t| t.text.as_str()).collect::<Vec<_>>(), ["my db", "other"]);
        assert!(r[1].databases[0].quoted && r[1].users[0].text == "@admins");
        assert_eq!(r[2].mask.as_ref().unwrap().text, "255.255.255.0");
        assert_eq!(r[3].users[0].text, "/^app_.*$");
        assert_eq!(r[3].option("clientcert").unwrap().1, "verify-full");
        assert_eq!(r[4].method.text, "oauth");
        assert_eq!(r[4].option("scope").unwrap().1, "openid");
        assert_eq!(&text[r[1].method.span.clone()], "md5");
        assert!(parse(text).errors.is_empty());
    }

    #[test]
    fn errors_and_includes() {
        let f = parse("hots all all all md5\nhost all all\ninclude_dir conf.d\nhost all all all scram-sha-257\n");
        assert_eq!(f.errors.len(), 3, "{:?}", f.errors);
        assert!(matches!(&f.items[0], Item::Include { path, .. } if path == "conf.d"));
    }
}
