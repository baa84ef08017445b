/**
 * The stack configuration contract: every config key, its type, whether it is secret, and how it is
 * validated. Pure (no Pulumi imports) so it can be unit-tested and checked against `Pulumi.yaml`.
 */
import { z } from "zod";
import { IMAGE_NAMES, CHART_NAMES } from "../catalog/versions";
import { PORTS } from "../catalog/names";
import { promqlErrors } from "./promql";
import { errorRatioExpr } from "../content/slo";

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** A Prometheus duration such as `30s`, `15m`, `7d` or `1h30m`; zero is rejected. */
const DURATION_RE =
  /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const DURATION_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];

/** Milliseconds in a Prometheus duration string, or `undefined` when it is not one. */
export function durationMs(text: string): number | undefined {
  const match = DURATION_RE.exec(text);
  if (text === "" || match === null) return undefined;
  return match.slice(1).reduce((sum, part, i) => sum + Number(part ?? 0) * DURATION_MS[i], 0);
}

export const duration = z.string().refine((s) => (durationMs(s) ?? 0) > 0, {
  message: "must be a positive Prometheus duration such as `30s`, `15m`, `12h`, `7d` or `1h30m`",
});

/** A Prometheus `--storage.tsdb.retention.size` value such as `40GB` (units B..EB, base 2). */
export const size = z.string().regex(/^[1-9]\d*(B|KB|MB|GB|TB|PB|EB)$/, {
  message:
    "must be a positive whole number followed by one of B, KB, MB, GB, TB, PB, EB (e.g. `40GB`)",
});

const labelName = z
  .string()
  .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, {
    message: "must be a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)",
  })
  .refine((n) => !n.startsWith("__"), { message: "label names starting with `__` are reserved" });

const labels = z.record(
  labelName,
  z.string().min(1, { message: "label values must not be empty" }),
);

const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, { message: "must be `host:port`, e.g. `api.internal:8080`" });

/** An image reference with an explicit tag or digest; `latest` is refused. */
const pinnedImage = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127}|@sha256:[a-f0-9]{64})$/, {
    message:
      "must be an image reference with an explicit tag or digest, e.g. `quay.io/prometheus/prometheus:v3.14.0`",
  })
  .refine((s) => !s.endsWith(":latest"), {
    message: "the `latest` tag is not allowed: pin a version",
  });

const httpsUrl = z.url({ protocol: /^https$/, message: "must be an https:// URL" });
const httpUrl = z.url({ protocol: /^https?$/, message: "must be an http:// or https:// URL" });

const ipv4 = z.string().regex(/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/, {
  message: "must be an IPv4 address",
});

const port = z.number().int().min(1).max(65535);

export const scrapeTarget = z.strictObject({
  job: z
    .string()
    .regex(/^[a-z][a-z0-9_-]*$/, { message: "must be a lower-case job name ([a-z][a-z0-9_-]*)" }),
  targets: z.array(hostPort).min(1, { message: "needs at least one target" }),
  metricsPath: z.string().startsWith("/", { message: "must start with `/`" }).optional(),
  scheme: z.enum(["http", "https"]).optional(),
  scrapeInterval: duration.optional(),
  labels: labels.optional(),
});
export type ScrapeTargetConfig = z.infer<typeof scrapeTarget>;

export const smtp = z.strictObject({
  smarthost: hostPort,
  from: z.email({ message: "must be an e-mail address" }),
  to: z
    .array(z.email({ message: "must be an e-mail address" }))
    .min(1, { message: "needs at least one recipient" }),
  username: z.string().min(1).optional(),
  requireTls: z.boolean().optional(),
});

const imageOverrides = z.strictObject(
  Object.fromEntries(IMAGE_NAMES.map((n) => [n, pinnedImage.optional()])) as Record<
    (typeof IMAGE_NAMES)[number],
    z.ZodOptional<typeof pinnedImage>
  >,
);

const chartVersion = z.string().regex(/^\d+\.\d+\.\d+$/, {
  message: "must be an exact chart version such as `88.5.3` (no ranges)",
});
const chartVersionOverrides = z.strictObject(
  Object.fromEntries(CHART_NAMES.map((n) => [n, chartVersion.optional()])) as Record<
    (typeof CHART_NAMES)[number],
    z.ZodOptional<typeof chartVersion>
  >,
);

