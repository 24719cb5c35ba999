//! The pg_query wrapper: parses one statement with the PostgreSQL 18 grammar and, when it does
//! not parse, recovers the error position that the safe API drops.

use std::ffi::{CStr, CString, c_char, c_int};
use std::ops::Range;

use pg_query::NodeEnum;

/// A statement tree with its byte range in the file (the range excludes the `;`). The tree is
/// shared: a statement text that repeats may get the tree of an earlier occurrence (`lint`'s memo).
#[derive(Debug)]
pub struct TreeStatement {
    pub range: Range<usize>,
    pub node: std::sync::Arc<NodeEnum>,
}

#[derive(Debug)]
pub struct SyntaxError {
    pub message: String,
    /// Byte offset in the parsed text where the parser stopped.
    pub offset: usize,
}

// Mirrors of libpg_query's C structs: the crate links the static library, but its bindings
// module is private and its safe `parse` keeps only the message, not the cursor position.
#[repr(C)]
struct PgQueryError {
    message: *mut c_char,
    funcname: *mut c_char,
    filename: *mut c_char,
    lineno: c_int,
    cursorpos: c_int,
    context: *mut c_char,
}

#[repr(C)]
struct PgQueryParseResult {
    parse_tree: *mut c_char,
    stderr_buffer: *mut c_char,
    error: *mut PgQueryError,
}

#[repr(C)]
struct PgQueryProtobuf {
    len: usize,
    data: *mut c_char,
}

#[repr(C)]
struct PgQuerySplitResult {
    stmts: *mut std::ffi::c_void,
    n_stmts: c_int,
    stderr_buffer: *mut c_char,
    error: *mut PgQueryError,
}

#[repr(C)]
struct PgQueryProtobufParseResult {
    parse_tree: PgQueryProtobuf,
    stderr_buffer: *mut c_char,
    error: *mut PgQueryError,
}

unsafe extern "C" {
    fn pg_query_parse(input: *const c_char) -> PgQueryParseResult;
    fn pg_query_free_parse_result(result: PgQueryParseResult);
    fn pg_query_parse_protobuf(input: *const c_char) -> PgQueryProtobufParseResult;
    fn pg_query_free_protobuf_parse_result(result: PgQueryProtobufParseResult);
    fn pg_query_split_with_parser(input: *const c_char) -> PgQuerySplitResult;
    fn pg_query_free_split_result(result: PgQuerySplitResult);
}

/// Whether `sql` parses with the default grammar (building no output tree) and, when it does
/// not, where the parser stopped: libpg_query's 1-based character position, 0 when it gives none.
fn syntax_check(sql: &CStr) -> Result<(), usize> {
    // SAFETY: `sql` is NUL-terminated; the error is read before the result is freed.
    unsafe {
        let result = pg_query_split_with_parser(sql.as_ptr());
        let out = if result.error.is_null() { Ok(()) } else { Err((*result.error).cursorpos.max(0) as usize) };
        pg_query_free_split_result(result);
        out
    }
}

/// The statements' trees, read from libpg_query's flat stream (vendor/README.md, change 4):
/// the protobuf message, its encoding and its decoding were a fifth of a cold run. A tree the
/// flat reader gives up on (deeper than its stack budget) is decoded from protobuf instead.
/// When the statement does not parse, the error is libpg_query's message and its 1-based
/// character cursor (0 when it gives none); `Err(None)` when only the protobuf fallback failed.
fn parse_tree(sql: &CString) -> Result<pg_query::protobuf::ParseResult, Option<(String, usize)>> {
    match pg_query::flat::parse_flat(sql) {
        Ok(tree) => Ok(tree),
        Err(pg_query::flat::FlatError::Parse { message, cursorpos }) => {
            let message = if message.is_empty() { "syntax error".to_string() } else { message };
            Err(Some((message, cursorpos.max(0) as usize)))
        }
        Err(pg_query::flat::FlatError::Unreadable) => parse_tree_protobuf(sql).ok_or(None),
    }
}

/// The byte offset in `text` of libpg_query's 1-based character `cursor` (a cursor past the end,
/// as for "syntax error at end of input", is the end).
fn char_offset(text: &str, cursor: usize) -> usize {
    text.char_indices().nth(cursor.saturating_sub(1)).map_or(text.len(), |(i, _)| i)
}

