//! rules/COVERAGE.md, the list of what an upgrade to 18 changes and what pgready does about it,
//! stays true: every rule it names exists, every rule is named in it, every test it names exists,
//! each item has a known status, and the counts at its top are the table's.

use std::collections::BTreeMap;
use std::path::Path;

use pgready::rules::REGISTRY;

const STATUSES: &[&str] = &["covered", "partly", "missing", "out of reach"];

struct Item {
    number: usize,
    status: String,
    rules: Vec<String>,
    proof: String,
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn items(text: &str) -> Vec<Item> {
    text.lines()
        .filter(|l| l.starts_with("| ") && l.chars().nth(2).is_some_and(|c| c.is_ascii_digit()))
        .map(|l| {
            // GFM: `|` separates cells, `\|` is a pipe inside one.
            let row = l.trim().trim_matches('|').replace("\\|", "\u{1}");
            let cells: Vec<String> = row.split('|').map(|c| c.trim().replace('\u{1}', "|")).collect();
            assert_eq!(cells.len(), 8, "a row has 8 cells: {l}");
            let ticked = |cell: &str| -> Vec<String> { cell.split('`').skip(1).step_by(2).map(str::to_string).collect() };
            Item { number: cells[0].parse().unwrap(), status: cells[5].clone(), rules: ticked(&cells[6]), proof: cells[7].clone() }
        })
        .collect()
}

#[test]
fn the_coverage_list_names_real_rules_and_tests_and_counts_right() {
    let text = std::fs::read_to_string(root().join("rules/COVERAGE.md")).unwrap();
    let items = items(&text);
    assert!(items.len() >= 100, "only {} items", items.len());
    for (i, item) in items.iter().enumerate() {
        assert_eq!(item.number, i + 1, "items are numbered in order");
        assert!(STATUSES.contains(&item.status.as_str()), "item {}: status `{}`", item.number, item.status);
        for id in &item.rules {
            assert!(REGISTRY.iter().any(|r| r.meta.id == id), "item {}: no rule `{id}`", item.number);
        }
        if matches!(item.status.as_str(), "covered" | "partly") {
            assert!(!item.proof.is_empty(), "item {}: what proves it?", item.number);
        }
        if item.status == "out of reach" {
            assert!(item.rules.is_empty() && !item.proof.is_empty(), "item {}: out of reach says why, and names no rule", item.number);
        }
        // Every test named (`tests/x.rs` or `tests/x.rs::name`) exists.
        for named in item.proof.split('`').skip(1).step_by(2).filter(|t| t.starts_with("tests/")) {
            let (file, function) = named.split_once("::").map_or((named, None), |(f, n)| (f, Some(n)));
            let source = std::fs::read_to_string(root().join(file)).unwrap_or_else(|_| panic!("item {}: no {file}", item.number));
            if let Some(function) = function {
                assert!(source.contains(&format!("fn {function}(")), "item {}: {file} has no test {function}", item.number);
            }
        }
    }
    for rule in REGISTRY {
        assert!(items.iter().any(|i| i.rules.iter().any(|r| r == rule.meta.id)), "rules/COVERAGE.md does not name {}", rule.meta.id);
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for item in &items {
        *counts.entry(item.status.as_str()).or_default() += 1;
    }
    let said = format!(
        "Counts: {} items — {} covered, {} partly, {} missing, {} out of reach.",
        items.len(),
        counts.get("covered").unwrap_or(&0),
        counts.get("partly").unwrap_or(&0),
        counts.get("missing").unwrap_or(&0),
        counts.get("out of reach").unwrap_or(&0)
    );
    assert!(text.contains(&said), "rules/COVERAGE.md should say: {said}");
}
