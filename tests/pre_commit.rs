//! The real pre-commit tool (from PyPI) uses this repository's `.pre-commit-hooks.yaml` in a
//! scratch git repository, on a PATH without cargo: its `pgready` hook installs the prebuilt
//! wheel (scripts/dist.sh --check built it; pip finds it through PIP_FIND_LINKS). A commit that
//! stages a bad migration is refused with pgready's message, `pre-commit run --all-files` fails
//! on a committed one, and both pass once the migration is fixed.

use std::path::Path;
use std::process::{Command, Output};

/// `program` in `dir`, as on a machine without Rust: no cargo on PATH, and pip finds the
/// pgready wheel in the folder scripts/dist.sh built (as it would on PyPI).
fn run(dir: &Path, program: &str, args: &[&str]) -> Output {
    let wheels = std::env::var("PGREADY_DIST_DIR")
        .unwrap_or_else(|_| panic!("PGREADY_DIST_DIR is not set: run the tests with `bash scripts/test.sh`, which builds the wheel"));
    Command::new(program)
        .current_dir(dir)
        .args(args)
        .env("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        .env("PIP_FIND_LINKS", wheels)
        // Inside .git: its own, fresh for each scratch repository, invisible to git.
        .env("PRE_COMMIT_HOME", dir.join(".git/pre-commit-home"))
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("runs")
}

fn ok(o: &Output) -> bool {
    o.status.success()
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
}

#[test]
fn pre_commit_refuses_a_bad_migration_and_accepts_the_fix() {
    let pre_commit = std::env::var("PGREADY_PRE_COMMIT")
        .unwrap_or_else(|_| panic!("PGREADY_PRE_COMMIT is not set: run the tests with `bash scripts/test.sh`, which installs pre-commit"));
    let ours = env!("CARGO_MANIFEST_DIR");
    let rev = String::from_utf8(run(Path::new(ours), "git", &["rev-parse", "HEAD"]).stdout).unwrap().trim().to_string();
    assert_eq!(rev.len(), 40, "this checkout must be a git repository with a commit");

    let repo = tempfile::tempdir().unwrap();
    let d = repo.path();
    std::fs::create_dir(d.join("migrations")).unwrap();
    std::fs::write(d.join("migrations/V1__t.sql"), "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) STORED);\n").unwrap();
    std::fs::write(
        d.join(".pre-commit-config.yaml"),
        format!("repos:\n  - repo: {ours}\n    rev: {rev}\n    hooks:\n      - id: pgready\n"),
    )
    .unwrap();
    assert!(ok(&run(d, "git", &["init", "-q", "-b", "main"])));
    assert!(ok(&run(d, "git", &["add", "."])));
    assert!(ok(&run(d, "git", &["commit", "-qm", "init", "--no-verify"])));
    let install = run(d, &pre_commit, &["install"]);
    assert!(ok(&install), "{}", text(&install));
    // The hook's environment: the prebuilt wheel, nothing compiled (no cargo on PATH).
    let started = std::time::Instant::now();
    let hooks = run(d, &pre_commit, &["install-hooks"]);
    assert!(ok(&hooks), "{}", text(&hooks));
    eprintln!("pre-commit install-hooks (the wheel, no Rust): {:.1} s", started.elapsed().as_secs_f64());

    // A migration that indexes the stored column's virtual sibling: refused.
    std::fs::write(
        d.join("migrations/V2__idx.sql"),
        "ALTER TABLE t ADD COLUMN c int GENERATED ALWAYS AS (a + 1);\nCREATE INDEX t_c ON t (c);\n",
    )
    .unwrap();
    assert!(ok(&run(d, "git", &["add", "migrations/V2__idx.sql"])));
    let refused = run(d, "git", &["commit", "-m", "index c"]);
    let out = text(&refused);
    assert!(!ok(&refused), "the commit must be refused:\n{out}");
    assert!(out.contains("migrations/V2__idx.sql:2:24: virtual-generated-column-unsupported-use"), "{out}");
    assert!(out.contains("migrations/V2__idx.sql:1:32: generated-column-implicit-virtual"), "{out}");
    assert!(!out.contains("V1__t.sql"), "unchanged files are not reported:\n{out}");

    // Committed anyway, the tree is clean: `pre-commit run --all-files` (pre-commit.ci,
    // pre-commit/action) must still fail on it, not pass because nothing is changed.
    assert!(ok(&run(d, "git", &["commit", "-qm", "bad", "--no-verify"])));
    let all = run(d, &pre_commit, &["run", "--all-files"]);
    let out = text(&all);
    assert!(!ok(&all), "--all-files must fail on the committed error:\n{out}");
    assert!(out.contains("migrations/V2__idx.sql:2:24: virtual-generated-column-unsupported-use"), "{out}");

    // Fixed: accepted.
    std::fs::write(
        d.join("migrations/V2__idx.sql"),
        "ALTER TABLE t ADD COLUMN c int GENERATED ALWAYS AS (a + 1) STORED;\nCREATE INDEX t_c ON t (c);\n",
    )
    .unwrap();
    assert!(ok(&run(d, "git", &["add", "migrations/V2__idx.sql"])));
    let accepted = run(d, "git", &["commit", "-m", "index c"]);
    assert!(ok(&accepted), "the fixed commit must pass:\n{}", text(&accepted));
    let all = run(d, &pre_commit, &["run", "--all-files"]);
    assert!(ok(&all), "a clean repository passes --all-files:\n{}", text(&all));
}
