/**
 * Test harness: runs the real program (`index.ts`) against Pulumi mocks with a stack's real config
 * files, and records every registered resource's type, name and inputs.
 */
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import type { SettingsInput } from "../config/settings";

/** Where `index` lives: the repository (run by tsx) or `bin/` (compiled, for the benchmark). */
const PROGRAM_ROOT = path.resolve(__dirname, "..");
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

function loadYaml(file: string): Record<string, unknown> {
  const full = path.join(ROOT, file);
  return fs.existsSync(full)
    ? ((parse(fs.readFileSync(full, "utf8")) as Record<string, unknown> | null) ?? {})
    : {};
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
  /** Modules loaded while the program ran (absolute paths). */
  readonly loadedModules: readonly string[];
}

export interface RunOptions {
  /** Config overrides, without the project prefix. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Secrets to set (defaults: the Grafana password only). */
  readonly secrets?: Readonly<Record<string, string>>;
}

const PROGRAM_DIRS = ["index.", "components", "config"].map((p) => path.join(PROGRAM_ROOT, p));

function forgetProgram(): void {
  for (const id of Object.keys(require.cache)) {
    if (PROGRAM_DIRS.some((p) => id.startsWith(p))) delete require.cache[id];
  }
}

async function settle(): Promise<void> {
  // Registrations reach the mocks asynchronously; wait until the count is stable for a few turns.
  let last = -1;
  let stable = 0;
  while (stable < 5) {
    stable = last === recorded.length ? stable + 1 : 0;
    last = recorded.length;
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** Runs `index.ts` for `stack` and returns what it registered and exported. */
export async function runProgram(stack: string, opts: RunOptions = {}): Promise<ProgramRun> {
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

/**
 * Runs `fn` under the mocks (as stack `stack`) and returns the resources it registered — for testing
 * one part of a component without the whole program. `fn` gets a parent component to attach to.
 */
export async function recordResources(
  fn: (parent: pulumi.ComponentResource) => unknown,
  stack = "staging",
): Promise<RecordedResource[]> {
  pulumi.runtime.setAllConfig(stackConfig(stack, {}), []);
  await pulumi.runtime.setMocks(mocks, PROJECT, stack, false);
  recorded = [];
  const parent = new pulumi.ComponentResource("test:index:Parent", "parent");
  const result = fn(parent);
  if (result instanceof Promise) await result;
  await settle();
  return recorded.filter((r) => r.type !== "test:index:Parent");
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
    await runProgram(stack, opts);
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
