/**
 * The application ServiceMonitors of the `serviceMonitors` setting: one per entry, in the
 * monitoring namespace, selecting the Services of the entry's namespace.
 */
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceMonitorConfig } from "../../../settings/fields";

export interface ServiceMonitorOptions {
  /** Namespace the ServiceMonitors live in (Prometheus selects it). */
  readonly namespace: string;
  /**
   * Labels on every ServiceMonitor.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Kubernetes object names (DNS-1123 subdomain). */
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * One `monitoring.coreos.com/v1` ServiceMonitor per `serviceMonitors` entry, named
 * `<app namespace>-<name>` in `opts.namespace`, selecting the Services of the entry's namespace.
 * `path` and `interval` are set only when configured (the operator's `/metrics` and Prometheus'
 * global scrape interval apply otherwise). Throws when two entries would get the same name.
 */
export function serviceMonitorManifests(
  monitors: readonly ServiceMonitorConfig[],
  opts: ServiceMonitorOptions,
): IServiceMonitor[] {
  const seen = new Map<string, number>();
  return monitors.map((m, i): IServiceMonitor => {
    const name = `${m.namespace}-${m.name}`;
    if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
      throw new pulumi.InputPropertyError({
        propertyPath: `serviceMonitors[${i}]`,
        reason: `\`serviceMonitors[${i}]\`: the ServiceMonitor name ${JSON.stringify(name)} (namespace-name) is not a valid Kubernetes name; shorten \`name\` or \`namespace\`.`,
      });
    }
    const other = seen.get(name);
    if (other !== undefined) {
      throw new pulumi.InputPropertyError({
        propertyPath: `serviceMonitors[${i}]`,
        reason: `\`serviceMonitors[${i}]\` and \`serviceMonitors[${other}]\` would both create the ServiceMonitor ${JSON.stringify(name)} (namespace-name); rename one of them.`,
      });
    }
    seen.set(name, i);
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
