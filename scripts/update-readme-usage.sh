#!/usr/bin/env bash
# Replaces the `--help` blocks of README.md's usage section with the real `pgready ... --help`
# (tests/conventions.rs checks they match).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cargo build --quiet --manifest-path "$ROOT/Cargo.toml"
python3 - "$ROOT/README.md" "$ROOT/target/debug/pgready" <<'PY'
import re, subprocess, sys
readme, exe = sys.argv[1], sys.argv[2]
s = open(readme).read()
def block(m):
    args = m.group(1).split()
    out = subprocess.run([exe, *args], capture_output=True, text=True, check=True).stdout
    return f"{m.group(0).splitlines()[0]}\n```text\n{out.rstrip()}\n```\n<!-- end: {m.group(1)} -->"
s = re.sub(r"<!-- help: ([^>]*?) -->\n```text\n(?:.*?\n)?```\n<!-- end: \1 -->", block, s, flags=re.S)
open(readme, 'w').write(s)
PY
