//! Columns of the relations a query may name without owning them, per major version
//! (`pg/columns<major>.tsv`, read off real servers by scripts/gen-knowledge.sh with
//! scripts/columns.sql): the tables and views of `pg_catalog` and `information_schema`, and the
//! views of the contrib extensions that have any (`pg_stat_statements`, `pg_buffercache`), each
//! under its home: the schema, or the extension's name. And what replaced the removed columns.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::LazyLock;

use super::target::{TARGET, after_oldest};

pub const COLUMNS_TSV: &[(u32, &str)] = &[
    (13, include_str!("pg/columns13.tsv")),
    (14, include_str!("pg/columns14.tsv")),
    (15, include_str!("pg/columns15.tsv")),
    (16, include_str!("pg/columns16.tsv")),
    (17, include_str!("pg/columns17.tsv")),
    (18, include_str!("pg/columns18.tsv")),
];

/// A relation the server or an extension defines: `home` is `pg_catalog`, `information_schema`
/// or the name of the extension whose member it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Relation {
    pub home: &'static str,
    pub name: &'static str,
}

impl Relation {
    /// The extension the relation belongs to, when it is an extension's.
    pub fn extension(&self) -> Option<&'static str> {
        (!matches!(self.home, "pg_catalog" | "information_schema")).then_some(self.home)
    }

    /// The name a message gives it: `information_schema.` names are qualified, being common words.
    pub fn display(&self) -> String {
        if self.home == "information_schema" { format!("information_schema.{}", self.name) } else { self.name.to_string() }
    }
}

type Columns = HashSet<(Relation, &'static str)>;

static COLUMNS: LazyLock<BTreeMap<u32, Columns>> = LazyLock::new(|| {
    COLUMNS_TSV
        .iter()
        .map(|(v, tsv)| {
            let rows = tsv.lines().filter_map(|l| {
                let mut f = l.splitn(3, '\t');
                Some((Relation { home: f.next()?, name: f.next()? }, f.next()?))
            });
            (*v, rows.collect())
        })
        .collect()
});

/// Every relation any version had, by name: where a name in a query may point.
static RELATIONS: LazyLock<HashMap<&'static str, Vec<Relation>>> = LazyLock::new(|| {
    let mut by_name: HashMap<&'static str, Vec<Relation>> = HashMap::new();
    for rel in COLUMNS.values().flatten().map(|(r, _)| *r) {
        let homes = by_name.entry(rel.name).or_default();
        if !homes.contains(&rel) {
            homes.push(rel);
        }
    }
    by_name
});

static TARGET_CATALOG: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| COLUMNS[&TARGET].iter().filter(|(r, _)| r.home == "pg_catalog").map(|(r, _)| r.name).collect());

/// A `pg_catalog` table or view of PostgreSQL 18.
pub fn is_catalog_relation(rel: &str) -> bool {
    TARGET_CATALOG.contains(rel)
}

/// The known relation a query's `schema.rel` names (`schema` empty when unqualified): a
/// `pg_catalog` relation unqualified or qualified so, an `information_schema` one only
/// qualified, an extension's relation unqualified or in any other schema (extensions are
/// installed where their users chose). Whether a user relation of that name hides it is for the
/// caller to know.
pub fn relation(schema: &str, rel: &str) -> Option<Relation> {
    let homes = RELATIONS.get(rel)?;
    let home_ok = |r: &&Relation| match (schema, r.home) {
        ("" | "pg_catalog", "pg_catalog") => true,
        ("information_schema", "information_schema") => true,
        ("pg_catalog" | "information_schema", _) => false,
        _ => r.extension().is_some(),
    };
    homes.iter().find(home_ok).copied()
}

pub fn has_target_column(rel: Relation, col: &str) -> bool {
    COLUMNS[&TARGET].contains(&(rel, col))
}

/// The release that removed `rel.col`, if it was removed after `from`.
pub fn removed_since(rel: Relation, col: &str, from: u32) -> Option<u32> {
    after_oldest(&COLUMNS).find(|v| COLUMNS[&(v - 1)].contains(&(rel, col)) && !COLUMNS[v].contains(&(rel, col))).filter(|v| *v > from)
}

