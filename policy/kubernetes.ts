/**
 * What the policies read from Kubernetes resources: the containers of workloads the program creates
 * directly, and for Helm releases the values of each chart's main components.
 */
import { at, dotted, isObject, type JsonObject, list, num, text } from "./values";

/** Workload kinds and where their pod spec sits. */
export const WORKLOAD_POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  "kubernetes:core/v1:Pod": ["spec"],
  "kubernetes:core/v1:ReplicationController": ["spec", "template", "spec"],
  "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
  "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
  "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
  "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
};

export const WORKLOAD_TYPES = Object.keys(WORKLOAD_POD_SPEC_PATHS);

/** Helm releases and charts whose `values` the policies read. */
export const HELM_TYPES = [
  "kubernetes:helm.sh/v3:Release",
  "kubernetes:helm.sh/v3:Chart",
  "kubernetes:helm.sh/v4:Chart",
] as const;

/** One container of a workload, with the pod-level security context it inherits. */
export interface PodContainer {
  /** `containers[0]`, `initContainers[1]`, … */
  readonly where: string;
  readonly container: JsonObject;
  readonly podSecurityContext: unknown;
}

/** Every container (regular, init and ephemeral) of a workload; empty for other resource types. */
export function podContainers(type: string, props: JsonObject): PodContainer[] {
  const path = WORKLOAD_POD_SPEC_PATHS[type];
  if (path === undefined) return [];
  const spec = at(props, path);
  const podSecurityContext = at(spec, ["securityContext"]);
  return (["containers", "initContainers", "ephemeralContainers"] as const).flatMap((field) =>
    list(at(spec, [field])).flatMap((c, i) =>
      isObject(c) ? [{ where: `${field}[${i}]`, container: c, podSecurityContext }] : [],
    ),
  );
}

/** Why `resources` lacks a CPU or memory limit, or undefined. */
export function limitsProblem(resources: unknown): string | undefined {
  const missing = (["cpu", "memory"] as const).filter((r) => {
    const v = at(resources, ["limits", r]);
    return v === undefined || v === null || v === "";
  });
  return missing.length === 0 ? undefined : `no ${missing.join(" or ")} limit`;
}

/** The user a container runs as, from its own security context, falling back to the pod's. */
export function effectiveUser(
  container: unknown,
  podSecurityContext: unknown,
): { readonly runAsUser?: number; readonly runAsNonRoot?: boolean } {
  const own = at(container, ["securityContext"]);
  const runAsUser = num(at(own, ["runAsUser"])) ?? num(at(podSecurityContext, ["runAsUser"]));
  const nonRoot = at(own, ["runAsNonRoot"]) ?? at(podSecurityContext, ["runAsNonRoot"]);
  return {
    ...(runAsUser === undefined ? {} : { runAsUser }),
    ...(typeof nonRoot === "boolean" ? { runAsNonRoot: nonRoot } : {}),
  };
}

/** Why a security context does not prove a non-root user, or undefined. */
export function rootProblem(user: ReturnType<typeof effectiveUser>): string | undefined {
  if (user.runAsUser === 0) return "runs as root (runAsUser: 0)";
  if (user.runAsUser === undefined && user.runAsNonRoot !== true) {
    return "does not set runAsNonRoot: true or a non-zero runAsUser";
  }
  return undefined;
}

/** How a chart component's user is checked. */
export type UserRule =
  /** The values must set a non-root user (the program pins it so a chart bump cannot drop it). */
  | { readonly kind: "explicit" }
  /**
   * The chart's default at the pinned version is non-root (`reason` says which); the values may
   * leave it, but must not override it with root.
   */
  | { readonly kind: "chartDefault"; readonly reason: string }
  /**
   * Root is a documented need (`reason`); then the container must not escalate and must drop every
   * capability, so root is only the file owner it needs to be.
   */
  | { readonly kind: "rootAllowed"; readonly reason: string };

