//! Formats for machines: SARIF 2.1.0, GitHub Actions workflow commands, GitLab Code Quality,
//! JUnit XML. Every format names the same fingerprint, so CI systems and baselines agree on
//! which finding is which.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::engine::Run;
use crate::knowledge::target::TARGET;
use crate::rules::REGISTRY;

/// A fingerprint that survives edits elsewhere in the file (moved lines): rule, path, message
/// and the flagged text, plus an occurrence number for identical findings.
pub fn fingerprints(run: &Run) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    // A file is named from its project's root, so that a baseline written in one folder of the
    // project holds in any other (a live document by its path, which names no folder).
    let mut names: HashMap<crate::diagnostic::FileId, String> = HashMap::new();
    run.diagnostics
        .iter()
        .map(|d| {
            let doc = &run.docs[d.file];
            let name = names
                .entry(d.file)
                .or_insert_with(|| crate::source::project_path(&doc.path).unwrap_or_else(|| doc.display.clone()))
                .clone();
            let text = doc.text.get(d.span.clone()).unwrap_or("");
            let normalized: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let key = format!("{}\0{}\0{}\0{}", d.rule, name, d.message, normalized);
            let n = seen.entry(key.clone()).or_default();
            *n += 1;
            let digest = Sha256::digest(format!("{key}\0{n}").as_bytes());
            digest[..16].iter().map(|b| format!("{b:02x}")).collect()
        })
        .collect()
}

fn positions(run: &Run, d: &Diagnostic) -> ((usize, usize), (usize, usize)) {
    let doc = &run.docs[d.file];
    (doc.line_col(d.span.start), doc.line_col(d.span.end.max(d.span.start)))
}

/// The authoritative page about the change a rule checks: the first PostgreSQL documentation
/// link of its page, or the PostgreSQL 18 release notes.
fn help_uri(doc: &str) -> String {
    doc.split_whitespace()
        .find(|w| w.starts_with("https://www.postgresql.org/"))
        .map(|w| w.trim_end_matches([')', '.', ',']).to_string())
        .unwrap_or_else(|| "https://www.postgresql.org/docs/18/release-18.html".to_string())
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn sarif_region(run: &Run, file: usize, start: usize, end: usize) -> Value {
    let doc = &run.docs[file];
    let (sl, sc) = doc.line_col(start);
    let (el, ec) = doc.line_col(end.max(start));
    json!({ "startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec, "charOffset": start, "charLength": end.saturating_sub(start) })
}

fn pascal_case(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or(String::new(), |f| f.to_uppercase().collect::<String>() + c.as_str())
        })
        .collect()
}

pub fn sarif(run: &Run) -> String {
    let cwd = std::env::current_dir().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
    let rules: Vec<Value> = REGISTRY
        .iter()
        .map(|r| {
            json!({
                "id": r.meta.id,
                "name": pascal_case(r.meta.id),
                "shortDescription": { "text": r.meta.summary },
                "fullDescription": { "text": r.meta.summary },
                "help": { "text": r.meta.doc, "markdown": r.meta.doc },
                "helpUri": help_uri(r.meta.doc),
                "defaultConfiguration": { "level": sarif_level(r.meta.severity) },
                "properties": { "tags": [r.meta.area, format!("postgresql-{}", crate::knowledge::target::TARGET)] },
            })
        })
        .collect();
    let index: HashMap<&str, usize> = REGISTRY.iter().enumerate().map(|(i, r)| (r.meta.id, i)).collect();
    let fps = fingerprints(run);
    let results: Vec<Value> = run
        .diagnostics
        .iter()
        .zip(&fps)
        .map(|(d, fp)| {
            let message = match &d.help {
                Some(h) => format!("{}\n{h}", d.message),
                None => d.message.clone(),
            };
            let mut result = json!({
                "ruleId": d.rule,
                "ruleIndex": index.get(d.rule).copied().unwrap_or(0),
                "level": sarif_level(d.severity),
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": artifact_location(run, d.file),
                        "region": sarif_region(run, d.file, d.span.start, d.span.end),
                    }
                }],
                "partialFingerprints": { "pgready/v1": fp },
            });
            // A live server's object: its place in the server as a logical location too.
            if let Some(object) =
                run.docs[d.file].display.strip_prefix("postgresql://").and_then(|rest| rest.split_once('/').map(|(_, o)| o))
            {
                result["locations"][0]["logicalLocations"] = json!([{ "fullyQualifiedName": object, "kind": "object" }]);
            }
            // What the finding is about: the whole cluster, or one database (a property bag).
            match &d.scope {
                Some(crate::diagnostic::Scope::Cluster) => result["properties"] = json!({ "scope": "cluster" }),
                Some(crate::diagnostic::Scope::Database(db)) => result["properties"] = json!({ "scope": "database", "database": db }),
                None => {}
            }
            if let Some(fix) = &d.fix {
                let mut by_file: Vec<(usize, Vec<Value>)> = Vec::new();
                for e in &fix.edits {
                    let rep = json!({
                        "deletedRegion": sarif_region(run, e.file, e.range.start, e.range.end),
                        "insertedContent": { "text": e.replacement },
                    });
                    match by_file.iter_mut().find(|(f, _)| *f == e.file) {
                        Some((_, v)) => v.push(rep),
                        None => by_file.push((e.file, vec![rep])),
                    }
                }
                let safety = if fix.applicability == Applicability::Safe { "safe" } else { "unsafe" };
                result["fixes"] = json!([{
                    "description": { "text": format!("{} ({safety})", fix.title) },
                    "artifactChanges": by_file.into_iter().map(|(f, reps)| json!({
                        "artifactLocation": artifact_location(run, f),
                        "replacements": reps,
                    })).collect::<Vec<_>>(),
                }]);
            }
            result
        })
        .collect();
    let report = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "pgready",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://www.postgresql.org/docs/18/release-18.html",
                "rules": rules,
            }},
            "originalUriBaseIds": { "%SRCROOT%": { "uri": format!("file://{}/", uri_path(&cwd)) } },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&report).expect("serialises") + "\n"
}

