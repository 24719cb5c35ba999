//! The machine formats, each checked by its consumer or schema: SARIF by Microsoft's SARIF
//! multitool, JUnit by an XML parser, GitHub annotations by their escaping rules, GitLab by its
//! required fields and fingerprint stability.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn pgready(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pgready"));
    c.env("PGREADY_NO_CACHE", "1");
    c.current_dir(dir).args(args).env_remove("GITHUB_ACTIONS");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("runs")
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn sarif_validates_with_the_sarif_multitool() {
    let tool = std::env::var("PGREADY_SARIF_MULTITOOL")
        .unwrap_or_else(|_| panic!("PGREADY_SARIF_MULTITOOL is not set: run the tests with `bash scripts/test.sh`, which installs it"));
    let dir = tempfile::tempdir().unwrap();
    // Relative paths (below the current directory) and an absolute one, with a fix across files.
    let out =
        pgready(root(), &["check", "fixtures/demo", "--format", "sarif", "--output", dir.path().join("r.sarif").to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(1));
    let abs = pgready(dir.path(), &["check", root().join("fixtures/demo").to_str().unwrap(), "--format", "sarif"], &[]);
    fs::write(dir.path().join("abs.sarif"), &abs.stdout).unwrap();
    for name in ["r.sarif", "abs.sarif"] {
        let report = dir.path().join(name);
        let result = dir.path().join(format!("{name}.validation"));
        let v = Command::new(&tool)
            .arg("validate")
            .arg(&report)
            .arg("-o")
            .arg(&result)
            .arg("--log")
            .arg("ForceOverwrite")
            .output()
            .expect("multitool runs");
        assert!(v.status.success(), "multitool failed: {}", String::from_utf8_lossy(&v.stdout));
        let findings: serde_json::Value = serde_json::from_slice(&fs::read(&result).unwrap()).unwrap();
        let results = findings["runs"][0]["results"].as_array().unwrap();
        assert!(results.is_empty(), "{name}: the SARIF validator reports {results:#?}");
        let sarif: serde_json::Value = serde_json::from_slice(&fs::read(&report).unwrap()).unwrap();
        let run = &sarif["runs"][0];
        assert_eq!(run["results"].as_array().unwrap().len(), 14);
        assert_eq!(run["tool"]["driver"]["rules"].as_array().unwrap().len(), pgready::rules::REGISTRY.len());
        assert!(run["results"].as_array().unwrap().iter().any(|r| r["fixes"].is_array()));
    }
}

#[test]
fn github_annotations_are_escaped_and_automatic_on_actions() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a,b:c.sql"), "CREATE TABLE g (a int, b int GENERATED ALWAYS AS (a));\n").unwrap();
    let out = stdout(&pgready(dir.path(), &["check", ".", "--format", "github"], &[]));
    assert_eq!(
        out,
        "::warning file=a%2Cb%3Ac.sql,line=1,col=30,endLine=1,endColumn=53,title=pgready generated-column-implicit-virtual::generated column `public.g.b` has neither STORED nor VIRTUAL: PostgreSQL 18 makes it VIRTUAL\n"
    );
    let auto = stdout(&pgready(dir.path(), &["check", "."], &[("GITHUB_ACTIONS", "true")]));
    assert_eq!(auto, out, "GITHUB_ACTIONS=true selects the github format");
    let explicit = stdout(&pgready(dir.path(), &["check", ".", "--format", "concise"], &[("GITHUB_ACTIONS", "true")]));
    assert!(explicit.starts_with("a,b:c.sql:1:30: "), "an explicit format wins: {explicit}");
}

#[test]
fn gitlab_report_has_required_fields_and_stable_fingerprints() {
    let dir = tempfile::tempdir().unwrap();
    let sql = "CREATE TABLE t (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), b int GENERATED ALWAYS AS (1));\nCREATE TABLE u (id uuid PRIMARY KEY DEFAULT gen_random_uuid());\n";
    fs::write(dir.path().join("m.sql"), sql).unwrap();
    let report = |d: &Path| -> Vec<serde_json::Value> {
        serde_json::from_str(&stdout(&pgready(d, &["check", ".", "--format", "gitlab"], &[]))).unwrap()
    };
    let before = report(dir.path());
    assert_eq!(before.len(), 3);
    for issue in &before {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(issue[key].is_string(), "{key} missing in {issue}");
        }
        assert!(["info", "minor", "major", "critical", "blocker"].contains(&issue["severity"].as_str().unwrap()));
        assert_eq!(issue["location"]["path"], "m.sql");
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
    }
    let fps: std::collections::BTreeSet<_> = before.iter().map(|i| i["fingerprint"].as_str().unwrap().to_string()).collect();
    assert_eq!(fps.len(), 3, "fingerprints are unique");
    // Moving the statements down keeps every fingerprint.
    fs::write(dir.path().join("m.sql"), format!("-- a new header\n\n{sql}")).unwrap();
    let after: std::collections::BTreeSet<_> = report(dir.path()).iter().map(|i| i["fingerprint"].as_str().unwrap().to_string()).collect();
    assert_eq!(fps, after);
}

#[test]
fn junit_is_well_formed_xml_with_one_failure_per_finding() {
    let out = stdout(&pgready(root(), &["check", "fixtures/demo", "--format", "junit"], &[]));
    // Parsed by Python's XML parser: a real consumer, independent of our code.
    let script = "import sys, xml.etree.ElementTree as ET\nr = ET.fromstring(sys.stdin.read())\n\
                  print(r.get('tests'), r.get('failures'), len(r.findall('.//failure')), len(r.findall('testsuite')))";
    let mut py = Command::new("python3")
        .arg("-c")
        .arg(script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    py.stdin.take().unwrap().write_all(out.as_bytes()).unwrap();
    let parsed = String::from_utf8(py.wait_with_output().unwrap().stdout).unwrap();
    assert_eq!(parsed.trim(), "14 14 14 9", "tests, failures, <failure> elements, suites:\n{out}");
}

#[test]
fn output_file_gets_the_report_and_the_terminal_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.json");
    let out = pgready(root(), &["check", "fixtures/demo", "--format", "json", "--output", file.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    assert!(String::from_utf8_lossy(&out.stderr).contains("Found 4 errors, 5 warnings and 5 recommendations"));
    let report: serde_json::Value = serde_json::from_slice(&fs::read(&file).unwrap()).unwrap();
    assert_eq!(report["diagnostics"].as_array().unwrap().len(), 14);
}
