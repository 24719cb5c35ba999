//! The psql-script front end: splits a file into SQL statements the way psql would send them
//! to the server, and masks everything that is not SQL (meta-commands, `COPY ... FROM STDIN`
//! data, C-preprocessor lines) with spaces.
//!
//! The masked text has exactly the same byte length as the original and keeps every newline, so
//! a byte offset found in the masked text (for instance a pg_query `location`) is also an offset
//! in the user's file. psql variables (`:name`, `:'name'`, `:"name"`) and extension-script
//! placeholders (`@extschema@`), and template placeholders (`{{ .Schema }}`, `${schema}`) are
//! rewritten, in place and at the same length, into something the grammar accepts: a value that
//! `\set` gave and that fits, or else a placeholder name (which parses where a name or a value
//! goes). Each rewrite is noted as a [`Substitution`] so that no finding is reported about text
//! that is not what the server will see.

use std::ops::Range;

mod meta;
mod placeholders;

/// One SQL statement as psql would send it.
#[derive(Debug, Clone)]
pub struct StatementSpan {
    /// Bytes of the statement, without the terminating `;`, starting at its first token.
    pub range: Range<usize>,
    /// psql variables and placeholders rewritten inside the statement.
    pub substitutions: Vec<Substitution>,
    /// The data lines of a `COPY ... FROM STDIN` (masked in the masked text), without the `\.`
    /// line that ends them.
    pub copy_data: Option<Range<usize>>,
    /// The meta-command that sent it, when it does more than send (`\gset`, `\gexec`).
    pub sent_with: Option<Sending>,
}

/// What psql does with a statement's result when a meta-command sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sending {
    /// `\gset [prefix]`: the one row's columns become variables (prefix + column name).
    Gset(String),
    /// `\gexec`: every value of the result is run as a statement.
    Gexec,
}

/// What stood in the file where the masked text has a rewrite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholder {
    /// A psql variable whose value `\set` gave: the value itself is in the masked text.
    KnownVariable,
    /// A psql variable with no known value: a placeholder name stands for it.
    PsqlVariable,
    /// A template placeholder (`{{ }}`, `{% %}`, `${name}`, `$%NAME%$`, `@extschema@`).
    Template,
}

/// One rewrite of the masked text: its bytes and what stood there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Substitution {
    pub range: Range<usize>,
    pub placeholder: Placeholder,
}

impl Substitution {
    /// The masked text holds a stand-in, not the value the server will see.
    pub fn is_unknown(&self) -> bool {
        self.placeholder != Placeholder::KnownVariable
    }
}

/// A SQL comment (`-- ...` or `/* ... */`), kept for inline suppressions.
#[derive(Debug, Clone)]
pub struct Comment {
    pub range: Range<usize>,
}

#[derive(Debug, Default)]
pub struct Script {
    /// Same length as the input; non-SQL parts replaced by spaces.
    pub masked: String,
    pub statements: Vec<StatementSpan>,
    pub comments: Vec<Comment>,
    /// A lexical error that made the rest of the file unsplittable (unterminated quote or
    /// comment): its position. The statements before it are still returned.
    pub unterminated: Option<(usize, &'static str)>,
    /// The meta-commands that change what psql runs next (includes, variables, conditionals),
    /// in file order.
    pub meta: Vec<MetaCommand>,
    /// Branches of psql conditionals after the first, which hold SQL that is not split (the
    /// check reads the first branch).
    pub skipped_branches: Vec<Range<usize>>,
}

impl Script {
    /// psql's `\i` / `\ir` (`\include`, `\include_relative`): the scripts it runs there.
    pub fn includes(&self) -> impl Iterator<Item = &Include> {
        self.meta.iter().filter_map(|m| match &m.command {
            Command::Include(i) => Some(i),
            _ => None,
        })
    }
}

/// A psql meta-command and where it stands (up to the end of its line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaCommand {
    pub range: Range<usize>,
    pub command: Command,
}

/// The meta-commands that decide what psql sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Include(Include),
    /// `\set name value`: the value, or `None` when psql computes it (a backquoted command).
    Set {
        name: String,
        value: Option<String>,
    },
    Unset {
        name: String,
    },
    /// `\if expr` and `\elif expr`, with the expression as written.
    If(String),
    Elif(String),
    Else,
    Endif,
}

/// A psql include: where the meta-command stands, and the file it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// The meta-command's bytes (up to the end of its line).
    pub range: Range<usize>,
    pub path: String,
    /// `\ir`: relative to the including script's folder (`\i`: to psql's working directory).
    pub relative: bool,
}