/** A long-running component of a chart and where its settings sit in the values. */
export interface ChartComponent {
  readonly component: string;
  /** Path of the component's `resources`. */
  readonly resources: readonly string[];
  /** Path of the security context that decides its user; absent: it inherits its pod's. */
  readonly securityContext?: readonly string[];
  readonly user?: UserRule;
  /** Whether the chart deploys the component with these values. @default always */
  readonly enabled?: (values: JsonObject) => boolean;
}

const off = (path: readonly string[]) => (values: JsonObject) => at(values, path) !== false;

/** Loki's deployment mode, as the chart reads it (its default is SimpleScalable). */
const lokiMode = (values: JsonObject): string => text(values.deploymentMode) ?? "SimpleScalable";
const lokiSingle = (values: JsonObject) => /Monolithic|SingleBinary/.test(lokiMode(values));
const lokiScalable = (values: JsonObject) => /SimpleScalable/.test(lokiMode(values));

const lokiTarget = (target: "read" | "write" | "backend"): ChartComponent => ({
  component: `Loki ${target}`,
  resources: [target, "resources"],
  securityContext: ["loki", "podSecurityContext"],
  user: { kind: "explicit" },
  enabled: (v) => lokiScalable(v) && num(at(v, [target, "replicas"])) !== 0,
});

/**
 * The main components of the charts the program installs, by chart name. Pods a chart creates
 * beyond these (hook Jobs, test pods, optional add-ons) are out of reach of a resource policy: it
 * sees the release's inputs, never the rendered manifests.
 */
export const CHART_COMPONENTS: Readonly<Record<string, readonly ChartComponent[]>> = {
  "kube-prometheus-stack": [
    {
      component: "Prometheus",
      resources: ["prometheus", "prometheusSpec", "resources"],
      securityContext: ["prometheus", "prometheusSpec", "securityContext"],
      user: { kind: "explicit" },
    },
    {
      component: "Alertmanager",
      resources: ["alertmanager", "alertmanagerSpec", "resources"],
      securityContext: ["alertmanager", "alertmanagerSpec", "securityContext"],
      user: { kind: "explicit" },
      enabled: off(["alertmanager", "enabled"]),
    },
    {
      component: "Grafana",
      resources: ["grafana", "resources"],
      securityContext: ["grafana", "securityContext"],
      user: { kind: "chartDefault", reason: "the grafana chart runs as 472 with runAsNonRoot" },
      enabled: off(["grafana", "enabled"]),
    },
    {
      component: "Grafana sidecars",
      resources: ["grafana", "sidecar", "resources"],
      enabled: off(["grafana", "enabled"]),
    },
    {
      component: "Prometheus operator",
      resources: ["prometheusOperator", "resources"],
      securityContext: ["prometheusOperator", "securityContext"],
      user: { kind: "chartDefault", reason: "kube-prometheus-stack runs it as 65534, non-root" },
    },
    {
      component: "Prometheus config reloader",
      resources: ["prometheusOperator", "prometheusConfigReloader", "resources"],
    },
    {
      component: "kube-state-metrics",
      resources: ["kube-state-metrics", "resources"],
      securityContext: ["kube-state-metrics", "securityContext"],
      user: { kind: "chartDefault", reason: "the kube-state-metrics chart runs as 65534" },
      enabled: off(["kubeStateMetrics", "enabled"]),
    },
    {
      component: "node-exporter",
      resources: ["prometheus-node-exporter", "resources"],
      securityContext: ["prometheus-node-exporter", "securityContext"],
      user: { kind: "chartDefault", reason: "the prometheus-node-exporter chart runs as 65534" },
      enabled: off(["nodeExporter", "enabled"]),
    },
  ],
  loki: [
    {
      component: "Loki single binary",
      resources: ["singleBinary", "resources"],
      securityContext: ["loki", "podSecurityContext"],
      user: { kind: "explicit" },
      enabled: lokiSingle,
    },
    lokiTarget("read"),
    lokiTarget("write"),
    lokiTarget("backend"),
    {
      component: "Loki gateway",
      resources: ["gateway", "resources"],
      securityContext: ["gateway", "podSecurityContext"],
      user: { kind: "chartDefault", reason: "the Loki chart runs its nginx gateway as 101" },
      enabled: (v) => lokiScalable(v) && at(v, ["gateway", "enabled"]) !== false,
    },
  ],
  alloy: [
    {
      component: "Alloy",
      resources: ["alloy", "resources"],
      securityContext: ["alloy", "securityContext"],
      user: {
        kind: "rootAllowed",
        reason: "it reads the kubelet's root-owned 0640 pod logs under /var/log/pods",
      },
    },
    {
      component: "Alloy config reloader",
      resources: ["configReloader", "resources"],
      securityContext: ["configReloader", "securityContext"],
      user: { kind: "explicit" },
      enabled: off(["configReloader", "enabled"]),
    },
  ],
};

