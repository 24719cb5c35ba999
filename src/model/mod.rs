//! One model of the schema as the migrations build it up. Every input is folded into a
//! `Schema`; rules read it and never parse anything themselves.

use std::collections::{HashMap, HashSet};

use std::sync::Arc;

use pg_query::protobuf::Node;

use crate::diagnostic::{FileId, Origin};

mod apply;
pub mod facts;
mod search_path;

use crate::sql::kinds::StatementKind;
use crate::sql::tree::GenerationTail;
pub use facts::CatalogFacts;
pub use search_path::Unqualified;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeneratedKind {
    Stored,
    Virtual,
}

#[derive(Debug, Clone)]
pub struct Generated {
    pub kind: GeneratedKind,
    /// `STORED`/`VIRTUAL` was written; otherwise the kind is PostgreSQL 18's default (VIRTUAL).
    pub explicit: bool,
    /// The `GENERATED ... (expr) [STORED|VIRTUAL]` clause.
    pub clause: Origin,
    /// Where to write a keyword, or the keyword to replace: the fix for "make it STORED".
    pub tail: GenerationTail,
    /// The generation expression as parsed, for rules that inspect it.
    pub expr: Option<Box<Node>>,
    /// Byte offset of the statement the expression's locations are relative to.
    pub expr_base: usize,
}

#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    /// Type name as written, e.g. `["pg_catalog", "int4"]` or `["mood"]`.
    pub type_name: Vec<String>,
    pub generated: Option<Generated>,
    /// `NOT NULL` (also implied by a primary key).
    pub not_null: bool,
    /// `COLLATE name` as written (unqualified, lower-cased); None: the type's default.
    pub collation: Option<String>,
    /// Its default calls a random-UUID function (`gen_random_uuid()`...): where the call is, and
    /// the function's name as written. Set wherever the default is set (`CREATE TABLE`, `ADD
    /// COLUMN`, `ALTER COLUMN ... SET DEFAULT`), cleared by `DROP DEFAULT`.
    pub random_uuid_default: Option<(Origin, String)>,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub key: String,
    pub columns: Vec<Column>,
    pub partitioned: bool,
    /// A foreign table (`CREATE FOREIGN TABLE`).
    pub foreign: bool,
    /// Keys of the tables it inherits from or is a partition of. Fixed when the table is
    /// created (the schema's index of inheritance children relies on it).
    pub parents: Vec<String>,
    /// A partition (`PARTITION OF`), as opposed to a traditional inheritance child. Fixed
    /// when the table is created, as `parents` is.
    pub is_partition: bool,
    /// The primary key's columns (empty: none known).
    pub primary_key: Vec<String>,
    /// The columns of each UNIQUE constraint.
    pub unique_keys: Vec<Vec<String>>,
    pub origin: Origin,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

#[derive(Debug, Clone)]
pub struct Function {
    pub schema: Option<String>,
    pub arg_types: Vec<String>,
    /// How many of the arguments have no DEFAULT (a call may leave out the others).
    pub required_args: usize,
    /// `SECURITY DEFINER`: runs as its owner, whoever calls it.
    pub security_definer: bool,
    pub origin: Origin,
    /// The whole `CREATE FUNCTION` statement when its body is resolved each time it runs, with
    /// the caller's search_path (a `LANGUAGE sql` body as a string, or PL/pgSQL) and the
    /// function sets no search_path of its own: what it refers to unqualified is resolved with
    /// whatever search_path is in force (see [`Function::unqualified_references`]).
    pub path_dependent_definition: Option<Arc<str>>,
    /// What that body names without a schema, read on first use (shared by the model's copies).
    pub unqualified: Arc<std::sync::OnceLock<Vec<Unqualified>>>,
}