const hostPorts = z.strictObject(
  Object.fromEntries(Object.keys(PORTS).map((n) => [n, port.optional()])) as Record<
    keyof typeof PORTS,
    z.ZodOptional<typeof port>
  >,
);

/** A PromQL expression, checked with the upstream grammar. */
const promql = z
  .string()
  .min(1, { message: "must not be empty" })
  .superRefine((expr, ctx) => {
    const errors = promqlErrors(expr);
    if (errors.length > 0)
      ctx.addIssue({
        code: "custom",
        message: `is not valid PromQL (syntax error at ${errors[0]})`,
      });
  });

const severity = z.enum(["critical", "warning", "info"]);

/** A user-defined alerting rule; rendered into the `custom` rule group next to the built-in ones. */
export const userAlertRule = z.strictObject({
  alert: z.string().regex(/^[A-Z][A-Za-z0-9_]*$/, {
    message: "must be a CamelCase alert name ([A-Z][A-Za-z0-9_]*)",
  }),
  expr: promql,
  for: duration.optional(),
  severity,
  summary: z.string().min(1, { message: "must not be empty" }),
  description: z.string().min(1, { message: "must not be empty" }),
  labels: labels
    .refine((l) => !("severity" in l), { message: "set `severity` with the `severity` field" })
    .optional(),
  runbookUrl: httpUrl.optional(),
});
export type UserAlertRule = z.infer<typeof userAlertRule>;

/** A user-defined recording rule (`level:metric:operations`). */
export const userRecordingRule = z.strictObject({
  record: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, {
    message: "must be a Prometheus metric name, by convention `level:metric:operations`",
  }),
  expr: promql,
  labels: labels.optional(),
});
export type UserRecordingRule = z.infer<typeof userRecordingRule>;

export const SLO_SPEC_DEFAULTS = {
  metric: "http_requests_total",
  errorSelector: 'code=~"5.."',
} as const;

/** An availability SLO over a request counter. */
export const sloSpec = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, {
      message: "must be kebab-case, at most 41 characters ([a-z][a-z0-9-]*)",
    }),
    service: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, { message: "must be letters, digits, `._-`" })
      .optional(),
    objective: z
      .number()
      .gt(0, { message: "must be a percentage above 0, e.g. 99.9" })
      .lt(100, { message: "must be below 100 (a 100% objective leaves no error budget)" }),
    metric: z
      .string()
      .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, { message: "must be a counter metric name" })
      .optional(),
    selector: z.string().min(1, { message: 'must select the requests, e.g. `job="api"`' }),
    errorSelector: z.string().min(1).optional(),
  })
  .superRefine((slo, ctx) => {
    // Each field on its own first, so the message names the one that is wrong.
    const examples = { selector: 'job="api"', errorSelector: 'code=~"5.."' } as const;
    let valid = true;
    for (const field of ["selector", "errorSelector"] as const) {
      const matchers = slo[field];
      if (typeof matchers !== "string") continue;
      const alone = `${SLO_SPEC_DEFAULTS.metric}{${matchers}}`;
      if (promqlErrors(alone).length > 0) {
        valid = false;
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: `must be PromQL label matchers such as \`${examples[field]}\` (\`${alone}\` does not parse)`,
        });
      }
    }
    if (!valid || typeof slo.selector !== "string") return;
    const expr = errorRatioExpr(
      {
        ...slo,
        service: slo.service ?? slo.name,
        metric: slo.metric ?? SLO_SPEC_DEFAULTS.metric,
        errorSelector: slo.errorSelector ?? SLO_SPEC_DEFAULTS.errorSelector,
      },
      "5m",
    );
    if (promqlErrors(expr).length > 0)
      ctx.addIssue({
        code: "custom",
        path: ["selector"],
        message: `\`selector\` and \`errorSelector\` must be PromQL label matchers such as \`job="api", code=~"5.."\` (they make \`${expr}\`, which does not parse)`,
      });
  });
export type SloConfig = z.infer<typeof sloSpec>;

