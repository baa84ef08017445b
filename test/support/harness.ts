/**
 * Test harness: runs the real program (`index.ts`) against Pulumi mocks with a stack's real config
 * files, and records every registered resource's type, name and inputs.
 */
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import type { SettingsInput } from "../../settings/settings";

/** Where `index` lives: the repository (run by tsx) or `bin/` (compiled, for the benchmark). */
const PROGRAM_ROOT = path.resolve(__dirname, "..", "..");
/** The repository root: the nearest folder upwards holding `Pulumi.yaml`. */
export const ROOT = ((): string => {
  let dir = PROGRAM_ROOT;
  while (!fs.existsSync(path.join(dir, "Pulumi.yaml"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no Pulumi.yaml above ${PROGRAM_ROOT}`);
    dir = parent;
  }
  return dir;
})();
export const PROJECT = (
  parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { name: string }
).name;

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

export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  /** Inputs as the engine would receive them; secret values stay wrapped (see `isSecretWrapper`). */
  readonly inputs: Record<string, unknown>;
}

const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const SIG_KEY = "4dabf18193072939515e22adb298388d";

/** Whether a recorded value is a secret (the mocks keep secretness as a wrapper object). */
export function isSecretWrapper(v: unknown): v is { value: unknown } {
  return (
    typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG
  );
}

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

let recorded: RecordedResource[] = [];

const mocks: pulumi.runtime.Mocks = {
  newResource: (args: pulumi.runtime.MockResourceArgs) => {
    const inputs = args.inputs as Record<string, unknown>;
    recorded.push({ type: args.type, name: args.name, inputs });
    const state: Record<string, unknown> = { ...inputs };
    if (args.type === "docker:index/remoteImage:RemoteImage") {
      // A deterministic fake image ID derived from the pinned reference.
      state.imageId = `sha256:${Buffer.from(String(inputs.name)).toString("hex").slice(0, 24)}`;
    }
    if (args.type.startsWith("aws:")) Object.assign(state, awsState(args.type, args.name, inputs));
    return { id: `${args.name}-id`, state };
  },
  call: (args: pulumi.runtime.MockCallArgs) => {
    switch (args.token) {
      case "aws:index/getAvailabilityZones:getAvailabilityZones":
        return { names: MOCK_AZS, zoneIds: MOCK_AZS.map((_, i) => `euw1-az${i + 1}`) };
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return {
          accountId: MOCK_ACCOUNT,
          arn: `arn:aws:iam::${MOCK_ACCOUNT}:user/test`,
          userId: "x",
        };
      case "aws:index/getRegion:getRegion":
        return { name: MOCK_REGION, region: MOCK_REGION, id: MOCK_REGION };
      case "aws:index/getPartition:getPartition":
        return { partition: "aws", dnsSuffix: "amazonaws.com" };
      default:
        return args.inputs as Record<string, unknown>;
    }
  },
};

export const MOCK_ACCOUNT = "123456789012";
export const MOCK_REGION = "eu-west-1";
export const MOCK_AZS = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
/** What a mocked EKS cluster reports: API endpoint, CA data and OIDC issuer. */
export const MOCK_EKS = {
  endpoint: `https://0123456789ABCDEF0123456789ABCDEF.gr7.${MOCK_REGION}.eks.amazonaws.com`,
  certificateAuthority: Buffer.from("-----BEGIN CERTIFICATE-----\nmock\n").toString("base64"),
  issuer: `https://oidc.eks.${MOCK_REGION}.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF`,
} as const;

/** Outputs AWS would compute: an ARN for everything, plus the few other values the program reads. */
function awsState(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  const service = type.split(":")[1].split("/")[0];
  const state: Record<string, unknown> = {
    arn: `arn:aws:${service}:${MOCK_REGION}:${MOCK_ACCOUNT}:${name}`,
  };
  if (type === "aws:lb/loadBalancer:LoadBalancer") {
    state.dnsName = `${name}-1234567890.${MOCK_REGION}.elb.amazonaws.com`;
    state.zoneId = "Z32O12XQLNTSW2";
  }
  if (type === "aws:ec2/vpc:Vpc") state.cidrBlock = inputs.cidrBlock;
  if (type === "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace") {
    state.hostedZone = `${name}-zone`;
  }
  if (type === "aws:efs/fileSystem:FileSystem")
    state.dnsName = `${name}.efs.${MOCK_REGION}.amazonaws.com`;
  if (type === "aws:eks/cluster:Cluster") {
    state.endpoint = MOCK_EKS.endpoint;
    state.certificateAuthority = { data: MOCK_EKS.certificateAuthority };
    state.identities = [{ oidcs: [{ issuer: MOCK_EKS.issuer }] }];
  }
  if (type === "aws:amp/workspace:Workspace") {
    state.prometheusEndpoint = `https://aps-workspaces.${MOCK_REGION}.amazonaws.com/workspaces/ws-${name}/`;
  }
  return state;
}

/** Resolves an Output's value (tests only). */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** Parsed config files by their text (deep-frozen): the suites read the same few files many times. */
const parsedYaml = new Map<string, Readonly<Record<string, unknown>>>();

function loadYaml(file: string): Readonly<Record<string, unknown>> {
  const full = path.join(ROOT, file);
  if (!fs.existsSync(full)) return {};
  const text = fs.readFileSync(full, "utf8");
  let doc = parsedYaml.get(text);
  if (doc === undefined) {
    doc = deepFreeze((parse(text) as Record<string, unknown> | null) ?? {});
    parsedYaml.set(text, doc);
  }
  return doc;
}

const encode = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/**
 * The config the Pulumi CLI would hand the program for `stack`: `Pulumi.yaml` defaults, then
 * `Pulumi.<stack>.yaml` values, then `overrides` (keys without the project prefix; `undefined` removes).
 */
function stackConfig(
  stack: string,
  overrides: Readonly<Record<string, unknown>> = {},
): Record<string, string> {
  const declared = (loadYaml("Pulumi.yaml").config ?? {}) as Record<string, { default?: unknown }>;
  const config: Record<string, string> = {};
  for (const [key, spec] of Object.entries(declared)) {
    if (spec.default !== undefined) config[`${PROJECT}:${key}`] = encode(spec.default);
  }
  const stackFile = (loadYaml(`Pulumi.${stack}.yaml`).config ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(stackFile))
    config[key.includes(":") ? key : `${PROJECT}:${key}`] = encode(value);
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete config[`${PROJECT}:${key}`];
    else config[`${PROJECT}:${key}`] = encode(value);
  }
  return config;
}

export interface ProgramRun {
  readonly resources: readonly RecordedResource[];
  readonly outputs: Record<string, unknown>;
  /**
   * Modules loaded while the program ran (absolute paths); in suite mode, modules other than
   * `index.ts` only in the run that loaded them first.
   */
  readonly loadedModules: readonly string[];
}

export interface RunOptions {
  /** Config overrides, without the project prefix. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Secrets to set (defaults: the Grafana password only). */
  readonly secrets?: Readonly<Record<string, string>>;
}

const PROGRAM_DIRS = ["index.", "catalog", "sizing", "settings", "content", "components"].map((p) =>
  path.join(PROGRAM_ROOT, p),
);
const ENTRY_POINT = path.join(PROGRAM_ROOT, "index.");

function forgetProgram(): void {
  for (const id of Object.keys(require.cache)) {
    if (suiteMode ? id.startsWith(ENTRY_POINT) : PROGRAM_DIRS.some((p) => id.startsWith(p))) {
      delete require.cache[id];
    }
  }
}

/** Whether the test suites' way of running the program is on (see `useSuiteMode`). */
let suiteMode = false;

/**
 * How the test suites run the program (test/support/setup.ts turns it on before any test file
 * loads; the plan CLI and the benchmark run the program as before):
 * - runs evaluate without stack traces: `Error.stackTraceLimit = 0`, and a stack asked for anyway
 *   (the SDK raises the limit to find a resource's source position) reads as the message alone.
 *   The SDK takes a stack trace (source-mapped, under a TypeScript loader) for every promise it
 *   creates and every resource it registers — leak diagnostics and source positions for the engine,
 *   which the mocks never read — and that is most of a run's CPU time. A run that fails is repeated
 *   with stack traces on, so its error still says where it came from (`programError`, which expects
 *   the failure, does not repeat it);
 * - each run evaluates `index.ts` afresh but keeps the components and config modules loaded: they read
 *   no config when they load (test/index.tools.test.ts checks that these runs register
 *   exactly what a fresh process registers);
 * - every successful `runProgram` also answers later `sharedRun` calls with the same arguments.
 */
export function useSuiteMode(): void {
  suiteMode = true;
}

/** Runs `run`, in suite mode without stack traces; on an error, again with them unless told not to. */
async function inSuiteMode<T>(run: () => Promise<T>, repeatFailure = true): Promise<T> {
  if (!suiteMode) return run();
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

async function settle(): Promise<void> {
  // Registrations reach the mocks asynchronously; wait until the count is stable for a few turns.
  // They travel on promises only (no timers, no I/O), so in suite mode a turn of the event loop that
  // runs every pending promise callback is enough; elsewhere each turn also waits a millisecond.
  const turn = suiteMode
    ? () => new Promise((r) => setImmediate(r))
    : () => new Promise((r) => setTimeout(r, 1));
  let last = -1;
  let stable = 0;
  while (stable < 5) {
    stable = last === recorded.length ? stable + 1 : 0;
    last = recorded.length;
    await turn();
  }
}

/** Runs `index.ts` for `stack` and returns what it registered and exported. */
export async function runProgram(stack: string, opts: RunOptions = {}): Promise<ProgramRun> {
  const run = await inSuiteMode(() => evaluate(stack, opts));
  if (suiteMode && !sharedRuns.has(runKey(stack, opts))) {
    // A copy: the caller may change its run.
    const copy = cloneable(run) ? Promise.resolve(deepFreeze(structuredClone(run))) : undefined;
    if (copy !== undefined) sharedRuns.set(runKey(stack, opts), copy);
  }
  return run;
}

async function evaluate(stack: string, opts: RunOptions): Promise<ProgramRun> {
  const secrets = opts.secrets ?? { grafanaAdminPassword: TEST_SECRETS.grafanaAdminPassword };
  const config = stackConfig(stack, opts.config);
  for (const [key, value] of Object.entries(secrets)) config[`${PROJECT}:${key}`] = value;
  pulumi.runtime.setAllConfig(
    config,
    Object.keys(secrets).map((k) => `${PROJECT}:${k}`),
  );
  await pulumi.runtime.setMocks(mocks, PROJECT, stack, false);
  recorded = [];
  forgetProgram();
  const before = new Set(Object.keys(require.cache));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program must load after mocks
  const program = require(path.join(PROGRAM_ROOT, "index")) as Record<string, unknown>;
  const loadedModules = Object.keys(require.cache).filter((id) => !before.has(id));
  const outputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(program)) {
    outputs[key] = pulumi.Output.isInstance(value) ? await promiseOf(value) : value;
  }
  await settle();
  return { resources: recorded, outputs, loadedModules };
}

/** Runs by `runKey`, for `sharedRun`; a run that failed is dropped, so its next caller fails too. */
const sharedRuns = new Map<string, Promise<ProgramRun>>();
/** The last run `sharedRun` started: runs go one after another (the mocks and `recorded` are global). */
let lastSharedRun: Promise<unknown> = Promise.resolve();

/**
 * `runProgram(stack, opts)` evaluated once per process and handed to every caller with equal
 * arguments, across test files: for tests that only read what the program registered and exported.
 * The run is deep-frozen, so no test can change what another one reads. Use `runProgram` for a run
 * of your own, `programError` for one that must fail.
 */
export function sharedRun(stack: string, opts: RunOptions = {}): Promise<ProgramRun> {
  const key = runKey(stack, opts);
  let run = sharedRuns.get(key);
  if (run === undefined) {
    run = lastSharedRun.then(() => inSuiteMode(() => evaluate(stack, opts))).then(deepFreeze);
    lastSharedRun = run.catch(() => undefined);
    sharedRuns.set(key, run);
    run.catch(() => sharedRuns.delete(key));
  }
  return run;
}

/** What makes two runs the same: the stack, the config overrides and the secrets (default filled in). */
function runKey(stack: string, opts: RunOptions): string {
  const secrets = opts.secrets ?? { grafanaAdminPassword: TEST_SECRETS.grafanaAdminPassword };
  return canonical({ stack, config: opts.config ?? {}, secrets });
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

/** Freezes plain objects and arrays all the way down (class instances are left alone). */
function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return value;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return value;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
  return value;
}

/**
 * Runs `fn` under the mocks (as stack `stack`) and returns the resources it registered — for testing
 * one part of a component without the whole program. `fn` gets a parent component to attach to.
 */
export async function recordResources(
  fn: (parent: pulumi.ComponentResource) => unknown,
  stack = "staging",
): Promise<RecordedResource[]> {
  return inSuiteMode(async () => {
    pulumi.runtime.setAllConfig(stackConfig(stack, {}), []);
    await pulumi.runtime.setMocks(mocks, PROJECT, stack, false);
    recorded = [];
    const parent = new pulumi.ComponentResource("test:index:Parent", "parent");
    const result = fn(parent);
    if (result instanceof Promise) await result;
    await settle();
    return recorded.filter((r) => r.type !== "test:index:Parent");
  });
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
  recorded = [];
  try {
    await inSuiteMode(() => evaluate(stack, opts), false);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`expected stack ${stack} to fail, but it ran`);
}

/** Recorded resources of a Pulumi type token, e.g. `docker:index/container:Container`. */
export function resourcesOfType(run: ProgramRun, type: string): RecordedResource[] {
  return run.resources.filter((r) => r.type === type);
}

/** The number of resources registered so far (to prove a failure happened before any). */
export function registeredCount(): number {
  return recorded.length;
}

/**
 * Input for the pure `parseSettings` from a stack's real files (as the CLI would merge them), plus
 * `overrides` (undefined removes a key) and `secrets` (stored as secrets).
 */
export function settingsInput(
  stack: string,
  overrides: Readonly<Record<string, unknown>> = {},
  secrets: Readonly<Record<string, string>> = {
    grafanaAdminPassword: TEST_SECRETS.grafanaAdminPassword,
  },
): SettingsInput {
  const values = Object.fromEntries(
    Object.entries(stackConfig(stack, overrides))
      .filter(([k]) => k.startsWith(`${PROJECT}:`))
      .map(([k, v]) => [k.slice(PROJECT.length + 1), v]),
  );
  Object.assign(values, secrets);
  return {
    project: PROJECT,
    stack,
    values,
    isSecret: (k) => (k in secrets ? true : undefined),
    secret: (k) => pulumi.secret(values[k]),
  };
}
