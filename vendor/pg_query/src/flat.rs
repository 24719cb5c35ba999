//! pgready's addition (vendor/README.md, "Change 4"): a parse tree read from libpg_query's flat
//! stream (libpg_query/src/pg_query_outfuncs_flat.c) into the same prost types `parse` decodes
//! from protobuf, without the protobuf message being built, encoded and decoded. The readers of
//! the node types are generated (src/flat_nodes.rs, scripts/flat-pg-query.py) from the field
//! lists the C writer is compiled from; the primitives and the hand-written node types (those
//! libpg_query also writes by hand) are here.

#![allow(non_snake_case)]

use std::ffi::{CStr, c_char};

use crate::bindings::{PgQueryProtobufParseResult, pg_query_free_protobuf_parse_result};
use crate::protobuf::{self, AConst, BitString, Boolean, Float, IntList, Integer, List, Node, OidList, ParseResult, a_const};

extern "C" {
    fn pg_query_parse_flat(input: *const c_char) -> PgQueryProtobufParseResult;
}

/// Why a flat parse gave no tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlatError {
    /// The statement does not parse (or the C writer stopped: a tree too deep for its stack):
    /// libpg_query's message and 1-based character cursor position (0 when none).
    Parse { message: String, cursorpos: i32 },
    /// The stream could not be read back (a tree too deep for the reader's stack budget, or a
    /// writer and reader out of step): the caller should use the protobuf path instead.
    Unreadable,
}

/// The stack a read may use below its start: a tree nested deeper than that is left to the
/// protobuf path, whose decoder has its own limit, rather than overflowing a thread's stack.
const STACK_BUDGET: usize = 1 << 20;

/// Parse `sql` with the default grammar into the same tree `parse` gives, by the flat stream.
pub fn parse_flat(sql: &CStr) -> Result<ParseResult, FlatError> {
    // SAFETY: `sql` is NUL-terminated; the stream is read before the result is freed, and every
    // pointer is checked for NULL first.
    unsafe {
        let result = pg_query_parse_flat(sql.as_ptr());
        let out = if !result.error.is_null() {
            let err = &*result.error;
            let message = if err.message.is_null() { String::new() } else { CStr::from_ptr(err.message).to_string_lossy().into_owned() };
            Err(FlatError::Parse { message, cursorpos: err.cursorpos })
        } else if result.parse_tree.data.is_null() {
            Err(FlatError::Unreadable)
        } else {
            let data = std::slice::from_raw_parts(result.parse_tree.data as *const u8, result.parse_tree.len);
            read_parse_result(data)
        };
        pg_query_free_protobuf_parse_result(result);
        out
    }
}

fn read_parse_result(data: &[u8]) -> Result<ParseResult, FlatError> {
    let probe = 0u8;
    let floor = (&probe as *const u8 as usize).saturating_sub(STACK_BUDGET);
    let mut r = Reader { buf: data, pos: 0, bad: false, stack_floor: floor };
    let n = r.u32() as usize;
    let mut stmts = Vec::with_capacity(n.min(data.len()));
    for _ in 0..n {
        if r.bad {
            break;
        }
        stmts.push(crate::flat_nodes::r_RawStmt(&mut r));
    }
    if r.bad || r.pos != data.len() {
        return Err(FlatError::Unreadable);
    }
    Ok(ParseResult { version: crate::bindings::PG_VERSION_NUM as i32, stmts })
}

/// A cursor over the flat stream. A read past the end, an unknown node code or a tree deeper
/// than the stack budget marks it bad (and gives default values from then on): the caller then
/// discards the whole tree.
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    bad: bool,
    stack_floor: usize,
}

