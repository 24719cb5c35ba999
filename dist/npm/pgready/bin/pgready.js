#!/usr/bin/env node
// The npm launcher of pgready: runs the prebuilt binary of the platform package npm installed
// beside it (selected by its os/cpu/libc fields; no install script runs). PGREADY_BINARY names
// another binary.
"use strict";
const { spawnSync } = require("child_process");

function libc() {
  // glibc reports its version; musl (Alpine) does not.
  const report = typeof process.report?.getReport === "function" ? process.report.getReport() : null;
  return report && report.header && report.header.glibcVersionRuntime ? "gnu" : "musl";
}

function binary() {
  if (process.env.PGREADY_BINARY) return process.env.PGREADY_BINARY;
  const arch = { x64: "x64", arm64: "arm64" }[process.arch] || process.arch;
  const wanted = process.platform === "linux" ? [`linux-${arch}-${libc()}`, `linux-${arch}-musl`] : [`${process.platform}-${arch}`];
  for (const platform of wanted) {
    try {
      return require.resolve(`@pgready/${platform}/bin/pgready`);
    } catch (_) {
      // not installed: try the next one
    }
  }
  console.error(
    `pgready: no prebuilt binary for ${process.platform} ${process.arch}${process.platform === "linux" ? ` (${libc()})` : ""}.\n` +
      `Installed platform packages: none of @pgready/${wanted.join(", @pgready/")}. Builds exist for Linux x64 (glibc 2.17+ and musl).\n` +
      "Reinstall without --no-optional / --omit=optional, set PGREADY_BINARY to a pgready binary, " +
      "or install another way (pip install pgready, a release archive, cargo install)."
  );
  process.exit(2);
}

const result = spawnSync(binary(), process.argv.slice(2), { stdio: "inherit" });
if (result.error) {
  console.error(`pgready: cannot run ${binary()}: ${result.error.message}`);
  process.exit(2);
}
process.exit(result.status === null ? 2 : result.status);
