/**
 * The storage a stack declares, read from its resources' inputs for the cost estimate: the volume
 * claims in the Helm values, the node groups' disks and Prometheus' retention size on EFS.
 */
import { GiB, quantityBytes, sizeBytes } from "../sizing/units";
import { type ResourceInputs, TYPES } from "./resources";
import { at } from "./values";

/**
 * GB of a Kubernetes quantity (`64Gi`) or Prometheus size (`40GB`), both base 2 as EBS and EFS
 * bill; undefined for anything else.
 */
export function sizeGb(size: string): number | undefined {
  for (const bytes of [quantityBytes, sizeBytes]) {
    try {
      return bytes(size) / GiB;
    } catch {
      // not this notation
    }
  }
  return undefined;
}

/** Where each chart's values declare a volume claim (replicas default to 1, `enabled` to true). */
const HELM_VOLUMES: readonly {
  readonly chart: string;
  readonly what: string;
  readonly replicas: string;
  readonly size: string;
  readonly enabled?: string;
}[] = [
  {
    chart: "kube-prometheus-stack",
    what: "Prometheus",
    replicas: "prometheus.prometheusSpec.replicas",
    size: "prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage",
  },
  {
    chart: "kube-prometheus-stack",
    what: "Alertmanager",
    replicas: "alertmanager.alertmanagerSpec.replicas",
    size: "alertmanager.alertmanagerSpec.storage.volumeClaimTemplate.spec.resources.requests.storage",
  },
  {
    chart: "kube-prometheus-stack",
    what: "Grafana",
    replicas: "grafana.replicas",
    size: "grafana.persistence.size",
    enabled: "grafana.persistence.enabled",
  },
  {
    chart: "loki",
    what: "Loki",
    replicas: "singleBinary.replicas",
    size: "singleBinary.persistence.size",
    enabled: "singleBinary.persistence.enabled",
  },
  {
    chart: "loki",
    what: "Loki write",
    replicas: "write.replicas",
    size: "write.persistence.size",
    enabled: "write.persistence.volumeClaimsEnabled",
  },
  {
    chart: "loki",
    what: "Loki backend",
    replicas: "backend.replicas",
    size: "backend.persistence.size",
    enabled: "backend.persistence.volumeClaimsEnabled",
  },
];

/** A volume claim template of a Helm release: `replicas` claims of `size`. */
export interface Claim {
  readonly what: string;
  readonly replicas: number;
  readonly sizeGb: number;
  readonly size: string;
}

/** The volume claims the Helm releases declare, from their values. */
export function helmClaims(releases: readonly ResourceInputs[]): Claim[] {
  return releases.flatMap((release) =>
    HELM_VOLUMES.filter((v) => v.chart === release.inputs.chart).flatMap((v): Claim[] => {
      const values = release.inputs.values;
      const size = at(values, v.size);
      const replicas = Number(at(values, v.replicas) ?? 1);
      const enabled = v.enabled === undefined ? true : at(values, v.enabled) === true;
      const gb = typeof size === "string" ? sizeGb(size) : undefined;
      return enabled && replicas > 0 && gb !== undefined
        ? [{ what: v.what, replicas, sizeGb: gb, size: String(size) }]
        : [];
    }),
  );
}

/** Container definitions of a task definition (a JSON string in its inputs). */
function containers(td: ResourceInputs): { command?: unknown }[] {
  const definitions = td.inputs.containerDefinitions;
  if (Array.isArray(definitions)) return definitions as { command?: unknown }[];
  if (typeof definitions !== "string") return [];
  try {
    const parsed = JSON.parse(definitions) as unknown;
    return Array.isArray(parsed) ? (parsed as { command?: unknown }[]) : [];
  } catch {
    return [];
  }
}

/** Prometheus' `--storage.tsdb.retention.size` in the Fargate task definitions, in GB. */
export function prometheusRetentionGb(
  taskDefinitions: readonly ResourceInputs[],
): number | undefined {
  const flag = "--storage.tsdb.retention.size=";
  for (const td of taskDefinitions) {
    for (const c of containers(td)) {
      const args = Array.isArray(c.command) ? (c.command as unknown[]) : [];
      const arg = args.find((a): a is string => typeof a === "string" && a.startsWith(flag));
      if (arg !== undefined) return sizeGb(arg.slice(flag.length));
    }
  }
  return undefined;
}

/**
 * A node group's root disk in GB: `diskSize`, or the first EBS mapping of its launch template
 * (matched by the mock id `<name>-id`); undefined when neither is declared (EKS then uses 20 GB).
 */
export function nodeGroupDiskGb(
  group: ResourceInputs,
  resources: readonly ResourceInputs[],
): number | undefined {
  if (group.inputs.diskSize !== undefined) return Number(group.inputs.diskSize);
  const ref = group.inputs.launchTemplate as { id?: string } | undefined;
  const template = resources.find(
    (r) => r.type === TYPES.launchTemplate && `${r.name}-id` === ref?.id,
  );
  const mappings = template?.inputs.blockDeviceMappings as
    { ebs?: { volumeSize?: number } }[] | undefined;
  const size = mappings?.[0]?.ebs?.volumeSize;
  return size === undefined ? undefined : Number(size);
}
