#!/usr/bin/env bash
# Installs what building pgready needs, when missing (idempotent): libclang for pg_query's
# bindgen step. protoc is deliberately not installed: with protoc on PATH, pg_query's build
# script regenerates its protobuf bindings into the cargo registry.
set -euo pipefail
missing=()
# libssl-dev and pkg-config: the live audit's TLS connector (native-tls, OpenSSL); perl and make:
# the OpenSSL that portable builds compile in (scripts/dist.sh, feature vendored-tls); binutils:
# the distribution test reads the binary's symbols (readelf, objdump).
for pkg in libclang1-14 libclang-common-14-dev libssl-dev pkg-config perl make binutils; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "pgready needs: ${missing[*]} (run: sudo apt-get install -y --no-install-recommends ${missing[*]})" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v cargo >/dev/null || { echo "cargo not found: install Rust (https://rustup.rs)" >&2; exit 1; }