/** An IPv4 CIDR block such as `10.0.0.0/16`. */
export const cidr = z
  .string()
  .regex(/^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)\/(3[0-2]|[12]?\d)$/, {
    message: "must be an IPv4 CIDR block such as `10.0.0.0/16` or `203.0.113.7/32`",
  });

/** The Fargate services of the staging stack, for per-service settings. */
export const ECS_SERVICE_NAMES = ["prometheus", "alertmanager", "grafana", "loki"] as const;

const taskSize = z.strictObject({
  cpu: z.number().int({ message: "must be whole CPU units (1024 = 1 vCPU)" }),
  memory: z.number().int({ message: "must be whole MiB" }),
});
export type TaskSizeConfig = z.infer<typeof taskSize>;

/** Retention values CloudWatch Logs accepts (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

/** A Kubernetes quantity of bytes such as `50Gi` or `500Mi`. */
export const k8sSize = z.string().regex(/^[1-9]\d*(Ki|Mi|Gi|Ti)$/, {
  message: "must be a Kubernetes size such as `50Gi` or `512Mi` (units Ki, Mi, Gi, Ti)",
});

const dnsName = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    message: "must be a DNS name such as `grafana.example.com`",
  });

const k8sName = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, {
  message: "must be a Kubernetes name (lower-case letters, digits, `-`, at most 63)",
});

export const serviceMonitorSpec = z.strictObject({
  name: k8sName,
  namespace: k8sName,
  /** Labels of the Service(s) to scrape. */
  selector: z.record(z.string().min(1), z.string()).refine((l) => Object.keys(l).length > 0, {
    message: "needs at least one label",
  }),
  /** Name of the Service port. */
  port: z.string().min(1),
  path: z.string().startsWith("/", { message: "must start with `/`" }).optional(),
  interval: duration.optional(),
});
export type ServiceMonitorConfig = z.infer<typeof serviceMonitorSpec>;

const nodeGroup = z.strictObject({
  instanceType: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, {
    message: "must be an EC2 instance type such as `m6i.xlarge`",
  }),
  minSize: z.number().int().min(1, { message: "must be at least 1" }),
  desiredSize: z.number().int().min(1, { message: "must be at least 1" }),
  maxSize: z.number().int().min(1, { message: "must be at least 1" }),
  diskSize: z.number().int().min(20, { message: "must be at least 20 (GiB)" }).optional(),
});

/** The workload to size for; the scrape interval and both retentions come from their own keys. */
const capacity = z.strictObject({
  activeSeries: z
    .number()
    .int({ message: "must be a whole number of series" })
    .min(1, { message: "must be at least 1" })
    .max(1_000_000_000, { message: "must be at most 1e9 (shard Prometheus beyond that)" }),
  logVolumePerDay: size,
});

const ingress = z.strictObject({
  className: z.string().min(1),
  grafanaHost: dnsName,
  prometheusHost: dnsName.optional(),
  alertmanagerHost: dnsName.optional(),
  /** cert-manager ClusterIssuer that issues the TLS certificate. */
  clusterIssuer: z.string().min(1).optional(),
  /** Existing TLS Secret in the monitoring namespace (instead of cert-manager). */
  tlsSecretName: k8sName.optional(),
});

/** How a raw config string becomes a value: Pulumi stores structured and numeric values as JSON text. */
export type Encoding = "string" | "json";

export interface KeySpec {
  readonly schema: z.ZodType;
  readonly encoding: Encoding;
  /** Must be set with `pulumi config set --secret`. */
  readonly secret: boolean;
  /** One sentence for `Pulumi.yaml` and the README. */
  readonly description: string;
}

const key = <S extends z.ZodType>(schema: S, description: string, encoding: Encoding = "string") =>
  ({ schema, encoding, secret: false, description }) as const;
const secretKey = <S extends z.ZodType>(schema: S, description: string) =>
  ({ schema, encoding: "string", secret: true, description }) as const;

