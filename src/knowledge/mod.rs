//! Facts about PostgreSQL versions, as data. Every rule that needs a fact reads it from here.
//!
//! `pg/functions18.txt` and `pg/types18.txt` were read off a real PostgreSQL 18.6 server by
//! scripts/gen-knowledge.sh (`pg_proc`/`pg_type` in `pg_catalog`); the test `knowledge_matches_real_pg18` re-reads them
//! from the server the test suite starts, so they cannot drift.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

pub mod catalog;
pub mod functions;
pub mod settings;
pub mod target;

pub const TARGET_FUNCTIONS_TXT: &str = include_str!("pg/functions18.txt");
pub const TARGET_TYPES_TXT: &str = include_str!("pg/types18.txt");

static BUILTIN_FUNCTIONS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| TARGET_FUNCTIONS_TXT.lines().collect());
static BUILTIN_TYPES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| TARGET_TYPES_TXT.lines().collect());

/// A function of that name exists in PostgreSQL 18's `pg_catalog`.
pub fn is_builtin_function(name: &str) -> bool {
    BUILTIN_FUNCTIONS.contains(name)
}

/// A type of that (internal) name exists in PostgreSQL 18's `pg_catalog`.
pub fn is_builtin_type(name: &str) -> bool {
    BUILTIN_TYPES.contains(name)
}

/// A built-in type that is not a catalog's row type (`pg_class` is both a relation and a
/// composite type; `int4` is only a type).
pub fn is_builtin_type_non_composite(name: &str) -> bool {
    is_builtin_type(name) && !catalog::is_catalog_relation(name)
}

/// Type names as the grammar writes them, mapped to their `pg_type.typname`.
pub fn canonical_type_name(name: &str) -> &str {
    match name {
        "integer" | "int" => "int4",
        "smallint" => "int2",
        "bigint" => "int8",
        "real" => "float4",
        "double precision" | "float" => "float8",
        "boolean" => "bool",
        "character varying" | "varchar" => "varchar",
        // Not `char`: the grammar turns `char` into `pg_catalog.bpchar` itself, so a `char` that
        // reaches here was written `"char"`, the one-byte type.
        "character" => "bpchar",
        "decimal" => "numeric",
        "timestamp with time zone" => "timestamptz",
        "time with time zone" => "timetz",
        other => other,
    }
}

/// A function name to which PostgreSQL added signatures in `pg_catalog` after 13: a user
/// function of the same name and arguments is shadowed for unqualified calls, because
/// `pg_catalog` is searched first.
pub struct NewBuiltinFunction {
    pub name: &'static str,
    /// Each new argument list (`pg_type` names) and the release that added it.
    pub signatures: Vec<(Vec<&'static str>, u32)>,
}

impl NewBuiltinFunction {
    /// The argument lists added after `from`, with the release that added each.
    pub fn added_after(&self, from: u32) -> impl Iterator<Item = (&[&'static str], u32)> {
        self.signatures.iter().filter(move |(_, since)| *since > from).map(|(args, since)| (args.as_slice(), *since))
    }
}

/// The signatures 18 has and 13 had not (`pg/new_functions18.tsv`: name, argument types,
/// release; scripts/gen-knowledge.sh computes it from the six real servers).
pub const NEW_FUNCTIONS_TSV: &str = include_str!("pg/new_functions18.tsv");

static NEW_BUILTIN_FUNCTIONS: LazyLock<HashMap<&'static str, NewBuiltinFunction>> = LazyLock::new(|| {
    let mut out: HashMap<&'static str, NewBuiltinFunction> = HashMap::new();
    for line in NEW_FUNCTIONS_TSV.lines() {
        let mut f = line.split('\t');
        let (Some(name), Some(args), Some(since)) = (f.next(), f.next(), f.next().and_then(|v| v.parse().ok())) else { continue };
        let args = if args.is_empty() { Vec::new() } else { args.split(',').collect() };
        out.entry(name).or_insert_with(|| NewBuiltinFunction { name, signatures: Vec::new() }).signatures.push((args, since));
    }
    out
});

