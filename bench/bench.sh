#!/usr/bin/env bash
# pgready vs squawk on the development corpus (../shared/corpus), measured side by side in one
# run: median wall time of N runs after a warm-up, and peak RSS. pgready cold (--no-cache, 2
# threads and 1 thread) and warm (every file unchanged: the cache answers). Prints ratios (squawk / pgready:
# above 1 means pgready is faster). Installs squawk-cli from PyPI into .tools/bench-venv.
# Usage: bash bench/bench.sh [runs=5] [corpus=../shared/corpus]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
CORPUS=$(cd "${2:-../shared/corpus}" && pwd)
if [ ! -x .tools/bench-venv/bin/squawk ]; then
  python3 -m venv .tools/bench-venv
  .tools/bench-venv/bin/pip install --quiet squawk-cli
fi
bash scripts/setup-build.sh
cargo build --release --locked --quiet
PGREADY=$PWD/target/release/pgready
SQUAWK=$PWD/.tools/bench-venv/bin/squawk
# squawk stops at the first file that is not UTF-8: both tools get the same UTF-8 files.
mapfile -t FILES < <(cd "$CORPUS" && find . -type f \( -name '*.sql' -o -name '*.psql' -o -name '*.pgsql' \) | sort |
  python3 -c 'import sys
for p in sys.stdin.read().split("\n"):
    if p:
        try: open(p, encoding="utf-8").read(); print(p)
        except UnicodeDecodeError: pass')
BYTES=$(cd "$CORPUS" && cat "${FILES[@]}" | wc -c)

# measure NAME CMD...: prints "median_seconds peak_kib"
measure() {
  local times=() rss=0
  "$@" >/dev/null 2>&1 || true   # warm-up
  local tmp
  tmp=$(mktemp)
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$tmp" "$@" >/dev/null 2>&1 || true
    local out
    out=$(tail -1 "$tmp")
    times+=("${out% *}")
    local r=${out#* }
    if [ "$r" -gt "$rss" ]; then rss=$r; fi
  done
  rm -f "$tmp"
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$median $rss"
}

cd "$CORPUS"
read -r sq_t sq_m < <(measure "$SQUAWK" --reporter json "${FILES[@]}")
read -r pg_t pg_m < <(measure "$PGREADY" check --no-cache --format json "${FILES[@]}")
read -r pg1_t pg1_m < <(RAYON_NUM_THREADS=1 measure "$PGREADY" check --no-cache --format json "${FILES[@]}")
# Warm: the warm-up run fills a fresh cache, the measured runs find every file unchanged.
CACHE_DIR=$(mktemp -d)
read -r pgw_t pgw_m < <(PGREADY_CACHE_DIR="$CACHE_DIR" measure "$PGREADY" check --format json "${FILES[@]}")
rm -rf "$CACHE_DIR"
# Both must have produced a report (a tool that stops early would look fast).
# (Both exit 1 when they report findings.)
REPORT=$(mktemp)
for tool in squawk pgready; do
  if [ "$tool" = squawk ]; then "$SQUAWK" --reporter json "${FILES[@]}" >"$REPORT" 2>/dev/null || true
  else "$PGREADY" check --no-cache --format json "${FILES[@]}" >"$REPORT" 2>/dev/null || true; fi
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$REPORT" || { echo "$tool produced no report" >&2; exit 1; }
done
rm -f "$REPORT"
awk -v b="$BYTES" -v st="$sq_t" -v sm="$sq_m" -v pt="$pg_t" -v pm="$pg_m" -v p1="$pg1_t" -v pw="$pgw_t" -v pwm="$pgw_m" -v files="${#FILES[@]}" 'BEGIN {
  printf "corpus: %d files, %.1f MB\n", files, b/1e6
  printf "%-28s %8s %9s %10s\n", "", "wall s", "MB/s", "peak MiB"
  printf "%-28s %8.2f %9.1f %10.0f\n", "squawk (json, 1 thread)", st, b/1e6/st, sm/1024
  printf "%-28s %8.2f %9.1f %10.0f\n", "pgready (json, 2 threads)", pt, b/1e6/pt, pm/1024
  printf "%-28s %8.2f %9.1f\n", "pgready (json, 1 thread)", p1, b/1e6/p1
  printf "%-28s %8.2f %9.1f %10.0f\n", "pgready warm (cache hit)", pw, b/1e6/pw, pwm/1024
  printf "cold throughput pgready/squawk: %.2fx   warm: %.1fx   peak memory pgready/squawk: %.2fx   2 threads vs 1: %.2fx\n", st/pt, st/pw, pm/sm, p1/pt
}'
