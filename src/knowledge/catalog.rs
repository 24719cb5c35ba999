//! Columns of `pg_catalog` tables and views per major version (`pg/columns<major>.tsv`, read
//! off real servers by scripts/gen-knowledge.sh), and what replaced the removed ones.

use std::collections::{BTreeMap, HashSet};
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

static COLUMNS: LazyLock<BTreeMap<u32, HashSet<(&'static str, &'static str)>>> =
    LazyLock::new(|| COLUMNS_TSV.iter().map(|(v, tsv)| (*v, tsv.lines().filter_map(|l| l.split_once('\t')).collect())).collect());

static TARGET_RELATIONS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| COLUMNS[&TARGET].iter().map(|(r, _)| *r).collect());

/// A `pg_catalog` table or view of PostgreSQL 18.
pub fn is_catalog_relation(rel: &str) -> bool {
    TARGET_RELATIONS.contains(rel)
}

pub fn has_target_column(rel: &str, col: &str) -> bool {
    COLUMNS[&TARGET].contains(&(rel, col))
}

/// The release that removed `rel.col`, if it was removed after `from`.
pub fn removed_since(rel: &str, col: &str, from: u32) -> Option<u32> {
    after_oldest(&COLUMNS).find(|v| COLUMNS[&(v - 1)].contains(&(rel, col)) && !COLUMNS[v].contains(&(rel, col))).filter(|v| *v > from)
}

/// Whether `rel` lost any column after `from` (for `SELECT *` in views).
pub fn removed_columns(rel: &str, from: u32) -> Vec<(&'static str, u32)> {
    let mut out: Vec<(&'static str, u32)> = after_oldest(&COLUMNS)
        .filter(|v| *v > from)
        .flat_map(|v| {
            COLUMNS[&(v - 1)].iter().filter(move |(r, c)| *r == rel && !COLUMNS[&v].contains(&(rel, c))).map(move |(_, c)| (*c, v))
        })
        .collect();
    out.sort();
    out
}

/// What to use instead of a removed catalog column.
pub fn replacement(rel: &str, col: &str) -> Option<&'static str> {
    Some(match (rel, col) {
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
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removals_follow_the_real_servers() {
        assert_eq!(removed_since("pg_stat_wal", "wal_write", 17), Some(18));
        assert_eq!(removed_since("pg_stat_bgwriter", "checkpoints_timed", 13), Some(17));
        assert_eq!(removed_since("pg_stat_bgwriter", "checkpoints_timed", 17), None);
        assert_eq!(removed_since("pg_stat_wal", "wal_records", 13), None);
        assert!(removed_columns("pg_stat_wal", 16).iter().any(|(c, v)| *c == "wal_sync" && *v == 18));
        assert!(is_catalog_relation("pg_stat_checkpointer") && has_target_column("pg_stat_io", "read_bytes"));
        for (rel, col) in
            [("pg_stat_checkpointer", "num_timed"), ("pg_stat_progress_vacuum", "num_dead_item_ids"), ("pg_database", "datlocale")]
        {
            assert!(has_target_column(rel, col), "{rel}.{col}");
        }
    }
}
