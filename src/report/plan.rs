//! The upgrade plan a run's findings make: each finding in its phase ([`Phase`]), findings of
//! one rule folded into one entry listing their objects, the verdict, and the counts a report's
//! header shows. The Markdown and HTML reports and the JSON `plan` are renderings of it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalog::remedy::{after_commands, needs_a_person, upgrade_commands};
use crate::diagnostic::{Diagnostic, Scope, Severity};
use crate::engine::Run;
use crate::rules::phase::{Phase, phase};

/// Whether the upgrade can go ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// An error no step of the plan repairs, or something that could not be audited.
    Blocked,
    /// Every error has a step in the plan; the listed steps (and warnings) remain.
    ReadyAfterSteps,
    /// Nothing but advice.
    Ready,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Blocked => "blocked",
            Verdict::ReadyAfterSteps => "ready after the listed steps",
            Verdict::Ready => "ready",
        }
    }
}

/// One rule's findings in one phase.
pub struct Entry<'a> {
    pub rule: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub findings: Vec<&'a Diagnostic>,
}

pub struct Plan<'a> {
    pub verdict: Verdict,
    /// Why, in one sentence.
    pub reason: String,
    pub phases: Vec<(Phase, Vec<Entry<'a>>)>,
    /// Shell commands of the upgrade itself, and after it (live audits only).
    pub upgrade_commands: Vec<String>,
    pub after_commands: Vec<String>,
    /// Findings by severity and phase.
    pub by_phase: BTreeMap<(Phase, Severity), usize>,
    pub by_area: BTreeMap<&'static str, usize>,
    /// Findings by database of a live audit (`None`: the whole cluster); empty for files.
    pub by_database: BTreeMap<Option<String>, usize>,
}

/// The phase of a finding, from its document.
pub fn phase_of(run: &Run, d: &Diagnostic) -> Phase {
    let doc = &run.docs[d.file];
    // A statement pg_stat_statements collected is the application's (a path segment escapes
    // `/`, so no object name can forge this one).
    let live = doc.display.starts_with("postgresql://") && !doc.display.contains("/pg_stat_statements/");
    let kind = run.files.get(d.file).map(|f| f.kind).unwrap_or_default();
    let conf = kind != crate::source::Kind::Sql;
    let auto = doc.path.file_name().is_some_and(|n| n == "postgresql.auto.conf");
    phase(d, live, conf, auto && live)
}

pub fn plan(run: &Run) -> Plan<'_> {
    let mut grouped: BTreeMap<(Phase, std::cmp::Reverse<Severity>, &'static str), Vec<&Diagnostic>> = BTreeMap::new();
    let mut by_phase = BTreeMap::new();
    let mut by_area = BTreeMap::new();
    let mut by_database = BTreeMap::new();
    for d in &run.diagnostics {
        let p = phase_of(run, d);
        grouped.entry((p, std::cmp::Reverse(d.severity), d.rule)).or_default().push(d);
        *by_phase.entry((p, d.severity)).or_insert(0) += 1;
        *by_area.entry(crate::rules::find(d.rule).map_or("meta", |r| r.meta.area.as_str())).or_insert(0) += 1;
        match &d.scope {
            Some(Scope::Cluster) => *by_database.entry(None).or_insert(0) += 1,
            Some(Scope::Database(db)) => *by_database.entry(Some(db.clone())).or_insert(0) += 1,
            None => {}
        }
    }
    let mut phases: Vec<(Phase, Vec<Entry>)> = Phase::ALL.iter().map(|&p| (p, Vec::new())).collect();
    for ((p, severity, rule), findings) in grouped {
        let summary = crate::rules::find(rule).map_or("", |r| r.meta.summary);
        let entry = Entry { rule, severity: severity.0, summary, findings };
        phases.iter_mut().find(|(q, _)| *q == p).expect("every phase").1.push(entry);
    }
    let not_audited: usize = run.servers.iter().map(|s| s.not_audited.len()).sum();
    let unread = run.diagnostics.iter().filter(|d| d.rule == "server-not-read").count();
    let stuck = run.diagnostics.iter().filter(|d| d.severity == Severity::Error && needs_a_person(d)).count();
    let errors = run.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = run.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
    let (verdict, reason) = if unread > 0 || not_audited > 0 {
        let mut what = Vec::new();
        if unread > 0 {
            what.push(format!("{unread} server(s)"));
        }
        if not_audited > 0 {
            let names: Vec<&str> = run.servers.iter().flat_map(|s| &s.not_audited).map(|(n, _)| n.as_str()).collect();
            what.push(format!("{not_audited} database(s) ({})", names.join(", ")));
        }
        (
            Verdict::Blocked,
            format!(
                "{} could not be audited: nothing can be said of them yet (audit them once they accept connections)",
                what.join(" and ")
            ),
        )
    } else if stuck > 0 {
        (Verdict::Blocked, format!("{stuck} error(s) need a person's change before the upgrade: no step of the plan repairs them"))
    } else if errors + warnings > 0 {
        (
            Verdict::ReadyAfterSteps,
            format!("every error has a step in the plan: {errors} error(s) and {warnings} warning(s) to work through"),
        )
    } else {
        (Verdict::Ready, "no error and no warning: only advice, if anything".to_string())
    };
    let live = !run.servers.is_empty();
    Plan {
        verdict,
        reason,
        phases,
        upgrade_commands: if live { upgrade_commands(run) } else { Vec::new() },
        after_commands: if live { after_commands(run) } else { Vec::new() },
        by_phase,
        by_area,
        by_database,
    }
}

impl Plan<'_> {
    pub fn count(&self, phase: Option<Phase>, severity: Option<Severity>) -> usize {
        self.by_phase.iter().filter(|((p, s), _)| phase.is_none_or(|q| q == *p) && severity.is_none_or(|t| t == *s)).map(|(_, n)| n).sum()
    }
}