/** Every config key of the project namespace. Anything else in the namespace is rejected. */
export const CONFIG_KEYS = {
  environment: key(
    z.enum(ENVIRONMENTS),
    "Target environment: dev | staging | prod. Defaults to the stack name when that is one of them.",
  ),
  clusterName: key(
    z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, {
      message: "must be a DNS label (lower-case letters, digits, `-`)",
    }),
    "Value of the `cluster` external label on every series and alert. Default: `<project>-<stack>`.",
  ),
  retentionTime: key(
    duration,
    "Prometheus TSDB retention time. Default: 7d in dev, 30d in staging and prod.",
  ),
  capacity: key(
    capacity,
    'Workload the stack is sized for: {"activeSeries": 500000, "logVolumePerDay": "20GB"}. Derives retentionSize, Fargate task sizes (staging), PVC sizes and pod resources (prod). Default: 20000/1GB in dev, 100000/5GB in staging, 500000/20GB in prod.',
    "json",
  ),
  retentionSize: key(
    size,
    "Prometheus TSDB retention size cap (blocks + WAL, base 2). Default: derived from `capacity`, `scrapeInterval` and `retentionTime`.",
  ),
  lokiRetention: key(
    duration.refine((d) => (durationMs(d) ?? 0) % 86_400_000 === 0, {
      message: "must be a whole number of days (Loki's index period is 24h), e.g. `7d` or `720h`",
    }),
    "Loki log retention. Default: 7d in dev, 30d in staging and prod.",
  ),
  scrapeInterval: key(duration, "Global Prometheus scrape interval. Default: 15s."),
  evaluationInterval: key(duration, "Global Prometheus rule evaluation interval. Default: 15s."),
  externalLabels: key(
    labels,
    "Extra external labels added to every series and alert (`cluster` and `environment` are always set).",
    "json",
  ),
  scrapeTargets: key(
    z.array(scrapeTarget),
    "Extra static scrape jobs: a list of {job, targets, metricsPath?, scheme?, scrapeInterval?, labels?}.",
    "json",
  ),
  imageOverrides: key(
    imageOverrides,
    "Per-component image overrides (pinned tags only), keyed by component name.",
    "json",
  ),
  chartVersionOverrides: key(
    chartVersionOverrides,
    "Per-chart Helm chart version overrides (exact versions), keyed by chart name.",
    "json",
  ),
  grafanaAdminUser: key(
    z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, {
      message: "must be 1-64 characters of letters, digits, `._@-`",
    }),
    "Grafana admin login. Default: admin.",
  ),
  grafanaAdminPassword: secretKey(
    z.string().min(12, { message: "must be at least 12 characters" }),
    "Grafana admin password (secret, required).",
  ),
  slackWebhookUrl: secretKey(
    httpsUrl,
    "Slack incoming-webhook URL for warning alerts (secret, optional).",
  ),
  slackChannel: key(
    z.string().regex(/^[#@][a-z0-9._-]{1,80}$/, {
      message: "must be a channel like `#alerts` or a user like `@oncall`",
    }),
    "Slack channel for warning alerts. Default: #alerts.",
  ),
  pagerdutyRoutingKey: secretKey(
    z.string().regex(/^[A-Za-z0-9]{32}$/, {
      message: "must be a 32-character PagerDuty Events API v2 integration key",
    }),
    "PagerDuty Events API v2 routing key for critical alerts (secret, optional).",
  ),
  smtp: key(
    smtp,
    "E-mail delivery of all alerts: {smarthost, from, to[], username?, requireTls?}. Optional.",
    "json",
  ),
  smtpPassword: secretKey(
    z.string().min(1),
    "SMTP password for `smtp.username` (secret, optional).",
  ),
  pagerdutyUrl: key(
    httpUrl,
    "PagerDuty Events API v2 endpoint. Default: https://events.pagerduty.com/v2/enqueue (EU accounts: https://events.eu.pagerduty.com/v2/enqueue).",
  ),
  heartbeatUrl: key(
    httpUrl,
    "Dead-man's-switch endpoint the always-firing Watchdog alert is posted to about every minute (e.g. a healthchecks.io or Dead Man's Snitch URL). Optional; without it Watchdog goes to the null receiver.",
  ),
  heartbeatToken: secretKey(
    z.string().min(1),
    "Bearer token sent with every heartbeat (secret, optional; needs `heartbeatUrl`).",
  ),
  slos: key(
    z.array(sloSpec),
    "Availability SLOs: a list of {name, objective (percent), selector, metric?, errorSelector?, service?}. Default: the query API of this Prometheus at 99.9%. `[]` turns SLO rules off.",
    "json",
  ),
  alertRules: key(
    z.array(userAlertRule),
    "Extra alerting rules: a list of {alert, expr, for?, severity, summary, description, labels?, runbookUrl?}.",
    "json",
  ),
  recordingRules: key(
    z.array(userRecordingRule),
    "Extra recording rules: a list of {record, expr, labels?}.",
    "json",
  ),
  runbookBaseUrl: key(
    httpUrl,
    "Base URL of the runbooks linked from every alert. Default: https://runbooks.example.com/monitoring.",
  ),
  vpcId: key(
    z.string().regex(/^vpc-[0-9a-f]{8,17}$/, {
      message: "must be a VPC id such as `vpc-0a1b2c3d4e5f67890`",
    }),
    "staging: an existing VPC to use (with `privateSubnetIds`, and `publicSubnetIds` unless `albInternal`). Default: create one.",
  ),
  publicSubnetIds: key(
    z
      .array(
        z.string().regex(/^subnet-[0-9a-f]{8,17}$/, {
          message: "must be a subnet id such as `subnet-0a1b2c3d`",
        }),
      )
      .min(2, { message: "needs subnets in at least two availability zones" }),
    "staging: public subnets of `vpcId` for an internet-facing ALB.",
    "json",
  ),
  privateSubnetIds: key(
    z
      .array(
        z.string().regex(/^subnet-[0-9a-f]{8,17}$/, {
          message: "must be a subnet id such as `subnet-0a1b2c3d`",
        }),
      )
      .min(2, { message: "needs subnets in at least two availability zones" }),
    "staging: private subnets of `vpcId` for the tasks and EFS (they need a NAT route to pull images).",
    "json",
  ),
  vpcCidr: key(cidr, "staging: CIDR of the VPC the stack creates. Default: 10.40.0.0/16."),
  natGateways: key(
    z.enum(["single", "perAz"]),
    "staging: NAT gateways of the created VPC: `single` (cheaper) or `perAz` (survives an AZ outage). Default: single.",
  ),
  albInternal: key(
    z.boolean(),
    "staging: make the ALB internal (private subnets). Default: false.",
    "json",
  ),
  certificateArn: key(
    z.string().regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/, {
      message:
        "must be an ACM certificate ARN such as `arn:aws:acm:eu-west-1:123456789012:certificate/<uuid>`",
    }),
    "staging: ACM certificate for HTTPS on the ALB (HTTP redirects to HTTPS). Without it the ALB serves plain HTTP.",
  ),
  allowedCidrs: key(
    z
      .array(cidr)
      .min(1, { message: "needs at least one CIDR (use `albInternal` to keep Grafana private)" }),
    'staging: CIDRs allowed to reach Grafana through the ALB. Default: ["0.0.0.0/0"].',
    "json",
  ),
  adminCidrs: key(
    z.array(cidr),
    "staging: CIDRs allowed to reach Prometheus (:9090), Alertmanager (:9093) and Loki (:3100) through the ALB. Default: [] (not exposed).",
    "json",
  ),
  taskSizes: key(
    z.strictObject(
      Object.fromEntries(ECS_SERVICE_NAMES.map((n) => [n, taskSize.optional()])) as Record<
        (typeof ECS_SERVICE_NAMES)[number],
        z.ZodOptional<typeof taskSize>
      >,
    ),
    'staging: Fargate size per service, e.g. {"prometheus": {"cpu": 2048, "memory": 8192}}; must be a valid Fargate CPU/memory pair. Default: Prometheus and Loki derived from `capacity`, Alertmanager 256/512, Grafana 512/1024.',
    "json",
  ),
  logRetentionDays: key(
    z.number().refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
      message: `must be one of the CloudWatch Logs retention values: ${LOG_RETENTION_DAYS.join(", ")}`,
    }),
    "staging: CloudWatch Logs retention of the task logs, in days. Default: 30.",
    "json",
  ),
  retainData: key(
    z.boolean(),
    "staging: protect the EFS file system and its KMS key from deletion and keep them on `pulumi destroy`. Default: true.",
    "json",
  ),
  containerInsights: key(
    z.boolean(),
    "staging: ECS Container Insights on the cluster. Default: true.",
    "json",
  ),
  eksClusterMode: key(
    z.enum(["create", "existing"]),
    "prod: `create` an EKS cluster or deploy into an `existing` one (needs the secret `kubeconfig`). Default: create.",
  ),
  kubeconfig: secretKey(
    z
      .string()
      .min(1)
      .refine((t) => /apiVersion|clusters/.test(t), {
        message: "must be a kubeconfig (YAML or JSON with `clusters`)",
      }),
    "prod, existing mode: the kubeconfig of the cluster (secret).",
  ),
  eksVersion: key(
    z.string().regex(/^1\.\d{2}$/, { message: "must be an EKS Kubernetes version such as `1.34`" }),
    "prod, create mode: Kubernetes version of the cluster. Default: 1.34.",
  ),
  nodeGroup: key(
    nodeGroup,
    "prod, create mode: managed node group {instanceType, minSize, desiredSize, maxSize, diskSize?}. Default: 3 × m6i.xlarge (3–5).",
    "json",
  ),
  prometheusReplicas: key(
    z.number().int().min(1, { message: "must be at least 1" }),
    "prod: Prometheus replicas (HA pair by default). Default: 2.",
    "json",
  ),
  alertmanagerReplicas: key(
    z.number().int().min(1, { message: "must be at least 1" }),
    "prod: Alertmanager replicas (a gossip cluster). Default: 3.",
    "json",
  ),
  prometheusStorageSize: key(
    k8sSize,
    "prod: PVC size per Prometheus replica. Default: derived (retentionSize / 0.8, room for compaction).",
  ),
  alertmanagerStorageSize: key(k8sSize, "prod: PVC size per Alertmanager replica. Default: 2Gi."),
  grafanaStorageSize: key(k8sSize, "prod: Grafana PVC size. Default: 10Gi."),
  lokiStorageSize: key(
    k8sSize,
    "prod: Loki PVC size (per replica). Default: derived from `capacity.logVolumePerDay` and `lokiRetention`.",
  ),
  lokiMode: key(
    z.enum(["singleBinary", "simpleScalable"]),
    "prod: Loki deployment mode: `singleBinary` (filesystem on a PVC) or `simpleScalable` (read/write/backend targets on an S3 bucket the stack creates). Default: singleBinary.",
  ),
  ingress: key(
    ingress,
    "prod: Ingress for Grafana (and optionally Prometheus/Alertmanager): {className, grafanaHost, prometheusHost?, alertmanagerHost?, clusterIssuer? | tlsSecretName?}. Default: none (port-forward).",
    "json",
  ),
  remoteWrite: key(
    z.boolean(),
    "prod: create an Amazon Managed Service for Prometheus workspace and remote-write to it (long-term storage). Default: false.",
    "json",
  ),
  serviceMonitors: key(
    z.array(serviceMonitorSpec),
    "prod: ServiceMonitors for application services: a list of {name, namespace, selector, port, path?, interval?}.",
    "json",
  ),
  bindAddress: key(
    ipv4,
    "dev only: host address the published ports bind to. Default: 127.0.0.1 (loopback only).",
  ),
  dockerSocket: key(
    z.string().regex(/^\/[A-Za-z0-9._/-]+\.sock$/, {
      message: "must be an absolute path to a `.sock` file",
    }),
    "dev only: the Docker socket on the host that Alloy reads container logs from. Default: /var/run/docker.sock (rootless Docker: $XDG_RUNTIME_DIR/docker.sock).",
  ),
  hostPorts: key(
    hostPorts,
    'dev only: host port per component, e.g. {"grafana": 3001}. Defaults to the standard ports.',
    "json",
  ),
} satisfies Record<string, KeySpec>;

export type ConfigKey = keyof typeof CONFIG_KEYS;

/** Values after validation, before environment defaults. */
export type RawValues = { -readonly [K in ConfigKey]?: z.infer<(typeof CONFIG_KEYS)[K]["schema"]> };
