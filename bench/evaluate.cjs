// One evaluation of the compiled program for a stack under Pulumi mocks (used by bench/run.sh).
// Usage: node bench/evaluate.cjs <stack>     (after `npx tsc -p tsconfig.build.json`)
const path = require("node:path");
const { runProgram, programError, TEST_SECRETS } = require(
  path.join(__dirname, "..", "bin", "test", "harness.js"),
);

const stack = process.argv[2] ?? "dev";
const opts = { secrets: { ...TEST_SECRETS }, config: stack === "dev" ? {} : {} };
const started = process.hrtime.bigint();
const done = (what) => {
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(`${stack}: ${what} in ${ms.toFixed(0)} ms (in-process)\n`);
};
runProgram(stack, stack === "dev" ? {} : opts).then(
  (run) => done(`${run.resources.length} resources`),
  (err) => done(`stopped: ${String(err.message).split("\n")[0]}`),
);
void programError;
