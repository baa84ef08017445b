/**
 * The one place that reads stack configuration: raw Pulumi config in, one typed, validated and
 * defaulted `Settings` object out. Every problem is reported before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { distance } from "fastest-levenshtein";
import { z } from "zod";
import { PORTS, SCRAPE_JOBS } from "../catalog/names";
import {
  CONFIG_KEYS,
  ConfigKey,
  durationMs,
  ENVIRONMENTS,
  Environment,
  RawValues,
  SLO_SPEC_DEFAULTS,
  ECS_SERVICE_NAMES,
  ScrapeTargetConfig,
  ServiceMonitorConfig,
  UserAlertRule,
  UserRecordingRule,
} from "./schema";
import { buildRuleGroups, isAlertRule } from "../content/rules";
import { DEFAULT_SLOS, SLO_ALERTS, SloSpec } from "../content/slo";
import { FARGATE_MAX, fargateSizeProblem, type TaskSize } from "../sizing/fargate";
import {
  type Capacity,
  DEFAULT_CAPACITY,
  deriveSizing,
  formatBytes,
  formatTask,
  quantityBytes,
  GiB as GIB,
  MiB as MIB,
  RETENTION_SHARE_OF_VOLUME,
  type Sizing,
  sizeBytes,
  volumeFor,
} from "../sizing/sizing";
import { CHARTS, ChartName, IMAGES, ImageName } from "../catalog/versions";

export type { Environment } from "./schema";

/**
 * Environment-specific defaults, from the seeds: dev keeps a week, staging and prod a month. Sizes
 * (retentionSize, task sizes, volumes) are derived from `capacity` (sizing/sizing.ts).
 */
export const ENVIRONMENT_DEFAULTS: Record<
  Environment,
  { readonly retentionTime: string; readonly lokiRetention: string }
> = {
  dev: { retentionTime: "7d", lokiRetention: "7d" },
  staging: { retentionTime: "30d", lokiRetention: "30d" },
  prod: { retentionTime: "30d", lokiRetention: "30d" },
};

/** Defaults that do not depend on the environment (also declared in `Pulumi.yaml`; a test keeps them equal). */
export const DEFAULTS = {
  scrapeInterval: "15s",
  evaluationInterval: "15s",
  grafanaAdminUser: "admin",
  slackChannel: "#alerts",
  runbookBaseUrl: "https://runbooks.example.com/monitoring",
  pagerdutyUrl: "https://events.pagerduty.com/v2/enqueue",
  vpcCidr: "10.40.0.0/16",
  bindAddress: "127.0.0.1",
  dockerSocket: "/var/run/docker.sock",
} as const;

export interface PrometheusSettings {
  readonly retentionTime: string;
  readonly retentionSize: string;
  readonly scrapeInterval: string;
  readonly evaluationInterval: string;
  /** Always contains `cluster` and `environment`. */
  readonly externalLabels: Readonly<Record<string, string>>;
}

export interface AlertingSettings {
  readonly runbookBaseUrl: string;
  /** Present only when `slackWebhookUrl` is configured. */
  readonly slack?: { readonly webhookUrl: pulumi.Output<string>; readonly channel: string };
  /** Present only when `pagerdutyRoutingKey` is configured. */
  readonly pagerduty?: { readonly routingKey: pulumi.Output<string>; readonly url: string };
  /** Present only when `heartbeatUrl` is configured: where the Watchdog alert is posted. */
  readonly heartbeat?: { readonly url: string; readonly token?: pulumi.Output<string> };
  /** Present only when `smtp` is configured. */
  readonly email?: {
    readonly smarthost: string;
    readonly from: string;
    readonly to: readonly string[];
    readonly username?: string;
    readonly password?: pulumi.Output<string>;
    readonly requireTls: boolean;
  };
}

export type EcsServiceName = (typeof ECS_SERVICE_NAMES)[number];

/**
 * Fargate sizes of the services whose needs do not grow with the workload (the node-exporter
 * sidecar and the config init container fit in them). Prometheus and Loki are sized from `capacity`.
 */
export const FIXED_TASK_SIZES = {
  alertmanager: { cpu: 256, memory: 512 },
  grafana: { cpu: 512, memory: 1024 },
} as const satisfies Partial<Record<EcsServiceName, TaskSize>>;