/// The statements' trees, decoded straight from libpg_query's protobuf. `pg_query::parse`
/// would also walk every tree to list its tables and functions, which nothing here reads.
fn parse_tree_protobuf(sql: &CString) -> Option<pg_query::protobuf::ParseResult> {
    use prost::Message;
    // SAFETY: `sql` is NUL-terminated; the protobuf bytes are read before the result is freed.
    unsafe {
        let result = pg_query_parse_protobuf(sql.as_ptr());
        let tree = if result.error.is_null() {
            let data = std::slice::from_raw_parts(result.parse_tree.data as *const u8, result.parse_tree.len);
            pg_query::protobuf::ParseResult::decode(data).ok()
        } else {
            None
        };
        pg_query_free_protobuf_parse_result(result);
        tree
    }
}

/// Texts that passed the syntax check earlier in this process, by 128-bit hash: a statement
/// parses or not by its text alone, and a quarter of the corpus's checked bytes are repeats
/// (regression suites repeat their queries). Bounded: past the cap, nothing more is noted.
static PASSED: std::sync::LazyLock<std::sync::Mutex<TextHashSet>> = std::sync::LazyLock::new(Default::default);
const PASSED_CAP: usize = 1 << 20;

/// The keys are already xxh3 hashes of the texts: a hash set of them need not hash them again.
#[derive(Default)]
pub(crate) struct KeyIsHash(u64);
impl std::hash::Hasher for KeyIsHash {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.0 ^= u64::from_le_bytes(b);
        }
    }
    fn write_u128(&mut self, n: u128) {
        self.0 ^= n as u64;
    }
}
type TextHashSet = std::collections::HashSet<u128, std::hash::BuildHasherDefault<KeyIsHash>>;
/// A map keyed by the xxh3 hash of a text.
pub(crate) type TextHashMap<V> = std::collections::HashMap<u128, V, std::hash::BuildHasherDefault<KeyIsHash>>;

/// As [`failing_statements`], checking each distinct text once, and none that already passed
/// in this process.
pub fn failing_statements_cached(statements: &[&str]) -> Vec<usize> {
    let hashes: Vec<u128> = statements.iter().map(|s| xxhash_rust::xxh3::xxh3_128(s.as_bytes())).collect();
    // The first statement of each distinct text not known to pass: the only ones checked. A
    // repeat fails exactly when its first occurrence does.
    let mut seen = TextHashSet::default();
    let unknown: Vec<usize> = {
        let passed = PASSED.lock().unwrap_or_else(|e| e.into_inner());
        (0..statements.len()).filter(|&i| !passed.contains(&hashes[i]) && seen.insert(hashes[i])).collect()
    };
    let texts: Vec<&str> = unknown.iter().map(|&i| statements[i]).collect();
    let failing = failing_statements(&texts);
    let mut failed_texts = TextHashSet::default();
    let mut passed = PASSED.lock().unwrap_or_else(|e| e.into_inner());
    let mut f = failing.iter().peekable();
    for (k, &i) in unknown.iter().enumerate() {
        if f.next_if_eq(&&k).is_some() {
            failed_texts.insert(hashes[i]);
        } else if passed.len() < PASSED_CAP {
            passed.insert(hashes[i]);
        }
    }
    drop(passed);
    if failed_texts.is_empty() {
        return Vec::new();
    }
    (0..statements.len()).filter(|&i| failed_texts.contains(&hashes[i])).collect()
}

