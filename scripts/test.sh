#!/usr/bin/env bash
# Command 2 of the README (and what CI runs): install what the tests need, start PostgreSQL 15
# and 18 on loopback as a non-root user, run the whole test suite, stop the servers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-build.sh
bash scripts/pg-servers.sh start
trap 'bash scripts/pg-servers.sh stop' EXIT
eval "$(bash scripts/pg-servers.sh env)"
export PGREADY_CORPUS=${PGREADY_CORPUS:-$(cd .. && pwd)/shared/corpus}
cargo test --locked "$@"
