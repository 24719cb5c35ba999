#!/usr/bin/env bash
# Two pgready binaries side by side on the development corpus: the same UTF-8 .sql files as
# bench.sh, cold (no cache), 2 threads and 1 thread, in interleaved rounds (A, B, A, B...) so
# that a slower minute of a shared machine slows both alike. Prints each one's median wall time
# and peak RSS, and B's speed relative to A (above 1: B is faster). Both reports must be
# byte-identical: a faster binary that finds something else is not comparable (unless
# COMPARE_DIFFERENT=1: a change that finds more by design).
# Usage: bash bench/compare.sh A_BINARY B_BINARY [runs=9] [corpus=../shared/corpus]
set -euo pipefail
cd "$(dirname "$0")/.."
A=$(realpath "$1")
B=$(realpath "$2")
RUNS=${3:-9}
CORPUS=$(cd "${4:-../shared/corpus}" && pwd)
TIMED=$PWD/bench/timed.py
mapfile -t FILES < <(bash bench/corpus-files.sh "$CORPUS")
TIMES=$(mktemp -d)
trap 'rm -rf "$TIMES"' EXIT
cd "$CORPUS"
# COMPARE_DIFFERENT=1 measures a change that changes the findings by design (say so with the figures).
if [ "${COMPARE_DIFFERENT:-}" != 1 ]; then
  cmp <(PGREADY_NO_CACHE=1 "$A" check --format json "${FILES[@]}" 2>/dev/null || true) \
      <(PGREADY_NO_CACHE=1 "$B" check --format json "${FILES[@]}" 2>/dev/null || true) ||
    { echo "the two binaries report differently (COMPARE_DIFFERENT=1 to measure anyway)" >&2; exit 1; }
fi
one() { # NAME BINARY THREADS
  env PGREADY_NO_CACHE=1 RAYON_NUM_THREADS="$3" python3 "$TIMED" "$2" check --format json "${FILES[@]}" >>"$TIMES/$1"
}
round() {
  one a2 "$A" 2; one b2 "$B" 2; one a1 "$A" 1; one b1 "$B" 1
}
round # warm-up: page cache
rm -f "$TIMES"/*
for _ in $(seq "$RUNS"); do round; done
median() { sort -n "$TIMES/$1" | awk '{t[NR]=$1; if ($2 > m) m = $2} END {print t[int((NR+1)/2)], m}'; }
read -r a2 a2m < <(median a2)
read -r b2 b2m < <(median b2)
read -r a1 a1m < <(median a1)
read -r b1 b1m < <(median b1)
awk -v a2="$a2" -v b2="$b2" -v a1="$a1" -v b1="$b1" -v am="$a2m" -v bm="$b2m" -v n="$RUNS" -v files="${#FILES[@]}" 'BEGIN {
  printf "%d files, median of %d interleaved rounds; reports %s\n", files, n, (ENVIRON["COMPARE_DIFFERENT"] == "1" ? "not compared (COMPARE_DIFFERENT=1)" : "identical")
  printf "%-12s %10s %10s %10s\n", "", "2 threads", "1 thread", "peak MiB"
  printf "%-12s %10.3f %10.3f %10.0f\n", "A", a2, a1, am/1024
  printf "%-12s %10.3f %10.3f %10.0f\n", "B", b2, b1, bm/1024
  printf "B vs A: %.3fx (2 threads), %.3fx (1 thread), peak memory %.2fx\n", a2/b2, a1/b1, bm/am
}'
