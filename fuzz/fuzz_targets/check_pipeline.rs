//! The whole `check` pipeline on arbitrary files, and every renderer on what it finds: a panic
//! anywhere from the front end to the report (miette's human snippets included) is found here,
//! not by users.
//!
//! The input is cut at 0xFF bytes (never in UTF-8) into up to four files: two migrations, a
//! postgresql.conf and a pg_hba.conf of one server folder, so cross-file rules and the fold run.
#![no_main]
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 4] = ["db/migrations/001_init.sql", "db/server/postgresql.conf", "db/server/pg_hba.conf", "db/migrations/002_next.sql"];

fuzz_target!(|data: &[u8]| {
    let inputs: Vec<(std::path::PathBuf, Result<Vec<u8>, String>)> =
        data.split(|&b| b == 0xff).zip(NAMES).map(|(bytes, name)| (name.into(), Ok(bytes.to_vec()))).collect();
    let opts = pgready::engine::Options { from: 13 + u32::from(data.first().copied().unwrap_or(0) % 5), ..Default::default() };
    let run = pgready::engine::lint_inputs(inputs, &opts);
    for d in &run.diagnostics {
        let len = run.docs[d.file].text.len();
        assert!(d.span.start <= d.span.end && d.span.end <= len, "{d:?}");
    }
    for f in &run.files {
        for n in &f.not_judged {
            assert!(n.span.start <= n.span.end, "{n:?}");
        }
    }
    use pgready::report;
    let _ = report::human(&run, false);
    let _ = report::human(&run, true);
    let _ = report::concise(&run);
    let json = report::json(&run);
    serde_json::from_str::<serde_json::Value>(&json).expect("the JSON report parses");
    let _ = report::machine::sarif(&run);
    let _ = report::machine::github(&run);
    let _ = report::machine::gitlab(&run);
    let _ = report::machine::junit(&run);
    let _ = report::summary(&run);
    let _ = report::not_judged_list(&run);
    // Fixes as `--diff` shows them (nothing is written).
    let (fixed, _) = pgready::fix::plan(&run, pgready::diagnostic::Applicability::Unsafe);
    for f in &fixed {
        let _ = pgready::fix::unified_diff(f);
    }
});
