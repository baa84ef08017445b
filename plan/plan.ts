/**
 * The offline plan: runs the real program under the test mocks with placeholder secrets and turns
 * what it registered into a resource tree, counts by type, the rendered configuration files, a
 * monthly cost estimate from the declared sizes, and a comparison of two plans.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { Document, parse } from "yaml";
import {
  isSecretWrapper,
  PROJECT,
  registeredCount,
  ROOT,
  type RecordedResource,
  type RunOptions,
  runProgram,
  settingsInput,
} from "../test/support/harness";
import { localContainers } from "../components/dev/containers";
import { parseSettings, type Settings } from "../settings/settings";
import {
  EFS_SMALL_SERVICES_BYTES,
  formatBytes,
  formatTask,
  GiB,
  MiB,
  nodeGroupWarnings,
  podTotals,
  quantityBytes,
  sizeBytes,
} from "../sizing/sizing";
import { podRequests } from "../components/prod/helm/values";
import PRICE_FILE from "./prices.json";

/** What every secret value is replaced with in the plan's files. */
export const SECRET_MARK = "[secret]";

/** The two files of a plan folder that are not rendered configuration. */
export const RESOURCES_FILE = "resources.json";
export const SUMMARY_FILE = "plan.json";

/** A registered resource as the plan shows it: no secret value left in its inputs. */
export interface PlanResource {
  readonly type: string;
  readonly name: string;
  /** `<type>::<name>` of the component it was created under (just `<type>` when ambiguous). */
  readonly parent?: string;
  /** The inputs, every secret replaced by `SECRET_MARK`. */
  readonly inputs: Readonly<Record<string, unknown>>;
}

export interface StackPlan {
  readonly stack: string;
  readonly environment: string;
  /** Sorted by type, then name. */
  readonly resources: readonly PlanResource[];
  readonly counts: Readonly<Record<string, number>>;
  /** Rendered configuration by path relative to the plan folder. */
  readonly files: Readonly<Record<string, string>>;
  /** What the stack is sized for and what that derives, as printed next to the cost. */
  readonly sizing: readonly string[];
  readonly cost: CostEstimate;
}

/** The content of `plan.json`: a plan without its resources and files, or the program's error. */
export interface PlanSummary {
  readonly stack: string;
  readonly environment?: string;
  readonly resourceCount?: number;
  readonly counts?: Readonly<Record<string, number>>;
  readonly cost?: CostEstimate;
  readonly sizing?: readonly string[];
  readonly prices?: { readonly date: string; readonly region: string };
  /** Set instead of everything else when the program threw for the stack. */
  readonly error?: string;
}

// ---------------------------------------------------------------------------------------------
// Stack config and placeholder secrets
// ---------------------------------------------------------------------------------------------

/** Placeholders for secrets with a format check; every other secret gets `<secret:<key>>`. */
const FORMATTED_PLACEHOLDERS: Readonly<Record<string, string>> = {
  slackWebhookUrl: "https://placeholder.invalid/secret/slackWebhookUrl",
  pagerdutyRoutingKey: "PLACEHOLDERsecretPagerdutyKey000",
  kubeconfig: "# <secret:kubeconfig>\napiVersion: v1\nkind: Config\nclusters: []\n",
};

/** An obviously fake value for the secret `key` that still passes the key's format check. */
export function placeholder(key: string): string {
  return FORMATTED_PLACEHOLDERS[key] ?? `<secret:${key}>`;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function readYaml(file: string): Record<string, unknown> {
  if (!fs.existsSync(file)) return {};
  const doc = parse(fs.readFileSync(file, "utf8")) as unknown;
  return isObject(doc) ? doc : {};
}

/** Whether `root` has a stack file for `stack`. */
export function hasStackFile(stack: string, root = ROOT): boolean {
  return fs.existsSync(path.join(root, `Pulumi.${stack}.yaml`));
}

/** Stacks with a committed `Pulumi.<stack>.yaml` in `root`, sorted (`Pulumi.<stack>.deploy.yaml` is not one). */
export function stackNames(root = ROOT): string[] {
  return fs
    .readdirSync(root)
    .flatMap((f) => /^Pulumi\.([A-Za-z0-9_-]+)\.yaml$/.exec(f)?.[1] ?? [])
    .sort();
}

/**
 * The project's config for `stack` as the CLI would merge it (`Pulumi.yaml` defaults, then the stack
 * file), keyed without the project prefix; encrypted values stay `{ secure: "…" }`.
 */
export function projectConfig(stack: string, root = ROOT): Record<string, unknown> {
  const declared = readYaml(path.join(root, "Pulumi.yaml")).config;
  const config: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(isObject(declared) ? declared : {})) {
    if (isObject(spec) && spec.default !== undefined) config[key] = spec.default;
  }
  const stackFile = readYaml(path.join(root, `Pulumi.${stack}.yaml`)).config;
  for (const [key, value] of Object.entries(isObject(stackFile) ? stackFile : {})) {
    if (!key.includes(":")) config[key] = value;
    else if (key.startsWith(`${PROJECT}:`)) config[key.slice(PROJECT.length + 1)] = value;
  }
  return config;
}

