/**
 * The EKS control plane: its IAM role, the KMS key that envelope-encrypts Kubernetes Secrets, the
 * CloudWatch group of its audit logs, and the cluster itself in the VPC's subnets.
 */
import { LogGroup } from "@pulumi/aws/cloudwatch/logGroup";
import { Cluster as EksCluster } from "@pulumi/aws/eks/cluster";
import { Role } from "@pulumi/aws/iam/role";
import { Alias } from "@pulumi/aws/kms/alias";
import { Key } from "@pulumi/aws/kms/key";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../../settings/settings";
import { prodNames } from "../../../catalog/resourceNames";
import { serviceAssumeRolePolicy } from "../../aws/policyDocuments";
import type { Network } from "../../aws/types";
import type { PartOptions } from "../../parts";
import { attachManagedPolicies, MANAGED_POLICIES } from "./managedPolicies";
import { keep } from "./protection";

/** Control-plane log types shipped to CloudWatch (scheduler and controllerManager are noise for us). */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator"] as const;

/** Days CloudWatch keeps the control-plane logs (EKS would otherwise create a never-expiring group). */
export const CONTROL_PLANE_LOG_RETENTION_DAYS = 30;

/** The `create` mode of the `eksClusterMode` setting, with its version and node group. */
export type CreateSettings = Extract<Settings["k8s"]["cluster"], { mode: "create" }>;

/** Creates the protected control plane (named after the prefix) and what it needs first. */
export function controlPlane(
  spec: CreateSettings,
  net: Network,
  partition: pulumi.Output<string>,
  opts: PartOptions,
): EksCluster {
  const { parent, prefix } = opts;
  const named = (Name: string) => ({ ...opts.tags, Name });

  const names = prodNames(prefix);
  const roleName = names.clusterRole;
  const role = new Role(
    roleName,
    {
      description: `EKS control plane of ${prefix}.`,
      assumeRolePolicy: JSON.stringify(serviceAssumeRolePolicy("eks.amazonaws.com")),
      tags: named(roleName),
    },
    { parent },
  );
  const attachments = attachManagedPolicies(
    role,
    roleName,
    MANAGED_POLICIES.cluster,
    partition,
    parent,
  );

  const keyName = `${prefix}-eks-secrets-key`;
  const key = new Key(
    keyName,
    {
      description: `Envelope encryption of the Kubernetes secrets of ${prefix}.`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      tags: named(keyName),
    },
    keep(parent),
  );
  new Alias(`${keyName}-alias`, { name: names.secretsKeyAlias, targetKeyId: key.arn }, { parent });

  // Created before the cluster so EKS does not create it first with infinite retention.
  const logGroup = new LogGroup(
    `${prefix}-eks-logs`,
    {
      name: names.controlPlaneLogGroup,
      retentionInDays: CONTROL_PLANE_LOG_RETENTION_DAYS,
      tags: named(`${prefix}-eks-logs`),
    },
    { parent },
  );

  return new EksCluster(
    `${prefix}-eks`,
    {
      // A fixed name: `aws eks update-kubeconfig --name <clusterName>` works as documented.
      name: names.eksCluster,
      version: spec.version,
      roleArn: role.arn,
      vpcConfig: {
        subnetIds: pulumi
          .all([net.privateSubnetIds, net.publicSubnetIds])
          .apply(([priv, pub]) => [...priv, ...pub]),
        endpointPrivateAccess: true,
        endpointPublicAccess: true,
      },
      encryptionConfig: { provider: { keyArn: key.arn }, resources: ["secrets"] },
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      accessConfig: {
        authenticationMode: "API",
        bootstrapClusterCreatorAdminPermissions: true,
      },
      deletionProtection: true,
      tags: named(prefix),
    },
    { ...keep(parent), dependsOn: [...attachments, logGroup] },
  );
}
