/**
 * The cluster's managed node group: its IAM role, a launch template (encrypted gp3 root disk,
 * IMDSv2 only) and the group in the private subnets, sized by the `nodeGroup` setting.
 */
import { LaunchTemplate } from "@pulumi/aws/ec2/launchTemplate";
import type { Cluster as EksCluster } from "@pulumi/aws/eks/cluster";
import { NodeGroup } from "@pulumi/aws/eks/nodeGroup";
import { Role } from "@pulumi/aws/iam/role";
import * as pulumi from "@pulumi/pulumi";
import { serviceAssumeRolePolicy } from "../../aws/policyDocuments";
import { prodNames } from "../../../catalog/resourceNames";
import type { Network } from "../../aws/types";
import type { PartOptions } from "../../parts";
import type { CreateSettings } from "./controlPlane";
import { attachManagedPolicies, MANAGED_POLICIES } from "./managedPolicies";

/** Root device of the EKS-optimised Amazon Linux 2023 AMIs (x86 and Graviton). */
export const NODE_ROOT_DEVICE = "/dev/xvda";

/** The node group's AMI type: Graviton families (`m7g`, `c6gn`, `t4g`, …) need the ARM image. */
export function amiTypeFor(
  instanceType: string,
): "AL2023_ARM_64_STANDARD" | "AL2023_x86_64_STANDARD" {
  return /^[a-z]+\d+g[a-z]*[.-]/.test(instanceType)
    ? "AL2023_ARM_64_STANDARD"
    : "AL2023_x86_64_STANDARD";
}

/** Creates the node group of `eksCluster` (not protected: nodes are replaceable, see protection.ts). */
export function nodeGroup(
  group: CreateSettings["nodeGroup"],
  eksCluster: EksCluster,
  net: Network,
  partition: pulumi.Output<string>,
  opts: PartOptions,
): NodeGroup {
  const { parent, prefix } = opts;
  const named = (Name: string) => ({ ...opts.tags, Name });
  const names = prodNames(prefix);
  const roleName = names.nodeRole;
  const role = new Role(
    roleName,
    {
      description: `EC2 nodes of the EKS cluster ${prefix}.`,
      assumeRolePolicy: JSON.stringify(serviceAssumeRolePolicy("ec2.amazonaws.com")),
      tags: named(roleName),
    },
    { parent },
  );
  const attachments = attachManagedPolicies(
    role,
    roleName,
    MANAGED_POLICIES.node,
    partition,
    parent,
  );
  // Node root disks: encrypted gp3 whatever the account's EBS default, and IMDSv2 only (hop limit 2
  // so pods that need the instance role through IRSA-less SDKs still work behind the CNI).
  const launchTemplate = new LaunchTemplate(
    names.nodes,
    {
      description: `EKS nodes of ${prefix}: encrypted root disk, IMDSv2`,
      blockDeviceMappings: [
        {
          deviceName: NODE_ROOT_DEVICE,
          ebs: {
            volumeSize: group.diskSize,
            volumeType: "gp3",
            encrypted: "true",
            deleteOnTermination: "true",
          },
        },
      ],
      metadataOptions: {
        httpTokens: "required",
        httpPutResponseHopLimit: 2,
        httpEndpoint: "enabled",
      },
      tags: named(`${prefix}-nodes`),
    },
    { parent },
  );
  return new NodeGroup(
    names.nodes,
    {
      clusterName: eksCluster.name,
      // Auto-named (random suffix) so a replacement is created before the old group is deleted.
      nodeRoleArn: role.arn,
      subnetIds: net.privateSubnetIds,
      instanceTypes: [group.instanceType],
      amiType: amiTypeFor(group.instanceType),
      capacityType: "ON_DEMAND",
      // The disk size lives in the launch template (EKS rejects both).
      launchTemplate: {
        id: launchTemplate.id,
        version: pulumi.interpolate`${launchTemplate.latestVersion}`,
      },
      scalingConfig: {
        minSize: group.minSize,
        desiredSize: group.desiredSize,
        maxSize: group.maxSize,
      },
      updateConfig: { maxUnavailable: 1 },
      tags: named(`${prefix}-nodes`),
    },
    { parent, dependsOn: attachments },
  );
}
