#!/usr/bin/env bash
# Command 2 of the README (and what CI runs): install what the tests need, start PostgreSQL 15
# and 18 on loopback as a non-root user, run the whole test suite, stop the servers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-build.sh
bash scripts/pg-servers.sh start
trap 'bash scripts/pg-servers.sh stop' EXIT
eval "$(bash scripts/pg-servers.sh env)"
# The SARIF validator the tests use: Microsoft's SARIF multitool, from npm, into .tools/.
if [ ! -x .tools/node_modules/.bin/sarif-multitool ]; then
  mkdir -p .tools
  (cd .tools && npm install --silent --no-audit --no-fund --prefix . @microsoft/sarif-multitool@5.7.0 >/dev/null)
fi
# A real browser for the HTML report (tests/upgrade_plan.rs, tests/report.rs): Debian's chromium.
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  else
    echo "chromium missing: run 'sudo apt-get install chromium'" >&2; exit 1
  fi
fi
# The real pre-commit tool, from PyPI, in a project-local virtual environment.
if [ ! -x .tools/venv/bin/pre-commit ]; then
  python3 -m venv .tools/venv
  .tools/venv/bin/pip install --quiet pre-commit
fi
# The portable artifacts (the glibc 2.17 wheel, its archive, the npm packages), as a user without
# Rust installs them: tests/dist.rs and tests/pre_commit.rs install and run them.
bash scripts/dist.sh --check
export PGREADY_DIST_DIR="$PWD/target/dist-checked"
export PGREADY_PRE_COMMIT="$PWD/.tools/venv/bin/pre-commit"
export PGREADY_SARIF_MULTITOOL="$PWD/.tools/node_modules/.bin/sarif-multitool"
export PGREADY_CORPUS=${PGREADY_CORPUS:-$(cd .. && pwd)/shared/corpus}
cargo fmt --check
# Lints are part of the gate: a warning fails the run.
cargo clippy --locked --all-targets -- -D warnings
# vendor/pg_query must be the published crate plus our two documented changes (vendor/README.md).
bash scripts/vendor-pg-query.sh --check
cargo test --locked "$@"
