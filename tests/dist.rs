//! The distribution (issue 29), as a user without Rust gets it: the artifacts scripts/dist.sh
//! built (`--check` in the test command: PGREADY_DIST_DIR) installed and run on a PATH without
//! cargo — the wheel in a fresh virtual environment, the npm packages with npm — each giving the
//! same report as the source build; the glibc binary needs nothing newer than glibc 2.17; the
//! archives verify against SHA256SUMS.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const NO_RUST_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

fn dist() -> PathBuf {
    PathBuf::from(std::env::var("PGREADY_DIST_DIR").unwrap_or_else(|_| {
        panic!(
            "PGREADY_DIST_DIR is not set: run the tests with `bash scripts/test.sh`, which builds the artifacts (scripts/dist.sh --check)"
        )
    }))
}

fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(out.status.success() || out.status.code() == Some(1), "{cmd:?}: {}{}", text(&out.stdout), text(&out.stderr));
    out
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The demo's JSON report from a pgready binary, run from the repository root without Rust on
/// PATH and without the cache.
fn demo_json(program: &Path, extra_path: &str) -> String {
    let out = run(Command::new(program)
        .current_dir(root())
        .args(["check", "fixtures/demo", "--format", "json", "--no-cache"])
        .env("PATH", format!("{extra_path}:{NO_RUST_PATH}")));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    text(&out.stdout)
}

fn source_json() -> String {
    demo_json(Path::new(env!("CARGO_BIN_EXE_pgready")), "/nonexistent")
}

fn one(dir: &Path, prefix: &str, suffix: &str) -> PathBuf {
    let found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_str().unwrap().starts_with(prefix) && p.to_str().unwrap().ends_with(suffix))
        .collect();
    assert_eq!(found.len(), 1, "{prefix}*{suffix} in {}: {found:?}", dir.display());
    found[0].clone()
}

