/**
 * Runs the real program (`index.ts`) under the Pulumi mocks of `mocks.ts` with a stack's config as
 * the CLI would merge it (`stackConfig.ts`), and returns what it registered and exported. Used by the
 * offline plan, the benchmark and the test harness (test/support/harness.ts).
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { mocks, recordedResources, type RecordedResource, startRecording } from "./mocks";
import { engineConfig, PROJECT } from "./stackConfig";

/** Where `index` lives: the repository (run by tsx) or `bin/` (compiled, for the benchmark). */
const PROGRAM_ROOT = path.resolve(__dirname, "..");
const PROGRAM_DIRS = ["index.", "catalog", "sizing", "settings", "content", "components"].map((p) =>
  path.join(PROGRAM_ROOT, p),
);
const ENTRY_POINT = path.join(PROGRAM_ROOT, "index.");

export interface ProgramRun {
  readonly resources: readonly RecordedResource[];
  readonly outputs: Record<string, unknown>;
  /** The exported outputs that are secret (their values are in `outputs` all the same). */
  readonly secretOutputs: readonly string[];
  /**
   * Modules loaded while the program ran (absolute paths); in the suite style, modules other than
   * `index.ts` only in the run that loaded them first.
   */
  readonly loadedModules: readonly string[];
}

/** What a run is given besides the stack's own config files. */
export interface ProgramInput {
  /** Config overrides, without the project prefix (`undefined` removes a key). @default none */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Secret config values, without the project prefix. */
  readonly secrets: Readonly<Record<string, string>>;
}

/**
 * How runs go. `"process"` (the plan CLI, the benchmark: a few runs per process) loads the whole
 * program afresh for each run. `"suite"` (the test suites, hundreds of runs in one process; turned on
 * by `useSuiteMode` in test/support/harness.ts):
 * - runs evaluate without stack traces: `Error.stackTraceLimit = 0`, and a stack asked for anyway
 *   (the SDK raises the limit to find a resource's source position) reads as the message alone.
 *   The SDK takes a stack trace (source-mapped, under a TypeScript loader) for every promise it
 *   creates and every resource it registers — leak diagnostics and source positions for the engine,
 *   which the mocks never read — and that is most of a run's CPU time. A run that fails is repeated
 *   with stack traces on, so its error still says where it came from (unless the caller expects
 *   the failure);
 * - each run evaluates `index.ts` afresh but keeps the components and config modules loaded: they read
 *   no config when they load (test/index.tools.test.ts checks that these runs register exactly what
 *   a fresh process registers).
 */
export type RunStyle = "process" | "suite";

let style: RunStyle = "process";

export function setRunStyle(next: RunStyle): void {
  style = next;
}

/** Told about every run that succeeded (the harness keeps a copy of each for its shared runs). */
export type RunListener = (stack: string, input: ProgramInput, run: ProgramRun) => void;

let listener: RunListener | undefined;

export function onEveryRun(next: RunListener | undefined): void {
  listener = next;
}

function forgetProgram(): void {
  for (const id of Object.keys(require.cache)) {
    if (
      style === "suite" ? id.startsWith(ENTRY_POINT) : PROGRAM_DIRS.some((p) => id.startsWith(p))
    ) {
      delete require.cache[id];
    }
  }
}

/** Runs `run`, in the suite style without stack traces; on an error, again with them if asked to. */
async function inRunStyle<T>(run: () => Promise<T>, repeatFailure: boolean): Promise<T> {
  if (style === "process") return run();
  const limit = Error.stackTraceLimit;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be put back, never called
  const prepare = Error.prepareStackTrace;
  try {
    Error.stackTraceLimit = 0;
    Error.prepareStackTrace = messageOnly;
    return await run();
  } catch (e) {
    Error.stackTraceLimit = limit;
    Error.prepareStackTrace = prepare;
    // Registrations already under way must land before anything else starts recording.
    await settle();
    if (!repeatFailure) throw e;
    await run(); // throws the same error, now with its stack
    throw e;
  } finally {
    Error.stackTraceLimit = limit;
    Error.prepareStackTrace = prepare;
  }
}

/** A stack trace of the message alone (the SDK then finds no source position and sends none). */
function messageOnly(error: Error): string {
  return String(error);
}

/** Waits until no resource registration has arrived for a few turns of the event loop. */
export async function settle(): Promise<void> {
  // Registrations travel on promises only (no timers, no I/O), so in the suite style a turn of the
  // event loop that runs every pending promise callback is enough; elsewhere each turn also waits a
  // millisecond.
  const turn =
    style === "suite"
      ? () => new Promise((r) => setImmediate(r))
      : () => new Promise((r) => setTimeout(r, 1));
  let last = -1;
  let stable = 0;
  while (stable < 5) {
    stable = last === recordedResources().length ? stable + 1 : 0;
    last = recordedResources().length;
    await turn();
  }
}

/** Resolves an Output's value. */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/**
 * Runs `index.ts` for `stack` and returns what it registered and exported. In the suite style a
 * failed run is repeated with stack traces unless `repeatFailure` is false (the failure is expected).
 */
export async function runProgram(
  stack: string,
  input: ProgramInput,
  repeatFailure = true,
): Promise<ProgramRun> {
  const run = await inRunStyle(() => evaluate(stack, input), repeatFailure);
  listener?.(stack, input, run);
  return run;
}

async function evaluate(stack: string, input: ProgramInput): Promise<ProgramRun> {
  // Nothing of an earlier run counts, even if this one fails before the program starts.
  startRecording();
  const config = engineConfig(stack, input.config);
  for (const [key, value] of Object.entries(input.secrets)) config[`${PROJECT}:${key}`] = value;
  pulumi.runtime.setAllConfig(
    config,
    Object.keys(input.secrets).map((k) => `${PROJECT}:${k}`),
  );
  await pulumi.runtime.setMocks(mocks, PROJECT, stack, false);
  startRecording();
  forgetProgram();
  const before = new Set(Object.keys(require.cache));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program must load after mocks
  const program = require(path.join(PROGRAM_ROOT, "index")) as Record<string, unknown>;
  const loadedModules = Object.keys(require.cache).filter((id) => !before.has(id));
  const outputs: Record<string, unknown> = {};
  const secretOutputs: string[] = [];
  for (const [key, value] of Object.entries(program)) {
    if (pulumi.Output.isInstance(value) && (await pulumi.isSecret(value))) secretOutputs.push(key);
    outputs[key] = pulumi.Output.isInstance(value) ? await promiseOf(value) : value;
  }
  await settle();
  return { resources: recordedResources(), outputs, secretOutputs, loadedModules };
}

/**
 * Runs `fn` under the mocks (as stack `stack`) and returns the resources it registered — for testing
 * one part of a component without the whole program. `fn` gets a parent component to attach to.
 */
export async function recordResources(
  fn: (parent: pulumi.ComponentResource) => unknown,
  stack = "staging",
): Promise<RecordedResource[]> {
  return inRunStyle(async () => {
    pulumi.runtime.setAllConfig(engineConfig(stack), []);
    await pulumi.runtime.setMocks(mocks, PROJECT, stack, false);
    startRecording();
    const parent = new pulumi.ComponentResource("test:index:Parent", "parent");
    const result = fn(parent);
    if (result instanceof Promise) await result;
    await settle();
    return recordedResources().filter((r) => r.type !== "test:index:Parent");
  }, true);
}