impl Reader<'_> {
    pub(crate) fn fail(&mut self) {
        self.bad = true;
        self.pos = self.buf.len();
    }

    #[inline]
    fn take<const N: usize>(&mut self) -> [u8; N] {
        match self.buf.get(self.pos..self.pos + N) {
            Some(bytes) => {
                self.pos += N;
                bytes.try_into().expect("N bytes")
            }
            None => {
                self.fail();
                [0; N]
            }
        }
    }

    #[inline]
    pub(crate) fn i32(&mut self) -> i32 {
        i32::from_ne_bytes(self.take())
    }
    #[inline]
    pub(crate) fn u32(&mut self) -> u32 {
        u32::from_ne_bytes(self.take())
    }
    #[inline]
    pub(crate) fn i64(&mut self) -> i64 {
        i64::from_ne_bytes(self.take())
    }
    #[inline]
    pub(crate) fn u64(&mut self) -> u64 {
        u64::from_ne_bytes(self.take())
    }
    #[inline]
    pub(crate) fn f64(&mut self) -> f64 {
        f64::from_ne_bytes(self.take())
    }
    #[inline]
    pub(crate) fn bool(&mut self) -> bool {
        self.take::<1>()[0] != 0
    }
    #[inline]
    fn u8(&mut self) -> u8 {
        self.take::<1>()[0]
    }

    /// A string; bytes that are not UTF-8 (which protobuf's decoder would refuse) are replaced.
    pub(crate) fn string(&mut self) -> String {
        let len = self.u32() as usize;
        if len == 0 {
            return String::new();
        }
        match self.buf.get(self.pos..self.pos + len) {
            Some(bytes) => {
                self.pos += len;
                match std::str::from_utf8(bytes) {
                    Ok(text) => text.to_owned(),
                    Err(_) => String::from_utf8_lossy(bytes).into_owned(),
                }
            }
            None => {
                self.fail();
                String::new()
            }
        }
    }

    fn node_code(&mut self) -> u16 {
        u16::from_ne_bytes(self.take())
    }

    /// A node in a list: a NULL pointer is a `Node` with no value, as in protobuf.
    pub(crate) fn node(&mut self) -> Node {
        let code = self.node_code();
        Node { node: self.value(code) }
    }

    /// A node pointer field: absent when NULL.
    pub(crate) fn opt_node(&mut self) -> Option<Box<Node>> {
        match self.node_code() {
            0 => None,
            code => Some(Box::new(Node { node: self.value(code) })),
        }
    }

    fn value(&mut self, code: u16) -> Option<protobuf::node::Node> {
        const UNKNOWN: u16 = 0xFFFF;
        if code == 0 || code == UNKNOWN || self.bad || !self.stack_left() {
            return None;
        }
        crate::flat_nodes::node_of(self, code)
    }

    /// Whether a specific node pointer field (one of a known type) is present: it is then read
    /// by a direct call, so the stack is checked here too (a long UNION chain nests SelectStmts).
    pub(crate) fn nested(&mut self) -> bool {
        self.bool() && !self.bad && self.stack_left()
    }

    fn stack_left(&mut self) -> bool {
        let probe = 0u8;
        if (&probe as *const u8 as usize) < self.stack_floor {
            self.fail();
            return false;
        }
        true
    }

    pub(crate) fn list(&mut self) -> Vec<Node> {
        let n = self.u32() as usize;
        // Each node takes at least two bytes: a count beyond that is a broken stream.
        if n > (self.buf.len() - self.pos) / 2 {
            self.fail();
            return Vec::new();
        }
        let mut items = Vec::with_capacity(n);
        for _ in 0..n {
            items.push(self.node());
        }
        items
    }

    pub(crate) fn bitmapset(&mut self) -> Vec<u64> {
        let n = self.u32() as usize;
        if n > (self.buf.len() - self.pos) / 8 {
            self.fail();
            return Vec::new();
        }
        (0..n).map(|_| self.u64()).collect()
    }
}

pub(crate) fn r_List(r: &mut Reader) -> List {
    List { items: r.list() }
}

pub(crate) fn r_IntList(r: &mut Reader) -> IntList {
    IntList { items: r.list() }
}

pub(crate) fn r_OidList(r: &mut Reader) -> OidList {
    OidList { items: r.list() }
}

pub(crate) fn r_Integer(r: &mut Reader) -> Integer {
    Integer { ival: r.i32() }
}

pub(crate) fn r_Float(r: &mut Reader) -> Float {
    Float { fval: r.string() }
}

pub(crate) fn r_Boolean(r: &mut Reader) -> Boolean {
    Boolean { boolval: r.bool() }
}

pub(crate) fn r_String(r: &mut Reader) -> protobuf::String {
    protobuf::String { sval: r.string() }
}

pub(crate) fn r_BitString(r: &mut Reader) -> BitString {
    BitString { bsval: r.string() }
}

pub(crate) fn r_AConst(r: &mut Reader) -> AConst {
    let isnull = r.bool();
    let location = r.i32();
    let val = match r.u8() {
        0 => None,
        1 => Some(a_const::Val::Ival(r_Integer(r))),
        2 => Some(a_const::Val::Fval(r_Float(r))),
        3 => Some(a_const::Val::Boolval(r_Boolean(r))),
        4 => Some(a_const::Val::Sval(r_String(r))),
        5 => Some(a_const::Val::Bsval(r_BitString(r))),
        _ => {
            r.fail();
            None
        }
    };
    AConst { isnull, location, val }
}
