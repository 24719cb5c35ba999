//! Reports for people: `--format markdown` (for `$GITHUB_STEP_SUMMARY`, a wiki, a pull
//! request) and `--format html` (one self-contained file: no network, no script, no external
//! font; prints well and reads without colour). Both render the same [`Plan`]: a verdict, what
//! was audited, counts, then the findings phase by phase, one entry per rule.
//!
//! Every text from outside (names, messages that quote them, paths) goes through
//! `quote::markdown` or `quote::html`: a name never becomes markup.

use std::fmt::Write as _;

use super::plan::{Entry, Plan, Verdict, plan};
use crate::catalog::remedy::describe;
use crate::diagnostic::{Cluster, Diagnostic, Scope, Severity};
use crate::engine::Run;
use crate::knowledge::target::TARGET;
use crate::quote::{html as h, markdown as md};
use crate::rules::phase::Phase;

/// What the header says beyond the run itself.
pub struct Context {
    /// The major upgraded from, as the run judged it.
    pub from: u32,
    /// When the report was made (RFC 3339, UTC).
    pub date: String,
}

const SEVERITIES: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

fn what_was_checked(run: &Run, ctx: &Context) -> Vec<(String, String)> {
    let mut rows = vec![
        ("pgready".to_string(), env!("PGREADY_LONG_VERSION").to_string()),
        ("Date".into(), ctx.date.clone()),
        ("Target".into(), format!("PostgreSQL {TARGET}")),
    ];
    if run.servers.is_empty() {
        rows.push(("Upgrading from".into(), format!("PostgreSQL {} (--from)", ctx.from)));
    }
    for s in &run.servers {
        rows.push(("Server".into(), describe(s)));
    }
    rows.push(("Checked".into(), super::checked(run)));
    rows
}

fn location(run: &Run, d: &Diagnostic) -> String {
    let doc = &run.docs[d.file];
    let (line, col) = doc.line_col(d.span.start);
    format!("{}:{line}:{col}", doc.display)
}

fn scope_note(d: &Diagnostic) -> &'static str {
    match d.scope {
        Some(Scope::Cluster) => " (the whole cluster)",
        _ => "",
    }
}

/// What the plan says to run for a phase (the script's statements come from `--fix-script`).
fn phase_commands<'a>(p: &'a Plan, phase: Phase) -> &'a [String] {
    match phase {
        Phase::Upgrade => &p.upgrade_commands,
        Phase::After => &p.after_commands,
        _ => &[],
    }
}

