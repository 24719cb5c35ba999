//! Rules: one file per rule under `rules/<area>/`, registered once in [`REGISTRY`].
//!
//! A rule never parses, reads files or prints: it receives one statement with the schema model
//! as the migrations have built it up to (and including) that statement, and pushes diagnostics.

pub mod aio;
pub mod auth;
pub mod generated;
pub mod meta;
pub mod replication;
pub mod settings;
pub mod upgrade;
pub mod uuid;

use std::ops::Range;

use std::cell::OnceCell;

use pg_query::NodeEnum;

use crate::diagnostic::{Applicability, Diagnostic, Edit, FileId, Origin, Severity};
use crate::model::{Column, GeneratedKind, Schema, Table};
use crate::sql::assign::{self, Assignment};
use crate::sql::tree::ExprFacts;

/// Whether a rule can offer a fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

/// The statement kinds a rule wants to see; the engine only calls a rule for these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hook {
    CreateTable,
    AlterTable,
    CreateIndex,
    CreateStatistics,
    CreateFunction,
    CreateExtension,
    Copy,
    Vacuum,
    CreateSubscription,
    CreatePublication,
    CreateTrigger,
    /// Every statement (the rule must filter cheaply itself).
    Any,
}

impl Hook {
    pub fn of(node: &NodeEnum) -> Option<Hook> {
        Some(match node {
            NodeEnum::CreateStmt(_) => Hook::CreateTable,
            NodeEnum::AlterTableStmt(_) => Hook::AlterTable,
            NodeEnum::IndexStmt(_) => Hook::CreateIndex,
            NodeEnum::CreateStatsStmt(_) => Hook::CreateStatistics,
            NodeEnum::CreateFunctionStmt(_) => Hook::CreateFunction,
            NodeEnum::CreateExtensionStmt(_) => Hook::CreateExtension,
            NodeEnum::CopyStmt(_) => Hook::Copy,
            NodeEnum::VacuumStmt(_) => Hook::Vacuum,
            NodeEnum::CreateSubscriptionStmt(_) => Hook::CreateSubscription,
            NodeEnum::CreatePublicationStmt(_) => Hook::CreatePublication,
            NodeEnum::CreateTrigStmt(_) => Hook::CreateTrigger,
            _ => return None,
        })
    }
}

/// A rule's family; `--select`/`--ignore` and suppressions accept its name.
/// Declared in alphabetical order, so that sorting by area sorts by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Area {
    Aio,
    Auth,
    Config,
    Generated,
    Input,
    Meta,
    Replication,
    Settings,
    Suppression,
    Syntax,
    Upgrade,
    Uuid,
}

impl Area {
    pub const ALL: [Area; 12] = [
        Area::Aio,
        Area::Auth,
        Area::Config,
        Area::Generated,
        Area::Input,
        Area::Meta,
        Area::Replication,
        Area::Settings,
        Area::Suppression,
        Area::Syntax,
        Area::Upgrade,
        Area::Uuid,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Area::Aio => "aio",
            Area::Auth => "auth",
            Area::Config => "config",
            Area::Generated => "generated",
            Area::Input => "input",
            Area::Meta => "meta",
            Area::Replication => "replication",
            Area::Settings => "settings",
            Area::Suppression => "suppression",
            Area::Syntax => "syntax",
            Area::Upgrade => "upgrade",
            Area::Uuid => "uuid",
        }
    }

    pub fn named(name: &str) -> Option<Area> {
        Area::ALL.into_iter().find(|a| a.as_str() == name)
    }
}

impl std::fmt::Display for Area {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

pub struct RuleMeta {
    /// Stable kebab-case id; never reused.
    pub id: &'static str,
    /// The family: `--select`/`--ignore` accept its name.
    pub area: Area,
    pub severity: Severity,
    pub fix: FixAvailability,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// The rule's page, `rules/<id>.md`.
    pub doc: &'static str,
}

pub type CheckFn = fn(&Ctx, &mut Vec<Diagnostic>);
pub type ModelCheckFn = fn(&ModelCtx, &mut Vec<Diagnostic>);

/// What a whole-model rule sees: the finished model (configuration files included).
pub struct ModelCtx<'a> {
    pub schema: &'a Schema,
    /// The major version being upgraded from.
    pub from: u32,
}

