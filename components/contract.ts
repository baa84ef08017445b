/** The outputs every environment component exposes, so `index.ts` exports the same stack outputs everywhere. */
import type * as pulumi from "@pulumi/pulumi";

export interface MonitoringStackOutputs {
  /** Grafana UI. */
  readonly grafanaUrl: pulumi.Output<string>;
  /** Prometheus UI and API. */
  readonly prometheusUrl: pulumi.Output<string>;
  /** Alertmanager UI and API. */
  readonly alertmanagerUrl: pulumi.Output<string>;
  /** Loki API (query it through Grafana's Explore). */
  readonly lokiUrl: pulumi.Output<string>;
  /** What runs the stack: container names (dev), ECS services (staging), Helm releases (prod). */
  readonly workloads: pulumi.Output<string[]>;
}
