/** Amazon Managed Service for Prometheus (the `remoteWrite` setting): the workspace and Prometheus' role. */
import { Workspace } from "@pulumi/aws/amp/workspace";
import { RolePolicy } from "@pulumi/aws/iam/rolePolicy";
import * as pulumi from "@pulumi/pulumi";
import { checkedPolicyJson } from "../../aws/policyDocuments";
import { IRSA_ROLES, prodNames, rolePolicyName } from "../../../catalog/resourceNames";
import type { PartOptions } from "../../parts";
import { type Cluster, SERVICE_ACCOUNTS } from "../types";
import { irsaRole, type Oidc, withPolicy } from "./irsa";
import { ampRemoteWritePolicy } from "./policies";
import { keep } from "./protection";

/** The protected workspace, and a role only Prometheus' service account may use to write to it. */
export function ampRemoteWrite(oidc: Oidc, opts: PartOptions): NonNullable<Cluster["remoteWrite"]> {
  const { parent, prefix } = opts;
  const workspace = new Workspace(
    `${prefix}-amp`,
    { alias: prodNames(prefix).ampAlias, tags: { ...opts.tags, Name: `${prefix}-amp` } },
    keep(parent),
  );
  const role = irsaRole(oidc, IRSA_ROLES.prometheusAmp, SERVICE_ACCOUNTS.prometheus, opts);
  const policy = new RolePolicy(
    rolePolicyName(prodNames(prefix).irsaRole(IRSA_ROLES.prometheusAmp)),
    {
      role: role.id,
      policy: workspace.arn.apply((arn) =>
        checkedPolicyJson("AMP remote-write policy", ampRemoteWritePolicy(arn)),
      ),
    },
    { parent },
  );
  return {
    url: pulumi.interpolate`${workspace.prometheusEndpoint}api/v1/remote_write`,
    workspaceArn: workspace.arn,
    role: withPolicy(role, policy),
  };
}