/** Staging (ECS Fargate) settings. */
export interface AwsSettings {
  readonly network:
    | { readonly kind: "create"; readonly cidr: string; readonly natGateways: "single" | "perAz" }
    | {
        readonly kind: "existing";
        readonly vpcId: string;
        readonly publicSubnetIds: readonly string[];
        readonly privateSubnetIds: readonly string[];
      };
  readonly albInternal: boolean;
  readonly certificateArn?: string;
  readonly allowedCidrs: readonly string[];
  readonly adminCidrs: readonly string[];
  readonly taskSizes: Readonly<Record<EcsServiceName, TaskSize>>;
  readonly logRetentionDays: number;
  readonly retainData: boolean;
  readonly containerInsights: boolean;
}

/** Production (EKS + Helm) settings. */
export interface K8sSettings {
  readonly cluster:
    | {
        readonly mode: "create";
        readonly version: string;
        readonly nodeGroup: {
          readonly instanceType: string;
          readonly minSize: number;
          readonly desiredSize: number;
          readonly maxSize: number;
          readonly diskSize: number;
        };
      }
    | { readonly mode: "existing"; readonly kubeconfig: pulumi.Output<string> };
  readonly namespace: string;
  readonly prometheusReplicas: number;
  readonly alertmanagerReplicas: number;
  readonly storage: {
    readonly prometheus: string;
    readonly alertmanager: string;
    readonly grafana: string;
    readonly loki: string;
  };
  readonly lokiMode: "singleBinary" | "simpleScalable";
  readonly ingress?: {
    readonly className: string;
    readonly grafanaHost: string;
    readonly prometheusHost?: string;
    readonly alertmanagerHost?: string;
    readonly clusterIssuer?: string;
    readonly tlsSecretName?: string;
  };
  readonly remoteWrite: boolean;
  readonly serviceMonitors: readonly ServiceMonitorConfig[];
}

export const K8S_DEFAULTS = {
  namespace: "monitoring",
  eksVersion: "1.34",
  nodeGroup: { instanceType: "m6i.xlarge", minSize: 3, desiredSize: 3, maxSize: 5, diskSize: 50 },
  prometheusReplicas: 2,
  alertmanagerReplicas: 3,
  /** Prometheus and Loki volumes are derived from `capacity`. */
  storage: { alertmanager: "2Gi", grafana: "10Gi" },
} as const;

export interface RuleSettings {
  readonly slos: readonly SloSpec[];
  readonly alertRules: readonly UserAlertRule[];
  readonly recordingRules: readonly UserRecordingRule[];
}

export interface Settings {
  readonly project: string;
  readonly stack: string;
  readonly environment: Environment;
  readonly clusterName: string;
  readonly prometheus: PrometheusSettings;
  readonly loki: { readonly retentionPeriod: string };
  /** What `capacity` needs (sizing/sizing.ts); the defaults above are taken from it. */
  readonly sizing: Sizing;
  /**
   * Explicit sizes below what `capacity` needs: both numbers, one per line. `loadSettings` logs
   * them with `pulumi.log.warn`; they never fail the deployment.
   */
  readonly warnings: readonly string[];
  readonly scrapeTargets: readonly ScrapeTargetConfig[];
  readonly images: Readonly<Record<ImageName, string>>;
  readonly charts: Readonly<Record<ChartName, string>>;
  readonly grafana: { readonly adminUser: string; readonly adminPassword: pulumi.Output<string> };
  readonly alerting: AlertingSettings;
  /** Rules beyond the built-in library: SLOs and the user's own rules. */
  readonly rules: RuleSettings;
  /** ECS Fargate (`staging`) settings; read only by the staging stack. */
  readonly aws: AwsSettings;
  /** EKS (`prod`) settings; read only by the prod stack. */
  readonly k8s: K8sSettings;
  /** Docker (`dev`) host-side settings. */
  readonly local: {
    readonly bindAddress: string;
    /** Docker socket on the host, mounted read-only into Alloy. */
    readonly dockerSocket: string;
    readonly hostPorts: Readonly<Record<keyof typeof PORTS, number>>;
  };
}

type SecretKey = {
  [K in ConfigKey]: (typeof CONFIG_KEYS)[K]["secret"] extends true ? K : never;
}[ConfigKey];

export interface SettingsInput {
  readonly project: string;
  readonly stack: string;
  /** Raw config strings of the project namespace, keyed without the `<project>:` prefix. */
  readonly values: Readonly<Record<string, string>>;
  /** Whether a key is stored encrypted; `undefined` when the runtime cannot tell. */
  readonly isSecret: (key: string) => boolean | undefined;
  /** The key's value as a secret Output (from `Config.requireSecret`). */
  readonly secret: (key: SecretKey) => pulumi.Output<string>;
}

