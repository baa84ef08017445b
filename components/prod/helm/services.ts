/**
 * The Services the prod charts create in the monitoring namespace and the in-cluster URLs built
 * from them: for Grafana's datasources, Loki's ruler, Alloy's push endpoint and the
 * `kubectl port-forward` commands the stack outputs without an ingress.
 */
import { PORTS } from "../../../catalog/names";
import type { Settings } from "../../../settings/settings";
import { NAMESPACES, RELEASES } from "../types";

/** A Service's name and port. */
export interface ChartService {
  readonly name: string;
  readonly port: number;
}

/** In-cluster DNS suffix of a Service in the monitoring namespace (EKS uses `cluster.local`). */
const MONITORING_SVC = `${NAMESPACES.monitoring}.svc.cluster.local`;

/**
 * Services the charts create in the monitoring namespace, with their ports. kube-prometheus-stack
 * names objects `<fullnameOverride>-<component>` (we set `fullnameOverride` to the release name);
 * the grafana subchart uses `<release>-grafana` and listens on 80. Loki's Service depends on the
 * mode: the single binary's `loki` (3100), or the `loki-gateway` nginx (80) in front of the
 * read/write targets in simple-scalable mode.
 */
export function chartServices(settings: Settings): {
  readonly prometheus: ChartService;
  readonly alertmanager: ChartService;
  readonly grafana: ChartService;
  readonly loki: ChartService;
} {
  const kps = RELEASES.kubePrometheusStack;
  return {
    prometheus: { name: `${kps}-prometheus`, port: PORTS.prometheus },
    alertmanager: { name: `${kps}-alertmanager`, port: PORTS.alertmanager },
    grafana: { name: `${kps}-grafana`, port: 80 },
    loki:
      settings.k8s.lokiMode === "singleBinary"
        ? { name: RELEASES.loki, port: PORTS.loki }
        : { name: `${RELEASES.loki}-gateway`, port: 80 },
  };
}

/** In-cluster base URLs (no trailing '/') of Prometheus, Alertmanager and Loki. */
export function inClusterUrls(settings: Settings): {
  readonly prometheus: string;
  readonly alertmanager: string;
  readonly loki: string;
} {
  const svc = chartServices(settings);
  const url = (s: ChartService) =>
    s.port === 80
      ? `http://${s.name}.${MONITORING_SVC}`
      : `http://${s.name}.${MONITORING_SVC}:${s.port}`;
  return {
    prometheus: url(svc.prometheus),
    alertmanager: url(svc.alertmanager),
    loki: url(svc.loki),
  };
}

/** Loki's push endpoint, for Alloy (which runs in the agents namespace). */
export function lokiPushUrl(settings: Settings): string {
  return `${inClusterUrls(settings).loki}/loki/api/v1/push`;
}