pub struct Rule {
    pub meta: RuleMeta,
    pub hooks: &'static [Hook],
    /// `None` for the engine's own diagnostics (syntax errors, unreadable files...).
    pub check: Option<CheckFn>,
    /// Called once after every input is folded into the model (configuration files, and
    /// facts that need the whole schema).
    pub check_model: Option<ModelCheckFn>,
    /// For `Hook::Any` rules: statements whose kind is not in [`statement_kind_is_read`] matter
    /// to the rule only if their lower-cased text contains one of these. The engine keeps no
    /// parse tree for other statements (memory); a test checks findings do not change.
    pub keywords: &'static [&'static str],
}

impl Rule {
    /// A finding of this rule (its id and severity) at `span` of `file`.
    pub fn report(&self, file: FileId, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.meta.id, self.meta.severity, file, span, message)
    }

    /// A finding of this rule located at a fact of the model (a catalog fact, a definition).
    pub fn report_at(&self, origin: &Origin, message: impl Into<String>) -> Diagnostic {
        self.report(origin.file, origin.span.clone(), message)
    }

    /// Whether `name` (a rule id or an area) names this rule.
    pub fn is_named(&self, name: &str) -> bool {
        name == self.meta.id || name == self.meta.area.as_str()
    }
}

/// Statement kinds the model folds or some rule reads by type: their trees are always kept.
/// (Views, CREATE TABLE AS and DROPs of anything but tables are not: only rules with keywords
/// read them. `sql::front::may_be_read` makes the same decision from the first words, where DROP
/// SUBSCRIPTION, a statement kind of its own, must stay read.)
pub fn statement_kind_is_read(node: &NodeEnum) -> bool {
    if let NodeEnum::DropStmt(d) = node {
        return pg_query::protobuf::ObjectType::try_from(d.remove_type) == Ok(pg_query::protobuf::ObjectType::ObjectTable);
    }
    matches!(
        node,
        NodeEnum::CreateStmt(_)
            | NodeEnum::AlterTableStmt(_)
            | NodeEnum::IndexStmt(_)
            | NodeEnum::CreateStatsStmt(_)
            | NodeEnum::CreateFunctionStmt(_)
            | NodeEnum::CreateExtensionStmt(_)
            | NodeEnum::RenameStmt(_)
            | NodeEnum::DropStmt(_)
            | NodeEnum::DefineStmt(_)
            | NodeEnum::CreateEnumStmt(_)
            | NodeEnum::CompositeTypeStmt(_)
            | NodeEnum::CreateDomainStmt(_)
            | NodeEnum::CreateRangeStmt(_)
            | NodeEnum::CreateForeignTableStmt(_)
            | NodeEnum::VariableSetStmt(_)
            | NodeEnum::AlterSystemStmt(_)
            | NodeEnum::AlterDatabaseSetStmt(_)
            | NodeEnum::AlterRoleSetStmt(_)
            | NodeEnum::CreateRoleStmt(_)
            | NodeEnum::AlterRoleStmt(_)
            | NodeEnum::CreateSubscriptionStmt(_)
            | NodeEnum::CreatePublicationStmt(_)
            | NodeEnum::VacuumStmt(_)
            | NodeEnum::CopyStmt(_)
            | NodeEnum::CreateTableSpaceStmt(_)
            | NodeEnum::AlterTableSpaceOptionsStmt(_)
            | NodeEnum::ExplainStmt(_)
            | NodeEnum::DropSubscriptionStmt(_)
    )
}

/// Statements that start like these are never folded into the model nor read by a rule by
/// kind (see [`statement_kind_is_read`]); they matter only through rule keywords.
pub const NEVER_READ_FIRST_WORDS: &[&str] = &[
    "select",
    "insert",
    "update",
    "delete",
    "with",
    "values",
    "table",
    "merge",
    "explain",
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
    "show",
    "truncate",
    "call",
    "do",
    "load",
    "reindex",
    "cluster",
    "refresh",
    "comment",
    "security",
    // Read only for the RULE privilege (grant-rule-privilege's keywords).
    "grant",
    "revoke",
];

