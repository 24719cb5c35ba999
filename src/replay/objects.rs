//! What the replayed statements made, read from the replay database's catalogs so that the
//! target's objects can be compared with the baseline's: the properties that say how an object
//! behaves (a subscription's streaming mode, a column's generation kind, a relation's
//! persistence...), never oids, sizes or statistics. A property is compared only when both
//! servers have it (a catalog column new in 18 says nothing about a change).

use std::collections::BTreeMap;

use tokio_postgres::Client;

/// Object ("subscription s", "column public.t.c"...) → property → value.
pub type Objects = BTreeMap<String, BTreeMap<String, String>>;

/// Each catalog read: the object's key, its row as JSON, and the columns that matter.
const READS: &[(&str, &[&str])] = &[
    (
        "SELECT 'subscription ' || s.subname, to_jsonb(s)::text FROM pg_subscription s \
         WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())",
        &[
            "subenabled",
            "subbinary",
            "substream",
            "subtwophasestate",
            "subdisableonerr",
            "subpasswordrequired",
            "subrunasowner",
            "subfailover",
            "subsynccommit",
            "suborigin",
            "subpublications",
        ],
    ),
    (
        "SELECT 'publication ' || p.pubname, to_jsonb(p)::text FROM pg_publication p",
        &["puballtables", "pubinsert", "pubupdate", "pubdelete", "pubtruncate", "pubviaroot"],
    ),
    (
        "SELECT 'relation ' || n.nspname || '.' || c.relname, \
         (to_jsonb(c) || jsonb_build_object('definition', CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END))::text \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%' \
         AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')",
        &["relkind", "relpersistence", "relreplident", "relrowsecurity", "relforcerowsecurity", "relispartition", "definition"],
    ),
    (
        "SELECT 'index ' || n.nspname || '.' || t.relname || '.' || c.relname, \
         jsonb_build_object('definition', pg_get_indexdef(i.indexrelid), 'indisunique', i.indisunique)::text \
         FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%'",
        &["definition", "indisunique"],
    ),
    (
        "SELECT 'constraint ' || n.nspname || '.' || t.relname || '.' || k.conname, \
         jsonb_build_object('definition', pg_get_constraintdef(k.oid), 'condeferrable', k.condeferrable, \
         'condeferred', k.condeferred, 'convalidated', k.convalidated)::text \
         FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%'",
        &["definition", "condeferrable", "condeferred", "convalidated"],
    ),
    (
        "SELECT 'trigger ' || n.nspname || '.' || t.relname || '.' || g.tgname, \
         jsonb_build_object('definition', pg_get_triggerdef(g.oid), 'tgenabled', g.tgenabled)::text \
         FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE NOT g.tgisinternal AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')",
        &["definition", "tgenabled"],
    ),
    (
        "SELECT 'column ' || n.nspname || '.' || c.relname || '.' || a.attname, \
         (to_jsonb(a) || jsonb_build_object('type', format_type(a.atttypid, a.atttypmod), \
         'default', pg_get_expr(d.adbin, d.adrelid)))::text \
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
         WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f', 'm', 'v') \
         AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%'",
        &["attgenerated", "attidentity", "attnotnull", "type", "default"],
    ),
    (
        "SELECT 'function ' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', \
         (to_jsonb(p) || jsonb_build_object('definition', CASE WHEN p.prokind IN ('f', 'p') THEN pg_get_functiondef(p.oid) END))::text \
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')",
        &["prokind", "provolatile", "proparallel", "prosecdef", "proleakproof", "proisstrict", "definition"],
    ),
];

/// The objects of the database `client` is connected to. A catalog that cannot be read (an
/// older server without it) contributes nothing.
pub async fn read(client: &Client) -> Objects {
    let mut objects = Objects::new();
    for (sql, columns) in READS {
        let Ok(rows) = client.query(*sql, &[]).await else { continue };
        for row in rows {
            let (Ok(key), Ok(json)) = (row.try_get::<_, String>(0), row.try_get::<_, String>(1)) else { continue };
            let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(&json) else { continue };
            let props = objects.entry(key).or_default();
            for c in *columns {
                if let Some(v) = map.get(*c) {
                    props.insert((*c).to_string(), normal(v));
                }
            }
        }
    }
    objects
}

/// One spelling for values whose catalog type changed (`substream` was a boolean before 16);
/// definitions with their runs of white space as one space (the layout of a printed
/// definition is not the object).
fn normal(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Bool(true) => "t".into(),
        serde_json::Value::Bool(false) => "f".into(),
        serde_json::Value::String(s) => s.split_whitespace().collect::<Vec<_>>().join(" "),
        other => other.to_string(),
    }
}

/// A difference of one object between the baseline and the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub object: String,
    /// (property, baseline value, target value), for the properties both servers have.
    pub properties: Vec<(String, String, String)>,
}

/// The objects both servers made whose shared properties differ.
pub fn compare(baseline: &Objects, target: &Objects) -> Vec<Change> {
    let mut out = Vec::new();
    for (object, new) in target {
        let Some(old) = baseline.get(object) else { continue };
        let properties: Vec<(String, String, String)> =
            new.iter().filter_map(|(k, v)| old.get(k).filter(|o| *o != v).map(|o| (k.clone(), o.clone(), v.clone()))).collect();
        if !properties.is_empty() {
            out.push(Change { object: object.clone(), properties });
        }
    }
    out
}

/// How a property reads in a message: the catalog's codes in the words of the SQL option.
pub fn describe(property: &str, value: &str) -> String {
    let named = match (property, value) {
        ("substream", "f") => "streaming = off",
        ("substream", "t") => "streaming = on",
        ("substream", "p") => "streaming = parallel",
        ("attgenerated", "s") => "generated STORED",
        ("attgenerated", "v") => "generated VIRTUAL",
        ("attgenerated", "") => "not generated",
        ("relpersistence", "p") => "permanent",
        ("relpersistence", "u") => "UNLOGGED",
        ("relpersistence", "t") => "temporary",
        ("definition", _) => return format!("`{value}`"),
        ("default", "null") => "no default",
        ("default", _) => return format!("DEFAULT {value}"),
        _ => return format!("{property} = {value}"),
    };
    named.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn objects(list: &[(&str, &[(&str, &str)])]) -> Objects {
        list.iter().map(|(k, props)| (k.to_string(), props.iter().map(|(p, v)| (p.to_string(), v.to_string())).collect())).collect()
    }

    #[test]
    fn only_shared_properties_of_shared_objects_are_compared() {
        let old = objects(&[("subscription s", &[("substream", "f"), ("subenabled", "f")]), ("relation public.gone", &[("relkind", "r")])]);
        let new = objects(&[
            ("subscription s", &[("substream", "p"), ("subenabled", "f"), ("subfailover", "f")]),
            ("relation public.new", &[("relkind", "r")]),
        ]);
        let changes = compare(&old, &new);
        assert_eq!(
            changes,
            vec![Change { object: "subscription s".into(), properties: vec![("substream".into(), "f".into(), "p".into())] }]
        );
        assert_eq!(describe("substream", "p"), "streaming = parallel");
        assert_eq!(describe("default", "null"), "no default");
        assert_eq!(describe("definition", "CHECK ((a > 0))"), "`CHECK ((a > 0))`");
        // A printed definition's layout is not the object.
        assert_eq!(normal(&serde_json::Value::String(" SELECT a\n   FROM t;".into())), "SELECT a FROM t;");
        assert_eq!(normal(&serde_json::Value::Bool(false)), "f");
    }
}
