//! Names of `pg_catalog` functions per major version (`pg/functions<major>.txt`, read off real
//! servers by scripts/gen-knowledge.sh): which names a release removed.

use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

use super::target::after_oldest;

pub const FUNCTIONS_TXT: &[(u32, &str)] = &[
    (13, include_str!("pg/functions13.txt")),
    (14, include_str!("pg/functions14.txt")),
    (15, include_str!("pg/functions15.txt")),
    (16, include_str!("pg/functions16.txt")),
    (17, include_str!("pg/functions17.txt")),
    (18, include_str!("pg/functions18.txt")),
];

static NAMES: LazyLock<BTreeMap<u32, HashSet<&'static str>>> =
    LazyLock::new(|| FUNCTIONS_TXT.iter().map(|(v, txt)| (*v, txt.lines().collect())).collect());

/// The release after `from` that removed every function named `name` from `pg_catalog`.
pub fn removed_since(name: &str, from: u32) -> Option<u32> {
    after_oldest(&NAMES).find(|v| NAMES[&(v - 1)].contains(name) && !NAMES[v].contains(name)).filter(|v| *v > from)
}

/// Whether PostgreSQL `major` has a `pg_catalog` function named `name`.
pub fn exists(name: &str, major: u32) -> bool {
    NAMES.get(&major).is_some_and(|n| n.contains(name))
}

/// Every function name removed between 13 and 18.
pub fn removed_names() -> Vec<&'static str> {
    let mut out: Vec<&'static str> =
        after_oldest(&NAMES).flat_map(|v| NAMES[&(v - 1)].iter().filter(move |n| !NAMES[&v].contains(*n)).copied()).collect();
    out.sort_unstable();
    out
}

/// Built-in signatures each release removed (name, argument types as pg_type spells them,
/// comma-separated; the release), read off the real servers like the names.
pub const REMOVED_SIGNATURES_TSV: &str = include_str!("pg/removed_signatures.tsv");

static REMOVED_SIGNATURES: LazyLock<Vec<(&'static str, &'static str, u32)>> = LazyLock::new(|| {
    REMOVED_SIGNATURES_TSV
        .lines()
        .filter_map(|l| {
            let mut f = l.split('\t');
            Some((f.next()?, f.next()?, f.next()?.parse().ok()?))
        })
        .collect()
});

/// The release after `from` that removed the built-in `name(args)` (argument types as pg_type
/// names them: `int4`, `_text`), whether or not other signatures of the name remain.
pub fn signature_removed_since(name: &str, args: &[&str], from: u32) -> Option<u32> {
    let joined = args.join(",");
    REMOVED_SIGNATURES.iter().find(|(n, a, v)| *n == name && *a == joined && *v > from).map(|(_, _, v)| *v)
}

/// Names of which a release after 13 removed some signatures but kept others.
pub fn names_with_removed_signatures() -> Vec<&'static str> {
    let gone = removed_names();
    let mut out: Vec<&'static str> = REMOVED_SIGNATURES.iter().map(|(n, _, _)| *n).filter(|n| !gone.contains(n)).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// What to call instead.
pub fn replacement(name: &str) -> Option<&'static str> {
    Some(match name {
        "pg_start_backup" => "pg_backup_start() (non-exclusive: the same session must call pg_backup_stop())",
        "pg_stop_backup" => "pg_backup_stop()",
        "pg_is_in_backup" | "pg_backup_start_time" => "nothing: exclusive backup mode is gone; use pg_backup_start()/pg_backup_stop()",
        "pg_read_file_old" => "pg_read_file()",
        "numeric_fac" => "factorial()",
        "currtid" => "currtid2(), which takes the relation's name",
        "pg_rotate_logfile_old" => "pg_rotate_logfile()",
        "pg_timezone_abbrevs" => "the pg_timezone_abbrevs view, or pg_timezone_abbrevs_zone()/pg_timezone_abbrevs_abbrevs()",
        n if n.starts_with("pg_stat_get_checkpoint") || n.starts_with("pg_stat_get_bgwriter_") => "the pg_stat_checkpointer view",
        n if n.starts_with("pg_stat_get_buf_") => "the pg_stat_io view",
        _ => return None,
    })
}

/// Functions of contrib extensions that a release's version of the extension removed: (name,
/// extension, the release, what to call instead). Read off the real servers (pg_walinspect 1.0
/// on 15, 1.1 on 16 and 18).
pub const REMOVED_EXTENSION_FUNCTIONS: &[(&str, &str, u32, &str)] = &[
    (
        "pg_get_wal_records_info_till_end_of_wal",
        "pg_walinspect",
        16,
        "pg_get_wal_records_info(start_lsn, 'FFFFFFFF/FFFFFFFF'): an end past the WAL's end reads to it",
    ),
    (
        "pg_get_wal_stats_till_end_of_wal",
        "pg_walinspect",
        16,
        "pg_get_wal_stats(start_lsn, 'FFFFFFFF/FFFFFFFF', per_record): an end past the WAL's end reads to it",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removals_follow_the_real_servers() {
        assert_eq!(removed_since("pg_start_backup", 14), Some(15));
        assert_eq!(removed_since("pg_start_backup", 15), None);
        assert_eq!(removed_since("pg_read_file_old", 13), Some(17));
        assert_eq!(removed_since("now", 13), None);
        // Read off a real 13 server: 14 removed them.
        assert_eq!(removed_since("numeric_fac", 13), Some(14));
        assert_eq!(removed_since("numeric_fac", 14), None);
        assert!(removed_names().contains(&"pg_stop_backup"));
    }
}
