/**
 * The offline plan's command line: `npm run plan -- <stack|all> [--out <dir>] [--diff <git-ref>]`.
 * Needs neither the Pulumi CLI nor cloud credentials nor Docker (see `plan/plan.ts`).
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ROOT } from "../test/support/harness";
import {
  compareResources,
  formatPlan,
  formatResourceChanges,
  hasStackFile,
  type PlanDir,
  planStack,
  readPlanDir,
  stackNames,
  SUMMARY_FILE,
  usd,
  writeFailure,
  writePlan,
} from "./plan";

const USAGE = `Usage: npm run plan -- <stack|all> [--out <dir>] [--diff <git-ref>]

  <stack>           a stack of this project (its Pulumi.<stack>.yaml is used), or \`all\` for every
                    stack with a Pulumi.<stack>.yaml
  --out <dir>       where the plan is written (default plan-out/<stack>; with \`all\` one folder per
                    stack under <dir>, default plan-out)
  --diff <git-ref>  also plan the program as it is at <git-ref> and print what changes: resources
                    added, removed and changed, a unified diff per rendered file, the cost

Runs the program under mocks with placeholder secrets: no Pulumi CLI, cloud credentials or Docker.
Exits 1 when the program throws for a stack.
`;

class UsageError extends Error {}

interface Args {
  readonly target: string;
  readonly out?: string;
  readonly diff?: string;
}

function parseArgs(argv: readonly string[]): Args | "help" {
  let target: string | undefined;
  let out: string | undefined;
  let diff: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "-h" || arg === "--help") return "help";
    if (arg === "--out" || arg === "--diff") {
      const value = argv[++i];
      if (value === undefined || value.startsWith("--"))
        throw new UsageError(`${arg} needs a value`);
      if (arg === "--out") out = value;
      else diff = value;
    } else if (arg.startsWith("-")) {
      throw new UsageError(`unknown option ${arg}`);
    } else if (target === undefined) {
      target = arg;
    } else {
      throw new UsageError(`one stack (or \`all\`) only, got \`${target}\` and \`${arg}\``);
    }
  }
  if (target === undefined) throw new UsageError("name a stack, or `all`");
  return { target, out, diff };
}

const print = (lines: readonly string[]) => process.stdout.write(`${lines.join("\n")}\n`);
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const shown = (dir: string) => path.relative(process.cwd(), dir) || ".";

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  const all = args.target === "all";
  const stacks = all ? stackNames() : [args.target];
  if (stacks.length === 0) throw new UsageError(`no Pulumi.<stack>.yaml in ${ROOT}`);
  const outDir = (stack: string) =>
    all
      ? path.resolve(args.out ?? "plan-out", stack)
      : path.resolve(args.out ?? path.join("plan-out", stack));

  let failed = false;
  for (const stack of stacks) {
    const dir = outDir(stack);
    try {
      const plan = await planStack(stack);
      const written = writePlan(plan, dir);
      if (args.diff === undefined) {
        print([...formatPlan(plan), "", `Wrote ${written} files to ${shown(dir)}`, ""]);
      }
    } catch (e) {
      failed = true;
      process.stderr.write(`plan for stack \`${stack}\` failed:\n${message(e)}\n`);
      try {
        writeFailure(stack, message(e), dir);
      } catch {
        // The folder is not ours (see writePlan); the error above says enough.
      }
    }
  }
  if (args.diff !== undefined) {
    const diffFailed = diffAgainst(args.diff, args.target, stacks, outDir);
    failed = failed || diffFailed;
  }
  return failed ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// --diff
// ---------------------------------------------------------------------------------------------

const BUFFER = 256 * 1024 * 1024;

function git(args: readonly string[], cwd = ROOT): SpawnSyncReturns<string> {
  return spawnSync("git", args, { cwd, encoding: "utf8", maxBuffer: BUFFER });
}

function gitOrThrow(args: readonly string[], cwd = ROOT): string {
  const result = git(args, cwd);
  if (result.status !== 0) {
    throw new Error(
      `git ${args.join(" ")} failed: ${result.stderr.trim() || String(result.error)}`,
    );
  }
  return result.stdout.trim();
}

/**
 * Plans the program at `ref` in a temporary worktree, with this checkout's plan code, harness and
 * node_modules (symlinked: no install), so only the program's own changes show; then prints the
 * differences from the plans just written. Returns whether a head plan failed.
 */
