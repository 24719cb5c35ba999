#!/usr/bin/env bash
# The corpus files the benchmarks run on, one per line, relative to CORPUS and sorted: its
# .sql/.psql/.pgsql files that are UTF-8 (squawk stops at the first file that is not, so both
# tools get the same files). Usage: bash bench/corpus-files.sh CORPUS
set -euo pipefail
cd "$1"
find . -type f \( -name '*.sql' -o -name '*.psql' -o -name '*.pgsql' \) | sort |
  python3 -c 'import sys
for p in sys.stdin.read().split("\n"):
    if p:
        try: open(p, encoding="utf-8").read(); print(p)
        except UnicodeDecodeError: pass'
