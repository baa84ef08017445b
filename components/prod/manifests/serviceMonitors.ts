/**
 * The application ServiceMonitors of the `serviceMonitors` setting: one per entry, in the
 * monitoring namespace, selecting the Services of the entry's namespace.
 */
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceMonitorConfig } from "../../../settings/fields";
import { serviceMonitorName, serviceMonitorNameProblems } from "../../../settings/k8sChecks";

export interface ServiceMonitorOptions {
  /** Namespace the ServiceMonitors live in (Prometheus selects it). */
  readonly namespace: string;
  /**
   * Labels on every ServiceMonitor.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * One `monitoring.coreos.com/v1` ServiceMonitor per `serviceMonitors` entry, named
 * `<app namespace>-<name>` (settings `serviceMonitorName`) in `opts.namespace`, selecting the
 * Services of the entry's namespace. `path` and `interval` are set only when configured (the
 * operator's `/metrics` and Prometheus' global scrape interval apply otherwise). Throws when a name
 * is invalid or taken by two entries, which `parseSettings` reports first.
 */
export function serviceMonitorManifests(
  monitors: readonly ServiceMonitorConfig[],
  opts: ServiceMonitorOptions,
): IServiceMonitor[] {
  const [problem] = serviceMonitorNameProblems(monitors);
  if (problem !== undefined) {
    throw new pulumi.InputPropertyError({
      propertyPath: `serviceMonitors[${problem.index}]`,
      reason: problem.message,
    });
  }
  return monitors.map((m): IServiceMonitor => {
    const name = serviceMonitorName(m);
    return {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "ServiceMonitor",
      metadata: { name, namespace: opts.namespace, labels: { ...(opts.labels ?? {}) } },
      spec: {
        namespaceSelector: { matchNames: [m.namespace] },
        selector: { matchLabels: { ...m.selector } },
        endpoints: [
          {
            port: m.port,
            ...(m.path === undefined ? {} : { path: m.path }),
            ...(m.interval === undefined ? {} : { interval: m.interval }),
          },
        ],
      },
    };
  });
}
