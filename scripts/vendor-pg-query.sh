#!/usr/bin/env bash
# vendor/pg_query is the crates.io crate pg_query 18.1.0 plus four local changes, made in this
# order (why: vendor/README.md): patch 1, a diff to upb's C encoder, patch 3, a diff to
# libpg_query's PL/pgSQL JSON writer, patch 2, a transformation of the generated Rust code
# (scripts/box-pg-query-nodes.py), and change 4, the flat tree (vendor/flat/ and the code
# scripts/flat-pg-query.py generates from libpg_query's field lists). This script rebuilds it
# from the registry's .crate, checked against the checksum crates.io published, so that anyone
# can see that these changes are the only difference.
#   bash scripts/vendor-pg-query.sh          rewrite vendor/pg_query
#   bash scripts/vendor-pg-query.sh --check  fail unless vendor/pg_query is exactly crate + patches
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=18.1.0
SHA256=457bfe74085c505ecaf5468416450969e2e52a66d26bc1a4b2f6944a2daee73f
PATCH=$PWD/vendor/pg_query-node-oneof.patch
PLPGSQL_PATCH=$PWD/vendor/pg_query-plpgsql-promise.patch
BOX=$PWD/scripts/box-pg-query-nodes.py
FLAT=$PWD/scripts/flat-pg-query.py
NAMES="$(basename "$PATCH") + $(basename "$PLPGSQL_PATCH") + $(basename "$BOX") + $(basename "$FLAT")"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Cargo is the only way to the registry here (its mirror), so let it download the crate.
mkdir -p "$WORK/fetch/src"
touch "$WORK/fetch/src/lib.rs"
cat >"$WORK/fetch/Cargo.toml" <<EOF
[package]
name = "fetch-pg-query"
version = "0.0.0"
edition = "2021"
[dependencies]
pg_query = "=$VERSION"
EOF
CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}
(cd "$WORK/fetch" && cargo fetch --quiet)
CRATE=$(find "$CARGO_HOME/registry/cache" -name "pg_query-$VERSION.crate" | head -1)
[ -n "$CRATE" ] || { echo "pg_query-$VERSION.crate not found under $CARGO_HOME/registry/cache" >&2; exit 2; }
echo "$SHA256  $CRATE" | sha256sum --check --quiet

tar -xzf "$CRATE" -C "$WORK"
(cd "$WORK/pg_query-$VERSION" && patch --quiet -p1 <"$PATCH" && patch --quiet -p1 <"$PLPGSQL_PATCH")
python3 "$BOX" "$WORK/pg_query-$VERSION"
python3 "$FLAT" "$WORK/pg_query-$VERSION"
if [ "${1:-}" = --check ]; then
  diff -r "$WORK/pg_query-$VERSION" vendor/pg_query >&2 ||
    { echo "vendor/pg_query differs from pg_query $VERSION + $NAMES" >&2; exit 1; }
  echo "vendor/pg_query is pg_query $VERSION + $NAMES"
else
  rm -rf vendor/pg_query
  mv "$WORK/pg_query-$VERSION" vendor/pg_query
  echo "vendor/pg_query rebuilt: pg_query $VERSION + $NAMES"
fi
