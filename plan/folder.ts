/**
 * A plan folder on disk: writing a stack's plan (its rendered files, `resources.json` and
 * `plan.json`) or the program's error into it, and reading one back for `--diff`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type CostEstimate, PRICES } from "./cost";
import { inside } from "./files";
import type { StackPlan } from "./plan";
import type { PlanResource } from "./resources";
import { json } from "./values";

/** The two files of a plan folder that are not rendered configuration. */
export const RESOURCES_FILE = "resources.json";
export const SUMMARY_FILE = "plan.json";

/** The content of `plan.json`: a plan without its resources and files, or the program's error. */
export interface PlanSummary {
  readonly stack: string;
  readonly environment?: string;
  readonly resourceCount?: number;
  readonly counts?: Readonly<Record<string, number>>;
  readonly cost?: CostEstimate;
  readonly sizing?: readonly string[];
  readonly prices?: { readonly date: string; readonly region: string };
  /** The stack outputs, secret ones as `[secret]`. */
  readonly outputs?: Readonly<Record<string, unknown>>;
  /** Set instead of everything else when the program threw for the stack. */
  readonly error?: string;
}

export function planSummary(plan: StackPlan): PlanSummary {
  return {
    stack: plan.stack,
    environment: plan.environment,
    resourceCount: plan.resources.length,
    counts: plan.counts,
    cost: plan.cost,
    sizing: plan.sizing,
    prices: { date: PRICES.date, region: PRICES.region },
    outputs: plan.outputs,
  };
}

/** Empties `dir` for a plan; refuses a folder with content that is not a plan. */
function preparePlanDir(dir: string): void {
  if (fs.existsSync(dir)) {
    const entries = fs.readdirSync(dir);
    if (entries.length > 0 && !entries.includes(SUMMARY_FILE)) {
      throw new Error(
        `\`${dir}\` is not empty and holds no ${SUMMARY_FILE}: choose another --out folder`,
      );
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
  fs.mkdirSync(dir, { recursive: true });
}

function writeFiles(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, inside(rel));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

/** Writes the plan into `dir` (replacing an earlier plan there); returns the number of files. */
export function writePlan(plan: StackPlan, dir: string): number {
  preparePlanDir(dir);
  const files = {
    ...plan.files,
    [RESOURCES_FILE]: json(plan.resources),
    [SUMMARY_FILE]: json(planSummary(plan)),
  };
  writeFiles(dir, files);
  return Object.keys(files).length;
}

/** Records that the program threw for `stack` (the `--diff` run reads it). */
export function writeFailure(stack: string, message: string, dir: string): void {
  preparePlanDir(dir);
  writeFiles(dir, { [SUMMARY_FILE]: json({ stack, error: message } satisfies PlanSummary) });
}

/** A plan as read back from its folder; a missing folder is an empty plan (the stack did not exist). */
export interface PlanDir {
  readonly summary?: PlanSummary;
  readonly resources: readonly PlanResource[];
  /** Rendered files, relative to the folder. */
  readonly files: readonly string[];
}

function listFiles(dir: string, rel = ""): string[] {
  return fs
    .readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? listFiles(dir, path.posix.join(rel, e.name))
        : [path.posix.join(rel, e.name)],
    )
    .sort();
}

export function readPlanDir(dir: string): PlanDir {
  if (!fs.existsSync(path.join(dir, SUMMARY_FILE))) return { resources: [], files: [] };
  const read = (f: string) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as unknown;
  const summary = read(SUMMARY_FILE) as PlanSummary;
  const resources = fs.existsSync(path.join(dir, RESOURCES_FILE))
    ? (read(RESOURCES_FILE) as PlanResource[])
    : [];
  const files = listFiles(dir).filter((f) => f !== SUMMARY_FILE && f !== RESOURCES_FILE);
  return { summary, resources, files };
}
