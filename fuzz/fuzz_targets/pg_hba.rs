//! The pg_hba.conf and pg_ident.conf parsers on arbitrary text: no panic, spans inside the text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let hba = pgready::conf::hba::parse(text);
        for (span, _) in &hba.errors {
            assert!(span.start <= span.end && span.end <= text.len());
        }
        let ident = pgready::conf::ident::parse(text);
        for (span, _) in &ident.errors {
            assert!(span.start <= span.end && span.end <= text.len());
        }
    }
});