/// The statement kinds [`Schema::apply`] folds: their trees are always kept. Every other kind
/// leaves the model as it is.
pub const FOLDED_KINDS: &[StatementKind] = &[
    StatementKind::CreateTable,
    StatementKind::CreateForeignTable,
    StatementKind::AlterTable,
    StatementKind::Rename,
    StatementKind::DropTable,
    StatementKind::CreateFunction,
    StatementKind::CreateEnum,
    StatementKind::CreateCompositeType,
    StatementKind::CreateDomain,
    StatementKind::CreateRange,
    StatementKind::Define,
    StatementKind::CreateExtension,
    StatementKind::CreateSubscription,
    StatementKind::DropSubscription,
    // Folded through its body, by the engine (a DO block's statements run).
    StatementKind::Do,
];

#[derive(Debug, Default, Clone)]
pub struct Schema {
    /// Tables by `schema.name` key. Change it only through `insert_table`/`remove_table`, which
    /// keep `keys_by_name` in step.
    /// A persistent map, as are the other maps a down migration changes: a down migration
    /// lints against a copy of the schema, which costs a pointer per map, and a change to the
    /// copy copies the map's path to the entry only (a table only when that table changes).
    /// Copy-on-write of whole `BTreeMap`s cost 2.4% of a corpus run: lemmy's 342 down migrations
    /// each copied and freed the whole model.
    pub tables: imbl::OrdMap<String, Arc<Table>>,
    /// Unqualified table name → the keys of the tables of that name (for lookups without schema).
    keys_by_name: imbl::HashMap<String, Vec<String>>,
    /// Parent key → the keys of its traditional-inheritance children (partitions excluded), in
    /// key order. A table's parents are fixed when it is created, so `insert_table` and
    /// `remove_table` keep this exact; finding the children of each VACUUM's table by scanning
    /// every table cost 2% of a run over the corpus.
    inheritance_children: imbl::HashMap<String, std::collections::BTreeSet<String>>,
    /// User-defined functions by (unqualified) name.
    pub functions: imbl::HashMap<String, Vec<Function>>,
    /// User-defined types (enums, composites, domains, ranges, base types) by name.
    pub types: imbl::HashSet<String>,
    /// What a user-defined type is built on: a domain's base type, a composite's attribute
    /// types, a range's subtype (type names as written).
    pub type_parts: imbl::HashMap<String, Vec<Vec<String>>>,
    /// User-defined operators by name.
    pub operators: HashSet<String>,
    /// User-defined collations (unqualified, lower-cased) → deterministic.
    pub collations: HashMap<String, bool>,
    pub extensions: HashSet<String>,
    /// Server configurations (postgresql.conf, pg_hba.conf), one per folder.
    pub servers: Vec<crate::conf::ServerConfig>,
    /// SQL files whose output a test suite compares with an expected file (pg_regress:
    /// `sql/x.sql` ↔ `expected/x.out`), as found by the engine.
    pub expected_outputs: HashMap<FileId, std::path::PathBuf>,
    /// Subscriptions the migrations create (and do not drop), in order, with where each is created.
    pub subscriptions: Vec<(String, Origin)>,
    /// What a live server's catalog says beyond object definitions (live audits only).
    pub catalog: Option<CatalogFacts>,
}

impl Schema {
    /// Every configuration-file setting, as assignments rules can judge like SQL ones.
    pub fn conf_settings(&self) -> impl Iterator<Item = (&crate::conf::ServerConfig, &crate::conf::ConfSetting)> {
        self.servers.iter().flat_map(|s| s.settings.iter().map(move |c| (s, c)))
    }

    /// Tables that inherit from `key` with traditional inheritance (not partitions).
    pub fn inheritance_children(&self, key: &str) -> Vec<&Table> {
        let Some(children) = self.inheritance_children.get(key) else { return Vec::new() };
        children.iter().filter_map(|k| self.tables.get(k)).map(|t| t.as_ref()).collect()
    }

