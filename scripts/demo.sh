#!/usr/bin/env bash
# Command 1 of the README: build pgready and run it on the bundled demo project.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-build.sh
cargo build --release --locked --quiet
status=0
./target/release/pgready check fixtures/demo "$@" || status=$?
# Exit 1 means "findings", which is the point of the demo; 2 is a real failure.
[ "$status" -le 1 ]
