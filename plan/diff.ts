/**
 * `--diff <ref>`: plans the program as it is at another commit, with this checkout's plan code, and
 * prints what changes against the plans just written — resources, rendered files, cost.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { UsageError } from "./args";
import { compareResources, formatResourceChanges } from "./compare";
import { type PlanDir, readPlanDir, SUMMARY_FILE } from "./folder";
import { usd } from "./format";
import { hasStackFile, ROOT, stackNames } from "./stackConfig";

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
 * Plans the program at `ref` in a temporary worktree, with this checkout's plan code (`plan/`, which
 * imports nothing but the program) and node_modules (symlinked: no install), so only the program's
 * own changes show; then compares them with the plans just written (`outDir`). Returns the lines
 * to print, stack by stack, and whether a head plan failed.
 */
export function diffAgainst(
  ref: string,
  target: string,
  headStacks: readonly string[],
  outDir: (stack: string) => string,
): { readonly lines: string[]; readonly failed: boolean } {
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
    fs.rmSync(path.join(project, "plan"), { recursive: true, force: true });
    fs.cpSync(__dirname, path.join(project, "plan"), { recursive: true });

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
      if (child.status !== 0 && !planned) throw new Error(baseFailure(ref, child));
    }

    const stacks = [...new Set([...headStacks, ...baseStacks])].sort();
    const results = stacks.map((stack) =>
      stackDiff(
        stack,
        ref,
        path.join(baseOut, stack),
        headStacks.includes(stack) ? outDir(stack) : undefined,
      ),
    );
    return { lines: results.flatMap((r) => r.lines), failed: results.some((r) => r.failed) };
  } finally {
    fs.rmSync(modules, { force: true });
    if (git(["worktree", "remove", "--force", tree]).status !== 0) {
      fs.rmSync(tree, { recursive: true, force: true });
      git(["worktree", "prune"]);
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The first commit laid out as this plan code expects: 9ee99cf moved config/ to settings/, sizing/,
 * content/ and components/, and 8ea089b split those into the modules the plan imports.
 */
const LAYOUT_COMMIT = "8ea089b";

/**
 * Why the plan at `ref` failed. The usual cause: this checkout's plan code imports a program module
 * (`settings/settings`, `sizing/sizing`, …) that `ref` does not have at that path.
 */
export function baseFailure(ref: string, child: SpawnSyncReturns<string>): string {
  const stderr = child.stderr || String(child.error);
  // Node prints the loader's source line above the error; the error and its require stack are enough.
  const at = stderr.search(/^Error: Cannot find module '[^']+'/m);
  if (at < 0) return `the plan at ${ref} failed:\n${stderr}`;
  const error = stderr.slice(at).split("\n");
  const missing = /'([^']+)'/.exec(error[0])?.[1] ?? "?";
  return [
    `the plan at ${ref} failed: this checkout's plan code runs the program of ${ref}, which has no module \`${missing}\` where the plan code imports it.`,
    `--diff works only against refs laid out like this checkout; refs before commit ${LAYOUT_COMMIT} (the layout change: config/ became settings/, sizing/, content/ and components/, split into one module per job) cannot be diffed.`,
    `Instead, run \`npm run plan -- <stack> --out <dir>\` in a checkout of ${ref} and compare the folders with \`diff -r\`.`,
    "",
    ...error.slice(0, 12),
  ].join("\n");
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
