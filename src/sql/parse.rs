//! The pg_query wrapper: parses one statement with the PostgreSQL 18 grammar and, when it does
//! not parse, recovers the error position that the safe API drops.

use std::ffi::{CStr, CString, c_char, c_int};
use std::ops::Range;

use pg_query::NodeEnum;

/// A statement tree with its byte range in the file (the range excludes the `;`).
#[derive(Debug)]
pub struct TreeStatement {
    pub range: Range<usize>,
    pub node: NodeEnum,
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

unsafe extern "C" {
    fn pg_query_parse(input: *const c_char) -> PgQueryParseResult;
    fn pg_query_free_parse_result(result: PgQueryParseResult);
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
            let cursor = err.cursorpos.max(1) as usize;
            let offset = text.char_indices().nth(cursor - 1).map_or(text.len(), |(i, _)| i);
            Some((message, offset))
        };
        pg_query_free_parse_result(result);
        out
    }
}

/// Parse the statement text `sql`, which starts at byte `base` of its file.
pub fn parse_statement(sql: &str, base: usize) -> Result<Vec<TreeStatement>, SyntaxError> {
    if let Some(nul) = sql.find('\0') {
        return Err(SyntaxError { message: "NUL byte in SQL text".into(), offset: base + nul });
    }
    match pg_query::parse(sql, 0) {
        Ok(result) => Ok(result
            .protobuf
            .stmts
            .into_iter()
            .filter_map(|raw| {
                let node = raw.stmt?.node?;
                let start = raw.stmt_location.max(0) as usize;
                let end = if raw.stmt_len > 0 { start + raw.stmt_len as usize } else { sql.len() };
                let end = trim_end(sql, start, end.min(sql.len()));
                Some(TreeStatement { range: base + start..base + end, node })
            })
            .collect()),
        Err(e) => {
            let c = CString::new(sql).expect("NUL bytes rejected above");
            let (message, offset) = error_position(&c, sql).unwrap_or_else(|| (e.to_string(), 0));
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
    fn several_statements_in_one_chunk() {
        let sql = "select 1 ; select 2";
        let stmts = parse_statement(sql, 10).unwrap();
        assert_eq!(stmts.len(), 2);
        assert_eq!(stmts[1].range, 10 + 11..10 + 19);
    }
}
