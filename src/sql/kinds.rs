//! The statement kinds pgready tells apart: the one table the engine's reading decisions come
//! from. A rule names the kinds it reads (its `hooks`), the model the kinds
//! it folds; from those the engine derives which parse trees to keep and, before parsing, which
//! statements to skip by their first words ([`lead_kinds`]). A test parses a sample of every
//! kind and checks that the first words never rule out its real kind.

use pg_query::NodeEnum;
use pg_query::protobuf::ObjectType;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatementKind {
    CreateTable,
    CreateForeignTable,
    AlterTable,
    /// `ALTER ... RENAME` of any object.
    Rename,
    DropTable,
    DropSubscription,
    /// `DROP` of anything else.
    DropOther,
    CreateIndex,
    /// `CREATE TABLE ... AS`, `CREATE MATERIALIZED VIEW` (pg_query's CreateTableAsStmt).
    CreateTableAs,
    CreateStatistics,
    CreateFunction,
    CreateExtension,
    /// `CREATE AGGREGATE/OPERATOR/COLLATION/TYPE (base)...` (pg_query's DefineStmt).
    Define,
    CreateEnum,
    CreateCompositeType,
    CreateDomain,
    CreateRange,
    /// `SET`, `RESET`, `SET LOCAL`.
    Set,
    AlterSystem,
    AlterDatabaseSet,
    AlterRoleSet,
    CreateRole,
    AlterRole,
    CreateSubscription,
    CreatePublication,
    /// `ALTER PUBLICATION` (tables and column lists added or set, options).
    AlterPublication,
    /// `VACUUM` and `ANALYZE`.
    Vacuum,
    Copy,
    CreateTablespace,
    AlterTablespaceOptions,
    Explain,
    CreateTrigger,
    /// `CREATE [OR REPLACE] VIEW` (not materialized).
    CreateView,
    /// `GRANT` and `REVOKE` of privileges.
    Grant,
    /// A `DO` block: its body runs, so its statements are judged and folded.
    Do,
    /// `SHOW name`.
    Show,
    /// `ALTER FUNCTION/PROCEDURE/ROUTINE ... ` (options, `SET`, ...).
    AlterFunction,
    /// Every other statement: queries, DML, transaction control, other DDL...
    Other,
}

impl StatementKind {
    /// The kind of a parsed statement.
    pub fn of(node: &NodeEnum) -> StatementKind {
        use StatementKind as K;
        match node {
            NodeEnum::CreateStmt(_) => K::CreateTable,
            NodeEnum::CreateForeignTableStmt(_) => K::CreateForeignTable,
            NodeEnum::AlterTableStmt(_) => K::AlterTable,
            NodeEnum::RenameStmt(_) => K::Rename,
            NodeEnum::DropStmt(d) if ObjectType::try_from(d.remove_type) == Ok(ObjectType::ObjectTable) => K::DropTable,
            NodeEnum::DropStmt(_) => K::DropOther,
            NodeEnum::DropSubscriptionStmt(_) => K::DropSubscription,
            NodeEnum::IndexStmt(_) => K::CreateIndex,
            NodeEnum::CreateTableAsStmt(_) => K::CreateTableAs,
            NodeEnum::CreateStatsStmt(_) => K::CreateStatistics,
            NodeEnum::CreateFunctionStmt(_) => K::CreateFunction,
            NodeEnum::CreateExtensionStmt(_) => K::CreateExtension,
            NodeEnum::DefineStmt(_) => K::Define,
            NodeEnum::CreateEnumStmt(_) => K::CreateEnum,
            NodeEnum::CompositeTypeStmt(_) => K::CreateCompositeType,
            NodeEnum::CreateDomainStmt(_) => K::CreateDomain,
            NodeEnum::CreateRangeStmt(_) => K::CreateRange,
            NodeEnum::VariableSetStmt(_) => K::Set,
            NodeEnum::AlterSystemStmt(_) => K::AlterSystem,
            NodeEnum::AlterDatabaseSetStmt(_) => K::AlterDatabaseSet,
            NodeEnum::AlterRoleSetStmt(_) => K::AlterRoleSet,
            NodeEnum::CreateRoleStmt(_) => K::CreateRole,
            NodeEnum::AlterRoleStmt(_) => K::AlterRole,
            NodeEnum::CreateSubscriptionStmt(_) => K::CreateSubscription,
            NodeEnum::CreatePublicationStmt(_) => K::CreatePublication,
            NodeEnum::AlterPublicationStmt(_) => K::AlterPublication,
            NodeEnum::VacuumStmt(_) => K::Vacuum,
            NodeEnum::CopyStmt(_) => K::Copy,
            NodeEnum::CreateTableSpaceStmt(_) => K::CreateTablespace,
            NodeEnum::AlterTableSpaceOptionsStmt(_) => K::AlterTablespaceOptions,
            NodeEnum::ExplainStmt(_) => K::Explain,
            NodeEnum::CreateTrigStmt(_) => K::CreateTrigger,
            NodeEnum::ViewStmt(_) => K::CreateView,
            NodeEnum::GrantStmt(_) => K::Grant,
            NodeEnum::DoStmt(_) => K::Do,
            NodeEnum::VariableShowStmt(_) => K::Show,
            NodeEnum::AlterFunctionStmt(_) => K::AlterFunction,
            _ => K::Other,
        }
    }
}

