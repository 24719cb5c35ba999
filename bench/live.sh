#!/usr/bin/env bash
# The live audit at scale: a generated database of 10,000 tables / 100,000 columns (plus an index
# and a view per 10 tables) on the real PostgreSQL 18 of scripts/pg-servers.sh, audited by
# `pgready check --db` and `pgready snapshot`, beside `pg_dump --schema-only` of the same database
# (what a team would otherwise run to get the schema) as the baseline of the same run.
# Usage: bash bench/live.sh [TABLES]   (default 10000; prints wall times and ratios)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TABLES=${1:-10000}
bash "$ROOT/scripts/pg-servers.sh" start
eval "$(bash "$ROOT/scripts/pg-servers.sh" env)"
PORT=$(sed -E 's/.*port=([0-9]+).*/\1/' <<<"$PGREADY_PG18_URL")
PSQL=("$PGREADY_PG18_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -X -q -v ON_ERROR_STOP=1)
DB=pgready_bench_live
cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml"
if [ "$("${PSQL[@]}" -d postgres -Atc "SELECT count(*) FROM pg_database WHERE datname = '$DB'")" = 0 ] \
   || [ "$("${PSQL[@]}" -d $DB -Atc "SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace")" != "$TABLES" ]; then
  echo "creating $TABLES tables x 10 columns in $DB (once)..."
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  "${PSQL[@]}" -d $DB -c "SET max_parallel_workers = 0" -c "
    DO \$\$ BEGIN FOR i IN 1..$TABLES LOOP
      EXECUTE format('CREATE TABLE t%s (id bigint PRIMARY KEY, c1 text, c2 int, c3 numeric, c4 timestamptz DEFAULT now(),
                      c5 uuid DEFAULT gen_random_uuid(), c6 jsonb, c7 boolean NOT NULL DEFAULT false, c8 date, c9 text)', i);
      IF i % 10 = 0 THEN
        EXECUTE format('CREATE INDEX ON t%s (c2)', i);
        EXECUTE format('CREATE VIEW v%s AS SELECT id, c1 FROM t%s WHERE c7', i, i);
      END IF;
      IF i % 500 = 0 THEN COMMIT; END IF;
    END LOOP; END \$\$"
fi
COLS=$("${PSQL[@]}" -d $DB -Atc "SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attnum > 0")
now() { date +%s.%N; }
t0=$(now); "$PGREADY_PG18_BIN/pg_dump" -h 127.0.0.1 -p "$PORT" -U postgres --schema-only -d $DB > /dev/null; t1=$(now)
"$ROOT/target/release/pgready" check --db "host=127.0.0.1 port=$PORT user=postgres dbname=$DB" --format json > /tmp/pgready-bench-live.json || true; t2=$(now)
"$ROOT/target/release/pgready" snapshot --db "host=127.0.0.1 port=$PORT user=postgres dbname=$DB" -o /tmp/pgready-bench-live-snap.json 2>/dev/null; t3=$(now)
"$ROOT/target/release/pgready" check --snapshot /tmp/pgready-bench-live-snap.json --format json > /dev/null || true; t4=$(now)
python3 - "$t0" "$t1" "$t2" "$t3" "$t4" "$TABLES" "$COLS" <<'PY'
import json, sys
t0, t1, t2, t3, t4 = map(float, sys.argv[1:6])
tables, cols = sys.argv[6], sys.argv[7]
dump, check, snap, offline = t1 - t0, t2 - t1, t3 - t2, t4 - t3
findings = len(json.load(open('/tmp/pgready-bench-live.json'))['diagnostics'])
queries = json.load(open('/tmp/pgready-bench-live-snap.json'))['audited'][0]['queries']
print(f"database: {tables} tables, {cols} columns")
print(f"pg_dump --schema-only (baseline): {dump:6.2f} s")
print(f"pgready check --db:               {check:6.2f} s  ({check / dump:.2f}x pg_dump)  {findings} findings, {queries} catalog queries")
print(f"pgready snapshot:                 {snap:6.2f} s  ({snap / dump:.2f}x pg_dump)")
print(f"pgready check --snapshot:         {offline:6.2f} s  ({offline / dump:.2f}x pg_dump)")
PY
