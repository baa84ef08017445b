/** The AWS managed policies the cluster's roles get, and their attachments. */
import { RolePolicyAttachment } from "@pulumi/aws/iam/rolePolicyAttachment";
import type { Role } from "@pulumi/aws/iam/role";
import * as pulumi from "@pulumi/pulumi";

/** AWS managed policies (path after `arn:<partition>:iam::aws:policy/`) attached to each role. */
export const MANAGED_POLICIES = {
  cluster: ["AmazonEKSClusterPolicy"],
  node: ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"],
  ebsCsi: ["service-role/AmazonEBSCSIDriverPolicy"],
} as const;

/**
 * Attaches each of `policies` to `role` (named `roleName`), as `<roleName>-<policy name>` (the last
 * path segment). `partition` is the account's (`aws`, `aws-cn`, …).
 */
export function attachManagedPolicies(
  role: Role,
  roleName: string,
  policies: readonly string[],
  partition: pulumi.Output<string>,
  parent: pulumi.Resource,
): RolePolicyAttachment[] {
  return policies.map(
    (policy) =>
      new RolePolicyAttachment(
        `${roleName}-${policy.split("/").pop() ?? policy}`,
        {
          role: role.id,
          policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}`,
        },
        { parent },
      ),
  );
}