/// First words of statements that can only be of kind `Other`.
const OTHER_FIRST_WORDS: &[&str] = &[
    "select",
    "insert",
    "update",
    "delete",
    "with",
    "values",
    "table",
    "merge",
    "prepare",
    "execute",
    "deallocate",
    "declare",
    "fetch",
    "move",
    "close",
    "listen",
    "notify",
    "unlisten",
    "lock",
    "discard",
    "checkpoint",
    "begin",
    "start",
    "commit",
    "rollback",
    "savepoint",
    "release",
    "end",
    "abort",
    "truncate",
    "call",
    "load",
    "reindex",
    "cluster",
    "refresh",
    "comment",
    "security",
];

/// The first words of every statement kind but `Other` (a test checks each kind's samples):
/// text without any of them, as a word, holds no statement of those kinds.
pub const LEAD_WORDS_OF_KINDS: &[&str] =
    &["create", "alter", "drop", "set", "reset", "show", "grant", "revoke", "vacuum", "analyze", "analyse", "copy", "explain", "do"];

/// Whether `word` is one of [`LEAD_WORDS_OF_KINDS`] (any case).
pub fn is_lead_word(word: &str) -> bool {
    LEAD_WORDS_OF_KINDS.iter().any(|k| k.eq_ignore_ascii_case(word))
}

/// The kinds a statement can be, judged from its first words before parsing; `None` when they
/// do not narrow it down. Never wrong: a statement of a kind not listed would be skipped unread.
pub fn lead_kinds(sql: &str) -> Option<&'static [StatementKind]> {
    use StatementKind as K;
    let mut words = LeadingWords { rest: sql };
    let first = words.next().unwrap_or("");
    let is = |w: &str| first.eq_ignore_ascii_case(w);
    if OTHER_FIRST_WORDS.iter().any(|w| is(w)) {
        return Some(&[K::Other]);
    }
    if is("explain") {
        return Some(&[K::Explain]);
    }
    if is("do") {
        return Some(&[K::Do]);
    }
    if is("show") {
        return Some(&[K::Show]);
    }
    if is("grant") || is("revoke") {
        // GRANT/REVOKE of a role (membership) is another statement kind.
        return Some(&[K::Grant, K::Other]);
    }
    if is("create") {
        return creates(&mut words);
    }
    if is("drop") {
        let second = words.next().unwrap_or("");
        let table_or_subscription = ["table", "subscription"].iter().any(|k| second.eq_ignore_ascii_case(k));
        return (!table_or_subscription).then_some(&[K::DropOther]);
    }
    None
}

/// After `CREATE`: a (non-materialized) view or a trigger, told by the words up to the kind.
fn creates(words: &mut LeadingWords) -> Option<&'static [StatementKind]> {
    for w in words.take(4) {
        match w.to_ascii_lowercase().as_str() {
            "or" | "replace" | "temp" | "temporary" | "recursive" | "constraint" => continue,
            "view" => return Some(&[StatementKind::CreateView]),
            "trigger" => return Some(&[StatementKind::CreateTrigger]),
            _ => return None,
        }
    }
    None
}

/// The leading words of a statement, skipping blanks, comments and opening parentheses
/// (`(SELECT ...)`, `/* hint */ SELECT`); stops at the first other character.
struct LeadingWords<'a> {
    rest: &'a str,
}

impl<'a> Iterator for LeadingWords<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        loop {
            self.rest = self.rest.trim_start_matches(|c: char| c.is_whitespace() || c == '(');
            if let Some(r) = self.rest.strip_prefix("--") {
                self.rest = r.split_once('\n').map_or("", |(_, after)| after);
            } else if let Some(r) = self.rest.strip_prefix("/*") {
                self.rest = r.split_once("*/").map_or("", |(_, after)| after);
            } else {
                break;
            }
        }
        let len = self.rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(self.rest.len());
        let (word, rest) = self.rest.split_at(len);
        self.rest = rest;
        (!word.is_empty()).then_some(word)
    }
}

#[cfg(test)]
mod tests {
    use super::StatementKind as K;
    use super::*;

