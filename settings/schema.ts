/**
 * The stack configuration contract: every config key, its schema (from fields.ts), its encoding,
 * whether it is secret, and its description. Pure (no Pulumi imports) so it can be unit-tested and
 * checked against `Pulumi.yaml`.
 */
import { z } from "zod";
import { ENVIRONMENTS } from "../catalog/environments";
import {
  capacity,
  chartVersionOverrides,
  cidr,
  duration,
  externalLabels,
  hostPorts,
  httpsUrl,
  httpUrl,
  imageOverrides,
  ingress,
  ipv4,
  k8sSize,
  LOG_RETENTION_DAYS,
  nodeGroup,
  runbookBaseUrl,
  scrapeTarget,
  serviceMonitorSpec,
  size,
  sloSpec,
  smtp,
  subnetIds,
  taskSizes,
  userAlertRule,
  userRecordingRule,
  wholeDaysDuration,
} from "./fields";

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
    wholeDaysDuration,
    "Loki log retention. Default: 7d in dev, 30d in staging and prod.",
  ),
  scrapeInterval: key(duration, "Global Prometheus scrape interval. Default: 15s."),
  evaluationInterval: key(duration, "Global Prometheus rule evaluation interval. Default: 15s."),
  externalLabels: key(
    externalLabels,
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
    "prod: Per-chart Helm chart version overrides (exact versions), keyed by chart name.",
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
    runbookBaseUrl,
    "Base URL of the runbooks linked from every alert. Default: https://runbooks.example.com/monitoring.",
  ),
  vpcId: key(
    z.string().regex(/^vpc-[0-9a-f]{8,17}$/, {
      message: "must be a VPC id such as `vpc-0a1b2c3d4e5f67890`",
    }),
    "staging: an existing VPC to use (with `privateSubnetIds`, and `publicSubnetIds` unless `albInternal`). Default: create one.",
  ),
  publicSubnetIds: key(
    subnetIds,
    "staging: public subnets of `vpcId` for an internet-facing ALB.",
    "json",
  ),
  privateSubnetIds: key(
    subnetIds,
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
  allowPublicAdminWithoutTls: key(
    z.boolean(),
    "staging: explicit opt-in to open Prometheus, Alertmanager and Loki (no authentication) over plain HTTP to `adminCidrs` that include public ranges wider than /16 (e.g. 0.0.0.0/0) on an internet-facing ALB without `certificateArn`. Default: false (refused).",
    "json",
  ),
  taskSizes: key(
    taskSizes,
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
  allowPlainHttpIngress: key(
    z.boolean(),
    "prod: explicit opt-in to serve the Grafana login (and the other ingress UIs) over plain HTTP when `ingress` has neither `clusterIssuer` nor `tlsSecretName` (e.g. TLS ends at a load balancer in front of the ingress controller). Default: false (refused).",
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
