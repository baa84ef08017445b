// One evaluation of the compiled program for a stack under Pulumi mocks (driven by bench/run.sh).
// Usage: node bench/evaluate.cjs <stack>   (after `npx tsc -p tsconfig.build.json`)
const path = require("node:path");
const { runProgram, TEST_SECRETS } = require(
  path.join(__dirname, "..", "bin", "test", "harness.js"),
);

const stack = process.argv[2] ?? "dev";
const started = process.hrtime.bigint();
const report = (what) => {
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(`${stack}: ${what} in ${ms.toFixed(0)} ms (in-process)\n`);
};
// dev has no SMTP settings, so it gets only the required secret; staging and prod get them all.
const secrets =
  stack === "dev"
    ? { grafanaAdminPassword: TEST_SECRETS.grafanaAdminPassword }
    : { ...TEST_SECRETS };
runProgram(stack, { secrets }).then(
  (run) => report(`${run.resources.length} resources`),
  (err) => report(`stopped: ${String(err.message).split("\n")[0]}`),
);