/// psql meta-commands that send the query buffer: the statement ends where they begin.
const SENDING_META_COMMANDS: &[&str] =
    &["g", "gx", "gset", "gexec", "gdesc", "crosstabview", "watch", "bind", "bind_named", "sendpipeline"];

const CPP_DIRECTIVES: &[&str] = &["include", "define", "undef", "if", "ifdef", "ifndef", "else", "elif", "endif", "pragma", "error"];

/// Byte classes as tables: the splitter looks at every byte of every file.
const fn byte_table(ident_char: bool) -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let start = c.is_ascii_alphabetic() || c == b'_' || c >= 0x80;
        t[b] = start || (ident_char && (c.is_ascii_digit() || c == b'$'));
        b += 1;
    }
    t
}
static IDENT_START: [bool; 256] = byte_table(false);
static IDENT_CHAR: [bool; 256] = byte_table(true);

/// Whether a comment is a migration tool's directive that ends the statement before it (goose
/// runs what precedes `-- +goose StatementEnd` or `-- +goose Down` as one statement, with or
/// without a `;`; dbmate's `-- migrate:up` / `-- migrate:down` likewise).
pub fn is_section_directive(comment: &str) -> bool {
    comment.starts_with("-- +goose ") || comment.starts_with("-- migrate:")
}

fn is_ident_start(b: u8) -> bool {
    IDENT_START[b as usize]
}

fn is_ident_char(b: u8) -> bool {
    IDENT_CHAR[b as usize]
}

struct Splitter<'a> {
    src: &'a [u8],
    out: Vec<u8>,
    pos: usize,
    statements: Vec<StatementSpan>,
    comments: Vec<Comment>,
    /// Start of the statement being collected, once its first token is seen.
    current_start: Option<usize>,
    current_substitutions: Vec<Substitution>,
    /// psql variables set by `\set name value` so far (name, value as psql would substitute it).
    variables: Vec<(Vec<u8>, Vec<u8>)>,
    /// The project's own placeholder delimiters (opening, closing).
    templates: Vec<(Vec<u8>, Vec<u8>)>,
    /// The first bytes of their openings.
    template_starts: [bool; 256],
    /// Bytes that mean nothing to the splitter once a statement's first words are noted:
    /// whitespace and punctuation that start no comment, quote, placeholder or variable.
    inert: [bool; 256],
    paren_depth: i32,
    /// Depth of `BEGIN ... END` in a SQL-standard function body (`BEGIN ATOMIC`).
    begin_depth: i32,
    /// The first words of the current statement (byte ranges of the input), to recognise
    /// `CREATE FUNCTION`/`COPY` without a parser.
    words: Vec<Range<usize>>,
    /// One of `words` is FUNCTION or PROCEDURE (kept as words are noted: it is asked at
    /// every word of a statement).
    names_routine: bool,
    unterminated: Option<(usize, &'static str)>,
    meta: Vec<MetaCommand>,
    skipped_branches: Vec<Range<usize>>,
    /// Split every branch of a psql conditional (the replay decides which runs), instead of the
    /// first only.
    all_branches: bool,
}

impl<'a> Splitter<'a> {
    fn mask(&mut self, range: Range<usize>) {
        for i in range {
            if self.out[i] != b'\n' && self.out[i] != b'\r' {
                self.out[i] = b' ';
            }
        }
    }

    fn at_line_start(&self, pos: usize) -> bool {
        let mut i = pos;
        while i > 0 {
            match self.src[i - 1] {
                b' ' | b'\t' => i -= 1,
                b'\n' => return true,
                _ => return false,
            }
        }
        true
    }

    fn line_end(&self, pos: usize) -> usize {
        memchr::memchr(b'\n', &self.src[pos..]).map_or(self.src.len(), |p| pos + p)
    }

    fn begin_token(&mut self, pos: usize) {
        if self.current_start.is_none() {
            self.current_start = Some(pos);
        }
    }

    fn finish_statement(&mut self, end: usize) {
        if let Some(start) = self.current_start.take() {
            let mut e = end;
            while e > start && self.src[e - 1].is_ascii_whitespace() {
                e -= 1;
            }
            if e > start {
                let substitutions = std::mem::take(&mut self.current_substitutions);
                self.statements.push(StatementSpan { range: start..e, substitutions, copy_data: None, sent_with: None });
            }
        }
        self.current_substitutions.clear();
        self.paren_depth = 0;
        self.begin_depth = 0;
        self.words.clear();
        self.names_routine = false;
    }