pub fn new_builtin_function(name: &str) -> Option<&'static NewBuiltinFunction> {
    NEW_BUILTIN_FUNCTIONS.get(name)
}

/// Contrib extensions a PostgreSQL release removed: (name, the major that no longer ships it,
/// what replaces it). tests/pg_oracle.rs derives them from the test servers (available on a
/// source, on neither 18 build); plpython2u and plpythonu themselves need a Python 2 build,
/// which no test server has.
/// How an extension's library meets a new major: what decides which of its versions the new
/// installation must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtensionLibrary {
    /// One library for every version (`vector.so`, `postgis-3.so`): any build for the new major
    /// loads the old catalog's objects, and `after` brings them to the new version.
    Unversioned,
    /// A library per version (TimescaleDB's loader opens `timescaledb-<version>.so`), or a
    /// project that requires the same version on both sides (Citus): the version installed in
    /// the old cluster must also exist, built for the new major.
    SameVersionOnBoth,
    /// No update path at all: the extension must be dropped and created again (pg_repack).
    Recreate,
}

/// A third-party extension's first version that supports PostgreSQL 18, from its own release
/// notes: (name, first version, library, what to run in the new cluster after pg_upgrade when it
/// is not `ALTER EXTENSION name UPDATE`, source). Only extensions whose projects say so are
/// listed; the others are not judged.
pub const EXTENSIONS_FOR_18: &[(&str, &str, ExtensionLibrary, Option<&str>, &str)] = &[
    (
        "postgis",
        "3.6.0",
        ExtensionLibrary::Unversioned,
        Some("SELECT postgis_extensions_upgrade();"),
        "https://postgis.net/2025/09/PostGIS-3.6.0/ (\"requires PostgreSQL 12 - 18\")",
    ),
    (
        "vector",
        "0.8.1",
        ExtensionLibrary::Unversioned,
        None,
        "https://github.com/pgvector/pgvector/blob/master/CHANGELOG.md (0.8.1: \"Added support for Postgres 18\")",
    ),
    (
        "timescaledb",
        "2.23.0",
        ExtensionLibrary::SameVersionOnBoth,
        None,
        "https://github.com/timescale/timescaledb/releases/tag/2.23.0 (PostgreSQL 18 supported from this release)",
    ),
    (
        "citus",
        "14.0",
        ExtensionLibrary::SameVersionOnBoth,
        None,
        "https://www.citusdata.com/updates/v14-0 (\"The headline for 14 is PostgreSQL 18 support\")",
    ),
    (
        "pg_repack",
        "1.5.3",
        ExtensionLibrary::Recreate,
        None,
        "https://reorg.github.io/pg_repack/ (upgrading: drop the old version and install the new one); 1.5.3 is packaged for 18 by apt.postgresql.org",
    ),
];

/// Whether dotted version `a` is older than `b` (`3.4.2` < `3.6.0`, `12.1-1` < `14.0`); None
/// when either is not made of numbers (`mock-1`, `2.0.0-dev`): such a version is not judged.
pub fn version_older(a: &str, b: &str) -> Option<bool> {
    let parts = |v: &str| -> Option<Vec<u64>> { v.split(['.', '-']).map(|p| p.trim().parse().ok()).collect() };
    let (a, b) = (parts(a)?, parts(b)?);
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (a.get(i).copied().unwrap_or(0), b.get(i).copied().unwrap_or(0));
        if x != y {
            return Some(x < y);
        }
    }
    Some(false)
}

