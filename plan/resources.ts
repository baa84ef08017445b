/**
 * The registered resources as the plan shows them: redacted, each with the component it was created
 * under, sorted; their counts by type; and the resource types the plan reads.
 */
import type { RecordedResource } from "./mocks";
import { redact } from "./secrets";

/** A registered resource as the plan shows it: no secret value left in its inputs. */
export interface PlanResource {
  readonly type: string;
  readonly name: string;
  /** `<type>::<name>` of the component it was created under (just `<type>` when ambiguous). */
  readonly parent?: string;
  /** The inputs, every secret replaced by `SECRET_MARK`. */
  readonly inputs: Readonly<Record<string, unknown>>;
}

/** The fields of a plan resource that the cost estimate and the volume readers need. */
export type ResourceInputs = Pick<PlanResource, "type" | "name" | "inputs">;

/** The resource types whose inputs the plan's files and cost estimate read. */
export const TYPES = {
  container: "docker:index/container:Container",
  bucketObject: "aws:s3/bucketObjectv2:BucketObjectv2",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  ecsService: "aws:ecs/service:Service",
  fileSystem: "aws:efs/fileSystem:FileSystem",
  loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
  natGateway: "aws:ec2/natGateway:NatGateway",
  eip: "aws:ec2/eip:Eip",
  secret: "aws:secretsmanager/secret:Secret",
  kmsKey: "aws:kms/key:Key",
  eksCluster: "aws:eks/cluster:Cluster",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  helmRelease: "kubernetes:helm.sh/v3:Release",
} as const;

/** A resource's identity in a plan: `<type>::<name>`. */
export const resourceKey = (r: { readonly type: string; readonly name: string }): string =>
  `${r.type}::${r.name}`;

/** Sorts by type, then name. */
export const byTypeAndName = (
  a: { readonly type: string; readonly name: string },
  b: { readonly type: string; readonly name: string },
): number => a.type.localeCompare(b.type) || a.name.localeCompare(b.name);

/**
 * Plan resources from recorded ones: redacted, with their parent, sorted by type and name.
 * `parentTypes` gives each resource's parent type by `resourceKey` (see `registeredParentTypes`).
 */
export function planResources(
  recorded: readonly RecordedResource[],
  parentTypes: ReadonlyMap<string, string> = new Map(),
): PlanResource[] {
  const byType = new Map<string, RecordedResource[]>();
  for (const r of recorded) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
  return recorded
    .map((r): PlanResource => {
      const parentType = parentTypes.get(resourceKey(r));
      const candidates = parentType === undefined ? [] : (byType.get(parentType) ?? []);
      const parent =
        parentType === undefined
          ? undefined
          : candidates.length === 1
            ? resourceKey(candidates[0])
            : parentType;
      return {
        type: r.type,
        name: r.name,
        ...(parent === undefined ? {} : { parent }),
        inputs: redact(r.inputs) as Record<string, unknown>,
      };
    })
    .sort(byTypeAndName);
}

/** Number of resources of each type, sorted by type. */
export function countByType(
  resources: readonly { readonly type: string }[],
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of resources.map((r) => r.type).sort()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}