/// What the engine reads, for the SQL front end: the kinds above, and any statement that
/// mentions a rule keyword.
pub static READ_POLICY: crate::sql::front::ReadPolicy = crate::sql::front::ReadPolicy {
    kind_is_read: statement_kind_is_read,
    mentions_keyword: mentions_rule_keyword,
    never_read_first_words: NEVER_READ_FIRST_WORDS,
};

/// Whether the statement's text holds a word some rule looks for (ASCII case-insensitive).
pub fn mentions_rule_keyword(sql: &str) -> bool {
    KEYWORD_MATCHER.is_match(sql)
}

/// Every rule's keywords (each once), for the engine's tree-keeping decision.
pub static ALL_KEYWORDS: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    let mut all: Vec<&'static str> = REGISTRY.iter().flat_map(|r| r.keywords.iter().copied()).collect();
    all.sort_unstable();
    all.dedup();
    all
});

/// One pass over a text finds every rule keyword in it (ASCII case-insensitive, as the
/// keywords are lower-case ASCII: the same as searching the lower-cased text).
pub static KEYWORD_MATCHER: std::sync::LazyLock<aho_corasick::AhoCorasick> = std::sync::LazyLock::new(|| {
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        // A full DFA: a few dozen keywords make it small, and every statement is searched.
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(ALL_KEYWORDS.iter())
        .expect("keywords are plain strings")
});

/// What a rule sees: one statement, its file, and the schema model. What several rules derive
/// from the statement (its lower-cased text, its serde form, the facts and setting assignments
/// read from it) is computed once, on first use.
pub struct Ctx<'a> {
    pub file: FileId,
    /// The file's masked text: the statement's locations point into it.
    pub text: &'a str,
    pub range: &'a Range<usize>,
    pub node: &'a NodeEnum,
    pub schema: &'a Schema,
    /// The major version being upgraded from.
    pub from: u32,
    lower: OnceCell<String>,
    json: OnceCell<Option<serde_json::Value>>,
    facts: OnceCell<ExprFacts>,
    assignments: OnceCell<Vec<Assignment>>,
    keywords_found: OnceCell<Vec<&'static str>>,
    columns_here: OnceCell<Vec<(&'a Table, &'a Column)>>,
}