    fn is_copy_from_stdin(&self, range: Range<usize>) -> bool {
        if !self.word_is(0, "COPY") {
            return false;
        }
        let text = String::from_utf8_lossy(&self.out[range]).to_ascii_uppercase();
        let mut tokens = text.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').filter(|t| !t.is_empty());
        let mut prev = "";
        for t in tokens.by_ref() {
            if prev == "FROM" && t == "STDIN" {
                return true;
            }
            prev = t;
        }
        false
    }

    /// Mask a `COPY ... FROM STDIN` data block that starts on the line after `from`:
    /// everything up to and including a line that is exactly `\.` (or the end of the file).
    /// The data's lines, without that line.
    fn skip_copy_data(&mut self, from: usize) -> Option<Range<usize>> {
        let start = match self.src[from..].iter().position(|&b| b == b'\n') {
            Some(p) => from + p + 1,
            None => return None,
        };
        let mut line = start;
        while line < self.src.len() {
            let end = self.line_end(line);
            let content = &self.src[line..end];
            let content = content.strip_suffix(b"\r").unwrap_or(content);
            if content == b"\\." {
                self.mask(start..end);
                self.pos = end;
                return Some(start..line);
            }
            line = end + 1;
        }
        self.mask(start..self.src.len());
        self.pos = self.src.len();
        Some(start..self.src.len())
    }

    /// Whether the statement's `i`-th word is `word` (ASCII case-insensitive).
    fn word_is(&self, i: usize, word: &str) -> bool {
        self.words.get(i).is_some_and(|r| self.src[r.clone()].eq_ignore_ascii_case(word.as_bytes()))
    }

    /// Note the word at `range` (no allocation: this runs for every statement's first words).
    fn note_word(&mut self, range: Range<usize>) {
        let word = &self.src[range.clone()];
        if self.words.len() < 6 {
            self.words.push(range);
            // The statement's first words name a routine (`CREATE [OR REPLACE] FUNCTION`...).
            self.names_routine |= word.eq_ignore_ascii_case(b"FUNCTION") || word.eq_ignore_ascii_case(b"PROCEDURE");
        }
        if word.eq_ignore_ascii_case(b"BEGIN") {
            if self.word_is(0, "CREATE") && self.names_routine {
                self.begin_depth += 1;
            }
        } else if word.eq_ignore_ascii_case(b"CASE") {
            if self.begin_depth > 0 {
                self.begin_depth += 1;
            }
        } else if word.eq_ignore_ascii_case(b"END") && self.begin_depth > 0 {
            self.begin_depth -= 1;
        }
    }