/** Thrown for invalid stack configuration; the message lists every problem, one per line. */
export class SettingsError extends Error {
  constructor(
    readonly stack: string,
    readonly problems: readonly string[],
  ) {
    super(
      `invalid configuration for stack \`${stack}\` (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
    this.name = "SettingsError";
  }
}

const KNOWN_KEYS = Object.keys(CONFIG_KEYS) as ConfigKey[];

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function suggestion(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: { candidate: string; d: number } | undefined;
  for (const candidate of candidates) {
    const d = distance(lower, candidate.toLowerCase());
    if (best === undefined || d < best.d) best = { candidate, d };
  }
  return best !== undefined && best.d <= Math.max(2, Math.floor(name.length / 4))
    ? best.candidate
    : undefined;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (v, p) =>
      v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[p] : undefined,
    root,
  );
}

function pathText(key: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (s, p) => (typeof p === "number" ? `${s}[${p}]` : `${s}.${String(p)}`),
    key,
  );
}

function describeIssue(key: ConfigKey, value: unknown, issue: z.core.$ZodIssue): string {
  const where = pathText(key, issue.path);
  if (issue.code === "unrecognized_keys") {
    const allowed = Object.keys(shapeOf(key, issue.path));
    return issue.keys
      .map((k) => {
        const hint = suggestion(k, allowed);
        return `\`${where}\`: unknown field \`${k}\`${hint ? ` — did you mean \`${hint}\`?` : ""} Allowed: ${allowed.join(", ")}.`;
      })
      .join("\n  - ");
  }
  if (issue.code === "invalid_key") {
    const reason = issue.issues.map((i) => i.message).join("; ");
    return `\`${where}\`: the key ${show(issue.path[issue.path.length - 1])} ${reason}.`;
  }
  const raw = valueAt(value, issue.path);
  const message =
    issue.code === "invalid_value" && "values" in issue
      ? `must be one of ${issue.values.map((v) => String(v)).join(", ")}`
      : issue.message;
  if (raw === undefined) {
    return issue.code === "invalid_type"
      ? `\`${where}\` is required (expected ${issue.expected}).`
      : `\`${where}\` is required — ${message}.`;
  }
  const got = CONFIG_KEYS[key].secret ? "a value (hidden, it is secret)" : show(raw);
  return `\`${where}\`: got ${got} — ${message}.`;
}

/** Field names of the strict object at `path` inside a key's schema (for unknown-field messages). */
function shapeOf(key: ConfigKey, path: readonly PropertyKey[]): Record<string, unknown> {
  const unwrap = (t: z.ZodType): z.ZodType =>
    t instanceof z.ZodOptional ? unwrap(t.unwrap() as z.ZodType) : t;
  let schema = unwrap(CONFIG_KEYS[key].schema);
  for (const p of path) {
    if (schema instanceof z.ZodArray) schema = unwrap(schema.element as z.ZodType);
    else if (schema instanceof z.ZodObject) schema = unwrap(schema.shape[String(p)] as z.ZodType);
  }
  return schema instanceof z.ZodObject ? schema.shape : {};
}

/** Validates raw strings against the key table; returns the typed values and the problems found. */
function validateRaw(input: SettingsInput): { values: RawValues; problems: string[] } {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(input.values)) {
    if (!(name in CONFIG_KEYS)) {
      const hint = suggestion(name, KNOWN_KEYS);
      problems.push(
        hint !== undefined
          ? `\`${name}\` is not a config key of this project — did you mean \`${hint}\`? (run \`pulumi config rm ${name}\`)`
          : `\`${name}\` is not a config key of this project; known keys: ${KNOWN_KEYS.join(", ")}.`,
      );
      continue;
    }
    const key = name as ConfigKey;
    const spec = CONFIG_KEYS[key];
    if (spec.secret && input.isSecret(key) === false) {
      problems.push(
        `\`${key}\` is stored in plaintext in Pulumi.${input.stack}.yaml: set it with \`pulumi config set --secret ${key} <value>\`.`,
      );
    }
    let parsed: unknown = text;
    if (spec.encoding === "json") {
      try {
        parsed = JSON.parse(text);
      } catch {
        problems.push(
          `\`${key}\`: got ${show(text)} — must be JSON (set it with \`pulumi config set --path\` or a YAML object/list in the stack file).`,
        );
        continue;
      }
    }
    const result = spec.schema.safeParse(parsed);
    if (result.success) values[key] = result.data;
    else problems.push(...result.error.issues.map((issue) => describeIssue(key, parsed, issue)));
  }
  return { values, problems };
}

