/**
 * EKS node-group fit (prod): the shape of an instance type, what the monitoring pods request
 * together, and warnings when they do not fit the node group. Every constant says where it comes
 * from or that it is our assumption. Pure.
 */
import { formatBytes, MiB } from "./units";

/**
 * GiB of memory per vCPU of the EC2 families whose ratio the type name tells: compute (c) 1:2,
 * general purpose (m) 1:4, memory optimized (r) 1:8 (AWS, "Amazon EC2 instance type naming
 * conventions", https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html, and
 * the family specifications). Other families are not checked.
 */
export const GIB_PER_VCPU: Readonly<Record<string, number>> = { c: 2, m: 4, r: 8 };

/**
 * Memory the kubelet keeps from pods on an EKS node: the EKS AMI reserves 255 MiB + 11 MiB per
 * possible pod (`kube-reserved`, awslabs/amazon-eks-ami bootstrap) plus a 100 MiB eviction
 * threshold; with 58 pods (an xlarge) that is about 1 GiB. We reserve 1 GiB + 5 % of the node.
 * Our assumption, from those figures.
 */
export const NODE_RESERVED = { memoryMiB: 1024, share: 0.05 } as const;

/** vCPU and memory of an instance type such as `m6i.xlarge` (size `large` = 2 vCPU, `Nxlarge` = 4N). */
export function instanceShape(type: string): { vcpu: number; memoryGiB: number } | undefined {
  const m = /^([a-z]+)\d+[a-z-]*\.(\d*)(x?large)$/.exec(type);
  const perVcpu = m === null ? undefined : GIB_PER_VCPU[m[1]];
  if (m === null || perVcpu === undefined) return undefined;
  const vcpu = m[3] === "large" ? 2 : 4 * (m[2] === "" ? 1 : Number(m[2]));
  return { vcpu, memoryGiB: vcpu * perVcpu };
}

/** A workload's pods and what each requests; `perNode` for DaemonSets. */
export interface PodRequest {
  readonly name: string;
  readonly replicas: number | "perNode";
  readonly cpuMillis: number;
  readonly memoryMiB: number;
}

/** What `pods` request together on `nodes` nodes (DaemonSets run one pod per node). */
export function podTotals(
  pods: readonly PodRequest[],
  nodes: number,
): { cpuMillis: number; memoryMiB: number } {
  const count = (p: PodRequest) => (p.replicas === "perNode" ? nodes : p.replicas);
  return {
    cpuMillis: pods.reduce((sum, p) => sum + count(p) * p.cpuMillis, 0),
    memoryMiB: pods.reduce((sum, p) => sum + count(p) * p.memoryMiB, 0),
  };
}

/**
 * Whether the pods' requests fit a node group of `nodes` × `instanceType`: the largest pod on one
 * node, everything on all nodes, and everything on one node fewer (so a node's loss or a rolling
 * node update leaves room). One warning per failed check; none for an unknown family.
 */
export function nodeGroupWarnings(
  instanceType: string,
  nodes: number,
  pods: readonly PodRequest[],
): string[] {
  const shape = instanceShape(instanceType);
  if (shape === undefined) return [];
  const memoryMiB = shape.memoryGiB * 1024 * (1 - NODE_RESERVED.share) - NODE_RESERVED.memoryMiB;
  const cpuMillis = shape.vcpu * 1000 * (1 - NODE_RESERVED.share);
  const gib = (mib: number) => formatBytes(mib * MiB);
  const warnings: string[] = [];
  for (const p of pods) {
    if (p.memoryMiB > memoryMiB || p.cpuMillis > cpuMillis) {
      warnings.push(
        `\`nodeGroup\`: the ${p.name} pod requests ${p.cpuMillis}m CPU / ${gib(p.memoryMiB)}, more than one ${instanceType} offers pods ` +
          `(about ${Math.floor(cpuMillis)}m / ${gib(memoryMiB)}); it will stay Pending. Use a larger \`nodeGroup.instanceType\` or lower \`capacity\`.`,
      );
    }
  }
  for (const [n, what] of [
    [nodes, "all"],
    [nodes - 1, "all but one of the"],
  ] as const) {
    if (n < 1) continue;
    const need = podTotals(pods, n);
    if (need.memoryMiB > memoryMiB * n || need.cpuMillis > cpuMillis * n) {
      warnings.push(
        `\`nodeGroup\`: the monitoring pods request ${need.cpuMillis}m CPU / ${gib(need.memoryMiB)}, more than ${what} ${nodes} × ${instanceType} ` +
          `offer pods (about ${Math.floor(cpuMillis * n)}m / ${gib(memoryMiB * n)})` +
          (n === nodes
            ? "; some will stay Pending."
            : "; losing or replacing a node leaves pods Pending.") +
          " Add nodes or use a larger `nodeGroup.instanceType`.",
      );
      break;
    }
  }
  return warnings;
}