    /// A sample of every kind, in the spellings the first-words table handles: each parses to
    /// its kind, and its first words never rule that kind out.
    #[test]
    fn first_words_never_rule_out_the_real_kind() {
        let samples: &[(&str, K)] = &[
            ("CREATE TABLE t (a int)", K::CreateTable),
            ("CREATE MATERIALIZED VIEW m AS SELECT 1", K::CreateTableAs),
            ("CREATE TABLE t AS SELECT 1", K::CreateTableAs),
            ("create temp table t as select 1", K::CreateTableAs),
            ("DO $$ BEGIN NULL; END $$", K::Do),
            ("SHOW work_mem", K::Show),
            ("ALTER FUNCTION f() SET work_mem = '1MB'", K::AlterFunction),
            ("ALTER PROCEDURE p() RESET ALL", K::AlterFunction),
            ("do language plpgsql 'BEGIN NULL; END'", K::Do),
            ("create temp table t (a int)", K::CreateTable),
            ("/* c */ CREATE UNLOGGED TABLE t (a int)", K::CreateTable),
            ("CREATE FOREIGN TABLE f (a int) SERVER s", K::CreateForeignTable),
            ("ALTER TABLE t ADD COLUMN b int", K::AlterTable),
            ("ALTER TABLE t RENAME TO u", K::Rename),
            ("ALTER TABLE t RENAME COLUMN a TO b", K::Rename),
            ("DROP TABLE t", K::DropTable),
            ("drop table if exists t", K::DropTable),
            ("DROP SUBSCRIPTION s", K::DropSubscription),
            ("DROP INDEX i", K::DropOther),
            ("DROP VIEW v", K::DropOther),
            ("CREATE INDEX ON t (a)", K::CreateIndex),
            ("CREATE UNIQUE INDEX CONCURRENTLY i ON t (a)", K::CreateIndex),
            ("CREATE STATISTICS s ON a, b FROM t", K::CreateStatistics),
            ("CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'", K::CreateFunction),
            ("CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1'", K::CreateFunction),
            ("CREATE EXTENSION pgcrypto", K::CreateExtension),
            ("CREATE AGGREGATE a (int) (sfunc = int4pl, stype = int)", K::Define),
            ("CREATE COLLATION c (provider = icu, locale = 'und', deterministic = false)", K::Define),
            ("CREATE TYPE mood AS ENUM ('a')", K::CreateEnum),
            ("CREATE TYPE pair AS (a int, b int)", K::CreateCompositeType),
            ("CREATE TYPE r AS RANGE (subtype = int4)", K::CreateRange),
            ("CREATE DOMAIN d AS int", K::CreateDomain),
            ("SET work_mem = '1MB'", K::Set),
            ("RESET work_mem", K::Set),
            ("ALTER SYSTEM SET work_mem = '1MB'", K::AlterSystem),
            ("ALTER DATABASE d SET work_mem = '1MB'", K::AlterDatabaseSet),
            ("ALTER ROLE r SET work_mem = '1MB'", K::AlterRoleSet),
            ("CREATE ROLE r PASSWORD 'x'", K::CreateRole),
            ("CREATE USER u", K::CreateRole),
            ("ALTER ROLE r PASSWORD 'x'", K::AlterRole),
            ("CREATE SUBSCRIPTION s CONNECTION 'host=127.0.0.1' PUBLICATION p WITH (connect = false)", K::CreateSubscription),
            ("CREATE PUBLICATION p FOR ALL TABLES", K::CreatePublication),
            ("ALTER PUBLICATION p ADD TABLE t (a, b)", K::AlterPublication),
            ("VACUUM t", K::Vacuum),
            ("ANALYZE t", K::Vacuum),
            ("COPY t FROM stdin", K::Copy),
            ("CREATE TABLESPACE s LOCATION '/x'", K::CreateTablespace),
            ("ALTER TABLESPACE s SET (effective_io_concurrency = 1)", K::AlterTablespaceOptions),
            ("EXPLAIN (ANALYZE) SELECT 1", K::Explain),
            ("CREATE TRIGGER g AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()", K::CreateTrigger),
            ("CREATE CONSTRAINT TRIGGER g AFTER INSERT ON t DEFERRABLE FOR EACH ROW EXECUTE FUNCTION f()", K::CreateTrigger),
            ("CREATE VIEW v AS SELECT 1", K::CreateView),
            ("create or replace temp view v as select 1", K::CreateView),
            ("CREATE RECURSIVE VIEW v (n) AS SELECT 1", K::CreateView),
            ("GRANT SELECT ON t TO r", K::Grant),
            ("REVOKE ALL ON t FROM r", K::Grant),
            ("GRANT r TO u", K::Other),
            ("SELECT 1", K::Other),
            ("(SELECT 1)", K::Other),
            ("WITH x AS (SELECT 1) SELECT * FROM x", K::Other),
            ("INSERT INTO t VALUES (1)", K::Other),
            ("BEGIN", K::Other),
            ("COMMENT ON TABLE t IS 'x'", K::Other),
        ];
        for (sql, kind) in samples {
            let trees = crate::sql::parse::parse_statement(sql, 0).unwrap_or_else(|e| panic!("{sql}: {}", e.message));
            assert_eq!(StatementKind::of(&trees[0].node), *kind, "{sql}");
            if *kind != K::Other {
                let first = LeadingWords { rest: sql }.next().unwrap_or("");
                assert!(
                    LEAD_WORDS_OF_KINDS.iter().any(|w| w.eq_ignore_ascii_case(first)),
                    "{sql}: `{first}` is not in LEAD_WORDS_OF_KINDS"
                );
            }
            if let Some(kinds) = lead_kinds(sql) {
                assert!(kinds.contains(kind), "{sql}: its first words rule out {kind:?}");
            }
        }
    }
}