pub const REMOVED_EXTENSIONS: &[(&str, u32, &str)] = &[
    (
        "adminpack",
        17,
        "its file functions served pgAdmin; core keeps pg_read_file(), pg_ls_dir() and pg_stat_file() (pg_file_write() and friends are gone)",
    ),
    ("old_snapshot", 17, "it inspected old_snapshot_threshold, which PostgreSQL 17 removed as well"),
    // PL/Python 2, removed in 15 with its transforms (plpythonu was Python 2 too).
    ("plpython2u", 15, "PL/Python 2 was removed: port the functions to plpython3u"),
    ("plpythonu", 15, "PL/Python 2 was removed (plpythonu meant Python 2): port the functions to plpython3u"),
    ("hstore_plpython2u", 15, "PL/Python 2 was removed: use hstore_plpython3u"),
    ("hstore_plpythonu", 15, "PL/Python 2 was removed: use hstore_plpython3u"),
    ("jsonb_plpython2u", 15, "PL/Python 2 was removed: use jsonb_plpython3u"),
    ("jsonb_plpythonu", 15, "PL/Python 2 was removed: use jsonb_plpython3u"),
    ("ltree_plpython2u", 15, "PL/Python 2 was removed: use ltree_plpython3u"),
    ("ltree_plpythonu", 15, "PL/Python 2 was removed: use ltree_plpython3u"),
];

/// Random (v4) UUID generators whose defaults PostgreSQL 18's `uuidv7()` can replace.
pub const RANDOM_UUID_FUNCTIONS: &[&str] = &["gen_random_uuid", "uuid_generate_v4", "uuidv4"];

/// Functions of the pg_uuidv7 extension (or hand-rolled copies of it) with a core equivalent
/// on PostgreSQL 18: (name, number of arguments, core replacement).
pub const V7_FUNCTIONS_WITH_CORE_EQUIVALENT: &[(&str, usize, &str)] =
    &[("uuid_generate_v7", 0, "uuidv7"), ("uuid_v7_to_timestamptz", 1, "uuid_extract_timestamp")];

/// Data types pg_upgrade refuses in user tables (check.c, `check_for_data_types_usage`):
/// (type, the newest source version it is refused from, why).
pub const PG_UPGRADE_REFUSED_TYPES: &[(&str, u32, &str)] = &[
    ("regcollation", 17, "reg* values are OIDs, which pg_upgrade does not preserve"),
    ("regconfig", 17, "reg* values are OIDs, which pg_upgrade does not preserve"),
    ("regdictionary", 17, "reg* values are OIDs, which pg_upgrade does not preserve"),
    ("regnamespace", 17, "reg* values are OIDs, which pg_upgrade does not preserve"),
    ("regoper", 17, "reg* values are OIDs, which pg_upgrade does not preserve"),
    ("regoperator", 17, "reg* values are OIDs, which pg_upgrade does not preserve"),
    ("regproc", 17, "reg* values are OIDs, which pg_upgrade does not preserve"),
    ("regprocedure", 17, "reg* values are OIDs, which pg_upgrade does not preserve"),
    ("aclitem", 15, "the on-disk format of aclitem changed in PostgreSQL 16"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_by_their_numbers_and_others_are_not_judged() {
        assert_eq!(version_older("3.4.2", "3.6.0"), Some(true));
        assert_eq!(version_older("12.1-1", "14.0"), Some(true));
        assert_eq!(version_older("14.0-1", "14.0"), Some(false));
        assert_eq!(version_older("0.8.1", "0.8.1"), Some(false));
        assert_eq!(version_older("mock-1", "2.23.0"), None);
    }

    #[test]
    fn new_functions_are_builtin_on_18() {
        for f in NEW_BUILTIN_FUNCTIONS.values() {
            assert!(is_builtin_function(f.name), "{}", f.name);
            assert!(f.signatures.iter().all(|(_, since)| (14..=18).contains(since)), "{}", f.name);
        }
        // Read off the servers: random(int, int) came with 17, any_value with 16, uuidv7 with 18.
        let since = |name: &str, args: &[&str]| {
            new_builtin_function(name).and_then(|f| f.signatures.iter().find(|(a, _)| a == args)).map(|(_, v)| *v)
        };
        assert_eq!(since("random", &["int4", "int4"]), Some(17));
        assert_eq!(since("any_value", &["anyelement"]), Some(16));
        assert_eq!(since("uuidv7", &[]), Some(18));
        assert_eq!(since("reverse", &["text"]), None, "reverse(text) is old");
        assert!(is_builtin_type("int4") && is_builtin_type("uuid") && !is_builtin_type("mood"));
    }
}
