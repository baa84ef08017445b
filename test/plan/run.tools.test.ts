/**
 * The offline plan's command line (`plan/run.ts`) as a subprocess: it prints and writes exactly what
 * the plan functions give (those are tested in-process in test/plan/plan.test.ts), `--diff` in a
 * throwaway copy of the repository, and a non-zero exit with the program's message when the program
 * throws.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PRICES } from "../../plan/cost";
import { type PlanSummary, writePlan } from "../../plan/folder";
import { formatGrandTotal, formatPlan, usd } from "../../plan/format";
import { planStack, type StackPlan } from "../../plan/plan";
import { stackNames } from "../../plan/stackConfig";
import { ROOT } from "../support/harness";

const STACKS = ["dev", "staging", "prod"] as const;
const TSX = require.resolve("tsx/cjs");
const HOURS = PRICES.hoursPerMonth;
const P = PRICES.prices;

/** Runs the plan CLI of the repository at `root`. */
function plan(args: readonly string[], root = ROOT): SpawnSyncReturns<string> {
  return spawnSync(
    process.execPath,
    ["--require", TSX, path.join(root, "plan", "run.ts"), ...args],
    { cwd: root, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
  );
}

interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `plan` without blocking, so several CLI runs can share the two cores. */
function planAsync(args: readonly string[], root = ROOT): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--require", TSX, path.join(root, "plan", "run.ts"), ...args],
      { cwd: root },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const tempDir = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/** Every file under `dir` by its path relative to `dir`, with its content. */
function tree(dir: string): Map<string, string> {
  return new Map(
    filesUnder(dir)
      .map((f) => [path.relative(dir, f), fs.readFileSync(f, "utf8")] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

function git(args: readonly string[], cwd: string): string {
  const result = spawnSync("git", args, { cwd, encoding: "utf8" });
  assert.equal(result.status, 0, `git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

/** A throwaway git repository holding this working tree (one commit) and its node_modules. */
function copyRepository(): string {
  const dir = tempDir("plan-repo-");
  const listed = git(["ls-files", "-z", "--cached", "--others", "--exclude-standard"], ROOT);
  for (const file of listed.split("\0").filter((f) => f !== "")) {
    const from = path.join(ROOT, file);
    if (!fs.existsSync(from) || !fs.lstatSync(from).isFile()) continue;
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(from, path.join(dir, file));
  }
  fs.symlinkSync(fs.realpathSync(path.join(ROOT, "node_modules")), path.join(dir, "node_modules"));
  git(["init", "-q"], dir);
  fs.appendFileSync(path.join(dir, ".git", "info", "exclude"), "node_modules\n");
  git(["add", "-A"], dir);
  git(
    [
      "-c",
      "user.name=plan test",
      "-c",
      "user.email=plan-test@example.invalid",
      "-c",
      "commit.gpgsign=false",
      "commit",
      "-q",
      "-m",
      "base",
    ],
    dir,
  );
  return dir;
}

describe("offline plan (plan/run.ts)", function () {
  this.timeout(300_000);

  /** `plan all --out <out>` and `plan dev --out <single>` of this working tree. */
  let out: string;
  let single: string;
  let all: CliResult;
  let dev: CliResult;
  const summary = (stack: string) =>
    JSON.parse(fs.readFileSync(path.join(out, stack, "plan.json"), "utf8")) as PlanSummary;

  before(async () => {
    out = tempDir("plan-out-");
    single = tempDir("plan-single-");
    [all, dev] = await Promise.all([
      planAsync(["all", "--out", out]),
      planAsync(["dev", "--out", path.join(single, "dev")]),
    ]);
  });
  after(() => {
    fs.rmSync(out, { recursive: true, force: true });
    fs.rmSync(single, { recursive: true, force: true });
  });

  describe("the command line", () => {
    /** What the CLI prints for a stack it planned into `dir` (see `main` in plan/run.ts). */
    async function expectedOutput(
      stack: string,
      dir: string,
    ): Promise<{ stdout: string; files: Map<string, string>; plan: StackPlan }> {
      const mine = tempDir("plan-mine-");
      try {
        const stackPlan = await planStack(stack);
        const written = writePlan(stackPlan, mine);
        const files = tree(mine);
        assert.equal(files.size, written, stack);
        const lines = [
          ...formatPlan(stackPlan),
          "",
          `Wrote ${written} files to ${path.relative(ROOT, dir)}`,
          "",
        ];
        return { stdout: `${lines.join("\n")}\n`, files, plan: stackPlan };
      } finally {
        fs.rmSync(mine, { recursive: true, force: true });
      }
    }

    it("GIVEN all WHEN planned THEN it exits 0 and prints and writes each stack's plan as planStack, formatPlan and writePlan give it", async () => {
      assert.equal(all.status, 0, all.stderr);
      let stdout = "";
      const plans: StackPlan[] = [];
      assert.deepEqual(stackNames(), [...STACKS].sort());
      for (const stack of stackNames()) {
        const expected = await expectedOutput(stack, path.join(out, stack));
        stdout += expected.stdout;
        plans.push(expected.plan);
        assert.deepEqual(tree(path.join(out, stack)), expected.files, stack);
      }
      stdout += `${formatGrandTotal(plans)}\n`;
      assert.equal(all.stdout, stdout);
      assert.match(
        all.stdout,
        /^All stacks: estimated monthly cost \$\d+\.\d\d \(dev \$0\.00, prod /m,
      );
    });

    it("GIVEN one stack WHEN planned THEN it exits 0 and prints and writes only that stack's plan", async () => {
      assert.equal(dev.status, 0, dev.stderr);
      assert.deepEqual(fs.readdirSync(single), ["dev"]);
      const expected = await expectedOutput("dev", path.join(single, "dev"));
      assert.deepEqual(tree(path.join(single, "dev")), expected.files);
      assert.equal(dev.stdout, expected.stdout);
      assert.match(dev.stdout, /^Wrote \d+ files to /m);
    });
  });

  describe("--diff", () => {
    let repo: string;
    before(() => {
      repo = copyRepository();
    });
    after(() => fs.rmSync(repo, { recursive: true, force: true }));

    it("GIVEN a clean tree WHEN --diff HEAD for all stacks THEN every stack has no changes", () => {
      const diffOut = tempDir("plan-diff-out-");
      try {
        const result = plan(["all", "--diff", "HEAD", "--out", diffOut], repo);
        assert.equal(result.status, 0, result.stderr);
        for (const stack of STACKS)
          assert.match(result.stdout, new RegExp(`^== ${stack}: no changes$`, "m"));
        // The temporary worktree is gone again.
        assert.equal(git(["worktree", "list"], repo).trim().split("\n").length, 1);
      } finally {
        fs.rmSync(diffOut, { recursive: true, force: true });
      }
    });

    it("GIVEN changed staging config and a removed dev stack WHEN --diff HEAD THEN files, resources and cost show it", () => {
      const stagingFile = path.join(repo, "Pulumi.staging.yaml");
      const devFile = path.join(repo, "Pulumi.dev.yaml");
      const original = fs.readFileSync(stagingFile, "utf8");
      const diffOut = tempDir("plan-diff-out-");
      try {
        fs.writeFileSync(
          stagingFile,
          original.replace("scrapeInterval: 30s", "scrapeInterval: 60s") +
            [
              "  monitoring-stack:natGateways: perAz",
              "  monitoring-stack:taskSizes:",
              "    prometheus: { cpu: 2048, memory: 8192 }",
              "",
            ].join("\n"),
        );
        fs.rmSync(devFile);
        const result = plan(["all", "--diff", "HEAD", "--out", diffOut], repo);
        assert.equal(result.status, 0, result.stderr);
        const stdout = result.stdout;

        assert.match(stdout, /^== prod: no changes$/m);
        const devFiles = filesUnder(path.join(out, "dev", "files")).length;
        const devResources = summary("dev").resourceCount ?? 0;
        assert.match(
          stdout,
          new RegExp(
            `^== dev: 0 added, ${devResources} removed, 0 changed resources; ${devFiles} rendered files changed$`,
            "m",
          ),
        );
        assert.match(
          stdout,
          /^== staging: 2 added, 0 removed, \d+ changed resources; 4 rendered files changed$/m,
        );
        assert.match(stdout, /^ {2}\+ aws:ec2\/natGateway:NatGateway {2}staging-eu-west-1-nat-1$/m);
        assert.match(
          stdout,
          /^ {2}~ aws:ecs\/taskDefinition:TaskDefinition {2}staging-eu-west-1-prometheus$/m,
        );
        assert.match(stdout, /^ {6}cpu: "512" → "2048"$/m);
        assert.match(
          stdout,
          /^--- a\/staging\/files\/prometheus\/etc\/prometheus\/prometheus\.yml\n\+\+\+ b\/staging\/files\/prometheus\/etc\/prometheus\/prometheus\.yml\n@@ [^\n]+\n global:\n- {2}scrape_interval: 30s\n\+ {2}scrape_interval: 60s$/m,
        );
        assert.match(
          stdout,
          /^--- a\/dev\/files\/prometheus\/etc\/prometheus\/prometheus\.yml\n\+\+\+ \/dev\/null$/m,
        );

        // Prometheus from the derived 0.5 vCPU / 1 GB to 2 / 8, a second NAT gateway with its
        // Elastic IP. The 60 s scrape interval halves the derived retentionSize (17GB → 9GB). (The
        // staging cost before is checked line by line against prices.json in test/plan/plan.test.ts.)
        const before = summary("staging").cost?.totalUsd ?? Number.NaN;
        const delta =
          1.5 * HOURS * P.fargateVcpuHour +
          7 * HOURS * P.fargateGbHour -
          8 * P.efsGbMonth +
          HOURS * P.natGatewayHour +
          HOURS * P.publicIpv4Hour;
        assert.ok(
          stdout.includes(
            `Estimated monthly cost: ${usd(before)} → ${usd(before + delta)} (+${usd(delta)})`,
          ),
          stdout,
        );
      } finally {
        fs.writeFileSync(stagingFile, original);
        git(["checkout", "--", "Pulumi.dev.yaml"], repo);
        fs.rmSync(diffOut, { recursive: true, force: true });
      }
    });

    it("GIVEN a stack the program throws for WHEN planned THEN the plan exits 1 with the program's message", () => {
      const broken = path.join(repo, "Pulumi.broken.yaml");
      const planOut = tempDir("plan-broken-");
      try {
        // The settings pass refuses a retention size that does not fit the 64Gi volume.
        fs.writeFileSync(
          broken,
          "config:\n  monitoring-stack:environment: prod\n  monitoring-stack:retentionSize: 200GB\n  monitoring-stack:prometheusStorageSize: 64Gi\n",
        );
        const one = plan(["broken", "--out", path.join(planOut, "one")], repo);
        assert.equal(one.status, 1);
        assert.match(
          one.stderr,
          /^plan for stack `broken` failed:\ninvalid configuration for stack `broken` \(1 problem\):\n {2}- `retentionSize` \(200GB\) does not fit the Prometheus volume `prometheusStorageSize` \(64Gi\)/m,
        );
        assert.doesNotMatch(one.stdout, /Wrote/);

        // `all` plans the other stacks and still fails.
        const all = plan(["all", "--out", path.join(planOut, "all")], repo);
        assert.equal(all.status, 1);
        assert.match(all.stderr, /plan for stack `broken` failed/);
        for (const stack of STACKS) {
          const done = JSON.parse(
            fs.readFileSync(path.join(planOut, "all", stack, "plan.json"), "utf8"),
          ) as PlanSummary;
          assert.ok((done.resourceCount ?? 0) > 0, stack);
        }

        // A settings error is the program's too: every problem, naming the key.
        fs.writeFileSync(
          broken,
          "config:\n  monitoring-stack:environment: staging\n  monitoring-stack:taskSizes:\n    prometheus: { cpu: 1000, memory: 4096 }\n",
        );
        const settings = plan(["broken", "--out", path.join(planOut, "settings")], repo);
        assert.equal(settings.status, 1);
        assert.match(
          settings.stderr,
          /invalid configuration for stack `broken` \(1 problem\):\n {2}- `taskSizes\.prometheus`: got \{"cpu":1000,"memory":4096\}/,
        );
      } finally {
        fs.rmSync(broken, { force: true });
        fs.rmSync(planOut, { recursive: true, force: true });
      }
    });
  });
});
