#!/usr/bin/env bash
# Replaces the rule table of README.md with `pgready rules --format markdown` (a test checks they match).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cargo run --quiet --manifest-path "$ROOT/Cargo.toml" -- rules --format markdown > "$ROOT/target/rules-table.md"
python3 - "$ROOT/README.md" "$ROOT/target/rules-table.md" <<'PY'
import sys
readme, table = sys.argv[1], open(sys.argv[2]).read()
s = open(readme).read()
a = s.index('| rule | area | severity | fix | what it finds |')
lines = s[a:].split('\n')
n = next(i for i, l in enumerate(lines) if not l.startswith('|'))
s = s[:a] + table + '\n'.join(lines[n:])
open(readme, 'w').write(s)
PY
