//! vendor/pg_query carries a local patch to upb's protobuf encoder (vendor/README.md). The
//! oracle is libpg_query's JSON output, written from the same C tree by other code: every node
//! it has, of every type, must be in the decoded protobuf tree, over every statement of
//! PostgreSQL's regression suites (which use nearly every node type; from the corpus).

use std::path::PathBuf;

#[test]
fn protobuf_trees_hold_every_node_of_the_json_output() {
    let corpus = std::env::var("PGREADY_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    let suites = corpus.join("libpg_query/test/sql/postgres_regress");
    assert!(suites.is_dir(), "{} not found: set PGREADY_CORPUS (scripts/test.sh does)", suites.display());
    let (mut statements, mut types) = (0, std::collections::BTreeSet::new());
    for entry in std::fs::read_dir(&suites).unwrap() {
        let Ok(text) = std::fs::read_to_string(entry.unwrap().path()) else { continue };
        for span in pgready::sql::script::split(&text).statements {
            let sql = &text[span.range];
            let Some((expected, found)) = pgready::sql::parse::node_types_both_ways(sql) else { continue };
            assert_eq!(found, expected, "{sql:?}");
            statements += 1;
            types.extend(expected.into_keys());
        }
    }
    assert!(statements > 20_000 && types.len() > 180, "{statements} statements, {} node types", types.len());
}