function resolveEnvironment(
  input: SettingsInput,
  values: RawValues,
  problems: string[],
): Environment | undefined {
  if (values.environment !== undefined) return values.environment;
  if ("environment" in input.values) return undefined; // invalid value, already reported
  if ((ENVIRONMENTS as readonly string[]).includes(input.stack)) return input.stack as Environment;
  problems.push(
    `\`environment\` is not set and the stack name \`${input.stack}\` does not imply one: ` +
      `run \`pulumi config set environment <${ENVIRONMENTS.join("|")}>\` (allowed: ${ENVIRONMENTS.join(", ")}).`,
  );
  return undefined;
}

function crossChecks(values: RawValues, problems: string[]): void {
  for (const reserved of ["cluster", "environment"]) {
    if (values.externalLabels?.[reserved] !== undefined) {
      problems.push(
        `\`externalLabels.${reserved}\` is set by the program: use \`${reserved === "cluster" ? "clusterName" : "environment"}\` instead.`,
      );
    }
  }
  const builtIn = new Set<string>(Object.values(SCRAPE_JOBS));
  const seen = new Set<string>();
  for (const [i, target] of (values.scrapeTargets ?? []).entries()) {
    if (builtIn.has(target.job)) {
      problems.push(
        `\`scrapeTargets[${i}].job\`: got "${target.job}" — built-in job names (${[...builtIn].join(", ")}) are taken.`,
      );
    } else if (seen.has(target.job)) {
      problems.push(`\`scrapeTargets[${i}].job\`: got "${target.job}" — job names must be unique.`);
    }
    seen.add(target.job);
  }
  ruleChecks(values, problems);
  awsChecks(values, problems);
  k8sChecks(values, problems);
  if (values.heartbeatToken !== undefined && values.heartbeatUrl === undefined) {
    problems.push(
      "`heartbeatToken` is set but `heartbeatUrl` is not: set `heartbeatUrl` or remove the token.",
    );
  }
  if (values.smtpPassword !== undefined && values.smtp === undefined) {
    problems.push(
      "`smtpPassword` is set but `smtp` is not: set `smtp` ({smarthost, from, to}) or remove the password.",
    );
  }
  if (values.smtp?.username !== undefined && values.smtpPassword === undefined) {
    problems.push(
      "`smtp.username` is set but the secret `smtpPassword` is missing: `pulumi config set --secret smtpPassword <value>`.",
    );
  }
  const ports = Object.entries(values.hostPorts ?? {});
  const taken = new Map<number, string>();
  for (const [name, p] of Object.entries({ ...PORTS, ...Object.fromEntries(ports) })) {
    const other = taken.get(p);
    if (other !== undefined)
      problems.push(`\`hostPorts\`: ${other} and ${name} both use host port ${String(p)}.`);
    taken.set(p, name);
  }
}

function k8sChecks(values: RawValues, problems: string[]): void {
  const mode = values.eksClusterMode ?? "create";
  if (mode === "existing" && values.kubeconfig === undefined) {
    problems.push(
      '`eksClusterMode` is `existing` but the secret `kubeconfig` is missing: `pulumi config set --secret kubeconfig "$(cat ~/.kube/config)"` (or use `create`).',
    );
  }
  if (mode === "create" && values.kubeconfig !== undefined) {
    problems.push(
      "`kubeconfig` is set but `eksClusterMode` is `create`: set `eksClusterMode` to `existing` to deploy into that cluster, or remove the kubeconfig.",
    );
  }
  if (
    mode === "existing" &&
    (values.remoteWrite === true || values.lokiMode === "simpleScalable")
  ) {
    problems.push(
      "`remoteWrite` and `lokiMode: simpleScalable` need IAM roles for service accounts, which the stack sets up only for a cluster it creates (`eksClusterMode: create`).",
    );
  }
  const group = values.nodeGroup;
  if (
    group !== undefined &&
    !(group.minSize <= group.desiredSize && group.desiredSize <= group.maxSize)
  ) {
    problems.push(
      `\`nodeGroup\`: got min ${group.minSize}, desired ${group.desiredSize}, max ${group.maxSize} — must satisfy minSize ≤ desiredSize ≤ maxSize.`,
    );
  }
  const ingress = values.ingress;
  if (ingress?.clusterIssuer !== undefined && ingress.tlsSecretName !== undefined) {
    problems.push(
      "`ingress`: set either `clusterIssuer` (cert-manager) or `tlsSecretName`, not both.",
    );
  }
  const seen = new Set<string>();
  for (const [i, sm] of (values.serviceMonitors ?? []).entries()) {
    const id = `${sm.namespace}/${sm.name}`;
    if (seen.has(id))
      problems.push(
        `\`serviceMonitors[${i}]\`: got "${id}" — ServiceMonitor names must be unique per namespace.`,
      );
    seen.add(id);
  }
}