    fn run(&mut self) {
        let len = self.src.len();
        while self.pos < len {
            if self.current_start.is_some() {
                let words_noted = self.words.len() >= 6 && self.begin_depth == 0 && !self.names_routine;
                self.pos = self.skip_inert(self.pos, words_noted);
                if self.pos >= len {
                    break;
                }
            }
            let b = self.src[self.pos];
            // The project's own placeholders are looked for only where some starts (one test of a
            // table per byte, not a search).
            if self.template_starts[b as usize] && self.project_placeholder() {
                continue;
            }
            match b {
                b'-' if self.src.get(self.pos + 1) == Some(&b'-') => {
                    let end = self.line_end(self.pos);
                    // A migration tool's directive at the start of a line ends the statement
                    // before it, as the tool sends it (goose: `-- +goose StatementEnd`).
                    let line_start =
                        self.pos == 0 || self.src[..self.pos].iter().rev().take_while(|b| **b != b'\n').all(|b| b.is_ascii_whitespace());
                    if line_start && is_section_directive(&String::from_utf8_lossy(&self.src[self.pos..end])) {
                        self.finish_statement(self.pos);
                    }
                    self.comments.push(Comment { range: self.pos..end });
                    self.pos = end;
                }
                b'/' if self.src.get(self.pos + 1) == Some(&b'*') => {
                    let start = self.pos;
                    let mut depth = 0;
                    let mut i = self.pos;
                    loop {
                        if i + 1 >= len {
                            self.unterminated = Some((start, "unterminated /* comment"));
                            self.pos = len;
                            return;
                        }
                        if self.src[i] == b'/' && self.src[i + 1] == b'*' {
                            depth += 1;
                            i += 2;
                        } else if self.src[i] == b'*' && self.src[i + 1] == b'/' {
                            depth -= 1;
                            i += 2;
                            if depth == 0 {
                                break;
                            }
                        } else {
                            i += 1;
                        }
                    }
                    self.comments.push(Comment { range: start..i });
                    self.pos = i;
                }
                b'\'' => {
                    self.begin_token(self.pos);
                    let escapes = self.pos > 0
                        && matches!(self.src[self.pos - 1], b'e' | b'E')
                        && (self.pos < 2 || !is_ident_char(self.src[self.pos - 2]));
                    if !self.skip_quoted(b'\'', escapes) {
                        return;
                    }
                }
                b'"' => {
                    self.begin_token(self.pos);
                    if !self.skip_quoted(b'"', false) {
                        return;
                    }
                }
                b'$' if self.src.get(self.pos + 1) == Some(&b'%') => self.percent_placeholder(),
                b'$' if self.src.get(self.pos + 1) == Some(&b'{') => self.brace_placeholder(),
                b'{' => self.brace_placeholder(),
                b'$' => {
                    self.begin_token(self.pos);
                    let prev_ident = self.pos > 0 && is_ident_char(self.src[self.pos - 1]);
                    match (!prev_ident).then(|| self.dollar_tag(self.pos)).flatten() {
                        Some(tag_end) => {
                            let tag = self.src[self.pos..tag_end].to_vec();
                            let body = tag_end;
                            match memchr::memmem::find(&self.src[body..], &tag) {
                                Some(p) => self.pos = body + p + tag.len(),
                                None => {
                                    self.unterminated = Some((self.pos, "unterminated dollar-quoted string"));
                                    self.pos = len;
                                    return;
                                }
                            }
                        }
                        None => self.pos += 1,
                    }
                }
                b'\\' => self.meta_command(),
                b'#' if self.at_line_start(self.pos) && self.is_cpp_directive(self.pos) => {
                    let end = self.line_end(self.pos);
                    self.mask(self.pos..end);
                    self.pos = end;
                }
                b':' => self.psql_variable(),
                b'@' => self.extension_placeholder(),
                b'(' => {
                    self.begin_token(self.pos);
                    self.paren_depth += 1;
                    self.pos += 1;
                }
                b')' => {
                    self.begin_token(self.pos);
                    self.paren_depth = (self.paren_depth - 1).max(0);
                    self.pos += 1;
                }
                b';' => {
                    if self.paren_depth > 0 || self.begin_depth > 0 {
                        self.pos += 1;
                        continue;
                    }
                    let start = self.current_start;
                    let end = self.pos;
                    let copy_stdin = start.is_some_and(|s| self.is_copy_from_stdin(s..end));
                    self.finish_statement(end);
                    self.pos += 1;
                    if copy_stdin {
                        let data = self.skip_copy_data(self.pos);
                        if let Some(st) = self.statements.last_mut() {
                            st.copy_data = data;
                        }
                    }
                }
                _ if is_ident_start(b) => {
                    self.begin_token(self.pos);
                    let start = self.pos;
                    self.pos += self.src[start..].iter().position(|&c| !is_ident_char(c)).unwrap_or(len - start);
                    if self.words.len() < 6 || self.begin_depth > 0 || self.names_routine {
                        self.note_word(start..self.pos);
                    }
                }
                _ if b.is_ascii_whitespace() => self.pos += 1,
                _ => {
                    self.begin_token(self.pos);
                    self.pos += 1;
                }
            }
        }
        self.finish_statement(len);
    }

    /// The first byte at or after `i` that the main loop must look at, inside a statement: there
    /// an inert byte changes nothing, and nor does an identifier once the statement's first
    /// words are noted (`words_noted`). Most bytes are of these, so they are passed over in a
    /// tight loop.
    fn skip_inert(&self, mut i: usize, words_noted: bool) -> usize {
        let src = self.src;
        while let Some(&b) = src.get(i) {
            if self.inert[b as usize] {
                i += 1;
            } else if words_noted && IDENT_START[b as usize] && !self.template_starts[b as usize] {
                // A whole identifier, as the main loop reads one.
                i += 1;
                while src.get(i).is_some_and(|&c| IDENT_CHAR[c as usize]) {
                    i += 1;
                }
            } else {
                break;
            }
        }
        i
    }

    /// Skip a quoted string or identifier starting at `self.pos`; false when it never ends.
    fn skip_quoted(&mut self, quote: u8, backslash_escapes: bool) -> bool {
        let start = self.pos;
        let mut i = self.pos + 1;
        while i < self.src.len() {
            // Jump to the next byte that matters (memchr), not byte by byte.
            let next =
                if backslash_escapes { memchr::memchr2(quote, b'\\', &self.src[i..]) } else { memchr::memchr(quote, &self.src[i..]) };
            let Some(skip) = next else { break };
            i += skip;
            let c = self.src[i];
            if backslash_escapes && c == b'\\' {
                i += 2;
                continue;
            }
            if c == quote {
                if self.src.get(i + 1) == Some(&quote) {
                    i += 2;
                    continue;
                }
                self.pos = i + 1;
                return true;
            }
        }
        self.unterminated = Some((start, if quote == b'"' { "unterminated quoted identifier" } else { "unterminated quoted string" }));
        self.pos = self.src.len();
        false
    }