/** The chart's name without repository or OCI prefix: `oci://ghcr.io/x/loki` → `loki`. */
export function chartName(props: JsonObject): string | undefined {
  const chart = text(props.chart);
  if (chart === undefined) return undefined;
  return chart.replace(/\/+$/, "").split("/").pop();
}

/** Problems of one chart component's values: missing limits, a root user. */
export function chartComponentProblems(values: JsonObject, c: ChartComponent): string[] {
  const problems: string[] = [];
  const limits = limitsProblem(at(values, c.resources));
  if (limits !== undefined)
    problems.push(`${c.component}: ${limits} at \`${dotted(c.resources)}\``);
  if (c.securityContext === undefined || c.user === undefined) return problems;
  const context = at(values, c.securityContext);
  const user = effectiveUser({ securityContext: context }, undefined);
  const where = `\`${dotted(c.securityContext)}\``;
  switch (c.user.kind) {
    case "explicit": {
      const problem = rootProblem(user);
      if (problem !== undefined) problems.push(`${c.component}: ${where} ${problem}`);
      break;
    }
    case "chartDefault":
      if (user.runAsUser === 0 || user.runAsNonRoot === false) {
        problems.push(`${c.component}: ${where} overrides the chart's non-root user with root`);
      }
      break;
    case "rootAllowed": {
      if (rootProblem(user) === undefined) break;
      const escalates = at(context, ["allowPrivilegeEscalation"]) !== false;
      const drops = list(at(context, ["capabilities", "drop"])).includes("ALL");
      if (escalates || !drops) {
        problems.push(
          `${c.component}: runs as root (${c.user.reason}) but ${where} must then set allowPrivilegeEscalation: false and capabilities.drop: [ALL]`,
        );
      }
      break;
    }
    default: {
      const never: never = c.user;
      throw new Error(`unknown user rule ${JSON.stringify(never)}`);
    }
  }
  return problems;
}

/** An image a chart's values set: a `{repository, tag}` object, or a plain `image` string. */
export interface ValuesImage {
  /** Dotted path of the image in the values. */
  readonly where: string;
  readonly tag?: string;
  readonly ref?: string;
}

/** Every image a chart's values set, with where. */
export function valuesImages(values: unknown, path: readonly string[] = []): ValuesImage[] {
  if (Array.isArray(values)) {
    return (values as unknown[]).flatMap((v, i) => valuesImages(v, [...path, String(i)]));
  }
  if (!isObject(values)) return [];
  const found: ValuesImage[] = [];
  if (typeof values.repository === "string" && typeof values.tag === "string") {
    found.push({ where: dotted(path), tag: values.tag });
  }
  for (const [key, v] of Object.entries(values)) {
    if (key === "image" && typeof v === "string") {
      found.push({ where: dotted([...path, key]), ref: v });
    } else found.push(...valuesImages(v, [...path, key]));
  }
  return found;
}
