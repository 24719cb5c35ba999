//! What a rule reports: a diagnostic at an exact span, with help and an optional fix; and the
//! positions every layer shares (file ids, spans, origins). The lowest layer: imports nothing
//! of the crate.

use std::ops::Range;

use serde::Serialize;

/// Index of a file in the run's list of documents.
pub type FileId = usize;

/// Where a fact came from: a span of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub file: FileId,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A recommendation.
    Info,
    /// Runs on PostgreSQL 18, but behaves differently or is deprecated.
    Warning,
    /// Fails on PostgreSQL 18 (or makes pg_upgrade fail).
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// How sure a fix is to keep the meaning of the code (ruff's scale).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Valid SQL, but the meaning may change: applied only with `--unsafe-fixes`.
    Unsafe,
    /// Keeps the meaning exactly: applied by `--fix`.
    Safe,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub file: FileId,
    pub range: Range<usize>,
    pub replacement: String,
}

impl Edit {
    pub fn insert(file: FileId, at: usize, text: impl Into<String>) -> Edit {
        Edit { file, range: at..at, replacement: text.into() }
    }
    pub fn replace(file: FileId, range: Range<usize>, text: impl Into<String>) -> Edit {
        Edit { file, range, replacement: text.into() }
    }
}

#[derive(Debug, Clone)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    pub file: FileId,
    pub span: Range<usize>,
    pub message: String,
    pub help: Option<String>,
    pub fix: Option<Fix>,
    /// SQL that repairs a live server's state, for `--fix-script` (never run by pgready), in the
    /// order it must run.
    pub remedy: Vec<Remedy>,
    /// `pgready replay` saw the statement fail on the real PostgreSQL 18 (and not on the
    /// baseline): a static finding proven by a server.
    pub confirmed: bool,
    /// For a live audit's finding: the whole cluster, or one database.
    pub scope: Option<Scope>,
}

/// What a live audit's finding is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case", tag = "scope", content = "database")]
pub enum Scope {
    /// The whole cluster: roles, databases, server settings, prepared transactions, slots.
    Cluster,
    /// One database's objects.
    Database(String),
}

impl Diagnostic {
    pub fn new(rule: &'static str, severity: Severity, file: FileId, span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity,
            file,
            span,
            message: message.into(),
            help: None,
            fix: None,
            remedy: Vec::new(),
            confirmed: false,
            scope: None,
        }
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn remedy(mut self, remedy: Remedy) -> Self {
        self.remedy.push(remedy);
        self
    }
    /// Another severity than the rule's usual one (a rule whose finding is sometimes milder).
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
    pub fn fix(mut self, title: impl Into<String>, applicability: Applicability, edits: Vec<Edit>) -> Self {
        self.fix = Some(Fix { title: title.into(), applicability, edits });
        self
    }
}

/// Which cluster a remedy runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cluster {
    /// The old cluster, before pg_upgrade.
    Old,
    /// The new cluster, after pg_upgrade.
    New,
}

/// One statement of the remediation script (`--fix-script`): pgready writes it, a person runs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Remedy {
    /// One SQL statement; every name and literal in it quoted (by the quote module).
    pub sql: String,
    /// The database it must run in; `None` for what belongs to the whole cluster (roles,
    /// databases, ALTER SYSTEM), which runs in any.
    pub database: Option<String>,
    pub cluster: Cluster,
    /// Why a person must decide: the statement is written commented out (it destroys something,
    /// or is one of several choices).
    pub decide: Option<String>,
}

impl Remedy {
    /// A statement for the old cluster, before the upgrade.
    pub fn old(sql: impl Into<String>) -> Remedy {
        Remedy { sql: sql.into(), database: None, cluster: Cluster::Old, decide: None }
    }
    /// A statement for the new cluster, after the upgrade.
    pub fn new_cluster(sql: impl Into<String>) -> Remedy {
        Remedy { cluster: Cluster::New, ..Remedy::old(sql) }
    }
    pub fn in_database(mut self, database: impl Into<String>) -> Remedy {
        self.database = Some(database.into());
        self
    }
    /// In `database` when one is known.
    pub fn in_database_if(mut self, database: Option<String>) -> Remedy {
        self.database = database.or(self.database);
        self
    }
    /// Written commented out, with why.
    pub fn decide(mut self, why: impl Into<String>) -> Remedy {
        self.decide = Some(why.into());
        self
    }
}

/// Why a statement (or a part of one) was not judged. Every such statement is counted in the
/// summary, so that "All clear" is only said of what was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NotJudgedReason {
    /// The statement does not parse (reported as a syntax error).
    SyntaxError,
    /// A psql variable with no known value where no placeholder parses.
    PsqlVariable,
    /// A template placeholder where no placeholder parses.
    Template,
    /// The file is written for another SQL dialect.
    ForeignDialect,
    /// A function body in a procedural language pgready does not read (PL/Python, PL/Perl...).
    BodyLanguage,
    /// A function body (or a statement in one) that could not be read.
    BodyNotParsed,
    /// SQL built at run time (`EXECUTE` of a string that is not a constant).
    DynamicSql,
    /// A statement that changes the whole cluster (ALTER SYSTEM, tablespaces, roles that
    /// existed before), which `pgready replay` does not send to a shared server.
    ClusterWide,
    /// A psql `\i`/`\ir` of a file that is not among the inputs (or that includes itself),
    /// which `pgready replay` cannot run.
    Include,
    /// A psql `\if` between the lines of one statement, or a branch of a psql conditional
    /// that is not the first (the check reads the first branch).
    PsqlConditional,
}

impl NotJudgedReason {
    pub const ALL: [NotJudgedReason; 10] = [
        NotJudgedReason::SyntaxError,
        NotJudgedReason::PsqlVariable,
        NotJudgedReason::Template,
        NotJudgedReason::ForeignDialect,
        NotJudgedReason::BodyLanguage,
        NotJudgedReason::BodyNotParsed,
        NotJudgedReason::DynamicSql,
        NotJudgedReason::ClusterWide,
        NotJudgedReason::Include,
        NotJudgedReason::PsqlConditional,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotJudgedReason::SyntaxError => "syntax-error",
            NotJudgedReason::PsqlVariable => "psql-variable",
            NotJudgedReason::Template => "template",
            NotJudgedReason::ForeignDialect => "foreign-dialect",
            NotJudgedReason::BodyLanguage => "body-language",
            NotJudgedReason::BodyNotParsed => "body-not-parsed",
            NotJudgedReason::DynamicSql => "dynamic-sql",
            NotJudgedReason::ClusterWide => "cluster-wide",
            NotJudgedReason::Include => "include",
            NotJudgedReason::PsqlConditional => "psql-conditional",
        }
    }

    pub fn named(s: &str) -> Option<NotJudgedReason> {
        NotJudgedReason::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A statement, or a part of one, that was not judged: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotJudged {
    pub span: Range<usize>,
    pub reason: NotJudgedReason,
}
