/**
 * IAM roles for service accounts (IRSA): the cluster's OIDC provider in IAM, and roles that exactly
 * one Kubernetes service account of the cluster can assume.
 */
import type { Cluster as EksCluster } from "@pulumi/aws/eks/cluster";
import { OpenIdConnectProvider } from "@pulumi/aws/iam/openIdConnectProvider";
import { Role } from "@pulumi/aws/iam/role";
import type { RolePolicy } from "@pulumi/aws/iam/rolePolicy";
import * as pulumi from "@pulumi/pulumi";
import type { PartOptions } from "../../parts";
import { prodNames } from "../../../catalog/resourceNames";
import type { ServiceAccountRole } from "../types";
import { irsaTrustPolicy, STS_AUDIENCE } from "./policies";

/** The cluster's IAM OIDC provider and issuer URL. */
export interface Oidc {
  readonly providerArn: pulumi.Output<string>;
  readonly issuer: pulumi.Output<string>;
}

/** Registers the cluster's OIDC issuer with IAM, for the STS audience. */
export function oidcProvider(eksCluster: EksCluster, opts: PartOptions): Oidc {
  const { parent, prefix } = opts;
  const issuer = eksCluster.identities.apply((ids) => {
    const url = ids[0]?.oidcs[0]?.issuer;
    if (url === undefined) throw new Error(`the EKS cluster ${prefix} reports no OIDC issuer`);
    return url;
  });
  const provider = new OpenIdConnectProvider(
    `${prefix}-oidc`,
    { url: issuer, clientIdLists: [STS_AUDIENCE], tags: { ...opts.tags, Name: `${prefix}-oidc` } },
    { parent },
  );
  return { providerArn: provider.arn, issuer };
}

/** An IAM role only the service account `account` of this cluster can assume (IRSA). */
export function irsaRole(
  oidc: Oidc,
  role: string,
  account: { readonly namespace: string; readonly name: string },
  opts: PartOptions,
): Role {
  const name = prodNames(opts.prefix).irsaRole(role);
  return new Role(
    name,
    {
      description: `IRSA role of the service account ${account.namespace}/${account.name} in ${opts.prefix}.`,
      assumeRolePolicy: pulumi.all([oidc.providerArn, oidc.issuer]).apply(([arn, issuer]) =>
        JSON.stringify(
          irsaTrustPolicy({
            oidcProviderArn: arn,
            issuer,
            namespace: account.namespace,
            serviceAccount: account.name,
          }),
        ),
      ),
      tags: { ...opts.tags, Name: name },
    },
    { parent: opts.parent },
  );
}

/** The role's ARN, resolved only once its policy exists (no pod starts with a powerless role). */
export function withPolicy(role: Role, policy: RolePolicy): ServiceAccountRole {
  return { roleArn: pulumi.all([role.arn, policy.id]).apply(([arn]) => arn) };
}