impl<'a> Ctx<'a> {
    pub fn new(file: FileId, text: &'a str, range: &'a Range<usize>, node: &'a NodeEnum, schema: &'a Schema, from: u32) -> Ctx<'a> {
        Ctx {
            file,
            text,
            range,
            node,
            schema,
            from,
            lower: OnceCell::new(),
            json: OnceCell::new(),
            facts: OnceCell::new(),
            assignments: OnceCell::new(),
            keywords_found: OnceCell::new(),
            columns_here: OnceCell::new(),
        }
    }

    /// Whether the statement's text holds one of `rule`'s keywords: one search for every
    /// rule's keywords per statement, instead of one per rule and keyword.
    pub fn mentions_keyword_of(&self, rule: &Rule) -> bool {
        rule.keywords.iter().any(|k| self.mentions(k))
    }

    /// Whether the statement's text holds `keyword`, one of the rules' keywords.
    pub fn mentions(&self, keyword: &str) -> bool {
        debug_assert!(ALL_KEYWORDS.contains(&keyword), "{keyword} is not a rule keyword");
        let found = self.keywords_found.get_or_init(|| {
            let mut found: Vec<&'static str> =
                KEYWORD_MATCHER.find_overlapping_iter(self.stmt_text()).map(|m| ALL_KEYWORDS[m.pattern().as_usize()]).collect();
            found.sort_unstable();
            found.dedup();
            found
        });
        found.contains(&keyword)
    }

    /// The statement's text, lower-cased (for the rules' cheap keyword filters).
    pub fn stmt_lower(&self) -> &str {
        self.lower.get_or_init(|| self.stmt_text().to_ascii_lowercase())
    }

    /// The whole statement in its serde form, for walks that cover every node type.
    pub fn statement_json(&self) -> Option<&serde_json::Value> {
        self.json.get_or_init(|| crate::sql::tree::statement_json(self.node)).as_ref()
    }

    /// Function calls, column references, casts and operators anywhere in the statement.
    pub fn statement_facts(&self) -> &ExprFacts {
        self.facts.get_or_init(|| self.statement_json().map(crate::sql::tree::facts_of).unwrap_or_default())
    }

    /// The setting assignments the statement makes, `set_config()` calls included.
    pub fn assignments(&self) -> &[Assignment] {
        self.assignments.get_or_init(|| {
            let mut out = assign::statement_assignments(self.file, self.text, self.range, self.node);
            if assign::mentions_set_config(self.text, self.range)
                && let Some(json) = self.statement_json()
            {
                out.extend(assign::set_config_assignments(self.file, self.text, self.range, json));
            }
            out
        })
    }
    /// A location inside the statement (relative, as pg_query gives it) as a file offset.
    pub fn abs(&self, location: i32) -> usize {
        self.range.start + location.max(0) as usize
    }

    pub fn stmt_text(&self) -> &str {
        &self.text[self.range.clone()]
    }

    /// Columns this very statement defines (their origin lies inside it), with their table.
    /// Found once per statement: three rules read them for every CREATE/ALTER TABLE.
    pub fn columns_defined_here(&self) -> &[(&'a Table, &'a Column)] {
        self.columns_here.get_or_init(|| {
            let schema: &'a Schema = self.schema;
            let here = |c: &&Column| c.origin.file == self.file && self.range.contains(&c.origin.span.start);
            // The statement's own table: looking at every table would make a schema quadratic.
            let relation = match self.node {
                NodeEnum::CreateStmt(c) => c.relation.as_ref(),
                NodeEnum::AlterTableStmt(a) => a.relation.as_ref(),
                NodeEnum::CreateForeignTableStmt(f) => f.base_stmt.as_ref().and_then(|b| b.relation.as_ref()),
                _ => None,
            };
            match relation {
                Some(rel) => schema
                    .table(&crate::sql::tree::relation_key(rel))
                    .map(|t| t.columns.iter().filter(here).map(|c| (t, c)).collect())
                    .unwrap_or_default(),
                None => {
                    schema.tables.values().map(|t| t.as_ref()).flat_map(|t| t.columns.iter().filter(here).map(move |c| (t, c))).collect()
                }
            }
        })
    }

    /// The span of the first token after `from` naming `ident`, or `fallback`.
    pub fn ident_span(&self, from: usize, ident: &str, fallback: Range<usize>) -> Range<usize> {
        crate::sql::tree::find_ident(self.text, from..self.range.end, ident).unwrap_or(fallback)
    }
}

/// The setting rules judge SQL assignments and configuration-file lines alike: these two
/// adapters feed a rule's `judge` from a statement, or from every configuration file.
pub type JudgeFn = fn(&Assignment, u32, &mut Vec<Diagnostic>);

pub fn judge_statement(ctx: &Ctx, out: &mut Vec<Diagnostic>, judge: JudgeFn) {
    for a in ctx.assignments() {
        // `ALTER SYSTEM/DATABASE/ROLE ... RESET name` is the remedy, never the problem.
        if !a.is_stored_reset() {
            judge(a, ctx.from, out);
        }
    }
}

pub fn judge_config(m: &ModelCtx, out: &mut Vec<Diagnostic>, judge: JudgeFn) {
    for (_, c) in m.schema.conf_settings() {
        judge(&c.assignment, m.from, out);
    }
}

/// The edit that makes a virtual generated column STORED: replace `VIRTUAL`, or add `STORED`.
pub fn make_stored_edit(column: &Column) -> Option<Edit> {
    let g = column.generated.as_ref()?;
    if g.kind != GeneratedKind::Virtual {
        return None;
    }
    Some(match &g.tail.keyword {
        Some(k) => Edit::replace(g.clause.file, k.clone(), "STORED"),
        None => Edit::insert(g.clause.file, g.tail.expr_end, " STORED"),
    })
}

