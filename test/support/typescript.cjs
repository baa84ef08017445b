"use strict";
/**
 * Loads the TypeScript sources for the test suites: esbuild (tsx's own transpiler, resolved through
 * tsx) turns each .ts file into CommonJS with the project's compiler options and an inline source
 * map, cached on disk by content. Unlike `tsx/cjs` it leaves .js files alone: tsx scans every
 * JavaScript file it loads for ES module syntax, the Pulumi SDKs' thousands of files included, which
 * cost the unit suite 0.6–0.9 s of CPU. The plan CLI, the e2e tests and the benchmark still use tsx.
 */
const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const esbuild = require(require.resolve("esbuild", { paths: [require.resolve("tsx/cjs")] }));

const ROOT = path.resolve(__dirname, "..", "..");
const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(ROOT, "tsconfig.json"), "utf8"));
const OPTIONS = {
  loader: "ts",
  format: "cjs",
  platform: "node",
  target: `node${process.versions.node}`,
  sourcemap: "inline",
  keepNames: true,
  tsconfigRaw: { compilerOptions },
};
const CACHE = path.join(os.tmpdir(), `monitoring-stack-ts-${esbuild.version}`);
const KEY = JSON.stringify(OPTIONS);

function transpile(source, filename) {
  const hash = crypto
    .createHash("sha256")
    .update(KEY)
    .update(filename)
    .update(source)
    .digest("hex");
  const cached = path.join(CACHE, `${hash}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    const { code } = esbuild.transformSync(source, { ...OPTIONS, sourcefile: filename });
    fs.mkdirSync(CACHE, { recursive: true });
    const temp = `${cached}.${process.pid}`;
    fs.writeFileSync(temp, code);
    fs.renameSync(temp, cached);
    return code;
  }
}

// Stack traces point into the .ts sources...
process.setSourceMapsEnabled(true);
require.extensions[".ts"] = (module, filename) => {
  module._compile(transpile(fs.readFileSync(filename, "utf8"), filename), filename);
};
// ...but JavaScript compiles without: with source maps on, Node reads the map of every module it
// compiles, and the Pulumi SDKs ship thousands (their frames show the .js positions instead).
const loadJs = require.extensions[".js"];
require.extensions[".js"] = function (module, filename) {
  process.setSourceMapsEnabled(false);
  try {
    return loadJs.call(this, module, filename);
  } finally {
    process.setSourceMapsEnabled(true);
  }
};
