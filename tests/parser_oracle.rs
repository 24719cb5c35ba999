//! vendor/pg_query carries a local patch to upb's protobuf encoder (vendor/README.md). The
//! oracle is libpg_query's JSON output, written from the same C tree by other code: every node
//! it has, of every type, must be in the decoded protobuf tree, over every statement of
//! PostgreSQL's regression suites (which use nearly every node type; from the corpus).

mod common;
use common::regression_suites;

#[test]
fn protobuf_trees_hold_every_node_of_the_json_output() {
    let suites = regression_suites();
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

/// `sql::facts` reads function calls, column references, casts and operators by walking a tree
/// through serde without building anything. Its oracle is the walk it replaced: over the same
/// tree turned into a `serde_json::Value`, every object key that names one of those node types.
/// Both must find the same facts in every statement of the regression suites.
#[test]
fn tree_facts_match_a_walk_of_the_serde_form() {
    use serde_json::Value;
    type Facts = (Vec<(Vec<String>, usize, usize)>, Vec<(String, usize)>, Vec<(Vec<String>, usize)>, Vec<(Vec<String>, usize)>);
    fn names(v: &Value) -> Vec<String> {
        v.as_array()
            .map(|a| a.iter().filter_map(|n| n.pointer("/node/String/sval").and_then(Value::as_str).map(str::to_string)).collect())
            .unwrap_or_default()
    }
    fn loc(v: &Value) -> usize {
        v.get("location").and_then(Value::as_i64).unwrap_or(0).max(0) as usize
    }
    fn walk(v: &Value, f: &mut Facts) {
        match v {
            Value::Object(map) => {
                for (k, inner) in map {
                    match k.as_str() {
                        "FuncCall" => f.0.push((names(&inner["funcname"]), inner["args"].as_array().map_or(0, Vec::len), loc(inner))),
                        "ColumnRef" => {
                            if let Some(last) = names(&inner["fields"]).pop() {
                                f.1.push((last, loc(inner)));
                            }
                        }
                        "TypeCast" => {
                            if let Some(t) = inner.get("type_name") {
                                f.2.push((names(&t["names"]), loc(t)));
                            }
                        }
                        "AExpr" => f.3.push((names(&inner["name"]), loc(inner))),
                        _ => {}
                    }
                    walk(inner, f);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, f)),
            _ => {}
        }
    }
    let suites = regression_suites();
    let (mut statements, mut facts_seen) = (0, 0);
    for entry in std::fs::read_dir(&suites).unwrap() {
        let Ok(text) = std::fs::read_to_string(entry.unwrap().path()) else { continue };
        for span in pgready::sql::script::split(&text).statements {
            let sql = &text[span.range];
            let Ok(parsed) = pg_query::parse(sql, 0) else { continue };
            for raw in &parsed.protobuf.stmts {
                let Some(stmt) = raw.stmt.as_ref() else { continue };
                let mut expected: Facts = Default::default();
                walk(&serde_json::to_value(stmt).unwrap(), &mut expected);
                let got = pgready::sql::tree::expr_facts(stmt);
                let found: Facts = (
                    got.functions.iter().map(|c| (c.name.clone(), c.nargs, c.location)).collect(),
                    got.columns.clone(),
                    got.casts.clone(),
                    got.operators.clone(),
                );
                // The serde form's maps are sorted by key, the walk follows the fields'
                // declared order: the same facts, each list in its own order.
                let sorted = |mut f: Facts| {
                    f.0.sort();
                    f.1.sort();
                    f.2.sort();
                    f.3.sort();
                    f
                };
                facts_seen += expected.0.len() + expected.1.len() + expected.2.len() + expected.3.len();
                assert_eq!(sorted(found), sorted(expected), "{sql:?}");
                statements += 1;
            }
        }
    }
    assert!(statements > 20_000 && facts_seen > 50_000, "{statements} statements, {facts_seen} facts");
}

/// The flat stream (vendor/README.md, change 4) is read into the very tree the protobuf path
/// decodes: equal, value for value, for every statement of PostgreSQL's regression suites and
/// of the corpus that parses. A statement only the flat path reads (protobuf's decoder stops at
/// 100 nested messages) must be one nested that deep.
#[test]
fn flat_trees_equal_the_protobuf_trees() {
    regression_suites();
    let corpus = common::corpus();
    let (mut equal, mut only_flat) = (0, 0);
    for entry in ignore::WalkBuilder::new(&corpus).standard_filters(false).build().filter_map(Result::ok) {
        if entry.path().extension().is_none_or(|e| e != "sql") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else { continue };
        for span in pgready::sql::script::split(&text).statements {
            let sql = &text[span.range];
            match pgready::sql::parse::trees_both_ways(sql) {
                (Some(flat), Some(protobuf)) => {
                    assert!(flat == protobuf, "{}: {sql:?}", entry.path().display());
                    equal += 1;
                }
                (None, Some(_)) => panic!("{}: only protobuf reads {sql:?}", entry.path().display()),
                (Some(flat), None) => {
                    let depth = nesting(&serde_json::to_string(&flat).unwrap());
                    assert!(depth > 50, "{}: only the flat stream reads {sql:?}", entry.path().display());
                    only_flat += 1;
                }
                (None, None) => {}
            }
        }
    }
    assert!(equal > 100_000, "{equal} statements compared ({only_flat} read by the flat stream only)");
}

/// The deepest nesting of objects in a JSON text.
fn nesting(json: &str) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0, false, false);
    for b in json.bytes() {
        match (in_string, escaped, b) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') => in_string = false,
            (true, ..) => {}
            (false, _, b'"') => in_string = true,
            (false, _, b'{') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (false, _, b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}
