//! The fuzz targets' checks (fuzz/fuzz_targets, run with cargo-fuzz on nightly) replayed on stable
//! over the kept inputs: the seeds, and the minimized corpus of the fuzzing sessions kept in
//! fuzz/regressions/<target>.jsonl (one JSON string per input; crashes found go there too, once
//! fixed).

use std::path::Path;

/// The demo's files that seed each target besides its own `fuzz/seeds/<target>` (the same
/// folders are given to `cargo fuzz run`, see the README).
fn demo_seed_dirs(target: &str) -> &'static [&'static str] {
    match target {
        "sql_front_end" => &["fixtures/demo/migrations", "fixtures/demo/queries"],
        "postgresql_conf" | "pg_hba" => &["fixtures/demo/server", "fixtures/demo/server/conf.d"],
        "check_pipeline" => &["fixtures/demo/migrations", "fixtures/demo/queries", "fixtures/demo/server"],
        other => panic!("unknown target {other}"),
    }
}

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = manifest.join("fuzz");
    let mut out = Vec::new();
    // A target's own seed folder exists only when it has seeds beyond the demo's.
    let own = Some(root.join("seeds").join(target)).filter(|d| d.is_dir());
    let seed_dirs = own.into_iter().chain(demo_seed_dirs(target).iter().map(|d| manifest.join(d)));
    for dir in seed_dirs {
        for e in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())).flatten() {
            if e.path().is_file() {
                out.push((e.path().display().to_string(), std::fs::read(e.path()).unwrap()));
            }
        }
    }
    let kept = std::fs::read_to_string(root.join("regressions").join(format!("{target}.jsonl"))).unwrap();
    for (i, line) in kept.lines().enumerate() {
        let text: String = serde_json::from_str(line).unwrap();
        // Inputs that are not UTF-8 (the pipeline's, cut at 0xFF bytes) are kept as `hex:...`.
        let bytes = match text.strip_prefix("hex:") {
            Some(hex) => (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect(),
            None => text.into_bytes(),
        };
        out.push((format!("{target}.jsonl:{}", i + 1), bytes));
    }
    assert!(!out.is_empty(), "no inputs for {target}");
    out
}

fn in_text(span: &std::ops::Range<usize>, text: &str) -> bool {
    span.start <= span.end && span.end <= text.len()
}

#[test]
fn sql_front_end_inputs() {
    for (name, data) in inputs("sql_front_end") {
        let Ok(text) = std::str::from_utf8(&data) else { continue };
        let script = pgready::sql::script::split(text);
        assert_eq!(script.masked.len(), text.len(), "{name}");
        assert!(script.statements.iter().all(|s| in_text(&s.range, text)), "{name}");
        let (_, parsed) = pgready::engine::front_end(
            0,
            "fuzz.sql".into(),
            Ok(text.as_bytes().to_vec()),
            pgready::source::Kind::Sql,
            &pgready::sql::script::ScriptSettings {
                variables: vec![("v".into(), "1".into())],
                templates: vec![("<%".into(), "%>".into())],
            },
        );
        assert!(parsed.diagnostics.iter().all(|d| in_text(&d.span, text)), "{name}");
    }
}

#[test]
fn postgresql_conf_inputs() {
    for (name, data) in inputs("postgresql_conf") {
        let Ok(text) = std::str::from_utf8(&data) else { continue };
        let conf = pgready::conf::postgresql::parse(text);
        assert!(conf.errors.iter().all(|(s, _)| in_text(s, text)), "{name}");
    }
}

#[test]
fn pg_hba_and_ident_inputs() {
    for (name, data) in inputs("pg_hba") {
        let Ok(text) = std::str::from_utf8(&data) else { continue };
        assert!(pgready::conf::hba::parse(text).errors.iter().all(|(s, _)| in_text(s, text)), "{name}");
        assert!(pgready::conf::ident::parse(text).errors.iter().all(|(s, _)| in_text(s, text)), "{name}");
    }
}

/// The whole pipeline and every renderer (fuzz/fuzz_targets/check_pipeline.rs).
#[test]
fn check_pipeline_inputs() {
    const NAMES: [&str; 4] =
        ["db/migrations/001_init.sql", "db/server/postgresql.conf", "db/server/pg_hba.conf", "db/migrations/002_next.sql"];
    for (name, data) in inputs("check_pipeline") {
        let inputs: Vec<(std::path::PathBuf, Result<Vec<u8>, String>)> =
            data.split(|&b| b == 0xff).zip(NAMES).map(|(bytes, name)| (name.into(), Ok(bytes.to_vec()))).collect();
        let opts = pgready::engine::Options { from: 13 + u32::from(data.first().copied().unwrap_or(0) % 5), ..Default::default() };
        let run = pgready::engine::lint_inputs(inputs, &opts);
        assert!(run.diagnostics.iter().all(|d| in_text(&d.span, &run.docs[d.file].text)), "{name}");
        use pgready::report;
        let _ = (report::human(&run, false), report::human(&run, true), report::concise(&run));
        serde_json::from_str::<serde_json::Value>(&report::json(&run)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let _ = (report::machine::sarif(&run), report::machine::github(&run), report::machine::gitlab(&run), report::machine::junit(&run));
        let _ = (report::summary(&run, 13, false), report::not_judged_list(&run));
        let (fixed, _) = pgready::fix::plan(&run, pgready::diagnostic::Applicability::Unsafe);
        fixed.iter().for_each(|f| drop(pgready::fix::unified_diff(f)));
    }
}
