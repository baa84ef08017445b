/**
 * Test harness: the test-only helpers around the mocked program runner of `plan/runner.ts` — the
 * secrets the tests use, the suites' way of running the program (`useSuiteMode`, `sharedRun`), runs
 * of one part of a component (`recordPart`), runs expected to fail, and lookups in recorded inputs.
 * What the plan shares with the tests (the runner, the mocks, the config merge) is re-exported here.
 */
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import type { SettingsInput } from "../../settings/settings";
import { deepFreeze } from "../../plan/freeze";
import { isSecretWrapper, type RecordedResource } from "../../plan/mocks";
import {
  onEveryRun,
  type ProgramInput,
  type ProgramRun,
  recordResources,
  runProgram as runMocked,
  setRunStyle,
} from "../../plan/runner";
import { stackSettingsInput } from "../../plan/stackConfig";

export {
  isSecretWrapper,
  MOCK_ACCOUNT,
  MOCK_AZS,
  MOCK_EKS,
  MOCK_REGION,
  type RecordedResource,
  registeredCount,
} from "../../plan/mocks";
export { type ProgramRun, promiseOf, recordResources } from "../../plan/runner";
export { PROJECT, ROOT } from "../../plan/stackConfig";

/** Secret values used by the tests; scanned for in every non-secret input. */
export const TEST_SECRETS = {
  grafanaAdminPassword: "test-grafana-Pa55word-7f3a",
  slackWebhookUrl: "https://hooks.slack.com/services/T000/B000/testslacksecret9d2c",
  pagerdutyRoutingKey: "testpagerdutykey0123456789abcdef",
  smtpPassword: "test-smtp-secret-41b8",
  heartbeatToken: "test-heartbeat-token-c7e1",
} as const;

/** Non-secret config that, with all of `TEST_SECRETS`, turns every Alertmanager receiver on. */
export const ALL_RECEIVERS_CONFIG = {
  heartbeatUrl: "https://hc-ping.example.com/monitoring-stack",
  smtp: {
    smarthost: "smtp.example.com:587",
    from: "am@example.com",
    to: ["ops@example.com"],
    username: "am",
  },
} as const;

/** The secrets a run gets unless told otherwise: the Grafana password, the one required secret. */
const DEFAULT_SECRETS: Readonly<Record<string, string>> = Object.freeze({
  grafanaAdminPassword: TEST_SECRETS.grafanaAdminPassword,
});

/** Removes secret wrappers, for asserting on values regardless of their secretness. */
export function reveal(v: unknown): unknown {
  if (isSecretWrapper(v)) return reveal(v.value);
  if (Array.isArray(v)) return v.map(reveal);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, reveal(x)]));
  }
  return v;
}

/** Paths (like `uploads[2].content`) at which `needle` appears outside any secret wrapper. */
export function plaintextOccurrences(v: unknown, needle: string, at = ""): string[] {
  if (isSecretWrapper(v)) return [];
  if (typeof v === "string") return v.includes(needle) ? [at] : [];
  if (Array.isArray(v)) return v.flatMap((x, i) => plaintextOccurrences(x, needle, `${at}[${i}]`));
  if (typeof v === "object" && v !== null) {
    return Object.entries(v).flatMap(([k, x]) =>
      plaintextOccurrences(x, needle, at === "" ? k : `${at}.${k}`),
    );
  }
  return [];
}

export interface RunOptions {
  /** Config overrides, without the project prefix. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Secrets to set (defaults: the Grafana password only). */
  readonly secrets?: Readonly<Record<string, string>>;
}

/** The runner's input for `opts`, the default secrets filled in. */
const programInput = (opts: RunOptions): ProgramInput => ({
  config: opts.config,
  secrets: opts.secrets ?? DEFAULT_SECRETS,
});

/**
 * How the test suites run the program (test/support/setup.ts turns it on before any test file
 * loads; the plan CLI and the benchmark run the program as before): the runner's `"suite"` style
 * (no stack traces, the program's modules other than `index.ts` kept loaded: see `RunStyle` in
 * plan/runner.ts), and every successful run — the plan's too — also answers later `sharedRun`
 * calls with the same arguments.
 */
export function useSuiteMode(): void {
  setRunStyle("suite");
  onEveryRun((stack, input, run) => {
    const key = runKey(stack, input);
    // A copy: the caller may change its run.
    if (!sharedRuns.has(key) && cloneable(run)) {
      sharedRuns.set(key, Promise.resolve(deepFreeze(structuredClone(run))));
    }
  });
}

/** Runs `index.ts` for `stack` and returns what it registered and exported. */
export function runProgram(stack: string, opts: RunOptions = {}): Promise<ProgramRun> {
  return runMocked(stack, programInput(opts));
}

