/** The outputs every environment component exposes, so `index.ts` exports the same stack outputs everywhere. */
import type * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../settings/settings";

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

/** Tags on every taggable cloud resource of a stack, so its resources can be found and costed. */
export function stackTags(settings: Settings): Readonly<Record<string, string>> {
  return {
    "monitoring:cluster": settings.clusterName,
    "monitoring:environment": settings.environment,
    "pulumi:project": settings.project,
    "pulumi:stack": settings.stack,
  };
}