function awsChecks(values: RawValues, problems: string[]): void {
  const subnets = values.publicSubnetIds !== undefined || values.privateSubnetIds !== undefined;
  if (values.vpcId === undefined && subnets) {
    problems.push(
      "`publicSubnetIds`/`privateSubnetIds` are set but `vpcId` is not: subnets belong to an existing VPC; set `vpcId` too, or remove them to let the stack create a VPC.",
    );
  }
  if (values.vpcId !== undefined) {
    if (values.privateSubnetIds === undefined) {
      problems.push(
        "`vpcId` is set but `privateSubnetIds` is not: list at least two private subnets of the VPC for the tasks and EFS.",
      );
    }
    if (values.publicSubnetIds === undefined && values.albInternal !== true) {
      problems.push(
        "`vpcId` is set but `publicSubnetIds` is not: an internet-facing ALB needs two public subnets (or set `albInternal` to true).",
      );
    }
  }
  if (values.vpcCidr !== undefined && values.vpcId === undefined) {
    const prefix = Number(values.vpcCidr.split("/")[1]);
    // Two AZs × (public + private) /20 subnets, taken from the lower and upper half: at least a /18.
    if (prefix > 18) {
      problems.push(
        `\`vpcCidr\`: got "${values.vpcCidr}" — must be a /18 or larger (e.g. \`10.40.0.0/16\`): the stack carves four /20 subnets out of it.`,
      );
    }
  }
  for (const [service, size] of Object.entries(values.taskSizes ?? {})) {
    if (size === undefined) continue;
    const problem = fargateSizeProblem(size);
    if (problem !== undefined) {
      problems.push(
        `\`taskSizes.${service}\`: got ${JSON.stringify(size)} — ${problem}. For more than Fargate's ${formatTask(FARGATE_MAX)} use the \`prod\` (EKS) stack.`,
      );
    }
  }
}

/** Names the built-in library and the SLO rules already use. */
function builtInRuleNames(): { alerts: Set<string>; records: Set<string> } {
  const rules = buildRuleGroups({ runbookBaseUrl: "https://example.invalid" }).flatMap(
    (g) => g.rules,
  );
  return {
    alerts: new Set([
      ...rules.filter(isAlertRule).map((r) => r.alert),
      ...Object.values(SLO_ALERTS),
    ]),
    records: new Set(rules.flatMap((r) => (isAlertRule(r) ? [] : [r.record]))),
  };
}

function ruleChecks(values: RawValues, problems: string[]): void {
  const builtIn = builtInRuleNames();
  for (const [i, rule] of (values.recordingRules ?? []).entries()) {
    if (builtIn.records.has(rule.record) || rule.record.startsWith("slo:")) {
      problems.push(
        `\`recordingRules[${i}].record\`: got "${rule.record}" — built-in records and the \`slo:\` prefix are reserved; choose another name.`,
      );
    }
  }
  const seen = new Set<string>();
  for (const [i, rule] of (values.alertRules ?? []).entries()) {
    if (builtIn.alerts.has(rule.alert)) {
      problems.push(
        `\`alertRules[${i}].alert\`: got "${rule.alert}" — a built-in alert has that name; choose another name.`,
      );
    } else if (seen.has(rule.alert)) {
      problems.push(
        `\`alertRules[${i}].alert\`: got "${rule.alert}" — alert names must be unique.`,
      );
    }
    seen.add(rule.alert);
  }
  const slos = new Set<string>();
  for (const [i, slo] of (values.slos ?? []).entries()) {
    if (slos.has(slo.name))
      problems.push(`\`slos[${i}].name\`: got "${slo.name}" — SLO names must be unique.`);
    slos.add(slo.name);
  }
}

/** The sizes a stack deploys: explicit ones where set, derived from `capacity` otherwise. */
interface SizedStack {
  readonly sizing: Sizing;
  readonly retentionSize: string;
  readonly taskSizes: Readonly<Record<EcsServiceName, TaskSize>>;
  readonly storage: { readonly prometheus: string; readonly loki: string };
  readonly warnings: readonly string[];
}

/** The volume of Loki's PVC in simple-scalable mode: chunks live in S3, the PVC holds WAL and caches. */
export const LOKI_SCALABLE_VOLUME = "10Gi";