/** Runs by `runKey`, for `sharedRun`; a run that failed is dropped, so its next caller fails too. */
const sharedRuns = new Map<string, Promise<ProgramRun>>();
/** The last run `sharedRun` started: runs go one after another (the mocks' record is global). */
let lastSharedRun: Promise<unknown> = Promise.resolve();

/**
 * `runProgram(stack, opts)` evaluated once per process and handed to every caller with equal
 * arguments, across test files: for tests that only read what the program registered and exported.
 * The run is deep-frozen, so no test can change what another one reads. Use `runProgram` for a run
 * of your own, `programError` for one that must fail.
 */
export function sharedRun(stack: string, opts: RunOptions = {}): Promise<ProgramRun> {
  const input = programInput(opts);
  const key = runKey(stack, input);
  let run = sharedRuns.get(key);
  if (run === undefined) {
    run = lastSharedRun.then(() => runMocked(stack, input)).then(deepFreeze);
    lastSharedRun = run.catch(() => undefined);
    sharedRuns.set(key, run);
    run.catch(() => sharedRuns.delete(key));
  }
  return run;
}

/** What makes two runs the same: the stack, the config overrides and the secrets. */
function runKey(stack: string, input: ProgramInput): string {
  return canonical({ stack, config: input.config ?? {}, secrets: input.secrets });
}

/** JSON with sorted keys, where `undefined` (an override that removes a key) is not left out. */
function canonical(v: unknown): string {
  if (v === undefined) return "undefined";
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (typeof v === "object" && v !== null) {
    const entries = Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/** Whether `v` holds only plain data (what `deepFreeze` freezes and `structuredClone` copies as is). */
function cloneable(v: unknown): boolean {
  if (typeof v === "function" || typeof v === "symbol") return false;
  if (typeof v !== "object" || v === null) return true;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) return false;
  return Object.values(v).every(cloneable);
}

export interface PartRun<R> {
  readonly resources: readonly RecordedResource[];
  /** The resource options each resource was constructed with, by resource name. */
  readonly options: ReadonlyMap<string, pulumi.ResourceOptions>;
  /** The component the part's resources were created under. */
  readonly scope: pulumi.Resource;
  readonly result: R;
}

const PART_SCOPE = "test:index:Scope";

/**
 * Runs one part of a component (`fn` creates its resources under `scope`) and records, besides the
 * inputs, the options every child was constructed with — the mocks see only inputs, not `protect`,
 * `retainOnDelete`, `dependsOn` or `parent`.
 */
export async function recordPart<R>(
  fn: (scope: pulumi.Resource) => R,
  stack = "staging",
): Promise<PartRun<R>> {
  const options = new Map<string, pulumi.ResourceOptions>();
  let scope: pulumi.Resource | undefined;
  let result: R | undefined;
  const resources = await recordResources((parent) => {
    scope = new pulumi.ComponentResource(
      PART_SCOPE,
      "scope",
      {},
      {
        parent,
        transformations: [
          (args) => {
            options.set(args.name, args.opts);
            return undefined;
          },
        ],
      },
    );
    result = fn(scope);
  }, stack);
  assert.ok(scope, "the part's scope was created");
  return {
    resources: resources.filter((r) => r.type !== PART_SCOPE),
    options,
    scope,
    result: result as R,
  };
}

/** Runs the program expecting it to fail; returns the error message. */
export async function programError(stack: string, opts: RunOptions = {}): Promise<string> {
  try {
    await runMocked(stack, programInput(opts), false);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`expected stack ${stack} to fail, but it ran`);
}

/** Every message `pulumi.log.warn` receives while `action` runs (the SDK's function is restored after). */
export async function loggedWarnings(action: () => Promise<unknown>): Promise<string[]> {
  const logged: string[] = [];
  const original = pulumi.log.warn;
  pulumi.log.warn = (msg: string) => {
    logged.push(msg);
    return Promise.resolve();
  };
  try {
    await action();
  } finally {
    pulumi.log.warn = original;
  }
  return logged;
}

/** Recorded resources of a Pulumi type token, e.g. `docker:index/container:Container`. */
export function resourcesOfType(run: ProgramRun, type: string): RecordedResource[] {
  return run.resources.filter((r) => r.type === type);
}

/**
 * Input for the pure `parseSettings` from a stack's real files (as the CLI would merge them), plus
 * `overrides` (undefined removes a key) and `secrets` (stored as secrets).
 */
export function settingsInput(
  stack: string,
  overrides: Readonly<Record<string, unknown>> = {},
  secrets: Readonly<Record<string, string>> = DEFAULT_SECRETS,
): SettingsInput {
  return stackSettingsInput(stack, overrides, secrets);
}