/**
 * Placeholders for every secret the stack's validation needs: the Grafana password always, every
 * key the stack file stores encrypted, `smtpPassword` when `smtp.username` is set and `kubeconfig`
 * in `eksClusterMode: existing`. A secret stored in plaintext is left alone, so the program reports it.
 */
export function placeholderSecrets(
  config: Readonly<Record<string, unknown>>,
): Record<string, string> {
  const keys = new Set(["grafanaAdminPassword"]);
  for (const [key, value] of Object.entries(config)) {
    if (isObject(value) && typeof value.secure === "string") keys.add(key);
  }
  const smtp = config.smtp;
  if (isObject(smtp) && smtp.username !== undefined) keys.add("smtpPassword");
  if (config.eksClusterMode === "existing") keys.add("kubeconfig");
  return Object.fromEntries([...keys].sort().map((k) => [k, placeholder(k)]));
}

// ---------------------------------------------------------------------------------------------
// Running the program
// ---------------------------------------------------------------------------------------------

/** A copy of `value` with every secret (as the mocks record it) replaced by `SECRET_MARK`. */
export function redact(value: unknown): unknown {
  if (isSecretWrapper(value)) return SECRET_MARK;
  if (Array.isArray(value)) return value.map(redact);
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v)]));
  return value;
}

const resourceKey = (r: { readonly type: string; readonly name: string }) => `${r.type}::${r.name}`;

/**
 * The parent type of each resource the mock monitor registered (its URNs read `<parent type>$<type>`),
 * keyed by `<type>::<name>`. The harness records inputs only; the URNs are the one place with parents.
 */
function registeredParentTypes(): Map<string, string> {
  const monitor = pulumi.runtime.getMonitor() as unknown as
    { getRegisteredResources?: () => Map<string, unknown> } | undefined;
  const parents = new Map<string, string>();
  for (const urn of monitor?.getRegisteredResources?.().keys() ?? []) {
    const [, , qualifiedType, ...name] = urn.split("::");
    const types = qualifiedType.split("$");
    if (types.length > 1) {
      parents.set(`${types[types.length - 1]}::${name.join("::")}`, types[types.length - 2]);
    }
  }
  return parents;
}

/** Plan resources from recorded ones: redacted, with their parent, sorted by type and name. */
export function planResources(
  recorded: readonly RecordedResource[],
  parentTypes: ReadonlyMap<string, string> = new Map(),
): PlanResource[] {
  const byType = new Map<string, RecordedResource[]>();
  for (const r of recorded) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
  return recorded
    .map((r): PlanResource => {
      const parentType = parentTypes.get(resourceKey(r));
      const candidates = parentType === undefined ? [] : (byType.get(parentType) ?? []);
      const parent =
        parentType === undefined
          ? undefined
          : candidates.length === 1
            ? resourceKey(candidates[0])
            : parentType;
      return {
        type: r.type,
        name: r.name,
        ...(parent === undefined ? {} : { parent }),
        inputs: redact(r.inputs) as Record<string, unknown>,
      };
    })
    .sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
}