/**
 * Derives every size from the capacity and applies the explicit ones. Pushes a problem when a
 * derived Fargate size exceeds Fargate (the user must size explicitly or use prod); returns one
 * warning per explicit size below the need.
 */
function sizeStack(
  environment: Environment,
  values: RawValues,
  problems: string[],
): SizedStack | undefined {
  const envDefaults = ENVIRONMENT_DEFAULTS[environment];
  const scrapeInterval = values.scrapeInterval ?? DEFAULTS.scrapeInterval;
  const retentionTime = values.retentionTime ?? envDefaults.retentionTime;
  const lokiRetention = values.lokiRetention ?? envDefaults.lokiRetention;
  const declared = { ...DEFAULT_CAPACITY[environment], ...values.capacity };
  const capacity: Capacity = {
    activeSeries: declared.activeSeries,
    scrapeIntervalSeconds: (durationMs(scrapeInterval) ?? 0) / 1000,
    retentionSeconds: (durationMs(retentionTime) ?? 0) / 1000,
    logBytesPerDay: sizeBytes(declared.logVolumePerDay),
    lokiRetentionDays: (durationMs(lokiRetention) ?? 0) / 86_400_000,
  };
  if (capacity.scrapeIntervalSeconds <= 0 || capacity.retentionSeconds <= 0) return undefined;
  const sizing = deriveSizing(capacity);
  const prom = sizing.prometheus;
  const load =
    `${declared.activeSeries} active series every ${scrapeInterval} kept ${retentionTime}` +
    ` (\`capacity\`, \`scrapeInterval\`, \`retentionTime\`)`;
  const logs = `${declared.logVolumePerDay}/day of logs kept ${lokiRetention} (\`capacity.logVolumePerDay\`, \`lokiRetention\`)`;
  const warnings: string[] = [];

  // Prometheus' size cap; in prod an explicit volume without an explicit cap bounds the cap.
  let retentionSize = values.retentionSize ?? prom.retentionSize;
  const explicitVolume = environment === "prod" ? values.prometheusStorageSize : undefined;
  if (values.retentionSize === undefined && explicitVolume !== undefined) {
    const fits = Math.floor((quantityBytes(explicitVolume) / GIB) * RETENTION_SHARE_OF_VOLUME);
    if (fits * GIB < sizeBytes(prom.retentionSize)) {
      retentionSize = `${Math.max(1, fits)}GB`;
      warnings.push(
        `\`prometheusStorageSize\` ${explicitVolume} is below the ${prom.volumeGiB}Gi that ${load} need; ` +
          `retentionSize is lowered to ${retentionSize} to fit it, so Prometheus will drop data before ${retentionTime}.`,
      );
    }
  } else if (sizeBytes(retentionSize) < sizeBytes(prom.retentionSize)) {
    warnings.push(
      `\`retentionSize\` ${retentionSize} is below the ${prom.retentionSize} that ${load} need ` +
        `(${formatBytes(prom.blockBytes)} of blocks + ${formatBytes(prom.walBytes)} of WAL); Prometheus will drop data before ${retentionTime}.`,
    );
  }
  const prometheusVolume = explicitVolume ?? `${volumeFor(sizeBytes(retentionSize) / GIB)}Gi`;
  const recommended =
    values.retentionSize === undefined ? 0 : volumeFor(sizeBytes(values.retentionSize) / GIB);
  if (explicitVolume !== undefined && quantityBytes(explicitVolume) < recommended * GIB) {
    warnings.push(
      `\`prometheusStorageSize\` ${explicitVolume} leaves less than ${Math.round((1 - RETENTION_SHARE_OF_VOLUME) * 100)}% ` +
        `of the volume free beyond \`retentionSize\` ${values.retentionSize} for compaction; ` +
        `${recommended}Gi is recommended.`,
    );
  }

  // Loki's volume: the whole store in single-binary mode, WAL and caches in simple-scalable mode.
  const lokiScalable = values.lokiMode === "simpleScalable";
  const lokiVolume =
    values.lokiStorageSize ?? (lokiScalable ? LOKI_SCALABLE_VOLUME : `${sizing.loki.volumeGiB}Gi`);
  if (
    environment === "prod" &&
    !lokiScalable &&
    values.lokiStorageSize !== undefined &&
    quantityBytes(values.lokiStorageSize) < sizing.loki.volumeGiB * GIB
  ) {
    warnings.push(
      `\`lokiStorageSize\` ${values.lokiStorageSize} is below the ${sizing.loki.volumeGiB}Gi that ${logs} need ` +
        `(compressed ${formatBytes(sizing.loki.storedBytes)}); Loki will fill the volume before ${lokiRetention}.`,
    );
  }

  // Fargate: explicit sizes win (with a warning when small); derived ones must exist.
  const fixed: Record<keyof typeof FIXED_TASK_SIZES, TaskSize> = {
    alertmanager: values.taskSizes?.alertmanager ?? FIXED_TASK_SIZES.alertmanager,
    grafana: values.taskSizes?.grafana ?? FIXED_TASK_SIZES.grafana,
  };
  const sized = (service: "prometheus" | "loki"): TaskSize => {
    const fit = sizing.fargate[service];
    const explicit = values.taskSizes?.[service];
    const what = service === "prometheus" ? load : logs;
    if (explicit !== undefined) {
      if (
        environment === "staging" &&
        (explicit.cpu < fit.need.cpu || explicit.memory < fit.need.memory)
      ) {
        warnings.push(
          `\`taskSizes.${service}\` ${formatTask(explicit)} is below the ${formatTask(fit.need)} that ${what} need ` +
            `(${fit.size === undefined ? "more than Fargate's largest task" : `derived task: ${formatTask(fit.size)}`}).`,
        );
      }
      return explicit;
    }
    if (fit.size !== undefined) return fit.size;
    if (environment === "staging") {
      problems.push(
        `\`capacity\`: ${what} need ${fit.need.cpu / 1024} vCPU and ${formatBytes(fit.need.memory * MIB)} for ${service}, ` +
          `more than Fargate's largest task (${formatTask(FARGATE_MAX)}). Use the \`prod\` (EKS) stack for this workload, ` +
          `lower \`capacity\` or the retention, or set \`taskSizes.${service}\` explicitly.`,
      );
    }
    return fit.need; // outside staging no task is created; in staging the problem stops the run
  };
  const taskSizes = { ...fixed, prometheus: sized("prometheus"), loki: sized("loki") };
  return {
    sizing,
    retentionSize,
    taskSizes,
    storage: { prometheus: prometheusVolume, loki: lokiVolume },
    warnings,
  };
}

