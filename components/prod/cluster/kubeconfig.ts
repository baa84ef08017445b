/** The kubeconfig of a cluster the stack creates: no stored token, `aws eks get-token` per call. */
import { stringify } from "yaml";

/** Inputs of `kubeconfigFor`. */
export interface KubeconfigInput {
  /** The EKS cluster name (also the kubeconfig's cluster, context and user name). */
  readonly name: string;
  /** The API server URL (`https://…`). */
  readonly endpoint: string;
  /** Base64 PEM of the cluster CA (`certificateAuthority.data`). */
  readonly certificateAuthority: string;
  readonly region: string;
}

/**
 * A kubeconfig that authenticates with `aws eks get-token` (exec plugin): no token is stored, every
 * call gets a fresh one for whatever AWS identity runs Pulumi or kubectl. Needs the AWS CLI v2.
 */
export function kubeconfigFor(input: KubeconfigInput): string {
  const { name, endpoint, certificateAuthority, region } = input;
  if (
    name === "" ||
    !endpoint.startsWith("https://") ||
    certificateAuthority === "" ||
    region === ""
  ) {
    throw new Error(
      `kubeconfigFor: needs a cluster name, an https:// endpoint, the CA data and a region (got ${JSON.stringify({ name, endpoint, region, certificateAuthority: certificateAuthority === "" ? "" : "…" })}).`,
    );
  }
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      { name, cluster: { server: endpoint, "certificate-authority-data": certificateAuthority } },
    ],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
    preferences: {},
    users: [
      {
        name,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: [
              "eks",
              "get-token",
              "--cluster-name",
              name,
              "--region",
              region,
              "--output",
              "json",
            ],
            interactiveMode: "Never",
          },
        },
      },
    ],
  });
}
