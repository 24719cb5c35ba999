//! What `pgready rules` and `pgready explain` print: the rule table, a rule's page, an area's
//! rules.

use super::RulesFormat;
use crate::diagnostic::Applicability;
use crate::rules::{FixAvailability, REGISTRY};

pub(super) fn rules_listing(format: RulesFormat) -> String {
    match format {
        RulesFormat::Json => {
            let list: Vec<_> = REGISTRY
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.meta.id, "area": r.meta.area, "severity": r.meta.severity,
                        "fix": r.meta.fix.as_str(), "fix_safety": r.meta.fix.safety(), "summary": r.meta.summary,
                    })
                })
                .collect();
            serde_json::to_string_pretty(&list).unwrap() + "\n"
        }
        RulesFormat::Markdown => {
            let mut rules: Vec<_> = REGISTRY.iter().collect();
            rules.sort_by_key(|r| (r.meta.area, r.meta.id));
            let mut s = String::from("| rule | area | severity | fix | what it finds |\n|---|---|---|---|---|\n");
            for r in rules {
                let fix = match r.meta.fix {
                    FixAvailability::None => "–".to_string(),
                    f => format!("{} ({})", if f.is_always() { "yes" } else { "sometimes" }, safety_word(f)),
                };
                s += &format!(
                    "| [{id}](rules/{id}.md) | {} | {} | {fix} | {} |\n",
                    r.meta.area,
                    r.meta.severity.as_str(),
                    r.meta.summary,
                    id = r.meta.id
                );
            }
            s
        }
        RulesFormat::Text => {
            let mut s = format!("{:<42} {:<11} {:<8} {:<9} {}\n", "RULE", "AREA", "SEVERITY", "FIX", "SUMMARY");
            for r in REGISTRY {
                let fix = match r.meta.fix {
                    FixAvailability::None => "-".to_string(),
                    f => format!("{}/{}", if f.is_always() { "yes" } else { "some" }, safety_word(f)),
                };
                s += &format!("{:<42} {:<11} {:<8} {:<9} {}\n", r.meta.id, r.meta.area, r.meta.severity.as_str(), fix, r.meta.summary);
            }
            s
        }
    }
}

pub(super) fn safety_word(fix: FixAvailability) -> &'static str {
    match fix.safety() {
        Some(Applicability::Safe) => "safe",
        Some(Applicability::Unsafe) => "unsafe",
        None => "",
    }
}

/// A rule page as a reader wants it: the fenced blocks' test tags (`sql,expect_diagnostic,line=2`)
/// are for the test harness; the reader gets the language alone.
pub(super) fn page_for_reading(doc: &str) -> String {
    let mut out = String::with_capacity(doc.len());
    for line in doc.split_inclusive('\n') {
        match line.strip_prefix("```") {
            Some(info) if info.contains(',') => {
                let lang = info.split([',', ' ']).next().unwrap_or("");
                out.push_str("```");
                out.push_str(lang);
                out.push('\n');
            }
            _ => out.push_str(line),
        }
    }
    out
}