fn remedy_lines(d: &Diagnostic) -> Vec<String> {
    d.remedy
        .iter()
        .map(|r| {
            let when = match r.cluster {
                Cluster::Old => "old cluster",
                Cluster::New => "new cluster",
            };
            let decide = if r.decide.is_some() { ", a decision: commented out" } else { "" };
            format!("{} ({when}{decide})", r.sql.lines().collect::<Vec<_>>().join(" / "))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Markdown

pub fn markdown(run: &Run, ctx: &Context) -> String {
    let p = plan(run);
    let mut out = format!("# PostgreSQL {TARGET} upgrade report\n\n");
    let _ = writeln!(out, "**Verdict: {}** — {}.\n", p.verdict.as_str(), md(&p.reason));
    out += "| | |\n|---|---|\n";
    for (k, v) in what_was_checked(run, ctx) {
        let _ = writeln!(out, "| {k} | {} |", md(&v));
    }
    out += "\n## Findings\n\n| phase | errors | warnings | advice | total |\n|---|---:|---:|---:|---:|\n";
    for phase in Phase::ALL {
        let n = |s| p.count(Some(phase), Some(s));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            phase.title(),
            n(Severity::Error),
            n(Severity::Warning),
            n(Severity::Info),
            p.count(Some(phase), None)
        );
    }
    let _ = writeln!(
        out,
        "| **all** | **{}** | **{}** | **{}** | **{}** |",
        p.count(None, Some(Severity::Error)),
        p.count(None, Some(Severity::Warning)),
        p.count(None, Some(Severity::Info)),
        p.count(None, None)
    );
    if !p.by_area.is_empty() {
        out += "\n| area | findings |\n|---|---:|\n";
        for (area, n) in &p.by_area {
            let _ = writeln!(out, "| {area} | {n} |");
        }
    }
    if !p.by_database.is_empty() {
        out += "\n| database | findings |\n|---|---:|\n";
        for (db, n) in &p.by_database {
            let _ = writeln!(out, "| {} | {n} |", db.as_deref().map_or("(the whole cluster)".into(), md));
        }
    }
    for (i, (phase, entries)) in p.phases.iter().enumerate() {
        let commands = phase_commands(&p, *phase);
        if entries.is_empty() && commands.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n## {}. {}\n", i + 1, phase.title());
        if !commands.is_empty() {
            out += "```sh\n";
            for c in commands {
                let _ = writeln!(out, "{}", crate::quote::one_line(c).replace("```", "` ` `"));
            }
            out += "```\n\n";
        }
        for e in entries {
            markdown_entry(&mut out, run, e);
        }
    }
    out
}

fn markdown_entry(out: &mut String, run: &Run, e: &Entry) {
    let _ = writeln!(out, "### {} `{}` — {} ({})\n", e.severity.as_str(), e.rule, md(e.summary), e.findings.len());
    for d in &e.findings {
        let _ = writeln!(out, "- {}{}: {}", md(&location(run, d)), scope_note(d), md(&d.message));
        for r in remedy_lines(d) {
            let _ = writeln!(out, "  - remediation script: {}", md(&r));
        }
    }
    let mut helps: Vec<&str> = e.findings.iter().filter_map(|d| d.help.as_deref()).collect();
    helps.dedup();
    for help in helps.iter().take(1) {
        let _ = writeln!(out, "\n{}", md(help));
    }
    let _ = writeln!(out, "\nRule page: `pgready explain {}`\n", e.rule);
}

// ---------------------------------------------------------------------------------------------
// HTML

const STYLE: &str = "\
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}\
h1{font-size:1.6rem;margin:0 0 .5rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ccc}h3{font-size:1rem;margin:1.2rem 0 .3rem}\
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.2rem .6rem;text-align:left;vertical-align:top}\
td.n,th.n{text-align:right}code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}\
pre{background:#f4f4f4;padding:.6rem;overflow-x:auto;white-space:pre-wrap}\
.verdict{font-size:1.15rem;padding:.6rem .8rem;border:2px solid;margin:1rem 0}\
.blocked{border-color:#b00020}.ready-after-the-listed-steps{border-color:#a66300}.ready{border-color:#1b7a1b}\
.sev{font-weight:600;text-transform:uppercase;font-size:.8em;padding:0 .3rem;border:1px solid}\
.error{color:#b00020}.warning{color:#8a5300}.info{color:#35608a}\
li{margin:.15rem 0}.loc{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em;word-break:break-all}\
svg text{font:12px system-ui,sans-serif}\
@media print{body{margin:0;max-width:none}h2{break-after:avoid}li,h3{break-inside:avoid}}";

pub fn html(run: &Run, ctx: &Context) -> String {
    let p = plan(run);
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
    );
    let _ = writeln!(out, "<title>PostgreSQL {TARGET} upgrade report</title>\n<style>{STYLE}</style>\n</head>\n<body>");
    let _ = writeln!(out, "<h1>PostgreSQL {TARGET} upgrade report</h1>");
    let class = p.verdict.as_str().replace(' ', "-");
    let _ = writeln!(out, "<p class=\"verdict {class}\"><strong>Verdict: {}</strong> — {}.</p>", p.verdict.as_str(), h(&p.reason));
    out += "<table>\n";
    for (k, v) in what_was_checked(run, ctx) {
        let _ = writeln!(out, "<tr><th>{k}</th><td>{}</td></tr>", h(&v));
    }
    out += "</table>\n<h2>Findings</h2>\n";
    out += &chart(&p);
    out += "<table>\n<tr><th>phase</th><th class=\"n\">errors</th><th class=\"n\">warnings</th><th class=\"n\">advice</th><th class=\"n\">total</th></tr>\n";
    for phase in Phase::ALL {
        let n = |s| p.count(Some(phase), Some(s));
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            phase.title(),
            n(Severity::Error),
            n(Severity::Warning),
            n(Severity::Info),
            p.count(Some(phase), None)
        );
    }
    out += "</table>\n";
    if !p.by_area.is_empty() || !p.by_database.is_empty() {
        out += "<table>\n<tr><th>area or database</th><th class=\"n\">findings</th></tr>\n";
        for (area, n) in &p.by_area {
            let _ = writeln!(out, "<tr><td>area {area}</td><td class=\"n\">{n}</td></tr>");
        }
        for (db, n) in &p.by_database {
            let name = db.as_deref().map_or("the whole cluster".to_string(), |d| format!("database {}", h(d)));
            let _ = writeln!(out, "<tr><td>{name}</td><td class=\"n\">{n}</td></tr>");
        }
        out += "</table>\n";
    }
    for (i, (phase, entries)) in p.phases.iter().enumerate() {
        let commands = phase_commands(&p, *phase);
        if entries.is_empty() && commands.is_empty() {
            continue;
        }
        let _ = writeln!(out, "<h2>{}. {}</h2>", i + 1, phase.title());
        if !commands.is_empty() {
            let lines: Vec<String> = commands.iter().map(|c| h(c)).collect();
            let _ = writeln!(out, "<pre>{}</pre>", lines.join("\n"));
        }
        for e in entries {
            let sev = e.severity.as_str();
            let _ = writeln!(
                out,
                "<h3><span class=\"sev {sev}\">{sev}</span> <code>{}</code> — {} ({})</h3>\n<ul>",
                e.rule,
                h(e.summary),
                e.findings.len()
            );
            for d in &e.findings {
                let _ = write!(out, "<li><span class=\"loc\">{}</span>{}: {}", h(&location(run, d)), scope_note(d), h(&d.message));
                for r in remedy_lines(d) {
                    let _ = write!(out, "<br>remediation script: <code>{}</code>", h(&r));
                }
                out += "</li>\n";
            }
            out += "</ul>\n";
            if let Some(help) = e.findings.iter().find_map(|d| d.help.as_deref()) {
                let _ = writeln!(out, "<p>{}</p>", h(help));
            }
        }
    }
    out += "</body>\n</html>\n";
    out
}

