/**
 * The IAM policy documents of the prod cluster's service-account roles (IRSA): who may assume a
 * role, and what Prometheus (AMP remote write) and Loki (its bucket) may do. Pure; checked for
 * wildcards when serialized (`checkedPolicyJson`).
 */
import { dns1123SubdomainProblem } from "../../../catalog/kubernetesSyntax";
import { policyDocument, type PolicyDocument } from "../../aws/policyDocuments";

/** The audience IRSA tokens are issued for. */
export const STS_AUDIENCE = "sts.amazonaws.com";

/** Inputs of `irsaTrustPolicy`. */
export interface IrsaTrustInput {
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** The cluster's OIDC issuer URL, `https://oidc.eks.<region>.amazonaws.com/id/<id>`. */
  readonly issuer: string;
  readonly namespace: string;
  readonly serviceAccount: string;
}

/**
 * Trust policy of an IAM role for one Kubernetes service account (IRSA): web-identity tokens of the
 * cluster's OIDC provider whose subject is exactly `system:serviceaccount:<namespace>:<name>` and
 * whose audience is STS. No wildcards: any other pod, even in the same namespace, is refused.
 */
export function irsaTrustPolicy(input: IrsaTrustInput): PolicyDocument {
  if (!input.issuer.startsWith("https://") || input.issuer.length <= "https://".length) {
    throw new Error(
      `irsaTrustPolicy: the OIDC issuer must be an https:// URL (got ${JSON.stringify(input.issuer)}).`,
    );
  }
  for (const [field, value] of [
    ["namespace", input.namespace],
    ["serviceAccount", input.serviceAccount],
  ] as const) {
    if (dns1123SubdomainProblem(value) !== undefined) {
      throw new Error(
        `irsaTrustPolicy: \`${field}\` must be a Kubernetes object name without wildcards (got ${JSON.stringify(value)}).`,
      );
    }
  }
  const host = input.issuer.slice("https://".length).replace(/\/$/, "");
  return policyDocument({
    Sid: "ServiceAccountWebIdentity",
    Effect: "Allow",
    Principal: { Federated: input.oidcProviderArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: {
      StringEquals: {
        [`${host}:sub`]: `system:serviceaccount:${input.namespace}:${input.serviceAccount}`,
        [`${host}:aud`]: STS_AUDIENCE,
      },
    },
  });
}

/** Prometheus' permission on the AMP workspace: remote write to that workspace only. */
export function ampRemoteWritePolicy(workspaceArn: string): PolicyDocument {
  return policyDocument({
    Sid: "RemoteWrite",
    Effect: "Allow",
    Action: "aps:RemoteWrite",
    Resource: workspaceArn,
  });
}

/** Loki's permissions on its bucket: read, write and delete objects (the compactor), list the bucket. */
export function lokiBucketPolicy(bucketArn: string): PolicyDocument {
  return policyDocument(
    {
      Sid: "LokiObjects",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: `${bucketArn}/*`,
    },
    { Sid: "LokiList", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
  );
}
