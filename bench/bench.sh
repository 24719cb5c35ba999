#!/usr/bin/env bash
# pgready vs squawk on the development corpus (../shared/corpus), measured side by side in one
# run: median wall time of N rounds after a warm-up round, and peak RSS. pgready cold (no cache,
# 2 threads and 1 thread) and warm (every file unchanged: the cache answers). Prints ratios (squawk / pgready:
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
TIMED=$PWD/bench/timed.py
SQUAWK=$PWD/.tools/bench-venv/bin/squawk
mapfile -t FILES < <(bash bench/corpus-files.sh "$CORPUS")
BYTES=$(cd "$CORPUS" && cat "${FILES[@]}" | wc -c)

# The four configurations are run in rounds (squawk, pgready 2 threads, 1 thread, warm, then
# again), so that a slower minute of a shared machine slows all of them alike; each figure is
# the median wall time over the rounds, with the peak RSS.
CACHE_DIR=$(mktemp -d)
TIMES=$(mktemp -d)
run_one() { # NAME ENV... -- CMD...: one timed run appended to $TIMES/NAME ("seconds peak_kib")
  local name=$1; shift
  local envs=()
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  env "${envs[@]}" python3 "$TIMED" "$@" >>"$TIMES/$name"
}
round() {
  run_one squawk -- "$SQUAWK" --reporter json "${FILES[@]}"
  run_one pg2 PGREADY_NO_CACHE=1 -- "$PGREADY" check --format json "${FILES[@]}"
  run_one pg1 PGREADY_NO_CACHE=1 RAYON_NUM_THREADS=1 -- "$PGREADY" check --format json "${FILES[@]}"
  # Warm: the warm-up round fills a fresh cache, later rounds find every file unchanged.
  run_one warm PGREADY_CACHE_DIR="$CACHE_DIR" -- "$PGREADY" check --format json "${FILES[@]}"
}
cd "$CORPUS"
round   # warm-up (file cache, page cache, pgready's cache)
rm -f "$TIMES"/squawk "$TIMES"/pg2 "$TIMES"/pg1 "$TIMES"/warm
for _ in $(seq "$RUNS"); do round; done
stat_of() { # NAME: "median_seconds peak_kib"
  sort -n "$TIMES/$1" | awk '{t[NR]=$1; if ($2 > m) m = $2} END {print t[int((NR+1)/2)], m}'
}
read -r sq_t sq_m < <(stat_of squawk)
read -r pg_t pg_m < <(stat_of pg2)
read -r pg1_t pg1_m < <(stat_of pg1)
read -r pgw_t pgw_m < <(stat_of warm)
rm -rf "$CACHE_DIR" "$TIMES"
# Both must have produced a report (a tool that stops early would look fast).
# (Both exit 1 when they report findings.)
REPORT=$(mktemp)
for tool in squawk pgready; do
  if [ "$tool" = squawk ]; then "$SQUAWK" --reporter json "${FILES[@]}" >"$REPORT" 2>/dev/null || true
  else PGREADY_NO_CACHE=1 "$PGREADY" check --format json "${FILES[@]}" >"$REPORT" 2>/dev/null || true; fi
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$REPORT" || { echo "$tool produced no report" >&2; exit 1; }
done
rm -f "$REPORT"
awk -v b="$BYTES" -v st="$sq_t" -v sm="$sq_m" -v pt="$pg_t" -v pm="$pg_m" -v p1="$pg1_t" -v pw="$pgw_t" -v pwm="$pgw_m" -v files="${#FILES[@]}" 'BEGIN {
  printf "corpus: %d files, %.1f MB\n", files, b/1e6
  printf "%-28s %8s %9s %10s\n", "", "wall s", "MB/s", "peak MiB"
  printf "%-28s %8.3f %9.1f %10.0f\n", "squawk (json, 1 thread)", st, b/1e6/st, sm/1024
  printf "%-28s %8.3f %9.1f %10.0f\n", "pgready (json, 2 threads)", pt, b/1e6/pt, pm/1024
  printf "%-28s %8.3f %9.1f\n", "pgready (json, 1 thread)", p1, b/1e6/p1
  printf "%-28s %8.3f %9.1f %10.0f\n", "pgready warm (cache hit)", pw, b/1e6/pw, pwm/1024
  printf "cold throughput pgready/squawk: %.2fx   warm: %.1fx   peak memory pgready/squawk: %.2fx   2 threads vs 1: %.2fx\n", st/pt, st/pw, pm/sm, p1/pt
}'