    /// `$tag$` starting at `pos`: returns the end of the opening tag.
    fn dollar_tag(&self, pos: usize) -> Option<usize> {
        let mut i = pos + 1;
        if i < self.src.len() && self.src[i] == b'$' {
            return Some(i + 1);
        }
        if i >= self.src.len() || !is_ident_start(self.src[i]) {
            return None;
        }
        while i < self.src.len() && (is_ident_char(self.src[i])) && self.src[i] != b'$' {
            i += 1;
        }
        (i < self.src.len() && self.src[i] == b'$').then_some(i + 1)
    }

    fn is_cpp_directive(&self, pos: usize) -> bool {
        let rest = &self.src[pos + 1..self.line_end(pos)];
        let word: Vec<u8> = rest.iter().skip_while(|b| **b == b' ').take_while(|b| b.is_ascii_alphabetic()).copied().collect();
        CPP_DIRECTIVES.iter().any(|d| d.as_bytes() == word.as_slice())
    }
}

/// Split a psql script into statements and comments.
pub fn split(text: &str) -> Script {
    split_with(text, &ScriptSettings::default())
}

/// What a project tells the splitter about how its scripts are run (pgready.toml).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScriptSettings {
    /// psql variables set before every script (`psql -v name=value`).
    pub variables: Vec<(String, String)>,
    /// The project's own template placeholders: (opening, closing) delimiters, e.g. `<%=`, `%>`.
    pub templates: Vec<(String, String)>,
}

/// Split a psql script that psql runs as `settings` say (variables, the project's placeholders).
pub fn split_with(text: &str, settings: &ScriptSettings) -> Script {
    split_branches(text, settings, false)
}

/// As [`split_with`], with every branch of psql's conditionals split (for the replay, which
/// evaluates `\if` as psql would), not only the first.
pub fn split_all_branches(text: &str, settings: &ScriptSettings) -> Script {
    split_branches(text, settings, true)
}

fn split_branches(text: &str, settings: &ScriptSettings, all_branches: bool) -> Script {
    let mut s = Splitter {
        src: text.as_bytes(),
        out: text.as_bytes().to_vec(),
        pos: 0,
        statements: Vec::new(),
        comments: Vec::new(),
        current_start: None,
        current_substitutions: Vec::new(),
        variables: settings.variables.iter().map(|(n, v)| (n.as_bytes().to_vec(), v.as_bytes().to_vec())).collect(),
        templates: settings
            .templates
            .iter()
            .filter(|(open, close)| !open.is_empty() && !close.is_empty())
            .map(|(o, c)| (o.as_bytes().to_vec(), c.as_bytes().to_vec()))
            .collect(),
        template_starts: [false; 256],
        inert: [false; 256],
        paren_depth: 0,
        begin_depth: 0,
        words: Vec::new(),
        names_routine: false,
        unterminated: None,
        meta: Vec::new(),
        skipped_branches: Vec::new(),
        all_branches,
    };
    settings.templates.iter().filter_map(|(o, _)| o.bytes().next()).for_each(|b| s.template_starts[b as usize] = true);
    for b in 0..=255u8 {
        s.inert[b as usize] = !IDENT_START[b as usize] && !s.template_starts[b as usize] && !b"-/'\"$\\{#:@();".contains(&b);
    }
    // A UTF-8 byte-order mark is not SQL; blank it so the first statement still parses.
    if text.starts_with('\u{feff}') {
        s.out[..3].copy_from_slice(b"   ");
        s.pos = 3;
    }
    s.run();
    if s.unterminated.is_some() {
        // The statement cut short by an unterminated quote is reported by the caller, not parsed.
        s.current_start = None;
    }
    // Masking only ever replaces whole characters (ASCII bytes or every byte of a multi-byte
    // character) by ASCII, so the result is still UTF-8.
    let masked = String::from_utf8(s.out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Script {
        masked,
        statements: s.statements,
        comments: s.comments,
        unterminated: s.unterminated,
        meta: s.meta,
        skipped_branches: s.skipped_branches,
    }
}

#[cfg(test)]
mod tests;