/// Whether `rel` lost any column after `from` (for `SELECT *` in views).
pub fn removed_columns(rel: Relation, from: u32) -> Vec<(&'static str, u32)> {
    let mut out: Vec<(&'static str, u32)> = after_oldest(&COLUMNS)
        .filter(|v| *v > from)
        .flat_map(|v| {
            COLUMNS[&(v - 1)].iter().filter(move |(r, c)| *r == rel && !COLUMNS[&v].contains(&(rel, c))).map(move |(_, c)| (*c, v))
        })
        .collect();
    out.sort();
    out
}

/// Every relation that lost a column in some release after the oldest.
pub fn relations_with_removed_columns() -> Vec<Relation> {
    let mut out: Vec<Relation> = after_oldest(&COLUMNS)
        .flat_map(|v| COLUMNS[&(v - 1)].iter().filter(move |row| !COLUMNS[&v].contains(row)).map(|(r, _)| *r))
        .collect();
    out.sort_by_key(|r| (r.home, r.name));
    out.dedup();
    out
}

/// Whether `rel` lost a column in some release after the oldest (a cheap test, asked of every
/// relation a statement names).
pub fn lost_columns(rel: Relation) -> bool {
    static LOST: LazyLock<HashSet<Relation>> = LazyLock::new(|| relations_with_removed_columns().into_iter().collect());
    LOST.contains(&rel)
}

/// What to use instead of a removed catalog column.
pub fn replacement(rel: Relation, col: &str) -> Option<&'static str> {
    Some(match (rel.name, col) {
        ("pg_stat_bgwriter", "checkpoints_timed") => "pg_stat_checkpointer.num_timed",
        ("pg_stat_bgwriter", "checkpoints_req") => "pg_stat_checkpointer.num_requested",
        ("pg_stat_bgwriter", "checkpoint_write_time") => "pg_stat_checkpointer.write_time",
        ("pg_stat_bgwriter", "checkpoint_sync_time") => "pg_stat_checkpointer.sync_time",
        ("pg_stat_bgwriter", "buffers_checkpoint") => "pg_stat_checkpointer.buffers_written",
        ("pg_stat_bgwriter", "buffers_backend" | "buffers_backend_fsync") => "pg_stat_io (writes and fsyncs of client backends)",
        ("pg_stat_wal", "wal_write" | "wal_sync" | "wal_write_time" | "wal_sync_time") => "pg_stat_io rows with object = 'wal'",
        ("pg_stat_io", "op_bytes") => "read_bytes, write_bytes and extend_bytes",
        ("pg_backend_memory_contexts", "parent") => "path (an array of context ids) and type",
        ("pg_stat_progress_vacuum", "max_dead_tuples") => "max_dead_tuple_bytes",
        ("pg_stat_progress_vacuum", "num_dead_tuples") => "num_dead_item_ids",
        ("pg_database", "daticulocale") => "datlocale",
        ("pg_collation", "colliculocale") => "colllocale",
        ("pg_stat_statements", "blk_read_time") => "shared_blk_read_time (and local_blk_read_time, which it also counted)",
        ("pg_stat_statements", "blk_write_time") => "shared_blk_write_time (and local_blk_write_time, which it also counted)",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removals_follow_the_real_servers() {
        let catalog = |name| relation("", name).unwrap();
        assert_eq!(removed_since(catalog("pg_stat_wal"), "wal_write", 17), Some(18));
        assert_eq!(removed_since(catalog("pg_stat_bgwriter"), "checkpoints_timed", 13), Some(17));
        assert_eq!(removed_since(catalog("pg_stat_bgwriter"), "checkpoints_timed", 17), None);
        assert_eq!(removed_since(catalog("pg_stat_wal"), "wal_records", 13), None);
        assert!(removed_columns(catalog("pg_stat_wal"), 16).iter().any(|(c, v)| *c == "wal_sync" && *v == 18));
        assert!(is_catalog_relation("pg_stat_checkpointer") && has_target_column(catalog("pg_stat_io"), "read_bytes"));
        for (rel, col) in
            [("pg_stat_checkpointer", "num_timed"), ("pg_stat_progress_vacuum", "num_dead_item_ids"), ("pg_database", "datlocale")]
        {
            assert!(has_target_column(catalog(rel), col), "{rel}.{col}");
        }
    }

    #[test]
    fn information_schema_and_extension_relations_have_their_homes() {
        // information_schema only when qualified so: an unqualified `columns` is a user table.
        assert_eq!(relation("", "element_types"), None);
        let element_types = relation("information_schema", "element_types").unwrap();
        assert_eq!(removed_since(element_types, "domain_default", 16), Some(17));
        assert_eq!(relation("pg_catalog", "element_types"), None);
        // An extension's view, unqualified or in the schema it was installed in.
        let pgss = relation("", "pg_stat_statements").unwrap();
        assert_eq!((pgss.extension(), relation("monitoring", "pg_stat_statements")), (Some("pg_stat_statements"), Some(pgss)));
        assert_eq!(relation("pg_catalog", "pg_stat_statements"), None);
        assert_eq!(removed_since(pgss, "blk_read_time", 15), Some(17));
        assert!(has_target_column(pgss, "shared_blk_read_time") && !is_catalog_relation("pg_stat_statements"));
        assert_eq!(relation("", "pg_stat_wal").and_then(|r| r.extension()), None);
    }
}
