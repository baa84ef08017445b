/**
 * Where each recorded resource type keeps its physical name, for the tests that hold registered
 * names against the limits of catalog/nameLimits.ts; `auto`: Pulumi auto-names it.
 */
import type { NameKind } from "../../catalog/nameLimits";
import type { RecordedResource } from "../../plan/mocks";
import { reveal } from "./harness";

export const NAMED_TYPES: Record<string, { kind: NameKind; field: string; auto?: boolean }> = {
  "aws:iam/role:Role": { kind: "iamRole", field: "name", auto: true },
  "aws:iam/rolePolicy:RolePolicy": { kind: "iamPolicy", field: "name", auto: true },
  "aws:ec2/securityGroup:SecurityGroup": { kind: "securityGroup", field: "name", auto: true },
  "aws:efs/fileSystem:FileSystem": { kind: "efsCreationToken", field: "creationToken", auto: true },
  "aws:eks/nodeGroup:NodeGroup": { kind: "eksNodeGroup", field: "nodeGroupName", auto: true },
  "aws:ec2/launchTemplate:LaunchTemplate": { kind: "launchTemplate", field: "name", auto: true },
  "aws:s3/bucket:Bucket": { kind: "s3BucketPrefix", field: "bucketPrefix" },
  "aws:lb/loadBalancer:LoadBalancer": { kind: "elbNamePrefix", field: "namePrefix" },
  "aws:lb/targetGroup:TargetGroup": { kind: "elbNamePrefix", field: "namePrefix" },
  "aws:ecs/cluster:Cluster": { kind: "ecsCluster", field: "name" },
  "aws:ecs/service:Service": { kind: "ecsService", field: "name" },
  "aws:ecs/taskDefinition:TaskDefinition": { kind: "ecsTaskFamily", field: "family" },
  "aws:eks/cluster:Cluster": { kind: "eksCluster", field: "name" },
  "aws:kms/alias:Alias": { kind: "kmsAlias", field: "name" },
  "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": {
    kind: "cloudMapNamespace",
    field: "name",
  },
  "aws:cloudwatch/logGroup:LogGroup": { kind: "logGroup", field: "name" },
  "aws:secretsmanager/secret:Secret": { kind: "secret", field: "name" },
  "aws:amp/workspace:Workspace": { kind: "ampAlias", field: "alias" },
  "kubernetes:helm.sh/v3:Release": { kind: "helmRelease", field: "name" },
  "docker:index/container:Container": { kind: "docker", field: "name" },
  "docker:index/volume:Volume": { kind: "docker", field: "name" },
  "docker:index/network:Network": { kind: "docker", field: "name" },
};

/** The physical name of a recorded resource as the cloud sees it (auto-names with `-xxxxxxx`). */
export function physicalNameOf(r: RecordedResource): { kind: NameKind; name: string } | undefined {
  const named = NAMED_TYPES[r.type];
  if (named === undefined) return undefined;
  const value = reveal(r.inputs[named.field]);
  if (named.auto && value === undefined) return { kind: named.kind, name: `${r.name}-xxxxxxx` };
  return { kind: named.kind, name: String(value) };
}