/** Waits until no resource registration has arrived for a few event-loop turns. */
async function quiet(): Promise<void> {
  let last = -1;
  for (let stable = 0; stable < 5;) {
    stable = registeredCount() === last ? stable + 1 : 0;
    last = registeredCount();
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** The dev uploads without a secret, by path in the container, as `localContainers` describes them. */
function devPublicUploads(
  stack: string,
  secrets: Readonly<Record<string, string>>,
  config: RunOptions["config"],
): Map<string, string> {
  const settings = parseSettings(settingsInput(stack, config, secrets));
  return new Map(
    localContainers(settings).flatMap((c) =>
      c.uploads.flatMap((u) =>
        !u.secret && typeof u.content === "string" ? [[u.file, u.content] as const] : [],
      ),
    ),
  );
}

/** Runs the program for `stack` (placeholder secrets unless `opts.secrets`) and builds its plan. */
export async function planStack(stack: string, opts: RunOptions = {}): Promise<StackPlan> {
  const secrets = opts.secrets ?? placeholderSecrets(projectConfig(stack));
  const run = await runProgram(stack, { secrets, config: opts.config }).catch(
    async (e: unknown) => {
      // Registrations already under way must land before the next stack's run starts recording.
      await quiet();
      throw e;
    },
  );
  const resources = planResources(run.resources, registeredParentTypes());
  const environment = String(run.outputs.environment);
  const settings = parseSettings(settingsInput(stack, opts.config, secrets));
  return {
    stack,
    environment,
    resources,
    counts: countByType(resources),
    files: renderedFiles(
      run.resources,
      environment === "dev" ? devPublicUploads(stack, secrets, opts.config) : new Map(),
    ),
    sizing: sizingLines(settings),
    cost: estimateMonthlyCost(environment, resources, PRICES, {
      efsBesidesPrometheusGb: Math.ceil(
        (settings.sizing.loki.storedBytes + EFS_SMALL_SERVICES_BYTES) / GiB,
      ),
    }),
  };
}

/** The capacity a stack is sized for and the sizes it deploys (explicit or derived), for the plan. */
export function sizingLines(settings: Settings): string[] {
  const { capacity: c, prometheus: p, loki: l, efs } = settings.sizing;
  const prom = settings.prometheus;
  const lines = [
    `  Capacity: ${c.activeSeries} active series every ${prom.scrapeInterval} (${Math.round(p.samplesPerSecond)} samples/s) kept ${prom.retentionTime}; ` +
      `${formatBytes(c.logBytesPerDay)}/day of logs kept ${settings.loki.retentionPeriod}`,
    `  Prometheus: ${formatBytes(p.blockBytes)} of blocks + ${formatBytes(p.walBytes)} of WAL → retentionSize ${prom.retentionSize} (derived ${p.retentionSize}); ` +
      `memory ${formatBytes(p.memoryMiB * MiB)}, CPU ${(p.cpu / 1024).toFixed(2)} vCPU`,
    `  Loki: ${formatBytes(l.storedBytes)} stored (compressed, with index); memory ${formatBytes(l.memoryMiB * MiB)}, CPU ${(l.cpu / 1024).toFixed(2)} vCPU`,
  ];
  if (settings.environment === "staging") {
    const t = settings.aws.taskSizes;
    lines.push(
      `  Fargate tasks: prometheus ${formatTask(t.prometheus)}, loki ${formatTask(t.loki)}, ` +
        `alertmanager ${formatTask(t.alertmanager)}, grafana ${formatTask(t.grafana)}`,
      `  EFS: about ${efs.storedGiB} GiB stored; writes about ${efs.writeKiBPerSecond} KiB/s (${efs.writeGiBPerMonth} GiB/month, billed per GB with elastic throughput)`,
    );
  }
  if (settings.environment === "prod") {
    const s = settings.k8s.storage;
    lines.push(
      `  Volumes: prometheus ${settings.k8s.prometheusReplicas} × ${s.prometheus}, loki ${s.loki}, alertmanager ${settings.k8s.alertmanagerReplicas} × ${s.alertmanager}, grafana ${s.grafana}`,
    );
  }
  const warnings = [...settings.warnings];
  const cluster = settings.k8s.cluster;
  if (settings.environment === "prod" && cluster.mode === "create") {
    const { instanceType, desiredSize } = cluster.nodeGroup;
    const pods = podRequests(settings);
    const total = podTotals(pods, desiredSize);
    lines.push(
      `  Pod requests: ${total.cpuMillis}m CPU / ${formatBytes(total.memoryMiB * MiB)} on ${desiredSize} × ${instanceType}`,
    );
    warnings.push(...nodeGroupWarnings(instanceType, desiredSize, pods));
  }
  return [
    "Sizing (sizing/sizing.ts; explicit settings win)",
    ...lines,
    ...warnings.map((w) => `  Warning: ${w}`),
  ];
}

/** Number of resources of each type, sorted by type. */
export function countByType(
  resources: readonly { readonly type: string }[],
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of resources.map((r) => r.type).sort()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Rendered files
// ---------------------------------------------------------------------------------------------

const TYPES = {
  container: "docker:index/container:Container",
  bucketObject: "aws:s3/bucketObjectv2:BucketObjectv2",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  ecsService: "aws:ecs/service:Service",
  fileSystem: "aws:efs/fileSystem:FileSystem",
  loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
  natGateway: "aws:ec2/natGateway:NatGateway",
  eip: "aws:ec2/eip:Eip",
  secret: "aws:secretsmanager/secret:Secret",
  kmsKey: "aws:kms/key:Key",
  eksCluster: "aws:eks/cluster:Cluster",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  helmRelease: "kubernetes:helm.sh/v3:Release",
} as const;

const YAML_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false } as const;

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function yaml(value: unknown, comment?: string): string {
  const doc = new Document(value, YAML_OPTIONS);
  if (comment !== undefined) doc.commentBefore = ` ${comment}`;
  return doc.toString(YAML_OPTIONS);
}

/** A relative path inside the plan folder; refuses anything that would leave it. */
function inside(...parts: string[]): string {
  const joined = path.posix.normalize(parts.join("/").replace(/\/+/g, "/"));
  if (joined.startsWith("../") || joined.startsWith("/") || joined === "..") {
    throw new Error(`refusing to write outside the plan folder: ${parts.join("/")}`);
  }
  return joined;
}

const text = (v: unknown): string =>
  typeof v === "string" ? v : (JSON.stringify(v) ?? "undefined");

/**
 * Docker uploads by component: `files/<component>/<path in the container>`. One secret upload makes
 * the engine treat the container's whole `uploads` list as secret; inside such a list a file is
 * shown only when its content is exactly what `publicUploads` says that path holds without secrets.
 */
function dockerFiles(
  r: RecordedResource,
  publicUploads: ReadonlyMap<string, string>,
): [string, string][] {
  const labels = (redact(r.inputs.labels) ?? []) as { label?: string; value?: string }[];
  const component = labels.find((l) => l.label === "monitoring.component")?.value ?? r.name;
  const wrapped = isSecretWrapper(r.inputs.uploads);
  const uploads = ((wrapped ? (r.inputs.uploads as { value: unknown }).value : r.inputs.uploads) ??
    []) as { file?: unknown; content?: unknown }[];
  return uploads.map((u) => {
    const file = String(redact(u.file));
    const content = wrapped
      ? typeof u.content === "string" && u.content === publicUploads.get(file)
        ? u.content
        : SECRET_MARK
      : text(redact(u.content));
    return [inside("files", component, file), content];
  });
}

/** S3 config objects (`<service>/<content hash>/<path>`): `files/<service>/<path>`, without the hash. */
function bucketFile(r: PlanResource): [string, string] {
  const parts = String(r.inputs.key).split("/");
  const rest =
    parts.length > 2 && /^[0-9a-f]{8,}$/.test(parts[1]) ? parts.slice(2) : parts.slice(1);
  return [inside("files", parts[0], ...rest), text(r.inputs.content)];
}

/** A task definition with its container definitions parsed, for reading and diffing. */
function taskDefinitionFile(r: PlanResource): [string, string] {
  const definitions = r.inputs.containerDefinitions;
  let parsed: unknown = definitions;
  if (typeof definitions === "string" && definitions !== SECRET_MARK) {
    try {
      parsed = JSON.parse(definitions);
    } catch {
      parsed = definitions;
    }
  }
  return [
    inside("task-definitions", `${r.name}.json`),
    json({ ...r.inputs, containerDefinitions: parsed }),
  ];
}

function helmValuesFile(r: PlanResource): [string, string] {
  const i = r.inputs;
  const repo = isObject(i.repositoryOpts) ? i.repositoryOpts.repo : undefined;
  const release = text(i.name ?? r.name);
  const comment =
    `${text(i.chart)} ${text(i.version)}${repo === undefined ? "" : ` from ${text(repo)}`}, ` +
    `release ${release} in namespace ${text(i.namespace ?? "default")}`;
  return [inside("helm", `${release}.values.yaml`), yaml(i.values ?? {}, comment)];
}

/** A Kubernetes object as a manifest: `manifests/<Kind>/<namespace>.<name>.yaml`. */
function manifestFile(r: PlanResource, taken: ReadonlySet<string>): [string, string] {
  const { apiVersion, kind, metadata, ...rest } = r.inputs;
  const meta = isObject(metadata) ? metadata : {};
  const kindName = text(kind ?? r.type.split(":").pop());
  const id = `${meta.namespace === undefined ? "" : `${text(meta.namespace)}.`}${text(meta.name ?? r.name)}`;
  let file = inside("manifests", kindName, `${id}.yaml`);
  if (taken.has(file)) file = inside("manifests", kindName, `${r.name}.yaml`);
  return [file, yaml({ apiVersion, kind, metadata, ...rest })];
}

/**
 * The configuration a reviewer reads, by path in the plan folder: the Docker uploads and ECS config
 * objects (`files/`), the ECS task definitions, the Helm values of each release and every other
 * Kubernetes object as a manifest. Secret values appear only as `SECRET_MARK`.
 */
export function renderedFiles(
  recorded: readonly RecordedResource[],
  publicUploads: ReadonlyMap<string, string> = new Map(),
): Record<string, string> {
  const files: Record<string, string> = {};
  const sorted = [...recorded].sort(
    (a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name),
  );
  for (const raw of sorted) {
    const r = { ...raw, inputs: redact(raw.inputs) as Record<string, unknown> };
    if (r.type === TYPES.container) {
      for (const [file, content] of dockerFiles(raw, publicUploads)) files[file] = content;
    } else if (r.type === TYPES.bucketObject) {
      const [file, content] = bucketFile(r);
      files[file] = content;
    } else if (r.type === TYPES.taskDefinition) {
      const [file, content] = taskDefinitionFile(r);
      files[file] = content;
    } else if (r.type === TYPES.helmRelease) {
      const [file, content] = helmValuesFile(r);
      files[file] = content;
    } else if (r.type.startsWith("kubernetes:")) {
      const [file, content] = manifestFile(r, new Set(Object.keys(files)));
      files[file] = content;
    }
  }
  return files;
}

// ---------------------------------------------------------------------------------------------
// Cost
// ---------------------------------------------------------------------------------------------

export type PriceFile = typeof PRICE_FILE;
export const PRICES: PriceFile = PRICE_FILE;

export interface CostLine {
  readonly item: string;
  /** How the amount was computed, e.g. `2.25 vCPU × 730 h × $0.04048`. */
  readonly detail: string;
  readonly monthlyUsd: number;
}

export interface CostEstimate {
  readonly lines: readonly CostLine[];
  readonly totalUsd: number;
  /** Declared resources the price file has no price for; they are not in the total. */
  readonly unpriced: readonly string[];
  readonly notes: readonly string[];
}

/** The resource fields the estimate reads. */
export type CostInput = Pick<PlanResource, "type" | "name" | "inputs">;

const USAGE_NOTE =
  "Not included (usage-based): data processed by NAT gateways and load balancers, data transfer, " +
  "CloudWatch Logs ingestion and storage, EFS throughput and Infrequent Access, S3 storage and requests, " +
  "Container Insights and AMP metrics.";

/** `2.25`, `7.5`, `50`: at most four decimals, no trailing zeros. */
const num = (n: number) => String(Number(n.toFixed(4)));
/** A list price as the price file states it, at least to the cent: `$0.04048`, `$0.40`. */
const price = (n: number) => `$${n.toFixed(Math.max(2, (String(n).split(".")[1] ?? "").length))}`;
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

function at(root: unknown, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((v, key) => (isObject(v) ? v[key] : undefined), root);
}

/**
 * GB of a Kubernetes quantity (`64Gi`) or Prometheus size (`40GB`), both base 2 as EBS and EFS
 * bill; undefined for anything else.
 */
export function sizeGb(size: string): number | undefined {
  for (const bytes of [quantityBytes, sizeBytes]) {
    try {
      return bytes(size) / GiB;
    } catch {
      // not this notation
    }
  }
  return undefined;
}

/** Where each chart's values declare a volume claim (replicas default to 1, `enabled` to true). */
const HELM_VOLUMES: readonly {
  readonly chart: string;
  readonly what: string;
  readonly replicas: string;
  readonly size: string;
  readonly enabled?: string;
}[] = [
  {
    chart: "kube-prometheus-stack",
    what: "Prometheus",
    replicas: "prometheus.prometheusSpec.replicas",
    size: "prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage",
  },
  {
    chart: "kube-prometheus-stack",
    what: "Alertmanager",
    replicas: "alertmanager.alertmanagerSpec.replicas",
    size: "alertmanager.alertmanagerSpec.storage.volumeClaimTemplate.spec.resources.requests.storage",
  },
  {
    chart: "kube-prometheus-stack",
    what: "Grafana",
    replicas: "grafana.replicas",
    size: "grafana.persistence.size",
    enabled: "grafana.persistence.enabled",
  },
  {
    chart: "loki",
    what: "Loki",
    replicas: "singleBinary.replicas",
    size: "singleBinary.persistence.size",
    enabled: "singleBinary.persistence.enabled",
  },
  {
    chart: "loki",
    what: "Loki write",
    replicas: "write.replicas",
    size: "write.persistence.size",
    enabled: "write.persistence.volumeClaimsEnabled",
  },
  {
    chart: "loki",
    what: "Loki backend",
    replicas: "backend.replicas",
    size: "backend.persistence.size",
    enabled: "backend.persistence.volumeClaimsEnabled",
  },
];

interface Claim {
  readonly what: string;
  readonly replicas: number;
  readonly sizeGb: number;
  readonly size: string;
}

/** The volume claims the Helm releases declare, from their values. */
function helmClaims(releases: readonly CostInput[]): Claim[] {
  return releases.flatMap((release) =>
    HELM_VOLUMES.filter((v) => v.chart === release.inputs.chart).flatMap((v): Claim[] => {
      const values = release.inputs.values;
      const size = at(values, v.size);
      const replicas = Number(at(values, v.replicas) ?? 1);
      const enabled = v.enabled === undefined ? true : at(values, v.enabled) === true;
      const gb = typeof size === "string" ? sizeGb(size) : undefined;
      return enabled && replicas > 0 && gb !== undefined
        ? [{ what: v.what, replicas, sizeGb: gb, size: String(size) }]
        : [];
    }),
  );
}

/** Container definitions of a task definition (a JSON string in its inputs). */
function containers(td: CostInput): { command?: unknown }[] {
  const definitions = td.inputs.containerDefinitions;
  if (Array.isArray(definitions)) return definitions as { command?: unknown }[];
  if (typeof definitions !== "string") return [];
  try {
    const parsed = JSON.parse(definitions) as unknown;
    return Array.isArray(parsed) ? (parsed as { command?: unknown }[]) : [];
  } catch {
    return [];
  }
}

/** Prometheus' `--storage.tsdb.retention.size` in the Fargate task definitions, in GB. */
function prometheusRetentionGb(taskDefinitions: readonly CostInput[]): number | undefined {
  const flag = "--storage.tsdb.retention.size=";
  for (const td of taskDefinitions) {
    for (const c of containers(td)) {
      const args = Array.isArray(c.command) ? (c.command as unknown[]) : [];
      const arg = args.find((a): a is string => typeof a === "string" && a.startsWith(flag));
      if (arg !== undefined) return sizeGb(arg.slice(flag.length));
    }
  }
  return undefined;
}

/**
 * Estimated monthly cost of a stack from the sizes its resources declare and the list prices in
 * `prices` (default `plan/prices.json`). `dev` runs on the developer's machine: $0. Usage-based
 * charges are left out and listed in `notes`.
 */
export function estimateMonthlyCost(
  environment: string,
  resources: readonly CostInput[],
  prices: PriceFile = PRICES,
  expected: { readonly efsBesidesPrometheusGb?: number } = {},
): CostEstimate {
  if (environment === "dev") {
    return {
      lines: [{ item: "Local Docker", detail: "runs on your machine", monthlyUsd: 0 }],
      totalUsd: 0,
      unpriced: [],
      notes: [],
    };
  }
  const p = prices.prices;
  const hours = prices.hoursPerMonth;
  const of = (type: string) => resources.filter((r) => r.type === type);
  const lines: CostLine[] = [];
  const unpriced: string[] = [];
  const add = (item: string, detail: string, monthlyUsd: number) => {
    if (monthlyUsd > 0) lines.push({ item, detail, monthlyUsd });
  };

  // Fargate: each task definition × the tasks of the services that run it (the mocks' ARNs end
  // in the task definition's resource name); a task definition no service runs counts once.
  const taskDefinitions = of(TYPES.taskDefinition).filter((td) =>
    ((td.inputs.requiresCompatibilities ?? []) as unknown[]).includes("FARGATE"),
  );
  const services = of(TYPES.ecsService);
  let vcpu = 0;
  let memoryGb = 0;
  for (const td of taskDefinitions) {
    const runners = services.filter(
      (s) =>
        typeof s.inputs.taskDefinition === "string" &&
        s.inputs.taskDefinition.endsWith(`:${td.name}`),
    );
    const tasks =
      runners.length === 0 ? 1 : sum(runners.map((s) => Number(s.inputs.desiredCount ?? 1)));
    vcpu += (tasks * Number(td.inputs.cpu)) / 1024;
    memoryGb += (tasks * Number(td.inputs.memory)) / 1024;
  }
  add(
    "Fargate vCPU",
    `${num(vcpu)} vCPU × ${hours} h × ${price(p.fargateVcpuHour)}`,
    vcpu * hours * p.fargateVcpuHour,
  );
  add(
    "Fargate memory",
    `${num(memoryGb)} GB × ${hours} h × ${price(p.fargateGbHour)}`,
    memoryGb * hours * p.fargateGbHour,
  );

  const fileSystems = of(TYPES.fileSystem).length;
  if (fileSystems > 0) {
    const prometheusGb = prometheusRetentionGb(taskDefinitions) ?? 0;
    const derived = expected.efsBesidesPrometheusGb;
    const otherGb = derived ?? prices.assumptions.efsGbBesidesPrometheus * fileSystems;
    const gb = prometheusGb + otherGb;
    add(
      "EFS storage",
      `${num(gb)} GB × ${price(p.efsGbMonth)} (Prometheus retentionSize ${num(prometheusGb)} GB + ${num(otherGb)} GB ${derived === undefined ? "assumed" : "expected from capacity"} for Loki, Grafana, Alertmanager)`,
      gb * p.efsGbMonth,
    );
  }

  const albs = of(TYPES.loadBalancer).filter(
    (lb) => (lb.inputs.loadBalancerType ?? "application") === "application",
  );
  const lcus = prices.assumptions.albLcus;
  add(
    "Application Load Balancer",
    `${albs.length} × ${hours} h × ${price(p.albHour)}`,
    albs.length * hours * p.albHour,
  );
  add(
    "ALB capacity units",
    `${albs.length} × ${num(lcus)} LCU (assumed) × ${hours} h × ${price(p.albLcuHour)}`,
    albs.length * lcus * hours * p.albLcuHour,
  );

  const nats = of(TYPES.natGateway).length;
  add(
    "NAT gateway",
    `${nats} × ${hours} h × ${price(p.natGatewayHour)}`,
    nats * hours * p.natGatewayHour,
  );

  // Public IPv4 is billed per address: Elastic IPs and one per subnet of an internet-facing ALB.
  const eips = of(TYPES.eip).length;
  const albIps = sum(
    albs
      .filter((lb) => lb.inputs.internal !== true)
      .map((lb) => ((lb.inputs.subnets ?? lb.inputs.subnetMappings ?? []) as unknown[]).length),
  );
  add(
    "Public IPv4 addresses",
    `${eips + albIps} (${eips} Elastic IP, ${albIps} ALB) × ${hours} h × ${price(p.publicIpv4Hour)}`,
    (eips + albIps) * hours * p.publicIpv4Hour,
  );

  const clusters = of(TYPES.eksCluster).length;
  add(
    "EKS control plane",
    `${clusters} × ${hours} h × ${price(p.eksControlPlaneHour)}`,
    clusters * hours * p.eksControlPlaneHour,
  );

  const ec2 = p.ec2 as Readonly<Record<string, number>>;
  let nodeDiskGb = 0;
  const diskDetails: string[] = [];
  for (const group of of(TYPES.nodeGroup)) {
    const nodes = Number(at(group.inputs, "scalingConfig.desiredSize") ?? 0);
    const type = text(((group.inputs.instanceTypes ?? []) as unknown[])[0] ?? "unknown");
    const hourly = ec2[type];
    if (hourly === undefined) {
      unpriced.push(
        `${nodes} × ${type} (node group ${group.name}): add "${type}" to ec2 in plan/prices.json`,
      );
    } else {
      add(
        `EC2 nodes (${group.name})`,
        `${nodes} × ${type} × ${hours} h × ${price(hourly)}`,
        nodes * hours * hourly,
      );
    }
    const disk = nodeGroupDiskGb(group, resources) ?? prices.assumptions.nodeDiskGbWhenUnset;
    nodeDiskGb += nodes * disk;
    diskDetails.push(`${nodes} × ${num(disk)} GB`);
  }
  add(
    "EBS gp3 node disks",
    `${diskDetails.join(" + ")} × ${price(p.ebsGp3GbMonth)}`,
    nodeDiskGb * p.ebsGp3GbMonth,
  );

  const claims = helmClaims(of(TYPES.helmRelease));
  const claimGb = sum(claims.map((c) => c.replicas * c.sizeGb));
  add(
    "EBS gp3 volume claims",
    `${num(claimGb)} GB (${claims.map((c) => `${c.what} ${c.replicas} × ${c.size}`).join(", ")}) × ${price(p.ebsGp3GbMonth)}`,
    claimGb * p.ebsGp3GbMonth,
  );

  const secrets = of(TYPES.secret).length;
  add(
    "Secrets Manager",
    `${secrets} secrets × ${price(p.secretsManagerSecretMonth)}`,
    secrets * p.secretsManagerSecretMonth,
  );
  const keys = of(TYPES.kmsKey).length;
  add("KMS keys", `${keys} × ${price(p.kmsKeyMonth)}`, keys * p.kmsKeyMonth);

  return { lines, totalUsd: sum(lines.map((l) => l.monthlyUsd)), unpriced, notes: [USAGE_NOTE] };
}

// ---------------------------------------------------------------------------------------------
// Printing and writing
// ---------------------------------------------------------------------------------------------

export const usd = (n: number) => `$${n.toFixed(2)}`;

/** The resource tree: each component with its children (type and name), children sorted. */
export function formatTree(resources: readonly PlanResource[]): string[] {
  const known = new Set(resources.map(resourceKey));
  const children = new Map<string, PlanResource[]>();
  const roots: PlanResource[] = [];
  for (const r of resources) {
    if (r.parent !== undefined && known.has(r.parent)) {
      children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    } else {
      roots.push(r);
    }
  }
  const lines: string[] = [];
  const walk = (r: PlanResource, lead: string, indent: string) => {
    lines.push(`${lead}${r.type}  ${r.name}`);
    const kids = children.get(resourceKey(r)) ?? [];
    kids.forEach((kid, i) => {
      const last = i === kids.length - 1;
      walk(kid, `${indent}${last ? "└── " : "├── "}`, `${indent}${last ? "    " : "│   "}`);
    });
  };
  for (const root of roots) walk(root, "", "");
  return lines;
}

export function formatCounts(counts: Readonly<Record<string, number>>): string[] {
  const total = sum(Object.values(counts));
  return [
    ...Object.entries(counts).map(([type, n]) => `${String(n).padStart(5)}  ${type}`),
    `${String(total).padStart(5)}  total`,
  ];
}

export function formatCost(cost: CostEstimate, prices: PriceFile = PRICES): string[] {
  const width = Math.max(...cost.lines.map((l) => l.item.length), "Total".length);
  return [
    `Estimated monthly cost (USD; ${prices.region} list prices of ${prices.date}, ${prices.hoursPerMonth} h/month; not fetched live)`,
    ...cost.lines.map(
      (l) => `  ${l.item.padEnd(width)}  ${usd(l.monthlyUsd).padStart(10)}  ${l.detail}`,
    ),
    `  ${"Total".padEnd(width)}  ${usd(cost.totalUsd).padStart(10)}${cost.unpriced.length > 0 ? "  (incomplete: see below)" : ""}`,
    ...cost.unpriced.map((u) => `  Not priced: ${u}`),
    ...cost.notes.map((n) => `  ${n}`),
  ];
}

/** Everything the plan prints for one stack. */
export function formatPlan(plan: StackPlan): string[] {
  return [
    `Plan for stack \`${plan.stack}\` (environment ${plan.environment}): ${plan.resources.length} resources`,
    "",
    "Resource tree",
    ...formatTree(plan.resources),
    "",
    "Resources by type",
    ...formatCounts(plan.counts),
    "",
    ...plan.sizing,
    "",
    ...formatCost(plan.cost),
  ];
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

// ---------------------------------------------------------------------------------------------
// Comparing two plans
// ---------------------------------------------------------------------------------------------

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

export interface InputChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface ResourceChanges {
  readonly added: readonly PlanResource[];
  readonly removed: readonly PlanResource[];
  readonly changed: readonly {
    readonly resource: PlanResource;
    readonly changes: readonly InputChange[];
  }[];
}

/** The leaf paths at which two input values differ. */
export function inputChanges(before: unknown, after: unknown, at = ""): InputChange[] {
  if (isDeepStrictEqual(before, after)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => inputChanges(before[k], after[k], at === "" ? k : `${at}.${k}`));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((b, i) => inputChanges(b, after[i], `${at}[${i}]`));
  }
  return [{ path: at, before, after }];
}

/** Resources added, removed and changed (by type and name) from `base` to `head`. */
export function compareResources(
  base: readonly PlanResource[],
  head: readonly PlanResource[],
): ResourceChanges {
  const baseByKey = new Map(base.map((r) => [resourceKey(r), r]));
  const headKeys = new Set(head.map(resourceKey));
  return {
    added: head.filter((r) => !baseByKey.has(resourceKey(r))),
    removed: base.filter((r) => !headKeys.has(resourceKey(r))),
    changed: head.flatMap((r) => {
      const old = baseByKey.get(resourceKey(r));
      const changes = old === undefined ? [] : inputChanges(old.inputs, r.inputs);
      return changes.length === 0 ? [] : [{ resource: r, changes }];
    }),
  };
}

const MAX_CHANGES_SHOWN = 12;

const SHOWN_CHARS = 100;

function shortValue(v: unknown): string {
  if (v === undefined) return "(none)";
  const s = JSON.stringify(v);
  return s.length > SHOWN_CHARS ? `${s.slice(0, SHOWN_CHARS - 3)}...` : s;
}

/** Two long strings as excerpts around their first difference, e.g. `…interval: 30s…`. */
function excerpts(before: string, after: string): [string, string] {
  let i = 0;
  while (i < before.length && before[i] === after[i]) i++;
  const from = Math.max(0, i - 30);
  const cut = (s: string) =>
    `${from > 0 ? "…" : ""}${JSON.stringify(s.slice(from, from + 60))}${from + 60 < s.length ? "…" : ""}`;
  return [cut(before), cut(after)];
}

function describeChange(change: InputChange): string {
  const { before, after } = change;
  const long =
    typeof before === "string" &&
    typeof after === "string" &&
    Math.max(before.length, after.length) > SHOWN_CHARS;
  const [b, a] = long ? excerpts(before, after) : [shortValue(before), shortValue(after)];
  return `      ${change.path}: ${b} → ${a}`;
}

export function formatResourceChanges(changes: ResourceChanges): string[] {
  return [
    ...changes.added.map((r) => `  + ${r.type}  ${r.name}`),
    ...changes.removed.map((r) => `  - ${r.type}  ${r.name}`),
    ...changes.changed.flatMap(({ resource, changes: c }) => [
      `  ~ ${resource.type}  ${resource.name}`,
      ...c.slice(0, MAX_CHANGES_SHOWN).map(describeChange),
      ...(c.length > MAX_CHANGES_SHOWN ? [`      … and ${c.length - MAX_CHANGES_SHOWN} more`] : []),
    ]),
  ];
}

/**
 * A node group's root disk in GB: `diskSize`, or the first EBS mapping of its launch template
 * (matched by the mock id `<name>-id`); undefined when neither is declared (EKS then uses 20 GB).
 */
function nodeGroupDiskGb(group: CostInput, resources: readonly CostInput[]): number | undefined {
  if (group.inputs.diskSize !== undefined) return Number(group.inputs.diskSize);
  const ref = group.inputs.launchTemplate as { id?: string } | undefined;
  const template = resources.find(
    (r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate" && `${r.name}-id` === ref?.id,
  );
  const mappings = template?.inputs.blockDeviceMappings as
    { ebs?: { volumeSize?: number } }[] | undefined;
  const size = mappings?.[0]?.ebs?.volumeSize;
  return size === undefined ? undefined : Number(size);
}