#[test]
fn the_wheel_installs_without_rust_and_reports_as_the_source_build() {
    let wheel = one(&dist(), &format!("pgready-{}-", version()), "manylinux_2_17_x86_64.whl");
    let venv = tempfile::tempdir().unwrap();
    run(Command::new("/usr/bin/python3").args(["-m", "venv"]).arg(venv.path()).env("PATH", NO_RUST_PATH));
    let started = std::time::Instant::now();
    run(Command::new(venv.path().join("bin/pip")).args(["install", "--quiet", "--no-index"]).arg(&wheel).env("PATH", NO_RUST_PATH));
    eprintln!("pip install of the wheel: {:.2} s", started.elapsed().as_secs_f64());
    let bin = venv.path().join("bin/pgready");
    assert_eq!(demo_json(&bin, "/nonexistent"), source_json());
    let v = run(Command::new(&bin).arg("--version"));
    let v = text(&v.stdout);
    assert!(v.starts_with(&format!("pgready {} (x86_64-unknown-linux-gnu, commit ", version())), "{v}");
    // auditwheel (from scripts/dist.sh's tools) reads the binary's symbols and libraries.
    let auditwheel = root().join(".tools/dist/bin/auditwheel");
    let show = run(Command::new(auditwheel).arg("show").arg(&wheel));
    let said = text(&show.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(said.contains("consistent with the following platform tag: \"manylinux_2_17_x86_64\""), "{said}");
}

#[test]
fn the_glibc_binary_needs_glibc_2_17_and_the_archives_verify() {
    let dir = dist();
    let check = run(Command::new("sha256sum").args(["-c", "SHA256SUMS"]).current_dir(&dir));
    assert_eq!(check.status.code(), Some(0));
    let listed = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    assert!(listed.lines().count() >= 4, "{listed}");
    let target = "x86_64-unknown-linux-gnu";
    let archive = dir.join(format!("pgready-{}-{target}.tar.gz", version()));
    assert!(listed.contains(archive.file_name().unwrap().to_str().unwrap()), "{listed}");
    let out = tempfile::tempdir().unwrap();
    run(Command::new("tar").arg("-xzf").arg(&archive).arg("-C").arg(out.path()));
    let bin = out.path().join(format!("pgready-{}-{target}/pgready", version()));
    assert_eq!(demo_json(&bin, "/nonexistent"), source_json());
    let dynamic = text(&run(Command::new("readelf").arg("-d").arg(&bin)).stdout);
    let needed: Vec<&str> =
        dynamic.lines().filter(|l| l.contains("(NEEDED)")).filter_map(|l| l.split('[').nth(1)?.split(']').next()).collect();
    for lib in &needed {
        assert!(
            ["libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "ld-linux-x86-64.so.2", "librt.so.1"].contains(lib),
            "{lib} is needed: {needed:?}"
        );
    }
    let symbols = text(&run(Command::new("objdump").arg("-T").arg(&bin)).stdout);
    let newest = symbols
        .split_whitespace()
        .filter_map(|w| w.trim_start_matches('(').trim_end_matches(')').strip_prefix("GLIBC_"))
        .filter_map(|v| {
            let mut parts = v.split('.').map(|p| p.parse::<u32>().ok());
            Some((parts.next()??, parts.next().flatten().unwrap_or(0)))
        })
        .max()
        .unwrap();
    assert!(newest <= (2, 17), "a symbol of glibc {}.{} is needed", newest.0, newest.1);
}

#[test]
fn the_musl_binary_is_static_and_reports_as_the_source_build() {
    let dir = dist();
    let target = "x86_64-unknown-linux-musl";
    let archive = dir.join(format!("pgready-{}-{target}.tar.gz", version()));
    let listed = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    assert!(listed.contains(archive.file_name().unwrap().to_str().unwrap()), "{listed}");
    let out = tempfile::tempdir().unwrap();
    run(Command::new("tar").arg("-xzf").arg(&archive).arg("-C").arg(out.path()));
    let bin = out.path().join(format!("pgready-{}-{target}/pgready", version()));
    // No dynamic section and no program interpreter: runs on any Linux x86_64 kernel.
    let dynamic = text(&run(Command::new("readelf").arg("-d").arg(&bin)).stdout);
    assert!(dynamic.contains("There is no dynamic section"), "{dynamic}");
    let headers = text(&run(Command::new("readelf").arg("-l").arg(&bin)).stdout);
    assert!(!headers.contains("INTERP"), "{headers}");
    assert_eq!(demo_json(&bin, "/nonexistent"), source_json());
    let version = text(&run(Command::new(&bin).arg("--version")).stdout);
    assert!(version.contains(target), "{version}");
}

#[test]
fn npx_runs_the_packed_npm_packages() {
    let npm = dist().join("npm");
    let launcher = npm.join(format!("pgready-{}.tgz", version()));
    let platform = npm.join(format!("pgready-linux-x64-gnu-{}.tgz", version()));
    let project = tempfile::tempdir().unwrap();
    std::fs::write(project.path().join("package.json"), "{\"name\": \"t\", \"version\": \"1.0.0\", \"private\": true}\n").unwrap();
    let started = std::time::Instant::now();
    run(Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel", "error"])
        .arg(&launcher)
        .arg(&platform)
        .current_dir(project.path())
        .env("PATH", NO_RUST_PATH));
    eprintln!("npm install of the packed packages: {:.1} s", started.elapsed().as_secs_f64());
    // npx in the project that installed it, checking the demo there (paths shown as given).
    let demo = root().join("fixtures/demo");
    let args = ["check", demo.to_str().unwrap(), "--format", "json", "--no-cache"];
    let json = run(Command::new("npx").arg("--no-install").arg("pgready").args(args).current_dir(project.path()).env("PATH", NO_RUST_PATH));
    let source = run(Command::new(env!("CARGO_BIN_EXE_pgready")).args(args).current_dir(project.path()));
    assert_eq!(json.status.code(), Some(1), "{}", text(&json.stderr));
    assert_eq!(text(&json.stdout), text(&source.stdout));
    // Without its platform package the launcher says what to do (exit 2); PGREADY_BINARY
    // chooses another binary.
    std::fs::remove_dir_all(project.path().join("node_modules/@pgready")).unwrap();
    let launcher_js = project.path().join("node_modules/pgready/bin/pgready.js");
    let missing = Command::new("node").arg(&launcher_js).arg("--version").output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("no prebuilt binary for linux x64 (gnu)"), "{}", text(&missing.stderr));
    let chosen =
        Command::new("node").arg(&launcher_js).arg("--version").env("PGREADY_BINARY", env!("CARGO_BIN_EXE_pgready")).output().unwrap();
    assert!(text(&chosen.stdout).starts_with("pgready "), "{}", text(&chosen.stderr));
}

/// One version everywhere: Cargo.toml, the wheel's project (dynamic: from Cargo), the pre-commit
/// package, the npm launcher and its platform dependencies, the Action's and GitLab's defaults.
#[test]
fn every_channel_names_the_same_version() {
    let v = version();
    let read = |p: &str| std::fs::read_to_string(root().join(p)).unwrap();
    assert!(read("setup.py").contains(&format!("version=\"{v}\"")) && read("setup.py").contains(&format!("pgready=={v}")));
    let npm: serde_json::Value = serde_json::from_str(&read("dist/npm/pgready/package.json")).unwrap();
    assert_eq!(npm["version"], v);
    for (_, dep) in npm["optionalDependencies"].as_object().unwrap() {
        assert_eq!(dep, v);
    }
    assert!(read("action.yml").contains(&format!("default: \"{v}\"")));
    assert!(read("ci/pgready.gitlab-ci.yml").contains(&format!("PGREADY_VERSION: \"{v}\"")));
    assert!(read("Dockerfile").contains(&format!("ARG VERSION={v}")));
    assert!(read("dist/python/pyproject.toml").contains("dynamic = [\"version\"]"));
}