/// A SARIF artifact location: relative to %SRCROOT% (the current directory) when the path is
/// below it, an absolute `file://` URI otherwise.
fn artifact_location(run: &Run, file: usize) -> Value {
    let doc = &run.docs[file];
    if let Some(rest) = doc.display.strip_prefix("postgresql://") {
        // An object of a live server: an absolute URI of its own scheme, whose path is the
        // document's path as every format shows it (its own `%` escapes escaped again: a
        // decoded bidirectional override is no valid URI).
        let escaped: String = rest
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b':' | b'@' | b'(' | b')' | b',' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect();
        return json!({ "uri": format!("postgresql://{escaped}") });
    }
    let below_cwd = !doc.display.starts_with('/') && !doc.display.split('/').any(|c| c == "..");
    if below_cwd {
        json!({ "uri": uri_path(&doc.display), "uriBaseId": "%SRCROOT%" })
    } else {
        let abs = std::fs::canonicalize(&doc.path).unwrap_or_else(|_| doc.path.clone());
        json!({ "uri": format!("file://{}", uri_path(&abs.to_string_lossy())) })
    }
}

/// A path as a URI reference: `/` separators kept, reserved and non-ASCII bytes escaped.
fn uri_path(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(b as char),
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// GitHub Actions workflow commands: one annotation per finding.
pub fn github(run: &Run) -> String {
    let data = |s: &str| s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    let prop = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for d in &run.diagnostics {
        let doc = &run.docs[d.file];
        let ((l, c), (el, ec)) = positions(run, d);
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let _ = writeln!(
            out,
            "::{level} file={},line={l},col={c},endLine={el},endColumn={ec},title={}::{}",
            prop(&doc.display),
            prop(&format!("pgready {}", d.rule)),
            data(&d.message)
        );
    }
    out
}

/// GitLab Code Quality report (a JSON array).
pub fn gitlab(run: &Run) -> String {
    let fps = fingerprints(run);
    let issues: Vec<Value> = run
        .diagnostics
        .iter()
        .zip(fps)
        .map(|(d, fp)| {
            let ((l, _), (el, _)) = positions(run, d);
            json!({
                "type": "issue",
                "check_name": d.rule,
                "description": d.message,
                "content": { "body": d.help.clone().unwrap_or_default() },
                "categories": ["Compatibility"],
                "severity": match d.severity { Severity::Error => "critical", Severity::Warning => "major", Severity::Info => "info" },
                "fingerprint": fp,
                "location": { "path": run.docs[d.file].display, "lines": { "begin": l, "end": el } },
            })
        })
        .collect();
    serde_json::to_string_pretty(&issues).expect("serialises") + "\n"
}

/// Text as XML 1.0 character data or an attribute value: markup escaped; tab, line feed and
/// carriage return as character references (so an attribute keeps them); the other control
/// characters, which XML 1.0 cannot carry even as references, as visible escapes.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push_str(&crate::quote::one_line(&c.to_string())),
            c => out.push(c),
        }
    }
    out
}

/// JUnit XML: a test suite per file, a failing test case per finding, one passing case for a
/// clean file.
pub fn junit(run: &Run) -> String {
    let mut suites = String::new();
    let (mut total, mut failures) = (0, 0);
    let fps = fingerprints(run);
    for (id, doc) in run.docs.iter().enumerate() {
        let diags: Vec<(&Diagnostic, &String)> = run.diagnostics.iter().zip(&fps).filter(|(d, _)| d.file == id).collect();
        let cases = diags.len().max(1);
        total += cases;
        failures += diags.len();
        let name = xml(&doc.display);
        let _ = writeln!(suites, "  <testsuite name=\"{name}\" tests=\"{cases}\" failures=\"{}\" errors=\"0\">", diags.len());
        if diags.is_empty() {
            let _ = writeln!(suites, "    <testcase name=\"PostgreSQL {TARGET} readiness\" classname=\"{name}\"/>");
        }
        for (d, fp) in diags {
            let (l, c) = doc.line_col(d.span.start);
            let msg = xml(&d.message);
            let _ = writeln!(
                suites,
                "    <testcase name=\"{name}:{l}:{c} {rule}\" classname=\"{name}\">\n      <properties><property name=\"fingerprint\" value=\"{fp}\"/></properties>\n      <failure type=\"{rule}\" message=\"{msg}\">{name}:{l}:{c}: {rule} {msg}\n{}</failure>\n    </testcase>",
                xml(d.help.as_deref().unwrap_or("")),
                rule = d.rule,
            );
        }
        suites.push_str("  </testsuite>\n");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"pgready\" tests=\"{total}\" failures=\"{failures}\" errors=\"0\">\n{suites}</testsuites>\n"
    )
}