/// The "make it STORED" fix shared by the generated-column rules.
pub fn with_make_stored_fix(d: Diagnostic, column: &Column) -> Diagnostic {
    match make_stored_edit(column) {
        Some(edit) => d.fix(format!("Make `{}` a STORED generated column", column.name), Applicability::Unsafe, vec![edit]),
        None => d,
    }
}

/// Every rule, sorted by id. The only place a rule is registered.
pub static REGISTRY: &[&Rule] = &[
    &aio::aio_setting_review::RULE,
    &uuid::builtin_function_shadowed::RULE,
    &meta::catalog_not_read::RULE,
    &meta::config_error::RULE,
    &upgrade::copy_csv_end_marker::RULE,
    &upgrade::copy_freeze_foreign_table::RULE,
    &upgrade::data_checksums_off::RULE,
    &upgrade::database_connection_settings::RULE,
    &upgrade::deferred_trigger_role::RULE,
    &upgrade::explain_analyze_output::RULE,
    &upgrade::fk_nondeterministic_collation::RULE,
    &meta::foreign_dialect::RULE,
    &upgrade::fts_reindex_after_upgrade::RULE,
    &generated::generated_column_implicit_virtual::RULE,
    &upgrade::grant_rule_privilege::RULE,
    &auth::hba_delegate_ident_mapping::RULE,
    &auth::hba_hostssl_ssl_off::RULE,
    &auth::hba_ident_map_missing::RULE,
    &auth::hba_oauth_incomplete::RULE,
    &meta::invalid_encoding::RULE,
    &meta::io_error::RULE,
    &settings::log_connections_boolean::RULE,
    &replication::logical_slot_not_migratable::RULE,
    &auth::md5_password::RULE,
    &upgrade::not_null_inheritance_inconsistent::RULE,
    &upgrade::pg_upgrade_data_type::RULE,
    &upgrade::prepared_transaction::RULE,
    &replication::publication_virtual_generated_column::RULE,
    &upgrade::removed_catalog_column::RULE,
    &upgrade::removed_function::RULE,
    &replication::replication_origins_capacity::RULE,
    &replication::replication_settings_review::RULE,
    &settings::setting_invalid_value::RULE,
    &settings::setting_removed::RULE,
    &settings::setting_renamed::RULE,
    &settings::setting_unknown::RULE,
    &auth::ssl_ciphers_tls12_only::RULE,
    &replication::subscription_state::RULE,
    &replication::subscription_streaming_default::RULE,
    &meta::syntax_error::RULE,
    &upgrade::unicode_update_dependent_object::RULE,
    &upgrade::unlogged_partitioned_table::RULE,
    &meta::unused_suppression::RULE,
    &uuid::uuid_random_default::RULE,
    &uuid::uuid_v7_extension_function::RULE,
    &upgrade::vacuum_analyze_inheritance::RULE,
    &generated::virtual_generated_column_unsupported_use::RULE,
    &generated::virtual_generated_column_user_defined::RULE,
];

pub fn find(id: &str) -> Option<&'static Rule> {
    REGISTRY.iter().copied().find(|r| r.meta.id == id)
}

pub fn areas() -> Vec<Area> {
    let mut a: Vec<_> = REGISTRY.iter().map(|r| r.meta.area).collect();
    a.sort_unstable();
    a.dedup();
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_sorted_unique_and_documented() {
        let ids: Vec<_> = REGISTRY.iter().map(|r| r.meta.id).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(ids, sorted, "registry must be sorted by id and unique");
        for r in REGISTRY {
            assert!(r.meta.doc.starts_with(&format!("# {}", r.meta.id)), "rules/{}.md must start with its id", r.meta.id);
            assert!(!areas().is_empty());
            assert!(r.meta.id.chars().all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()));
        }
    }
}

#[cfg(test)]
mod keyword_tests {
    use super::*;