/** Pure: turns raw stack config into `Settings`, or throws a `SettingsError` listing every problem. */
export function parseSettings(input: SettingsInput): Settings {
  const { values, problems } = validateRaw(input);
  const environment = resolveEnvironment(input, values, problems);
  if (values.grafanaAdminPassword === undefined && !("grafanaAdminPassword" in input.values)) {
    problems.push(
      "`grafanaAdminPassword` is required and has no default: run `pulumi config set --secret grafanaAdminPassword <at least 12 characters>`.",
    );
  }
  crossChecks(values, problems);
  const sized = environment === undefined ? undefined : sizeStack(environment, values, problems);
  if (problems.length > 0 || environment === undefined || sized === undefined)
    throw new SettingsError(input.stack, problems);

  const envDefaults = ENVIRONMENT_DEFAULTS[environment];
  const clusterName = values.clusterName ?? `${input.project}-${input.stack}`.toLowerCase();
  const smtp = values.smtp;
  return {
    project: input.project,
    stack: input.stack,
    environment,
    clusterName,
    prometheus: {
      retentionTime: values.retentionTime ?? envDefaults.retentionTime,
      retentionSize: sized.retentionSize,
      scrapeInterval: values.scrapeInterval ?? DEFAULTS.scrapeInterval,
      evaluationInterval: values.evaluationInterval ?? DEFAULTS.evaluationInterval,
      externalLabels: { ...values.externalLabels, cluster: clusterName, environment },
    },
    loki: { retentionPeriod: values.lokiRetention ?? envDefaults.lokiRetention },
    sizing: sized.sizing,
    warnings: sized.warnings,
    scrapeTargets: values.scrapeTargets ?? [],
    images: { ...IMAGES, ...values.imageOverrides },
    charts: { ...CHARTS, ...values.chartVersionOverrides },
    grafana: {
      adminUser: values.grafanaAdminUser ?? DEFAULTS.grafanaAdminUser,
      adminPassword: input.secret("grafanaAdminPassword"),
    },
    alerting: {
      runbookBaseUrl: values.runbookBaseUrl ?? DEFAULTS.runbookBaseUrl,
      slack:
        values.slackWebhookUrl === undefined
          ? undefined
          : {
              webhookUrl: input.secret("slackWebhookUrl"),
              channel: values.slackChannel ?? DEFAULTS.slackChannel,
            },
      pagerduty:
        values.pagerdutyRoutingKey === undefined
          ? undefined
          : {
              routingKey: input.secret("pagerdutyRoutingKey"),
              url: values.pagerdutyUrl ?? DEFAULTS.pagerdutyUrl,
            },
      heartbeat:
        values.heartbeatUrl === undefined
          ? undefined
          : {
              url: values.heartbeatUrl,
              token:
                values.heartbeatToken === undefined ? undefined : input.secret("heartbeatToken"),
            },
      email:
        smtp === undefined
          ? undefined
          : {
              smarthost: smtp.smarthost,
              from: smtp.from,
              to: smtp.to,
              username: smtp.username,
              password:
                values.smtpPassword === undefined ? undefined : input.secret("smtpPassword"),
              requireTls: smtp.requireTls ?? true,
            },
    },
    rules: {
      slos:
        values.slos?.map((slo) => ({
          name: slo.name,
          service: slo.service ?? slo.name,
          objective: slo.objective,
          metric: slo.metric ?? SLO_SPEC_DEFAULTS.metric,
          selector: slo.selector,
          errorSelector: slo.errorSelector ?? SLO_SPEC_DEFAULTS.errorSelector,
        })) ?? DEFAULT_SLOS,
      alertRules: values.alertRules ?? [],
      recordingRules: values.recordingRules ?? [],
    },
    aws: {
      network:
        values.vpcId === undefined
          ? {
              kind: "create",
              cidr: values.vpcCidr ?? DEFAULTS.vpcCidr,
              natGateways: values.natGateways ?? "single",
            }
          : {
              kind: "existing",
              vpcId: values.vpcId,
              publicSubnetIds: values.publicSubnetIds ?? [],
              privateSubnetIds: values.privateSubnetIds ?? [],
            },
      albInternal: values.albInternal ?? false,
      certificateArn: values.certificateArn,
      allowedCidrs: values.allowedCidrs ?? ["0.0.0.0/0"],
      adminCidrs: values.adminCidrs ?? [],
      taskSizes: sized.taskSizes,
      logRetentionDays: values.logRetentionDays ?? 30,
      retainData: values.retainData ?? true,
      containerInsights: values.containerInsights ?? true,
    },
    k8s: {
      cluster:
        (values.eksClusterMode ?? "create") === "existing"
          ? { mode: "existing", kubeconfig: input.secret("kubeconfig") }
          : {
              mode: "create",
              version: values.eksVersion ?? K8S_DEFAULTS.eksVersion,
              nodeGroup: {
                ...K8S_DEFAULTS.nodeGroup,
                ...values.nodeGroup,
                diskSize: values.nodeGroup?.diskSize ?? K8S_DEFAULTS.nodeGroup.diskSize,
              },
            },
      namespace: K8S_DEFAULTS.namespace,
      prometheusReplicas: values.prometheusReplicas ?? K8S_DEFAULTS.prometheusReplicas,
      alertmanagerReplicas: values.alertmanagerReplicas ?? K8S_DEFAULTS.alertmanagerReplicas,
      storage: {
        prometheus: sized.storage.prometheus,
        alertmanager: values.alertmanagerStorageSize ?? K8S_DEFAULTS.storage.alertmanager,
        grafana: values.grafanaStorageSize ?? K8S_DEFAULTS.storage.grafana,
        loki: sized.storage.loki,
      },
      lokiMode: values.lokiMode ?? "singleBinary",
      ingress: values.ingress,
      remoteWrite: values.remoteWrite ?? false,
      serviceMonitors: values.serviceMonitors ?? [],
    },
    local: {
      bindAddress: values.bindAddress ?? DEFAULTS.bindAddress,
      dockerSocket: values.dockerSocket ?? DEFAULTS.dockerSocket,
      hostPorts: { ...PORTS, ...values.hostPorts },
    },
  };
}

/** Reads the current stack's Pulumi config. The only caller of `pulumi.Config` in the program. */
export function loadSettings(): Settings {
  const project = pulumi.getProject();
  const prefix = `${project}:`;
  const values = Object.fromEntries(
    Object.entries(pulumi.runtime.allConfig())
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), v]),
  );
  const config = new pulumi.Config();
  // `isConfigSecret` is exported by the runtime but not typed; without it the plaintext check is skipped.
  const runtimeConfig = pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean };
  const settings = parseSettings({
    project,
    stack: pulumi.getStack(),
    values,
    isSecret: (k) => runtimeConfig.isConfigSecret?.(`${prefix}${k}`),
    secret: (k) => config.requireSecret(k),
  });
  for (const warning of settings.warnings) void pulumi.log.warn(warning);
  return settings;
}