    /// Look a relation up by `schema.name` key, falling back to a unique table of that name in
    /// any schema (search_path is not known from files).
    pub fn table(&self, key: &str) -> Option<&Table> {
        if let Some(t) = self.tables.get(key) {
            return Some(t.as_ref());
        }
        let name = key.split_once('.').map_or(key, |(_, n)| n);
        match self.keys_by_name.get(name).map(Vec::as_slice) {
            Some([only]) => self.tables.get(only).map(|t| t.as_ref()),
            _ => None,
        }
    }

    fn name_of(key: &str) -> &str {
        key.split_once('.').map_or(key, |(_, n)| n)
    }

    pub fn insert_table(&mut self, table: Table) {
        let key = table.key.clone();
        let table = Arc::new(table);
        match self.tables.insert(key.clone(), Arc::clone(&table)) {
            None => self.keys_by_name.entry(Self::name_of(&key).to_string()).or_default().push(key),
            Some(replaced) => self.index_parents(&replaced, false),
        }
        self.index_parents(&table, true);
    }

    pub fn remove_table(&mut self, key: &str) -> Option<Table> {
        let t = Arc::unwrap_or_clone(self.tables.remove(key)?);
        if let Some(keys) = self.keys_by_name.get_mut(Self::name_of(key)) {
            keys.retain(|k| k != key);
        }
        self.index_parents(&t, false);
        Some(t)
    }

    /// Add (or remove) `table` as an inheritance child of each of its parents.
    fn index_parents(&mut self, table: &Table, add: bool) {
        if table.is_partition || table.parents.is_empty() {
            return;
        }
        let index = &mut self.inheritance_children;
        for parent in &table.parents {
            if add {
                index.entry(parent.clone()).or_default().insert(table.key.clone());
            } else if let Some(children) = index.get_mut(parent) {
                children.remove(&table.key);
                if children.is_empty() {
                    index.remove(parent);
                }
            }
        }
    }

    fn table_mut(&mut self, key: &str) -> Option<&mut Table> {
        let real = self.table(key)?.key.clone();
        self.tables.get_mut(&real).map(Arc::make_mut)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schema after `sql`, folded statement by statement.
    fn schema_after(sql: &str) -> Schema {
        let mut schema = Schema::default();
        for stmt in crate::sql::parse::parse_statement(sql, 0).expect("test SQL parses") {
            schema.apply(0, sql, &stmt.range, &stmt.node);
        }
        schema
    }

    fn children(schema: &Schema, key: &str) -> Vec<String> {
        schema.inheritance_children(key).iter().map(|t| t.key.clone()).collect()
    }

    #[test]
    fn inheritance_children_follow_creates_renames_and_drops() {
        let base = "CREATE TABLE p (a int); CREATE TABLE q (b int);
            CREATE TABLE c2 () INHERITS (p); CREATE TABLE c1 () INHERITS (p, q);
            CREATE TABLE part (a int) PARTITION BY RANGE (a); CREATE TABLE part1 PARTITION OF part FOR VALUES FROM (1) TO (2);";
        let s = schema_after(base);
        assert_eq!(children(&s, "public.p"), ["public.c1", "public.c2"], "key order, like the tables map");
        assert_eq!(children(&s, "public.q"), ["public.c1"]);
        assert!(children(&s, "public.part").is_empty(), "partitions are not inheritance children");

        let s = schema_after(&format!("{base} ALTER TABLE c1 RENAME TO c0;"));
        assert_eq!(children(&s, "public.p"), ["public.c0", "public.c2"]);
        assert_eq!(children(&s, "public.q"), ["public.c0"]);

        let s = schema_after(&format!("{base} DROP TABLE c2; DROP TABLE c1;"));
        assert!(children(&s, "public.p").is_empty() && children(&s, "public.q").is_empty());

        // A table created again under the same key replaces the first, parents and all.
        let s = schema_after(&format!("{base} CREATE TABLE c1 () INHERITS (q);"));
        assert_eq!(children(&s, "public.p"), ["public.c2"]);
        assert_eq!(children(&s, "public.q"), ["public.c1"]);
    }
}