    #[test]
    fn shadowing_keywords_cover_every_new_builtin() {
        let rule = find("builtin-function-shadowed").unwrap();
        for f in crate::knowledge::NEW_BUILTIN_FUNCTIONS {
            assert!(rule.keywords.contains(&f.name), "{} missing from the rule's keywords", f.name);
        }
    }

    #[test]
    fn any_hook_rules_declare_keywords() {
        for r in REGISTRY.iter().filter(|r| r.hooks.contains(&Hook::Any)) {
            assert!(!r.keywords.is_empty(), "{}: a Hook::Any rule must say which statements it needs", r.meta.id);
        }
    }

    /// The first-words shortcut must never skip a statement whose kind is always read: one
    /// sample per kind in `rules::statement_kind_is_read` (and the kinds it leaves to keywords).
    #[test]
    fn statements_of_read_kinds_are_parsed() {
        let samples = [
            "CREATE TABLE t (a int)",
            "create temp table t (a int)",
            "/* c */ CREATE UNLOGGED TABLE t (a int)",
            "CREATE FOREIGN TABLE f (a int) SERVER s",
            "ALTER TABLE t ADD COLUMN b int",
            "ALTER TABLE t RENAME TO u",
            "CREATE INDEX ON t (a)",
            "CREATE STATISTICS s ON a, b FROM t",
            "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
            "CREATE EXTENSION pgcrypto",
            "DROP TABLE t",
            "drop table if exists t",
            "DROP SUBSCRIPTION s",
            "CREATE TYPE mood AS ENUM ('a')",
            "CREATE TYPE pair AS (a int, b int)",
            "CREATE TYPE r AS RANGE (subtype = int4)",
            "CREATE DOMAIN d AS int",
            "SET work_mem = '1MB'",
            "ALTER SYSTEM SET work_mem = '1MB'",
            "ALTER DATABASE d SET work_mem = '1MB'",
            "ALTER ROLE r SET work_mem = '1MB'",
            "CREATE ROLE r PASSWORD 'x'",
            "ALTER ROLE r PASSWORD 'x'",
            "CREATE SUBSCRIPTION s CONNECTION 'host=127.0.0.1' PUBLICATION p WITH (connect = false)",
            "CREATE PUBLICATION p FOR ALL TABLES",
            "VACUUM t",
            "COPY t FROM stdin",
            "CREATE TABLESPACE s LOCATION '/x'",
            "ALTER TABLESPACE s SET (effective_io_concurrency = 1)",
            "EXPLAIN (ANALYZE) SELECT 1",
        ];
        for sql in samples {
            let trees = crate::sql::parse::parse_statement(sql, 0).unwrap_or_else(|e| panic!("{sql}: {}", e.message));
            assert!(statement_kind_is_read(&trees[0].node), "{sql}: sample of a kind that is not always read");
            assert!(crate::sql::front::may_be_read(sql, &READ_POLICY), "{sql}: skipped before parsing, but its kind is always read");
        }
        // Kinds left to keywords are skipped unless one appears.
        for sql in [
            "CREATE VIEW v AS SELECT 1",
            "create or replace temp view v as select 1",
            "DROP INDEX i",
            "SELECT 1",
            "GRANT SELECT ON t TO r",
            "REVOKE ALL ON t FROM r",
            "CREATE TRIGGER g AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()",
            "CREATE CONSTRAINT TRIGGER g AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()",
        ] {
            assert!(!crate::sql::front::may_be_read(sql, &READ_POLICY), "{sql}");
        }
        for sql in [
            "CREATE VIEW v AS SELECT wal_write FROM pg_stat_wal",
            "GRANT SELECT, RULE ON t TO r",
            "revoke rule on t from r",
            "CREATE CONSTRAINT TRIGGER g AFTER INSERT ON t DEFERRABLE FOR EACH ROW EXECUTE FUNCTION f()",
            "CREATE CONSTRAINT TRIGGER g AFTER INSERT ON t INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION f()",
        ] {
            assert!(crate::sql::front::may_be_read(sql, &READ_POLICY), "{sql}");
        }
    }
}