/// The indices of the statements that do not parse. Statements that no rule reads only need
/// this check, so they are checked together, in calls to the parser that build no output tree
/// (each libpg_query call also creates and deletes a memory context and copies its input).
/// When a batch fails, the parser's error position names the statement it stopped in: every
/// statement before it parsed (the parser had reduced each of them to a statement and shifted
/// the `;` after it), that statement is checked alone, and the check goes on after it. Should
/// the named statement pass alone, the batch is split in halves until the culprits are found
/// instead. Batches are bounded (the parser holds a batch's raw trees in memory: one batch for
/// a 50 MB dump peaked at 870 MB) and checked in parallel.
/// Joined with `\n;\n`, statements parse together exactly when each parses alone: a `;` can
/// only hide inside a `BEGIN ATOMIC` body, which starts with CREATE FUNCTION or PROCEDURE,
/// statements that are always parsed alone.
pub fn failing_statements(statements: &[&str]) -> Vec<usize> {
    use rayon::prelude::*;
    const BATCH_BYTES: usize = 64 << 10;
    const SEPARATOR: &str = "\n;\n";
    fn fails(sql: &str) -> bool {
        CString::new(sql).map_or(true, |c| syntax_check(&c).is_err())
    }
    fn check(mut statements: &[&str], mut first: usize, out: &mut Vec<usize>) {
        while !statements.is_empty() {
            let mut batch = String::with_capacity(statements.iter().map(|s| s.len() + SEPARATOR.len()).sum());
            let mut starts = Vec::with_capacity(statements.len());
            for s in statements {
                starts.push(batch.len());
                batch.push_str(s);
                batch.push_str(SEPARATOR);
            }
            let Ok(c) = CString::new(batch) else { return halve(statements, first, out) };
            let cursor = match syntax_check(&c) {
                Ok(()) => return,
                Err(cursor) => cursor,
            };
            if statements.len() == 1 {
                out.push(first);
                return;
            }
            let batch = c.to_str().expect("built from UTF-8 statements");
            // The statement the parser stopped in (a position in the separator after a
            // statement, or past the end, belongs to the statement before it).
            let at = match cursor {
                0 => return halve(statements, first, out),
                c => char_offset(batch, c),
            };
            let k = starts.partition_point(|&s| s <= at).saturating_sub(1);
            if !fails(statements[k]) {
                return halve(statements, first, out);
            }
            out.push(first + k);
            statements = &statements[k + 1..];
            first += k + 1;
        }
    }
    fn halve(statements: &[&str], first: usize, out: &mut Vec<usize>) {
        if statements.len() == 1 {
            if fails(statements[0]) {
                out.push(first);
            }
            return;
        }
        let mid = statements.len() / 2;
        check(&statements[..mid], first, out);
        check(&statements[mid..], first + mid, out);
    }
    let batches = groups_by_bytes(statements.iter().map(|s| s.len() + 3), BATCH_BYTES);
    let check_batch = |r: &Range<usize>| {
        let mut out = Vec::new();
        check(&statements[r.clone()], r.start, &mut out);
        out
    };
    if batches.len() == 1 {
        return check_batch(&batches[0]);
    }
    batches.par_iter().flat_map_iter(check_batch).collect()
}

/// The error libpg_query reports for `sql`, with its cursor position converted to a byte
/// offset (libpg_query counts 1-based characters).
fn error_position(sql: &CString, text: &str) -> Option<(String, usize)> {
    // SAFETY: `sql` is a valid NUL-terminated string; the result is freed below and every
    // pointer read is checked for NULL first.
    unsafe {
        let result = pg_query_parse(sql.as_ptr());
        let out = if result.error.is_null() {
            None
        } else {
            let err = &*result.error;
            let message =
                if err.message.is_null() { "syntax error".to_string() } else { CStr::from_ptr(err.message).to_string_lossy().into_owned() };
            Some((message, char_offset(text, err.cursorpos.max(1) as usize)))
        };
        pg_query_free_parse_result(result);
        out
    }
}

/// Consecutive items grouped so that each group holds at most `budget` bytes (an item larger
/// than that is a group of its own): the index ranges of the groups, in order.
pub fn groups_by_bytes(sizes: impl IntoIterator<Item = usize>, budget: usize) -> Vec<Range<usize>> {
    let mut groups = Vec::new();
    let (mut start, mut bytes, mut n) = (0, 0, 0);
    for size in sizes {
        if n > start && bytes + size > budget {
            groups.push(start..n);
            (start, bytes) = (n, 0);
        }
        bytes += size;
        n += 1;
    }
    if start < n {
        groups.push(start..n);
    }
    groups
}

