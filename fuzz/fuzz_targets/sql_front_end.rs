//! The SQL front end on arbitrary text: the psql-script splitter, then the parser wrapper on
//! every statement (what `pgready check` does to a file before any rule runs).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let script = pgready::sql::script::split(text);
        assert_eq!(script.masked.len(), text.len(), "masking keeps byte offsets");
        for s in &script.statements {
            assert!(s.range.start <= s.range.end && s.range.end <= text.len());
        }
        let (_, parsed) = pgready::engine::front_end(0, "fuzz.sql".into(), Ok(text.as_bytes().to_vec()), pgready::source::Kind::Sql, &pgready::sql::script::ScriptSettings { variables: vec![("v".into(), "1".into())], templates: vec![("<%".into(), "%>".into())] });
        for d in &parsed.diagnostics {
            assert!(d.span.start <= d.span.end && d.span.end <= text.len(), "{d:?}");
        }
    }
});
