//! pg_ident.conf as PostgreSQL reads it (hba.c): `MAPNAME SYSTEM-USERNAME PG-USERNAME` per line,
//! with pg_hba.conf's lexical rules (quotes, `#` comments, `\` continuations) and, from 16, its
//! `include`, `include_if_exists` and `include_dir` directives.

use std::ops::Range;

use super::hba::{Token, include_directive, logical_lines};

#[derive(Debug, Clone)]
pub struct Mapping {
    pub map: Token,
    /// The operating-system (or authenticated) user name; `/regex` allowed.
    pub system: Token,
    pub database_user: Token,
    pub span: Range<usize>,
}

pub type Item = super::Line<Mapping>;

#[derive(Debug, Default)]
pub struct IdentFile {
    pub items: Vec<Item>,
    pub errors: Vec<(Range<usize>, String)>,
}

pub fn parse(text: &str) -> IdentFile {
    let mut file = IdentFile::default();
    for (line, span) in logical_lines(text) {
        let first = &line[0][0];
        if let Some(kind) = include_directive(first) {
            match line.get(1).and_then(|f| f.first()) {
                Some(path) => file.items.push(Item::Include { kind, path: path.text.clone(), span }),
                None => file.errors.push((span, format!("{} needs a file name", first.text))),
            }
            continue;
        }
        if line.len() < 3 {
            file.errors.push((span, "missing entry at end of line".into()));
            continue;
        }
        if let Some(f) = line.iter().take(3).find(|f| f.len() > 1) {
            let s = f[0].span.start..f.last().map_or(f[0].span.end, |t| t.span.end);
            file.errors.push((s, "multiple values in ident field".into()));
            continue;
        }
        if line.len() > 3 {
            let s = line[3][0].span.start..span.end;
            file.errors.push((s, "extra fields after the database user name".into()));
            continue;
        }
        file.items.push(Item::Entry(Mapping {
            map: line[0][0].clone(),
            system: line[1][0].clone(),
            database_user: line[2][0].clone(),
            span,
        }));
    }
    file
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mappings_errors_and_includes() {
        let f = parse(
            "# MAP SYSTEM PG\nomicron bryanh bryanh\nomicron \"ann smith\" ann  # comment\nmymap /^(.*)@example\\.com$ \\1\nbroken alice\ninclude more.conf\nx a,b c\n",
        );
        let maps: Vec<_> = f.items.iter().filter_map(|i| if let Item::Entry(m) = i { Some(m) } else { None }).collect();
        assert_eq!(maps.len(), 3);
        assert_eq!(maps[1].system.text, "ann smith");
        assert_eq!(maps[2].database_user.text, "\\1");
        assert_eq!(f.errors.len(), 2, "{:?}", f.errors);
        assert!(f.items.iter().any(|i| matches!(i, Item::Include { path, .. } if path == "more.conf")));
    }
}
