//! The build identity: a hash of everything that decides what pgready reports (its sources, rule
//! pages, knowledge files, dependency lock and vendored-parser patches). The warm-run cache keys
//! its entries with it, so a binary built from other sources never answers from an old entry.

use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let mut paths = Vec::new();
    for dir in ["src", "rules"] {
        files(Path::new(dir), &mut paths);
        println!("cargo:rerun-if-changed={dir}");
    }
    for file in ["Cargo.toml", "Cargo.lock", "vendor/pg_query-node-oneof.patch", "scripts/box-pg-query-nodes.py"] {
        paths.push(PathBuf::from(file));
        println!("cargo:rerun-if-changed={file}");
    }
    paths.sort();
    let mut h = DefaultHasher::new();
    for p in &paths {
        h.write(p.to_string_lossy().as_bytes());
        h.write(&std::fs::read(p).unwrap_or_default());
    }
    println!("cargo:rustc-env=PGREADY_BUILD_ID={:016x}", h.finish());
    // `pgready --version`: the version, the target it was built for and the commit (a release
    // build sets PGREADY_COMMIT; otherwise git says, when this is a checkout).
    println!("cargo:rerun-if-env-changed=PGREADY_COMMIT");
    println!("cargo:rerun-if-changed=.git/HEAD");
    let commit = std::env::var("PGREADY_COMMIT").ok().filter(|c| !c.is_empty()).or_else(|| {
        let out = std::process::Command::new("git").args(["rev-parse", "--short=12", "HEAD"]).output().ok()?;
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    });
    println!(
        "cargo:rustc-env=PGREADY_LONG_VERSION={} ({}, commit {})",
        std::env::var("CARGO_PKG_VERSION").unwrap_or_default(),
        std::env::var("TARGET").unwrap_or_default(),
        commit.as_deref().unwrap_or("unknown")
    );
}
