//! Rules: one file per rule under `rules/<area>/`, registered once in [`REGISTRY`].
//!
//! A rule never parses, reads files or prints: it receives one statement with the schema model
//! as the migrations have built it up to (and including) that statement, and pushes diagnostics.

pub mod aio;
pub mod auth;
pub mod generated;
pub mod meta;
pub mod names;
pub use names::{did_you_mean, unknown_name};
pub mod expr_type;
pub mod phase;
mod registry;
pub use registry::REGISTRY;
pub mod replay;
pub mod replication;
pub mod settings;
pub mod upgrade;
pub mod uuid;

use std::ops::Range;

use std::cell::OnceCell;

use pg_query::NodeEnum;

pub use crate::sql::kinds::StatementKind;

use crate::diagnostic::{Applicability, Diagnostic, Edit, FileId, Origin, Severity};
use crate::model::{Column, GeneratedKind, Schema, Table};
use crate::sql::assign::{self, Assignment};
use crate::sql::tree::ExprFacts;

/// Whether a rule can offer a fix, and how safe its fixes are: the page's `- Fix:` line says the
/// same (tests/rule_docs.rs), and every fix the rule makes carries this applicability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    Sometimes(Applicability),
    Always(Applicability),
}

impl FixAvailability {
    /// `none`, `sometimes` or `always`, as pages, `pgready rules` and the JSON list write it.
    pub fn as_str(self) -> &'static str {
        match self {
            FixAvailability::None => "none",
            FixAvailability::Sometimes(_) => "sometimes",
            FixAvailability::Always(_) => "always",
        }
    }

    pub fn safety(self) -> Option<Applicability> {
        match self {
            FixAvailability::None => None,
            FixAvailability::Sometimes(a) | FixAvailability::Always(a) => Some(a),
        }
    }

    pub fn is_always(self) -> bool {
        matches!(self, FixAvailability::Always(_))
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
    Replay,
    Replication,
    Settings,
    Suppression,
    Syntax,
    Upgrade,
    Uuid,
}

impl Area {
    pub const ALL: [Area; 13] = [
        Area::Aio,
        Area::Auth,
        Area::Config,
        Area::Generated,
        Area::Input,
        Area::Meta,
        Area::Replay,
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
            Area::Replay => "replay",
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
    pub states: &'a RuleStates,
}

impl ModelCtx<'_> {
    /// What `rule` noted while the statements were folded (its own state type).
    pub fn state<T: Default + Send + 'static>(&self, rule: &Rule) -> std::cell::RefMut<'_, T> {
        self.states.of(rule)
    }
}

/// What rules note for themselves during a run (one value per rule, of the rule's own type): a
/// rule that reports once per file or per run collects here while statements are folded and
/// reports from `check_model`. The model holds only facts about the schema and the inputs.
#[derive(Default)]
pub struct RuleStates {
    by_rule: std::cell::RefCell<std::collections::HashMap<&'static str, Box<dyn std::any::Any + Send>>>,
}

impl RuleStates {
    pub fn of<T: Default + Send + 'static>(&self, rule: &Rule) -> std::cell::RefMut<'_, T> {
        std::cell::RefMut::map(self.by_rule.borrow_mut(), |m| {
            m.entry(rule.meta.id).or_insert_with(|| Box::new(T::default())).downcast_mut::<T>().expect("a rule keeps one type of state")
        })
    }
}

