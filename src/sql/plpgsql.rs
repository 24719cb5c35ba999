//! libpg_query's PL/pgSQL parser, and its output read into a slim tree.
//!
//! The parser writes the compiled function as JSON; pg_query's `parse_plpgsql` copies that text
//! (lossily, as UTF-8) and builds a `serde_json::Value` of it: a `String` for every key of
//! every object, every declared variable's description included. The body reader needs a few
//! keys and the embedded queries, so the tree here borrows every string it can from the JSON
//! text, and keeps numbers only as integers.

use std::borrow::Cow;
use std::ffi::{CStr, CString, c_char};

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};

/// A JSON value of the PL/pgSQL parser's output. An object's entries are sorted by key (the
/// order the body reader has always walked them in: `serde_json`'s maps are sorted).
#[derive(Debug, PartialEq)]
pub enum Json<'a> {
    /// `null`, a boolean or a fraction: nothing the body reader reads.
    Other,
    Int(i64),
    Str(Cow<'a, str>),
    Array(Vec<Json<'a>>),
    Object(Vec<(Cow<'a, str>, Json<'a>)>),
}

impl<'a> Json<'a> {
    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        match self {
            Json::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Json::Int(n) => Some(*n),
            _ => None,
        }
    }

    /// A line number (`lineno`): a non-negative integer.
    pub fn as_line(&self) -> Option<usize> {
        self.as_int().and_then(|n| usize::try_from(n).ok())
    }

    pub fn as_array(&self) -> Option<&[Json<'a>]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Json<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Json<'de>, E> {
        Ok(Json::Other)
    }
    fn visit_i64<E>(self, v: i64) -> Result<Json<'de>, E> {
        Ok(Json::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Json<'de>, E> {
        Ok(i64::try_from(v).map_or(Json::Other, Json::Int))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Json<'de>, E> {
        Ok(Json::Other)
    }
    fn visit_unit<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Other)
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Json<'de>, E> {
        Ok(Json::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Json<'de>, E> {
        Ok(Json::Str(Cow::Owned(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<Json<'de>, E> {
        Ok(Json::Str(Cow::Owned(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json<'de>, A::Error> {
        let mut entries: Vec<(Cow<'de, str>, Json<'de>)> = Vec::new();
        while let Some((k, v)) = map.next_entry::<Cow<'de, str>, Json<'de>>()? {
            entries.push((k, v));
        }
        // A key written twice keeps its last value, as in serde_json's maps.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.dedup_by(|later, earlier| {
            let same = later.0 == earlier.0;
            if same {
                std::mem::swap(later, earlier);
            }
            same
        });
        Ok(Json::Object(entries))
    }
}

#[repr(C)]
struct PgQueryError {
    message: *mut c_char,
    funcname: *mut c_char,
    filename: *mut c_char,
    lineno: i32,
    cursorpos: i32,
    context: *mut c_char,
}

#[repr(C)]
struct PgQueryPlpgsqlParseResult {
    plpgsql_funcs: *mut c_char,
    error: *mut PgQueryError,
}

unsafe extern "C" {
    fn pg_query_parse_plpgsql(input: *const c_char) -> PgQueryPlpgsqlParseResult;
    fn pg_query_free_plpgsql_parse_result(result: PgQueryPlpgsqlParseResult);
}

/// Parse the `CREATE FUNCTION`/`DO` statement `stmt` with the PL/pgSQL parser and hand its
/// functions (a JSON array) to `read`. None when it does not parse (or its output is not UTF-8
/// JSON, which the parser does not write).
pub fn with_parsed<R>(stmt: &str, read: impl FnOnce(&Json) -> R) -> Option<R> {
    let input = CString::new(stmt).ok()?;
    // SAFETY: `input` is NUL-terminated; the JSON text is only borrowed until the result is
    // freed, after `read` returns and the tree that borrows it is dropped.
    unsafe {
        let result = pg_query_parse_plpgsql(input.as_ptr());
        let out = if result.error.is_null() && !result.plpgsql_funcs.is_null() {
            CStr::from_ptr(result.plpgsql_funcs)
                .to_str()
                .ok()
                .and_then(|text| serde_json::from_str::<Json>(text).ok())
                .map(|tree| read(&tree))
        } else {
            None
        };
        pg_query_free_plpgsql_parse_result(result);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_keys_sorted_and_strings_borrowed() {
        let text = r#"{"b": [1, "x\ny", null], "a": {"lineno": 3}, "b": 2.5}"#;
        let tree: Json = serde_json::from_str(text).unwrap();
        let Json::Object(entries) = &tree else { panic!("{tree:?}") };
        assert_eq!(entries.iter().map(|(k, _)| k.as_ref()).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(tree.get("b"), Some(&Json::Other), "the last of two values of a key");
        assert_eq!(tree.get("a").and_then(|a| a.get("lineno")).and_then(Json::as_line), Some(3));
        let arr: Json = serde_json::from_str(r#"[1, "x\ny", "plain"]"#).unwrap();
        let items = arr.as_array().unwrap();
        assert_eq!(items[1].as_str(), Some("x\ny"));
        assert!(matches!(items[2], Json::Str(Cow::Borrowed("plain"))));
    }

    #[test]
    fn parses_a_do_block() {
        let found = with_parsed("DO $$ BEGIN PERFORM 1; END $$", |funcs| funcs.as_array().map(|f| f.len()).unwrap_or_default());
        assert_eq!(found, Some(1));
        assert_eq!(with_parsed("DO $$ BEGIN PERFORM 1 END $$", |_| ()), None);
    }
}
