#!/usr/bin/env bash
# `pgready replay` against `psql -f` on the same server, over a real migration history (the 342
# diesel migrations of lemmy in the corpus by default): psql runs one script that `\i`-includes
# every up.sql in migration order, in one session, into a fresh database; pgready replays the
# folder (fresh database, statement by statement, static rules, object read, clean-up). Median
# wall time of N rounds after a warm-up round; prints the ratio pgready / psql.
# Needs the test servers: bash scripts/pg-servers.sh start.
# Usage: bash bench/replay.sh [runs=5] [migrations=../shared/corpus/lemmy/migrations]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
MIGRATIONS=$(cd "${2:-../shared/corpus/lemmy/migrations}" && pwd)
eval "$(bash scripts/pg-servers.sh env)"
URL=$PGREADY_PG18_URL
PSQL=$PGREADY_PG18_BIN/psql
cargo build --release --locked --quiet
PGREADY=$PWD/target/release/pgready
SCRIPT=$(mktemp --suffix=.sql)
# The order pgready replays them in: up.sql files, sorted by folder (diesel's order).
find "$MIGRATIONS" -name up.sql | sort | sed "s|^|\\\\i |" >"$SCRIPT"
STATEMENTS=$(find "$MIGRATIONS" -name up.sql | wc -l)
now() { date +%s.%N; }
psql_once() {
  "$PSQL" "$URL" -qc "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS pgready_bench_psql" -c "CREATE DATABASE pgready_bench_psql TEMPLATE template0" >/dev/null
  local t0; t0=$(now)
  "$PSQL" "${URL/dbname=postgres/dbname=pgready_bench_psql}" -q -f "$SCRIPT" >/dev/null 2>&1 || true
  local t1; t1=$(now)
  "$PSQL" "$URL" -qc "DROP DATABASE pgready_bench_psql" >/dev/null
  echo "$t1 - $t0" | bc
}
pgready_once() {
  local t0; t0=$(now)
  "$PGREADY" replay "$MIGRATIONS" --target "$URL" --format json >/dev/null 2>&1 || true
  local t1; t1=$(now)
  echo "$t1 - $t0" | bc
}
psql_once >/dev/null; pgready_once >/dev/null   # warm-up
P=(); G=()
for _ in $(seq "$RUNS"); do P+=("$(psql_once)"); G+=("$(pgready_once)"); done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mp=$(median "${P[@]}"); mg=$(median "${G[@]}")
rm -f "$SCRIPT"
echo "migrations: $STATEMENTS files in $MIGRATIONS"
printf '%-40s %8.3f s\n' "psql -f (one session, \\i each up.sql)" "$mp" "pgready replay --target (DSN)" "$mg"
echo "pgready / psql: $(echo "scale=2; $mg / $mp" | bc)x"
