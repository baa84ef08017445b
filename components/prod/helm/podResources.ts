/**
 * Requests and limits of every container the prod charts run, and the pods they add up to: what
 * the values builders set and what the node group must hold (`nodeGroupWarnings`, the plan).
 */
import type { Settings } from "../../../settings/settings";
import type { PodRequest } from "../../../sizing/nodes";
import { quantityBytes } from "../../../sizing/units";

/** A container's requests and limits, as Kubernetes quantities. */
export type Resources = {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
};

const res = (reqCpu: string, reqMem: string, limCpu: string, limMem: string): Resources => ({
  requests: { cpu: reqCpu, memory: reqMem },
  limits: { cpu: limCpu, memory: limMem },
});

/**
 * Requests and limits from a derived need (sizing/): the need is the request; the limit
 * allows bursts (compaction, heavy queries) of half as much memory again and twice the CPU, at
 * least one core. `cpu` in Fargate units (1024 = 1 vCPU).
 */
export function sizedResources(need: {
  readonly cpu: number;
  readonly memoryMiB: number;
}): Resources {
  const millis = Math.ceil((need.cpu * 1000) / 1024);
  return res(
    `${millis}m`,
    `${need.memoryMiB}Mi`,
    `${Math.max(1000, 2 * millis)}m`,
    `${Math.ceil((need.memoryMiB * 1.5) / 64) * 64}Mi`,
  );
}

/**
 * Requests and limits of the containers whose needs do not grow with the workload (Prometheus
 * and single-binary Loki are sized from `capacity` by `sizedResources`), sized for the default node group
 * (3 × m6i.xlarge, 4 vCPU / 16 GiB): with single-binary Loki all requests together (about 2.5 vCPU
 * and 7 GiB) fit on one node, leaving room for a node's loss or for simple-scalable Loki.
 */
export const RESOURCES = {
  alertmanager: res("50m", "64Mi", "200m", "256Mi"),
  grafana: res("100m", "256Mi", "500m", "512Mi"),
  /** Each of Grafana's dashboard and datasource sidecars. */
  grafanaSidecar: res("20m", "64Mi", "100m", "128Mi"),
  operator: res("100m", "128Mi", "500m", "256Mi"),
  /** The config-reloader sidecar of every Prometheus and Alertmanager pod. */
  configReloader: res("10m", "32Mi", "100m", "64Mi"),
  /** The operator's admission-webhook certificate Jobs (Helm hooks). */
  webhookJob: res("10m", "32Mi", "100m", "64Mi"),
  kubeStateMetrics: res("50m", "128Mi", "250m", "256Mi"),
  nodeExporter: res("50m", "32Mi", "250m", "64Mi"),
  /** Each read, write and backend replica in simple-scalable mode. */
  lokiScalable: res("250m", "512Mi", "1", "2Gi"),
  lokiGateway: res("50m", "64Mi", "200m", "128Mi"),
  alloy: res("100m", "128Mi", "500m", "512Mi"),
  alloyConfigReloader: res("10m", "50Mi", "100m", "100Mi"),
} as const satisfies Record<string, Resources>;

/** Replicas of each read, write and backend target in simple-scalable mode (a ring of 3). */
export const LOKI_SCALABLE_REPLICAS = 3;

/** Replicas of Loki's nginx gateway in simple-scalable mode. */
export const LOKI_GATEWAY_REPLICAS = 2;

/** Millicores of a CPU quantity (`500m`, `2`). */
function cpuMillis(q: string): number {
  return q.endsWith("m") ? Number(q.slice(0, -1)) : Number(q) * 1000;
}

/** MiB of a memory quantity (`64Mi`, `2Gi`). */
function memoryMiB(q: string): number {
  return quantityBytes(q) / 1024 ** 2;
}

/**
 * Every pod the prod charts run, with its containers' summed requests: what the node group must
 * hold (checked by `nodeGroupWarnings`). Mirrors the values builders; a test ties the two.
 */
export function podRequests(settings: Settings): PodRequest[] {
  const k8s = settings.k8s;
  const pod = (
    name: string,
    replicas: PodRequest["replicas"],
    ...containers: Resources[]
  ): PodRequest => ({
    name,
    replicas,
    cpuMillis: containers.reduce((sum, c) => sum + cpuMillis(c.requests.cpu), 0),
    memoryMiB: containers.reduce((sum, c) => sum + memoryMiB(c.requests.memory), 0),
  });
  const scalable = k8s.lokiMode === "simpleScalable";
  return [
    pod(
      "prometheus",
      k8s.prometheusReplicas,
      sizedResources(settings.sizing.prometheus),
      RESOURCES.configReloader,
    ),
    pod("alertmanager", k8s.alertmanagerReplicas, RESOURCES.alertmanager, RESOURCES.configReloader),
    pod("grafana", 1, RESOURCES.grafana, RESOURCES.grafanaSidecar, RESOURCES.grafanaSidecar),
    pod("prometheus-operator", 1, RESOURCES.operator),
    pod("kube-state-metrics", 1, RESOURCES.kubeStateMetrics),
    pod("node-exporter", "perNode", RESOURCES.nodeExporter),
    pod("alloy", "perNode", RESOURCES.alloy, RESOURCES.alloyConfigReloader),
    ...(scalable
      ? [
          pod("loki-write", LOKI_SCALABLE_REPLICAS, RESOURCES.lokiScalable),
          pod("loki-read", LOKI_SCALABLE_REPLICAS, RESOURCES.lokiScalable),
          pod("loki-backend", LOKI_SCALABLE_REPLICAS, RESOURCES.lokiScalable),
          pod("loki-gateway", LOKI_GATEWAY_REPLICAS, RESOURCES.lokiGateway),
        ]
      : [pod("loki", 1, sizedResources(settings.sizing.loki))]),
  ];
}