pub struct Rule {
    pub meta: RuleMeta,
    /// The statement kinds the rule always reads (it is called for every statement of these).
    pub hooks: &'static [StatementKind],
    /// `None` for the engine's own diagnostics (syntax errors, unreadable files...).
    pub check: Option<CheckFn>,
    /// Called once after every input is folded into the model (configuration files, and
    /// facts that need the whole schema).
    pub check_model: Option<ModelCheckFn>,
    /// Words (lower-case) that make the rule read a statement of any kind: it is also called
    /// for every statement whose text contains one (ASCII case-insensitive). The engine keeps
    /// the parse tree of a statement only if the model or a rule reads it this way or by kind;
    /// `PGREADY_KEEP_ALL_TREES=1` calls every rule on every statement, and the tests compare.
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

/// The statement kinds whose trees are always kept: those the model folds and those some rule
/// reads by kind (its hooks). Other statements are read only through rule keywords.
static READ_KINDS: std::sync::LazyLock<u64> = std::sync::LazyLock::new(|| {
    let hooks = REGISTRY.iter().flat_map(|r| r.hooks.iter());
    crate::model::FOLDED_KINDS.iter().chain(hooks).fold(0, |set, k| set | kind_bit(*k))
});

fn kind_bit(kind: StatementKind) -> u64 {
    1 << (kind as u32)
}

/// Whether the model or some rule reads every statement of this kind.
pub fn kind_is_read(kind: StatementKind) -> bool {
    *READ_KINDS & kind_bit(kind) != 0
}

/// What the engine reads, for the SQL front end: the kinds above, and any statement that
/// mentions a rule keyword.
pub static READ_POLICY: crate::sql::front::ReadPolicy =
    crate::sql::front::ReadPolicy { kind_is_read, mentions_keyword: mentions_rule_keyword };

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

/// A set of rule keywords, as bits of their indices in [`ALL_KEYWORDS`]: the engine asks every
/// rule's keywords of every statement it judges, and a set intersection is one instruction per
/// word where comparing names cost a tenth of the judging time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeywordMask([u64; KEYWORD_MASK_WORDS]);

/// Room for 256 keywords (a test checks that the rules use no more).
const KEYWORD_MASK_WORDS: usize = 4;

impl KeywordMask {
    /// The set of `keywords`, each one of the rules' keywords.
    pub fn of(keywords: &[&str]) -> KeywordMask {
        let mut mask = KeywordMask::default();
        for k in keywords {
            let index = ALL_KEYWORDS.binary_search(k);
            debug_assert!(index.is_ok(), "{k} is not a rule keyword");
            if let Ok(i) = index {
                mask.insert(i);
            }
        }
        mask
    }

    fn insert(&mut self, index: usize) {
        self.0[index / 64] |= 1 << (index % 64);
    }

    pub fn intersects(&self, other: &KeywordMask) -> bool {
        self.0.iter().zip(&other.0).any(|(a, b)| a & b != 0)
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }
}

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
    states: &'a RuleStates,
    lower: OnceCell<String>,
    json: OnceCell<Option<serde_json::Value>>,
    facts: OnceCell<ExprFacts>,
    assignments: OnceCell<Vec<Assignment>>,
    keywords_found: OnceCell<KeywordMask>,
    columns_here: OnceCell<Vec<(&'a Table, &'a Column)>>,
    /// The statement is a PL/pgSQL expression judged as `SELECT expr` (an assignment's value,
    /// a condition): what it selects goes to a variable or a test, not to a client.
    pub expression: bool,
}

