#!/usr/bin/env bash
# Regenerates src/knowledge/pg/* from real PostgreSQL servers: pg_settings, the functions and the
# columns of pg_catalog relations for every major version pgready knows (13 to 18, the binaries
# the test set-up installs: scripts/pg-servers.sh), and the target's built-in types and hidden
# enum values. Run as root; takes about a minute.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/src/knowledge/pg"
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
OS_USER=${PGREADY_PG_OS_USER:-pgready-pg}
id "$OS_USER" >/dev/null 2>&1 || useradd -M -s /usr/sbin/nologin "$OS_USER"
chmod o+x "$WORK"
# The binaries are the ones the test set-up installs (scripts/pg-servers.sh install).
bash "$ROOT/scripts/pg-servers.sh" install
eval "$(bash "$ROOT/scripts/pg-servers.sh" env)"
declare -A BIN=([13]="$PGREADY_PG13_BIN" [14]="$PGREADY_PG14_BIN" [15]="$PGREADY_PG15_BIN" [16]="$PGREADY_PG16_BIN"
  [17]="$PGREADY_PG17_BIN" [18]="$PGREADY_PG18_BIN")
PSQL="${BIN[18]}/psql"
port=56000
for major in 13 14 15 16 17 18; do
  data="$WORK/data$major"; mkdir -p "$data"; chown "$OS_USER": "$data"
  runuser -u "$OS_USER" -- "${BIN[$major]}/initdb" -D "$data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
  runuser -u "$OS_USER" -- "${BIN[$major]}/pg_ctl" -D "$data" -l "$data/log" -w -o "-p $port -k $data -h 127.0.0.1" start >/dev/null || { cat "$data/log"; exit 1; }
  url="host=127.0.0.1 port=$port user=postgres dbname=postgres"
  # Debian's build carries a patch-only setting; it is not PostgreSQL's.
  "$PSQL" "$url" -XAt -F $'\t' -c "select name, vartype, coalesce(boot_val,''), coalesce(unit,''), coalesce(min_val,''), coalesce(max_val,''), coalesce(array_to_string(enumvals, ','),''), context from pg_settings where name <> 'extension_destdir' and name not like '%.%' order by name" > "$OUT/settings$major.tsv"
  "$PSQL" "$url" -XAt -c "select distinct proname from pg_proc where pronamespace = 'pg_catalog'::regnamespace order by 1" > "$OUT/functions$major.txt"
  # Every built-in's argument types (procedures aside): which signatures each release added.
  "$PSQL" "$url" -XAt -F $'\t' -c "select p.proname, coalesce((select string_agg(t.typname, ',' order by a.i) from unnest(p.proargtypes::oid[]) with ordinality a(oid, i) join pg_type t on t.oid = a.oid), '') from pg_proc p where p.pronamespace = 'pg_catalog'::regnamespace and p.prokind <> 'p' order by 1, 2" > "$WORK/signatures$major.tsv"
  # Columns of pg_catalog and information_schema relations, and of the relations of the contrib
  # extensions that have any (pg_stat_statements, pg_buffercache; created in a scratch database),
  # each under its home: the schema, or the extension's name. The query is COLUMNS_QUERY of
  # tests/pg_oracle.rs, which compares this file with the test servers.
  "$PSQL" "$url" -Xq -c "create database knowledge"
  kurl="host=127.0.0.1 port=$port user=postgres dbname=knowledge"
  "$PSQL" "$kurl" -Xq -c "create extension pg_stat_statements" -c "create extension pg_buffercache"
  "$PSQL" "$kurl" -XAt -F $'\t' -f "$ROOT/scripts/columns.sql" > "$OUT/columns$major.tsv"
  if [ "$major" = 18 ]; then
    # Built-in type names of the target (array types left out): what a column's type may be.
    "$PSQL" "$url" -XAt -c "select distinct typname::text from pg_type where typnamespace = 'pg_catalog'::regnamespace and typname !~ '^_' order by 1" > "$OUT/types$major.txt"
    # Hidden enum values: probed with set_config() for user-settable enums, `postgres -C` for the rest.
    { "$PSQL" "$url" -XAt -F $'\t' -f "$ROOT/scripts/enum-aliases.sql" | grep -v '^DO$'
      "$PSQL" "$url" -XAt -F $'\t' -c "select name, array_to_string(enumvals, ',') from pg_settings where vartype = 'enum' and context not in ('user', 'superuser', 'internal') order by 1" |
      while IFS=$'\t' read -r name listed; do
        ok=()
        for c in on off true false yes no 1 0 debug archive hot_standby; do
          case ",$listed," in *",$c,"*) continue ;; esac
          runuser -u "$OS_USER" -- "${BIN[18]}/postgres" -D "$data" -c "$name=$c" -C "$name" >/dev/null 2>&1 && ok+=("$c")
        done
        if [ ${#ok[@]} -gt 0 ]; then printf '%s\t%s\n' "$name" "$(IFS=,; echo "${ok[*]}")"; fi
      done; } | sort > "$OUT/enum_aliases18.tsv"
  fi
  runuser -u "$OS_USER" -- "${BIN[$major]}/pg_ctl" -D "$data" -m fast -w stop >/dev/null
  port=$((port + 1))
done
# The signatures 18 has that 13 had not, each with the release that added it (the first of the
# releases from which on every one has it): what may shadow a user function after the upgrade.
python3 - "$WORK" "$OUT/new_functions18.tsv" <<'PY'
import sys
work, out = sys.argv[1], sys.argv[2]
sigs = {v: set(tuple(l.rstrip("\n").split("\t")) for l in open(f"{work}/signatures{v}.tsv")) for v in range(13, 19)}
rows = []
for sig in sorted(sigs[18] - sigs[13]):
    since = min(v for v in range(14, 19) if all(sig in sigs[w] for w in range(v, 19)))
    rows.append(f"{sig[0]}\t{sig[1]}\t{since}\n")
open(out, "w").writelines(rows)
# The signatures a release removed (13 to 18), each with that release: a reference by signature
# (GRANT/REVOKE/ALTER/COMMENT ON FUNCTION, a regprocedure literal) no longer resolves.
removed = []
for v in range(14, 19):
    for sig in sorted(sigs[v - 1] - sigs[v]):
        removed.append(f"{sig[0]}\t{sig[1]}\t{v}\n")
open(out.replace("new_functions18.tsv", "removed_signatures.tsv"), "w").writelines(removed)
PY
wc -l "$OUT"/*.tsv
