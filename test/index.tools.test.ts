/**
 * The program in a fresh Node process per stack: which SDK modules it loads, read from `require.cache`
 * (so modules other test files loaded cannot hide or fake the result), and that it registers and
 * exports exactly what the suites' in-process runs record (they keep the program's modules loaded
 * from run to run and skip stack traces: `useSuiteMode` in test/support/harness.ts). The three processes
 * start together when the first of these tests runs.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { type RunOptions, ROOT, runProgram, TEST_SECRETS } from "./support/harness";

interface Child {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `script` in `node -r tsx/cjs -e` in the repository. */
function node(script: readonly string[]): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-r", "tsx/cjs", "-e", script.join("\n")], {
      cwd: ROOT,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

type Stack = "dev" | "staging" | "prod";

/** The options of each stack's run, in the fresh processes and in this one. */
const OPTIONS: Record<Stack, RunOptions> = {
  dev: {},
  staging: { secrets: { ...TEST_SECRETS }, config: { heartbeatUrl: "https://hc.example.com/x" } },
  prod: { secrets: { ...TEST_SECRETS }, config: { heartbeatUrl: "https://hc.example.com/x" } },
};

/** What a fresh process prints: its module scan and what the run registered and exported. */
interface FreshRun {
  readonly scan: string[];
  readonly resources: unknown;
  readonly outputs: unknown;
}

/** The `node_modules/@pulumi/` files a fresh process loads to run the program for each stack. */
const FILES =
  "Object.keys(require.cache).filter((m) => m.includes('node_modules/@pulumi/')).map((m) => m.split('node_modules/@pulumi/')[1])";
/** The `@pulumi/` packages a fresh process loads, sorted. */
const PACKAGES =
  "[...new Set(Object.keys(require.cache).map((m) => /node_modules\\/@pulumi\\/([^/]+)\\//.exec(m)?.[1]).filter(Boolean))].sort()";

let children: Record<Stack, Promise<Child>> | undefined;
function fresh(stack: Stack): Promise<Child> {
  const script = (of: Stack, scan: string) => [
    'const { runProgram } = require("./test/support/harness");',
    `runProgram(${JSON.stringify(of)}, ${JSON.stringify(OPTIONS[of])}).then(({ resources, outputs }) => {`,
    `  process.stdout.write(JSON.stringify({ scan: ${scan}, resources, outputs }));`,
    "});",
  ];
  children ??= {
    dev: node(script("dev", PACKAGES)),
    staging: node(script("staging", FILES)),
    prod: node(script("prod", FILES)),
  };
  return children[stack];
}

const freshRun = async (stack: Stack): Promise<FreshRun> =>
  JSON.parse((await fresh(stack)).stdout) as FreshRun;

/**
 * GIVEN every stack has run in this process (the program's modules stay loaded from run to run) WHEN
 * `stack` runs here again THEN it registers and exports exactly what the fresh process recorded.
 */
async function assertSameAsFresh(stack: Stack): Promise<void> {
  const result = await fresh(stack);
  assert.equal(result.status, 0, result.stderr);
  for (const each of ["dev", "staging", "prod"] as const) await runProgram(each, OPTIONS[each]);
  const here = await runProgram(stack, OPTIONS[stack]);
  const there = await freshRun(stack);
  assert.ok(here.resources.length > 0);
  assert.deepEqual(JSON.parse(JSON.stringify(here.resources)), there.resources);
  assert.deepEqual(JSON.parse(JSON.stringify(here.outputs)), there.outputs);
}

describe("dev stack (Docker) under mocks", () => {
  it("does not load @pulumi/aws or @pulumi/kubernetes (require.cache of a fresh process)", async () => {
    const result = await fresh("dev");
    assert.equal(result.status, 0, result.stderr);
    const packages = (await freshRun("dev")).scan;
    assert.ok(
      packages.includes("docker"),
      `the scan sees the SDKs it loads: ${packages.join(", ")}`,
    );
    assert.deepEqual(
      packages.filter((p) => ["aws", "awsx", "eks", "kubernetes"].includes(p)),
      [],
    );
  });

  it("registers and exports, run again in this process after every stack, what it does in a fresh process", async () => {
    await assertSameAsFresh("dev");
  });
});

describe("staging stack (ECS Fargate) under mocks", () => {
  it("loads @pulumi/aws submodules only, never the package root, and no Docker or Kubernetes SDK", async () => {
    const result = await fresh("staging");
    assert.equal(result.status, 0, result.stderr);
    const files = (await freshRun("staging")).scan;
    assert.ok(files.includes("aws/ecs/service.js"), "the scan sees the submodules it loads");
    assert.deepEqual(
      files.filter((f) => f === "aws/index.js"),
      [],
      "the root index loads every AWS service",
    );
    assert.deepEqual(
      files.filter((f) => /^(docker|kubernetes|awsx|eks)\//.test(f)),
      [],
    );
  });

  it("registers and exports, run again in this process after every stack, what it does in a fresh process", async () => {
    await assertSameAsFresh("staging");
  });
});

describe("prod stack (EKS + Helm) under mocks", () => {
  it("loads @pulumi/kubernetes and @pulumi/aws submodules only, never the Docker SDK or a package root", async () => {
    const result = await fresh("prod");
    assert.equal(result.status, 0, result.stderr);
    const files = (await freshRun("prod")).scan;
    assert.ok(
      files.includes("kubernetes/helm/v3/release.js"),
      "the scan sees the modules it loads",
    );
    assert.deepEqual(
      files.filter((f) => f === "aws/index.js" || f === "kubernetes/index.js"),
      [],
    );
    assert.deepEqual(
      files.filter((f) => f.startsWith("docker/")),
      [],
    );
  });

  it("registers and exports, run again in this process after every stack, what it does in a fresh process", async () => {
    await assertSameAsFresh("prod");
  });
});