impl<'a> Ctx<'a> {
    pub fn new(
        file: FileId,
        text: &'a str,
        range: &'a Range<usize>,
        node: &'a NodeEnum,
        schema: &'a Schema,
        from: u32,
        states: &'a RuleStates,
    ) -> Ctx<'a> {
        Ctx {
            file,
            text,
            range,
            node,
            schema,
            from,
            states,
            lower: OnceCell::new(),
            json: OnceCell::new(),
            facts: OnceCell::new(),
            assignments: OnceCell::new(),
            keywords_found: OnceCell::new(),
            columns_here: OnceCell::new(),
            expression: false,
        }
    }

    /// The same statement, as a PL/pgSQL expression judged as `SELECT expr` when `expression`.
    pub fn in_expression(mut self, expression: bool) -> Ctx<'a> {
        self.expression = expression;
        self
    }

    /// What `rule` notes for itself during the run (see [`RuleStates`]).
    pub fn state<T: Default + Send + 'static>(&self, rule: &Rule) -> std::cell::RefMut<'_, T> {
        self.states.of(rule)
    }

    /// Whether the statement's text holds one of `rule`'s keywords: one search for every
    /// rule's keywords per statement, instead of one per rule and keyword.
    pub fn mentions_keyword_of(&self, rule: &Rule) -> bool {
        self.mentions_any(&KeywordMask::of(rule.keywords))
    }

    /// Whether the statement's text holds one of the keywords of `mask`.
    pub fn mentions_any(&self, mask: &KeywordMask) -> bool {
        self.keywords_found().intersects(mask)
    }

    /// Whether the statement's text holds `keyword`, one of the rules' keywords.
    pub fn mentions(&self, keyword: &str) -> bool {
        self.mentions_any(&KeywordMask::of(&[keyword]))
    }

    fn keywords_found(&self) -> &KeywordMask {
        self.keywords_found.get_or_init(|| {
            let mut found = KeywordMask::default();
            KEYWORD_MATCHER.find_overlapping_iter(self.stmt_text()).for_each(|m| found.insert(m.pattern().as_usize()));
            found
        })
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
        self.facts.get_or_init(|| crate::sql::facts::facts_of_tree(self.node))
    }

    /// The setting assignments the statement makes, `set_config()` calls included.
    pub fn assignments(&self) -> &[Assignment] {
        self.assignments.get_or_init(|| {
            let mut out = assign::statement_assignments(self.file, self.text, self.range, self.node);
            if assign::mentions_current_setting(self.text, self.range) {
                out.extend(assign::current_setting_reads(self.file, self.text, self.range));
            }
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

/// The statements where a setting is named: assignments, reads (`SHOW`; `current_setting()` is
/// found by keyword) and a routine's own settings.
pub const SETTING_HOOKS: &[StatementKind] = &[
    StatementKind::Set,
    StatementKind::AlterSystem,
    StatementKind::AlterDatabaseSet,
    StatementKind::AlterRoleSet,
    StatementKind::Show,
    StatementKind::CreateFunction,
    StatementKind::AlterFunction,
];
/// The calls that name a setting in any statement.
pub const SETTING_KEYWORDS: &[&str] = &["set_config", "current_setting"];

/// The setting rules judge SQL assignments and configuration-file lines alike: these two
/// adapters feed a rule's `judge` from a statement, or from every configuration file.
pub type JudgeFn = fn(&Assignment, u32, &mut Vec<Diagnostic>);

pub fn judge_statement(ctx: &Ctx, out: &mut Vec<Diagnostic>, judge: JudgeFn) {
    for a in ctx.assignments() {
        // `ALTER SYSTEM/DATABASE/ROLE ... RESET name` is the remedy, never the problem; a read
        // (`SHOW`, `current_setting()`) sets no value.
        if !a.is_stored_reset() && !a.is_read() {
            judge(a, ctx.from, out);
        }
    }
}

/// As [`judge_statement`], for a rule about setting names: reads of a name are judged too (a
/// `SHOW` of a removed setting fails like a `SET`).
pub fn judge_statement_names(ctx: &Ctx, out: &mut Vec<Diagnostic>, judge: JudgeFn) {
    for a in ctx.assignments() {
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

/// A setting rule's `check` and `check_model`: its `judge` on every setting assignment, from SQL
/// statements and from configuration files alike.
macro_rules! setting_rule_checks {
    ($judge:ident) => {
        $crate::rules::setting_rule_checks!($judge, judge_statement);
    };
    // `names`: a rule about setting names, which judges reads (`SHOW`, `current_setting()`) too.
    ($judge:ident, names) => {
        $crate::rules::setting_rule_checks!($judge, judge_statement_names);
    };
    ($judge:ident, $statement:ident) => {
        fn check(ctx: &$crate::rules::Ctx, out: &mut Vec<$crate::diagnostic::Diagnostic>) {
            $crate::rules::$statement(ctx, out, $judge);
        }

        fn check_model(m: &$crate::rules::ModelCtx, out: &mut Vec<$crate::diagnostic::Diagnostic>) {
            $crate::rules::judge_config(m, out, $judge);
        }
    };
}
pub(crate) use setting_rule_checks;

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
    fn keyword_masks_hold_every_keyword_and_only_those_asked() {
        assert!(ALL_KEYWORDS.len() <= KEYWORD_MASK_WORDS * 64, "{} keywords: widen KeywordMask", ALL_KEYWORDS.len());
        let rule = find("grant-rule-privilege").unwrap();
        let mask = KeywordMask::of(rule.keywords);
        for (i, k) in ALL_KEYWORDS.iter().enumerate() {
            let mut one = KeywordMask::default();
            one.insert(i);
            assert_eq!(one, KeywordMask::of(&[k]));
            assert_eq!(mask.intersects(&one), rule.keywords.contains(k), "{k}");
        }
        assert!(KeywordMask::of(&[]).is_empty() && !mask.is_empty());
    }

    #[test]
    fn shadowing_keywords_cover_every_new_builtin() {
        let rule = find("builtin-function-shadowed").unwrap();
        // Each keyword is a function 18 added; every user-facing one is a keyword.
        for k in rule.keywords {
            let f = crate::knowledge::new_builtin_function(k).unwrap_or_else(|| panic!("{k} is no new built-in"));
            assert!(f.signatures.iter().any(|(_, since)| *since == 18), "{k}");
        }
        for name in ["uuidv7", "uuidv4", "casefold", "array_sort", "crc32", "gamma"] {
            assert!(rule.keywords.contains(&name), "{name} missing from the rule's keywords");
        }
    }

    /// A statement rule must be reachable: by the kinds it reads or by its keywords.
    #[test]
    fn every_statement_rule_can_be_called() {
        for r in REGISTRY.iter().filter(|r| r.check.is_some()) {
            assert!(!r.hooks.is_empty() || !r.keywords.is_empty(), "{}: a check no statement reaches", r.meta.id);
            for k in r.hooks {
                assert!(kind_is_read(*k), "{}: reads {k:?}, which the engine never keeps", r.meta.id);
            }
        }
        // Kinds no rule reads by kind stay keyword-only: their statements are not parsed.
        for k in [StatementKind::Other, StatementKind::CreateView, StatementKind::Grant, StatementKind::CreateTrigger] {
            assert!(!kind_is_read(k), "{k:?}");
        }
    }

    /// Statements of kinds read by keyword only are skipped before parsing unless a keyword
    /// appears; those of read kinds never are.
    #[test]
    fn the_pre_filter_follows_the_read_kinds_and_keywords() {
        use crate::sql::front::may_be_read;
        for sql in ["CREATE TABLE t (a int)", "ALTER ROLE r PASSWORD 'x'", "VACUUM t", "DROP TABLE t", "SET work_mem = 1"] {
            assert!(may_be_read(sql, &READ_POLICY), "{sql}");
        }
        for sql in [
            "CREATE VIEW v AS SELECT 1",
            "DROP INDEX i",
            "SELECT 1",
            "GRANT SELECT ON t TO r",
            "CREATE CONSTRAINT TRIGGER g AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()",
            "EXPLAIN SELECT 1",
        ] {
            assert!(!may_be_read(sql, &READ_POLICY), "{sql}");
        }
        for sql in [
            "CREATE VIEW v AS SELECT wal_write FROM pg_stat_wal",
            "revoke rule on t from r",
            "CREATE CONSTRAINT TRIGGER g AFTER INSERT ON t INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION f()",
            "EXPLAIN ANALYZE SELECT 1",
        ] {
            assert!(may_be_read(sql, &READ_POLICY), "{sql}");
        }
    }
}
