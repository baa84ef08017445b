/**
 * The names catalogue: ports, scrape jobs, datasource UIDs, health paths and the other names that
 * the settings, the content and every environment's components must agree on.
 */
import type { Environment } from "./environments";

/** The well-known listen ports of each component, shared by every target. */
export const PORTS = {
  prometheus: 9090,
  alertmanager: 9093,
  grafana: 3000,
  loki: 3100,
  alloy: 12345,
  nodeExporter: 9100,
} as const;

/**
 * Liveness endpoints: what the Docker health checks, the ECS container health checks and the ALB
 * target groups probe. 200 means the process serves HTTP; Loki has no `/-/healthy`.
 */
export const HEALTH_PATHS = {
  prometheus: "/-/healthy",
  alertmanager: "/-/healthy",
  grafana: "/api/health",
  loki: "/ready",
  alloy: "/-/ready",
} as const;

/** Readiness endpoints: what the post-deploy health check (`healthcheck/`) asks before it passes. */
export const READY_PATHS = {
  prometheus: "/-/ready",
  alertmanager: "/-/ready",
  grafana: "/api/health",
  loki: "/ready",
  nodeExporter: "/metrics",
} as const;

/** The services the staging stack runs as their own Fargate service (each with a task size). */
export const ECS_SERVICES = ["prometheus", "alertmanager", "grafana", "loki"] as const;
export type EcsService = (typeof ECS_SERVICES)[number];

/** Stable Grafana datasource UIDs; dashboards reference these, provisioning defines them. */
export const DATASOURCE_UIDS = {
  prometheus: "prometheus",
  loki: "loki",
  alertmanager: "alertmanager",
} as const;

/** Prometheus `job` label of each built-in scrape job; rules and dashboards select on these. */
export const SCRAPE_JOBS = {
  prometheus: "prometheus",
  alertmanager: "alertmanager",
  grafana: "grafana",
  loki: "loki",
  alloy: "alloy",
  node: "node",
} as const;

export type BuiltInJobName = keyof typeof SCRAPE_JOBS;

/**
 * The built-in jobs each environment runs. Staging (Fargate) has no Alloy: tasks log to CloudWatch,
 * and node-exporter runs as a sidecar in every task.
 */
export const JOBS_BY_ENVIRONMENT: Readonly<Record<Environment, readonly BuiltInJobName[]>> = {
  dev: ["prometheus", "alertmanager", "grafana", "loki", "alloy", "node"],
  staging: ["prometheus", "alertmanager", "grafana", "loki", "node"],
  prod: ["prometheus", "alertmanager", "grafana", "loki", "alloy", "node"],
};

/** Pseudo/virtual filesystems that never hold user data; excluded by every filesystem rule and panel. */
export const IGNORED_FSTYPES: readonly string[] = [
  "tmpfs",
  "ramfs",
  "devtmpfs",
  "overlay",
  "squashfs",
  "nsfs",
  "autofs",
  "fuse.lxcfs",
];