/// Parse the statement text `sql`, which starts at byte `base` of its file.
pub fn parse_statement(sql: &str, base: usize) -> Result<Vec<TreeStatement>, SyntaxError> {
    if let Some(nul) = sql.find('\0') {
        return Err(SyntaxError { message: "NUL byte in SQL text".into(), offset: base + nul });
    }
    let c = CString::new(sql).expect("NUL bytes rejected above");
    match parse_tree(&c) {
        Ok(result) => Ok(result
            .stmts
            .into_iter()
            .filter_map(|raw| {
                let node = raw.stmt?.node?;
                let start = raw.stmt_location.max(0) as usize;
                let end = if raw.stmt_len > 0 { start + raw.stmt_len as usize } else { sql.len() };
                let end = trim_end(sql, start, end.min(sql.len()));
                Some(TreeStatement { range: base + start..base + end, node: std::sync::Arc::new(node) })
            })
            .collect()),
        Err(error) => {
            // The parse's own error; the JSON parse is asked only when the protobuf fallback
            // failed without one.
            let found = match error {
                Some((message, cursor)) => Some((message, char_offset(sql, cursor.max(1)))),
                None => error_position(&c, sql),
            };
            let (message, offset) = found.unwrap_or_else(|| ("syntax error".to_string(), 0));
            Err(SyntaxError { message, offset: base + offset })
        }
    }
}

/// `stmt_len` can include trailing whitespace and comments; a span should end at the last token.
fn trim_end(sql: &str, start: usize, end: usize) -> usize {
    let mut e = end;
    while e > start && sql.as_bytes()[e - 1].is_ascii_whitespace() {
        e -= 1;
    }
    e
}

/// For the protobuf oracle test (tests/parser_oracle.rs): the node types, with their counts, of
/// `sql`'s tree as libpg_query writes it in JSON and as pgready decodes it from protobuf (through
/// the vendored encoder patch). None when the statement does not parse.
#[doc(hidden)]
pub fn node_types_both_ways(sql: &str) -> Option<(NodeTypes, NodeTypes)> {
    let c = CString::new(sql).ok()?;
    let tree = parse_tree(&c).ok()?;
    // SAFETY: `c` is NUL-terminated; the JSON is copied before the result is freed.
    let json = unsafe {
        let result = pg_query_parse(c.as_ptr());
        let json = CStr::from_ptr(result.parse_tree).to_string_lossy().into_owned();
        pg_query_free_parse_result(result);
        json
    };
    let (mut expected, mut found) = Default::default();
    node_types(&serde_json::from_str(&json).expect("libpg_query writes JSON"), &mut expected);
    node_types(&serde_json::to_value(&tree).expect("a tree serialises"), &mut found);
    Some((expected, found))
}

/// For the flat-stream oracle test (tests/parser_oracle.rs): `sql`'s tree read from the flat
/// stream and decoded from protobuf (None for a path that gives no tree).
#[doc(hidden)]
pub fn trees_both_ways(sql: &str) -> (Option<pg_query::protobuf::ParseResult>, Option<pg_query::protobuf::ParseResult>) {
    let Ok(c) = CString::new(sql) else { return (None, None) };
    (pg_query::flat::parse_flat(&c).ok(), parse_tree_protobuf(&c))
}

/// Node type name → how many nodes of that type.
pub type NodeTypes = std::collections::BTreeMap<String, usize>;

