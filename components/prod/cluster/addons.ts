/**
 * The EKS add-ons the stack needs: the EBS CSI driver (with its IRSA role), without which every
 * PVC stays Pending, and the VPC CNI with its network policy agent, without which EKS ignores every
 * NetworkPolicy.
 */
import type { Cluster as EksCluster } from "@pulumi/aws/eks/cluster";
import { Addon } from "@pulumi/aws/eks/addon";
import type { NodeGroup } from "@pulumi/aws/eks/nodeGroup";
import type * as pulumi from "@pulumi/pulumi";
import type { PartOptions } from "../../parts";
import { IRSA_ROLES } from "../../../catalog/resourceNames";
import { irsaRole, type Oidc } from "./irsa";
import { attachManagedPolicies, MANAGED_POLICIES } from "./managedPolicies";

/** The EBS CSI driver's controller service account (fixed by the EKS add-on). */
export const EBS_CSI_SERVICE_ACCOUNT = {
  namespace: "kube-system",
  name: "ebs-csi-controller-sa",
} as const;

/** `vpc-cni` add-on configuration: the network policy agent enforces NetworkPolicies. */
export const VPC_CNI_CONFIGURATION = { enableNetworkPolicy: "true" } as const;

/** Creates the EBS CSI driver (PITFALLS 6) and the VPC CNI add-on of `eksCluster`. */
export function addons(
  eksCluster: EksCluster,
  nodes: NodeGroup,
  oidc: Oidc,
  partition: pulumi.Output<string>,
  opts: PartOptions,
): { readonly ebsCsi: Addon; readonly vpcCni: Addon } {
  const { parent, prefix } = opts;
  const named = (Name: string) => ({ ...opts.tags, Name });
  const ebsRole = irsaRole(oidc, IRSA_ROLES.ebsCsi, EBS_CSI_SERVICE_ACCOUNT, opts);
  const ebsAttachments = attachManagedPolicies(
    ebsRole,
    `${prefix}-ebs-csi`,
    MANAGED_POLICIES.ebsCsi,
    partition,
    parent,
  );
  const ebsCsi = new Addon(
    `${prefix}-ebs-csi`,
    {
      clusterName: eksCluster.name,
      addonName: "aws-ebs-csi-driver",
      serviceAccountRoleArn: ebsRole.arn,
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      tags: named(`${prefix}-ebs-csi`),
    },
    // The add-on only becomes ACTIVE once its controller pods run, i.e. once nodes exist.
    { parent, dependsOn: [nodes, ...ebsAttachments] },
  );

  // The VPC CNI enforces NetworkPolicies only with its network policy agent switched on.
  const vpcCni = new Addon(
    `${prefix}-vpc-cni`,
    {
      clusterName: eksCluster.name,
      addonName: "vpc-cni",
      configurationValues: JSON.stringify(VPC_CNI_CONFIGURATION),
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      tags: named(`${prefix}-vpc-cni`),
    },
    { parent },
  );
  return { ebsCsi, vpcCni };
}