function diffAgainst(
  ref: string,
  target: string,
  headStacks: readonly string[],
  outDir: (stack: string) => string,
): boolean {
  const top = gitOrThrow(["rev-parse", "--show-toplevel"]);
  const commit = git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (commit.status !== 0) {
    throw new UsageError(
      `--diff: \`${ref}\` is not a commit of this repository (in a shallow CI clone, fetch it first)`,
    );
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-diff-"));
  const tree = path.join(tmp, "tree");
  const baseOut = path.join(tmp, "base");
  const project = path.join(tree, path.relative(fs.realpathSync(top), fs.realpathSync(ROOT)));
  const modules = path.join(project, "node_modules");
  try {
    gitOrThrow(["worktree", "add", "--detach", "--quiet", tree, commit.stdout.trim()]);
    fs.symlinkSync(fs.realpathSync(path.join(ROOT, "node_modules")), modules, "dir");
    fs.cpSync(__dirname, path.join(project, "plan"), { recursive: true });
    fs.cpSync(
      path.join(ROOT, "test", "support", "harness.ts"),
      path.join(project, "test", "support", "harness.ts"),
    );

    const all = target === "all";
    const baseStacks = all ? stackNames(project) : hasStackFile(target, project) ? [target] : [];
    if (baseStacks.length > 0) {
      const child = spawnSync(
        process.execPath,
        [
          "--require",
          require.resolve("tsx/cjs"),
          path.join(project, "plan", "run.ts"),
          target,
          "--out",
          all ? baseOut : path.join(baseOut, target),
        ],
        { cwd: project, encoding: "utf8", maxBuffer: BUFFER },
      );
      // A stack the program throws for has its error in plan.json; anything else is a failed run.
      const planned = baseStacks.every((s) => fs.existsSync(path.join(baseOut, s, SUMMARY_FILE)));
      if (child.status !== 0 && !planned) {
        throw new Error(`the plan at ${ref} failed:\n${child.stderr || String(child.error)}`);
      }
    }

    let failed = false;
    const stacks = [...new Set([...headStacks, ...baseStacks])].sort();
    for (const stack of stacks) {
      const head = headStacks.includes(stack) ? outDir(stack) : undefined;
      const result = stackDiff(stack, ref, path.join(baseOut, stack), head);
      failed = failed || result.failed;
      print(result.lines);
    }
    return failed;
  } finally {
    fs.rmSync(modules, { force: true });
    if (git(["worktree", "remove", "--force", tree]).status !== 0) {
      fs.rmSync(tree, { recursive: true, force: true });
      git(["worktree", "prune"]);
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** A stack that does not exist on one side. */
const NO_PLAN: PlanDir = { resources: [], files: [] };

function stackDiff(
  stack: string,
  ref: string,
  baseDir: string,
  headDir: string | undefined,
): { lines: string[]; failed: boolean } {
  const base = readPlanDir(baseDir);
  const head = headDir === undefined ? NO_PLAN : readPlanDir(headDir);
  if (head.summary?.error !== undefined) {
    return {
      lines: [`== ${stack}: the program fails for this stack (see the error above)`, ""],
      failed: true,
    };
  }
  const notes =
    base.summary?.error === undefined
      ? []
      : [
          `  At ${ref} the program failed for this stack (${base.summary.error.split("\n")[0]}); everything shows as added.`,
        ];
  const changes = compareResources(base.resources, head.resources);
  const diffs = [...new Set([...base.files, ...head.files])]
    .sort()
    .map((f) =>
      unifiedDiff(
        `${stack}/${f}`,
        base.files.includes(f) ? path.join(baseDir, f) : undefined,
        headDir !== undefined && head.files.includes(f) ? path.join(headDir, f) : undefined,
      ),
    )
    .filter((lines) => lines.length > 0);
  const before = base.summary?.cost?.totalUsd ?? 0;
  const after = head.summary?.cost?.totalUsd ?? 0;
  const resourceCount = changes.added.length + changes.removed.length + changes.changed.length;
  if (
    resourceCount === 0 &&
    diffs.length === 0 &&
    notes.length === 0 &&
    usd(before) === usd(after)
  ) {
    return { lines: [`== ${stack}: no changes`, ""], failed: false };
  }
  const delta = after - before;
  return {
    lines: [
      `== ${stack}: ${changes.added.length} added, ${changes.removed.length} removed, ` +
        `${changes.changed.length} changed resources; ${diffs.length} rendered files changed`,
      ...notes,
      ...(resourceCount === 0 ? [] : ["Resources:", ...formatResourceChanges(changes)]),
      ...(diffs.length === 0 ? [] : ["Rendered files:", ...diffs.flat()]),
      ...(usd(before) === usd(after)
        ? []
        : [
            `Estimated monthly cost: ${usd(before)} → ${usd(after)} (${delta >= 0 ? "+" : "-"}${usd(Math.abs(delta))})`,
          ]),
      "",
    ],
    failed: false,
  };
}

/** A unified diff of one rendered file (`undefined`: the file does not exist on that side). */
function unifiedDiff(
  label: string,
  before: string | undefined,
  after: string | undefined,
): string[] {
  if (
    before !== undefined &&
    after !== undefined &&
    fs.readFileSync(before).equals(fs.readFileSync(after))
  ) {
    return [];
  }
  const result = git(
    [
      "diff",
      "--no-index",
      "--no-color",
      "--no-ext-diff",
      "--no-textconv",
      "--",
      before ?? "/dev/null",
      after ?? "/dev/null",
    ],
    os.tmpdir(),
  );
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`git diff failed for ${label}: ${result.stderr.trim()}`);
  }
  const lines = result.stdout.replace(/\n$/, "").split("\n");
  const hunk = lines.findIndex((l) => l.startsWith("@@"));
  return [
    `--- ${before === undefined ? "/dev/null" : `a/${label}`}`,
    `+++ ${after === undefined ? "/dev/null" : `b/${label}`}`,
    ...(hunk < 0 ? [] : lines.slice(hunk)),
  ];
}

process.on("unhandledRejection", (e) => {
  process.stderr.write(`${message(e)}\n`);
  process.exit(1);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${message(e)}\n${e instanceof UsageError ? `\n${USAGE}` : ""}`);
    process.exitCode = e instanceof UsageError ? 2 : 1;
  },
);