/// A bar per phase, its length the number of findings, split by severity; the numbers are
/// written beside the bars, so the chart reads without colour.
fn chart(p: &Plan) -> String {
    let max = Phase::ALL.iter().map(|&ph| p.count(Some(ph), None)).max().unwrap_or(0).max(1);
    let (label_w, bar_w, row_h) = (290.0, 330.0, 26.0);
    let height = row_h * Phase::ALL.len() as f64 + 8.0;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"findings by phase and severity\" width=\"700\" height=\"{height}\" viewBox=\"0 0 700 {height}\">\n"
    );
    for (i, phase) in Phase::ALL.iter().enumerate() {
        let y = 4.0 + row_h * i as f64;
        let _ = writeln!(out, "<text x=\"0\" y=\"{}\">{}</text>", y + 15.0, phase.title());
        let mut x = label_w;
        for (s, fill) in SEVERITIES.iter().zip(["#b00020", "#d18a00", "#6d93b8"]) {
            let n = p.count(Some(*phase), Some(*s));
            if n == 0 {
                continue;
            }
            let w = bar_w * n as f64 / max as f64;
            let _ = writeln!(
                out,
                "<rect x=\"{x:.1}\" y=\"{y}\" width=\"{w:.1}\" height=\"18\" fill=\"{fill}\"><title>{n} {}</title></rect>",
                s.as_str()
            );
            x += w;
        }
        let words: Vec<String> = SEVERITIES
            .iter()
            .filter_map(|s| {
                let n = p.count(Some(*phase), Some(*s));
                (n > 0).then(|| format!("{n} {}", s.as_str()))
            })
            .collect();
        let text = if words.is_empty() { "none".to_string() } else { words.join(", ") };
        let _ = writeln!(out, "<text x=\"{:.1}\" y=\"{}\">{text}</text>", x + 6.0, y + 15.0);
    }
    out += "</svg>\n";
    out
}

/// The verdict as the process's summary line names it.
pub fn verdict_line(run: &Run) -> String {
    let p = plan(run);
    let v = match p.verdict {
        Verdict::Blocked => "blocked",
        Verdict::ReadyAfterSteps => "ready after the listed steps",
        Verdict::Ready => "ready",
    };
    format!("Verdict: {v} — {}.", p.reason)
}
