#!/usr/bin/env bash
# Portable release artifacts of pgready, into target/dist/ (README, "Install"):
#   pgready-VERSION-py3-none-manylinux_2_17_x86_64.whl   pip install / pipx / uvx (glibc 2.17+)
#   pgready-VERSION-py3-none-musllinux_1_2_x86_64.whl    the same for musl (Alpine): a static binary
#   pgready-VERSION-x86_64-unknown-linux-gnu.tar.gz      the glibc 2.17 binary
#   pgready-VERSION-x86_64-unknown-linux-musl.tar.gz     the static musl binary
#   pgready-VERSION.tgz, pgready-linux-x64-{gnu,musl}-VERSION.tgz   npm: launcher + platform packages
#   SHA256SUMS
# maturin builds the wheels with zig as C compiler and linker (glibc 2.17 symbols; musl static),
# OpenSSL compiled in (feature vendored-tls). `--check` builds the same artifacts for the test
# command with the faster dist-check profile (no optimiser: about 3.5 minutes a target here), into
# target/dist-checked/ (target/dist-check/ is the profile's cargo output).
set -euo pipefail
cd "$(dirname "$0")/.."
profile=release out=target/dist targets=(x86_64-unknown-linux-gnu x86_64-unknown-linux-musl)
if [ "${1:-}" = "--check" ]; then
  profile=dist-check out=target/dist-checked targets=(x86_64-unknown-linux-gnu x86_64-unknown-linux-musl)
fi
bash scripts/setup-build.sh
# The packaging tools, from PyPI, in a project-local virtual environment.
if [ ! -x .tools/dist/bin/maturin ]; then
  python3 -m venv .tools/dist
  .tools/dist/bin/pip install --quiet ziglang maturin auditwheel
fi
export PATH="$PWD/.tools/dist/bin:$PATH"
for target in "${targets[@]}"; do
  rustup target list --installed | grep -qx "$target" || rustup target add "$target"
done
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
export PGREADY_COMMIT=${PGREADY_COMMIT:-$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)}
rm -rf "$out" && mkdir -p "$out/npm"
for target in "${targets[@]}"; do
  case $target in
    *-gnu) compat=manylinux2014 libc=gnu npm_libc=glibc ;;
    *-musl) compat=musllinux_1_2 libc=musl npm_libc=musl ;;
  esac
  (cd dist/python && maturin build --quiet --profile "$profile" --zig --target "$target" --compatibility "$compat" --out "../../$out")
  wheel=$(ls "$out"/pgready-"$version"-*"${compat/manylinux2014/manylinux_2_17}"*.whl)
  # The archive and the npm package hold the wheel's own binary: one build, three channels.
  stage="$out/stage/pgready-$version-$target"
  mkdir -p "$stage"
  python3 - "$wheel" "$stage/pgready" <<'PY'
import sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    name = next(n for n in z.namelist() if n.endswith(".data/scripts/pgready"))
    open(dest, "wb").write(z.read(name))
PY
  chmod 755 "$stage/pgready"
  cp README.md "$stage/"
  tar -C "$out/stage" -czf "$out/pgready-$version-$target.tar.gz" "pgready-$version-$target"
  pkg="$out/stage/npm-linux-x64-$libc"
  mkdir -p "$pkg/bin"
  cp "$stage/pgready" "$pkg/bin/pgready"
  cat > "$pkg/package.json" <<JSON
{
  "name": "@pgready/linux-x64-$libc",
  "version": "$version",
  "description": "The pgready binary for Linux x64 ($npm_libc)",
  "license": "MIT OR Apache-2.0",
  "os": ["linux"],
  "cpu": ["x64"],
  "libc": ["$npm_libc"],
  "files": ["bin/pgready"],
  "preferUnplugged": true
}
JSON
  (cd "$pkg" && npm pack --silent --pack-destination "$PWD/../../npm" >/dev/null)
done
(cd dist/npm/pgready && npm pack --silent --pack-destination "$OLDPWD/$out/npm" >/dev/null)
rm -rf "$out/stage"
(cd "$out" && sha256sum ./*.whl ./*.tar.gz npm/*.tgz | sed 's| \./| |' > SHA256SUMS)
ls -l "$out" "$out/npm"
