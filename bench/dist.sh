#!/usr/bin/env bash
# The distribution's figures (BENCHMARKS.md, "Distribution"): artifact sizes, install times
# (pip into a fresh virtual environment, npm from the packed tarballs) and start-up time
# (`pgready --version`) of the portable binary against the source release build, measured side
# by side in this run. Usage: bash bench/dist.sh [DIST_DIR (target/dist)] [runs (9)]
set -euo pipefail
cd "$(dirname "$0")/.."
dist=${1:-target/dist} runs=${2:-9}
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
cargo build --release --locked --quiet
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
echo "| artifact | MiB |"
echo "|---|---|"
for f in "$dist"/*.whl "$dist"/*.tar.gz "$dist"/npm/*.tgz; do
  printf '| %s | %.1f |\n' "$(basename "$f")" "$(echo "$(stat -c %s "$f") / 1048576" | bc -l)"
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wheel=$(ls "$dist"/pgready-"$version"-*manylinux_2_17_x86_64.whl)
pip_times=() npm_times=()
for i in $(seq "$runs"); do
  /usr/bin/python3 -m venv "$work/venv$i"
  pip_times+=("$(seconds "$work/venv$i/bin/pip" install --quiet --no-index "$wheel")")
  mkdir -p "$work/npm$i" && echo '{"name":"t","version":"1.0.0","private":true}' > "$work/npm$i/package.json"
  npm_times+=("$(cd "$work/npm$i" && seconds npm install --no-audit --no-fund --ignore-scripts --loglevel error \
    "$OLDPWD/$dist/npm/pgready-$version.tgz" "$OLDPWD/$dist/npm/pgready-linux-x64-gnu-$version.tgz")")
done
startup() { for _ in $(seq 21); do seconds "$1" --version; done | median; }
portable=$(startup "$work/venv1/bin/pgready") source=$(startup target/release/pgready)
echo
echo "| | median s ($runs runs) |"
echo "|---|---|"
echo "| pip install of the wheel (fresh venv, --no-index) | $(printf '%s\n' "${pip_times[@]}" | median) |"
echo "| npm install of the launcher and platform tarballs | $(printf '%s\n' "${npm_times[@]}" | median) |"
echo "| start-up, \`pgready --version\`, wheel's binary (21 runs) | $portable |"
echo "| start-up, \`pgready --version\`, source release build (21 runs) | $source |"
printf 'Start-up ratio, portable / source build: %.2fx\n' "$(echo "$portable / $source" | bc -l)"
