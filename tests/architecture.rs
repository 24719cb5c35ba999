//! The shape ARCHITECTURE.md promises, checked: the top-level modules of `src/` form layers, a
//! module imports only modules of lower layers (so there is no import cycle), and no source file
//! grows past 700 lines.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The layers, lowest first (ARCHITECTURE.md, "Layers"): each may import only those before it.
const LAYERS: &[&str] = &[
    "diagnostic",
    "quote",
    "knowledge",
    "source",
    "sql",
    "conf",
    "model",
    "rules",
    "engine",
    "fix",
    "cache",
    "catalog",
    "replay",
    "report",
    "baseline",
    "config",
    "cli",
];

const MAX_LINES: usize = 700;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The top-level module a file of `src/` belongs to (None for lib.rs and main.rs).
fn module_of(file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src()).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib" && name != "main").then(|| name.to_string())
}

/// The top-level modules a file's code (its tests excluded) names through `crate::`.
fn imports(text: &str) -> Vec<String> {
    let code = text.find("#[cfg(test)]\nmod ").map_or(text, |at| &text[..at]);
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `use crate::{a, b::c}`: every first name in the group.
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let name: String = part.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                found.push(name);
            }
        } else {
            found.push(rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect());
        }
    }
    found
}

#[test]
fn every_top_level_module_has_a_layer() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    for f in &files {
        if let Some(m) = module_of(f) {
            assert!(LAYERS.contains(&m.as_str()), "src/{m}: not in tests/architecture.rs LAYERS (and ARCHITECTURE.md)");
        }
    }
}

#[test]
fn modules_import_only_lower_layers() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut wrong: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in &files {
        let Some(m) = module_of(f) else { continue };
        let Some(level) = LAYERS.iter().position(|l| *l == m) else { continue };
        for target in imports(&std::fs::read_to_string(f).unwrap()) {
            match LAYERS.iter().position(|l| *l == target) {
                Some(t) if t > level => {
                    wrong.entry(format!("{m} -> {target}")).or_default().push(f.strip_prefix(src()).unwrap().display().to_string())
                }
                _ => {}
            }
        }
    }
    assert!(wrong.is_empty(), "imports of a higher layer (a cycle waiting to happen): {wrong:#?}");
}

#[test]
fn no_source_file_is_over_700_lines() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let long: Vec<String> = files
        .iter()
        .map(|f| (f, std::fs::read_to_string(f).unwrap().lines().count()))
        .filter(|(_, n)| *n > MAX_LINES)
        .map(|(f, n)| format!("{}: {n} lines", f.display()))
        .collect();
    assert!(long.is_empty(), "split these by job: {long:?}");
}

/// The checker itself: it sees plain paths, groups, and ignores test modules.
#[test]
fn imports_are_read_from_paths_and_groups() {
    let text = "use crate::model::Schema;\nuse crate::{rules, sql::tree};\nfn f() { crate::engine::run() }\n#[cfg(test)]\nmod tests { use crate::cli; }";
    assert_eq!(imports(text), ["model", "rules", "sql", "engine"]);
}

/// One rule per file, named after its id (`src/rules/<area>/<id with underscores>.rs`), and
/// every rule file registered.
#[test]
fn rule_files_are_named_after_their_rule_and_registered() {
    let mut files = Vec::new();
    rust_files(&src().join("rules"), &mut files);
    let mut seen = 0;
    for f in files.iter().filter(|f| f.parent() != Some(src().join("rules").as_path()) && !f.ends_with("mod.rs")) {
        let text = std::fs::read_to_string(f).unwrap();
        let id = text.split("id: \"").nth(1).and_then(|t| t.split('"').next()).unwrap_or_else(|| panic!("{}: no rule id", f.display()));
        let stem = f.file_stem().unwrap().to_str().unwrap();
        assert_eq!(stem, id.replace('-', "_"), "{}: file not named after its rule", f.display());
        assert!(pgready::rules::find(id).is_some(), "{id}: not in rules::REGISTRY");
        seen += 1;
    }
    assert_eq!(seen, pgready::rules::REGISTRY.len(), "a registered rule has no file of its own");
}
