/**
 * Every default of the stack configuration, each defined once and applied once (in parse.ts and
 * sized.ts, with `??`). The SLO defaults live with the SLO spec in slo.ts; sizes that are not listed
 * here are derived from `capacity` (sizing/).
 */
import type { Environment } from "../catalog/environments";
import type { TaskSize } from "../sizing/fargate";
import type { CapacityConfig } from "./fields";
import type { EcsService } from "../catalog/names";

/** Environment-specific defaults, from the seeds: dev keeps a week, staging and prod a month. */
export const ENVIRONMENT_DEFAULTS: Record<
  Environment,
  { readonly retentionTime: string; readonly lokiRetention: string }
> = {
  dev: { retentionTime: "7d", lokiRetention: "7d" },
  staging: { retentionTime: "30d", lokiRetention: "30d" },
  prod: { retentionTime: "30d", lokiRetention: "30d" },
};

/**
 * The workload each environment is sized for when the stack sets no `capacity`: a laptop, a
 * shared staging account, and a mid-sized production cluster (the seeds' node-exporter, kube-state
 * and application targets at a few hundred series each). A default of a config key, so it lives
 * here; the formulas in sizing/ take any capacity and know nothing of environments.
 */
export const DEFAULT_CAPACITY: Readonly<Record<Environment, CapacityConfig>> = {
  dev: { activeSeries: 20_000, logVolumePerDay: "1GB" },
  staging: { activeSeries: 100_000, logVolumePerDay: "5GB" },
  prod: { activeSeries: 500_000, logVolumePerDay: "20GB" },
};

/**
 * Defaults of keys that do not depend on the environment, by key (also declared in `Pulumi.yaml`;
 * a test keeps them equal).
 */
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
  natGateways: "single",
  albInternal: false,
  allowedCidrs: ["0.0.0.0/0"],
  logRetentionDays: 30,
  retainData: true,
  containerInsights: true,
  eksClusterMode: "create",
  lokiMode: "singleBinary",
  remoteWrite: false,
  allowPlainHttpIngress: false,
  allowPublicAdminWithoutTls: false,
} as const;

/** Defaults of the optional fields of `smtp`. */
export const SMTP_DEFAULTS = { requireTls: true } as const;

/**
 * Fargate sizes of the services whose needs do not grow with the workload (the node-exporter
 * sidecar and the config init container fit in them). Prometheus and Loki are sized from `capacity`.
 */
export const FIXED_TASK_SIZES = {
  alertmanager: { cpu: 256, memory: 512 },
  grafana: { cpu: 512, memory: 1024 },
} as const satisfies Partial<Record<EcsService, TaskSize>>;

/** Production (EKS) defaults: namespace, the created cluster and node group, replicas, fixed volumes. */
export const K8S_DEFAULTS = {
  namespace: "monitoring",
  eksVersion: "1.34",
  nodeGroup: { instanceType: "m6i.xlarge", minSize: 3, desiredSize: 3, maxSize: 5, diskSize: 50 },
  prometheusReplicas: 2,
  alertmanagerReplicas: 3,
  /** Prometheus and Loki volumes are derived from `capacity`. */
  storage: { alertmanager: "2Gi", grafana: "10Gi" },
} as const;

/** The volume of Loki's PVC in simple-scalable mode: chunks live in S3, the PVC holds WAL and caches. */
export const LOKI_SCALABLE_VOLUME = "10Gi";
