//! The postgresql.conf parser on arbitrary text: no panic, spans inside the text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let conf = pgready::conf::postgresql::parse(text);
        for (span, _) in &conf.errors {
            assert!(span.start <= span.end && span.end <= text.len());
        }
    }
});