/// The node types of a JSON tree, as a multiset: keys that start with a capital letter
/// are node types in both libpg_query's JSON and the protobuf tree's serde form (fields are
/// snake_case). Underscores and case differ between the two (`A_Const` / `AConst`). The
/// one other oneof, A_Const's `val`, has capitalised variants in the serde form only.
fn node_types(v: &serde_json::Value, out: &mut std::collections::BTreeMap<String, usize>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                let a_const_variant = ["Ival", "Fval", "Boolval", "Sval", "Bsval"].contains(&k.as_str());
                if k.starts_with(|c: char| c.is_ascii_uppercase()) && !a_const_variant {
                    *out.entry(k.replace('_', "").to_ascii_lowercase()).or_default() += 1;
                }
                node_types(v, out);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| node_types(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_offset_is_a_byte_offset() {
        let sql = "SELECT 'é', 'ü' FROM WHERE x";
        let err = parse_statement(sql, 100).unwrap_err();
        assert_eq!(err.offset, 100 + sql.find("WHERE").unwrap());
        assert!(err.message.contains("WHERE"), "{}", err.message);
    }

    #[test]
    fn failing_statements_are_found_in_a_batch() {
        let stmts = ["select 1", "select from where", "select 2 -- trailing comment", "selec 3", "values (1)"];
        assert_eq!(failing_statements(&stmts), vec![1, 3]);
        assert!(failing_statements(&stmts[..1]).is_empty());
        // A NUL byte never reaches the parser as a truncated string: the statement fails.
        assert_eq!(failing_statements(&["select 1", "select '\0'"]), vec![1]);
        // Many batches (checked in parallel): indices stay those of the whole list, in order.
        let long = format!("select '{}'", "x".repeat(1000));
        let mut many: Vec<&str> = vec![long.as_str(); 300];
        many[17] = "selec 1";
        many[250] = "select from where";
        assert_eq!(failing_statements(&many), vec![17, 250]);
    }

    /// A tree nested deeper than protobuf's decoder allows (100 messages) is read: a sum of 80
    /// terms in a view was a false syntax error. One far deeper than the flat reader's stack
    /// budget does not overflow the stack either.
    #[test]
    fn deep_trees_are_read() {
        let sum = vec!["1"; 80].join("+");
        let view = format!("create view v as select {sum}, pg_stop_backup()");
        let trees = parse_statement(&view, 0).expect("a deep tree parses");
        assert!(matches!(trees[0].node.as_ref(), NodeEnum::ViewStmt(_)));
        let (flat, protobuf) = trees_both_ways(&view);
        assert!(flat.is_some() && protobuf.is_none(), "protobuf's decoder stops at this depth");
        let deeper = format!("create view v as select {}", vec!["1"; 20_000].join("+"));
        let _ = std::thread::Builder::new().stack_size(2 << 20).spawn(move || parse_statement(&deeper, 0).is_ok()).unwrap().join().unwrap();
    }

    /// The statement the parser stops in is found from its error position, whatever the error:
    /// a bad token, input that ends too early (the position is then in the `;` after it), a
    /// string that is not a valid escape, a multi-byte character before the error (libpg_query
    /// counts characters), consecutive failures, a failure first and last.
    #[test]
    fn failing_statements_are_named_by_the_error_position() {
        let stmts = [
            "selec 0",
            "select 'é' as é",
            "select (",
            "select 2",
            "select 'a' 'b'",
            "select U&'\\zzzz'",
            "create table t (a int,)",
            "select 3 from",
            "select 4",
            "select ((1)",
        ];
        assert_eq!(failing_statements(&stmts), vec![0, 2, 4, 5, 6, 7, 9]);
        for (i, s) in stmts.iter().enumerate() {
            assert_eq!(failing_statements(&[s]).len(), usize::from([0, 2, 4, 5, 6, 7, 9].contains(&i)), "{s}");
        }
    }

    #[test]
    fn repeated_texts_are_checked_once_with_the_same_answer() {
        let stmts = [
            "select 7 /* repeated_texts */",
            "selec 7 /* repeated_texts */",
            "select 7 /* repeated_texts */",
            "selec 7 /* repeated_texts */",
        ];
        // A repeat within one call has the answer of its first occurrence.
        assert_eq!(failing_statements_cached(&stmts), vec![1, 3]);
        // Now known: the passing text is skipped, the failing one is checked (and fails) again.
        assert_eq!(failing_statements_cached(&stmts), vec![1, 3]);
        assert_eq!(failing_statements_cached(&stmts[1..]), vec![0, 2]);
        let known = PASSED.lock().unwrap();
        assert!(known.contains(&xxhash_rust::xxh3::xxh3_128(stmts[0].as_bytes())));
        assert!(!known.contains(&xxhash_rust::xxh3::xxh3_128(stmts[1].as_bytes())));
    }

    #[test]
    fn groups_hold_at_most_the_budget() {
        assert_eq!(groups_by_bytes([3, 3, 3, 10, 1], 6), vec![0..2, 2..3, 3..4, 4..5]);
        assert!(groups_by_bytes([], 6).is_empty());
    }

    #[test]
    fn several_statements_in_one_chunk() {
        let sql = "select 1 ; select 2";
        let stmts = parse_statement(sql, 10).unwrap();
        assert_eq!(stmts.len(), 2);
        assert_eq!(stmts[1].range, 10 + 11..10 + 19);
    }
}
