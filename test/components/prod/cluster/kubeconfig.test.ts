/** The kubeconfig of a created cluster (components/prod/cluster/kubeconfig.ts). */
import * as assert from "node:assert/strict";
import { parse } from "yaml";
import { kubeconfigFor } from "../../../../components/prod/cluster/kubeconfig";
import { MOCK_EKS, MOCK_REGION } from "../../../support/harness";

const PREFIX = "prod-eu-west-1";

describe("prod cluster: kubeconfig", () => {
  it("kubeconfigFor authenticates through `aws eks get-token` and stores no token", () => {
    const text = kubeconfigFor({
      name: PREFIX,
      endpoint: MOCK_EKS.endpoint,
      certificateAuthority: MOCK_EKS.certificateAuthority,
      region: MOCK_REGION,
    });
    assert.deepEqual(parse(text), {
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        {
          name: PREFIX,
          cluster: {
            server: MOCK_EKS.endpoint,
            "certificate-authority-data": MOCK_EKS.certificateAuthority,
          },
        },
      ],
      contexts: [{ name: PREFIX, context: { cluster: PREFIX, user: PREFIX } }],
      "current-context": PREFIX,
      preferences: {},
      users: [
        {
          name: PREFIX,
          user: {
            exec: {
              apiVersion: "client.authentication.k8s.io/v1beta1",
              command: "aws",
              args: [
                "eks",
                "get-token",
                "--cluster-name",
                PREFIX,
                "--region",
                MOCK_REGION,
                "--output",
                "json",
              ],
              interactiveMode: "Never",
            },
          },
        },
      ],
    });
  });

  it("kubeconfigFor refuses a missing CA or a non-https endpoint", () => {
    const base = {
      name: PREFIX,
      endpoint: MOCK_EKS.endpoint,
      certificateAuthority: "Y2E=",
      region: MOCK_REGION,
    };
    assert.throws(() => kubeconfigFor({ ...base, certificateAuthority: "" }), /CA data/);
    assert.throws(() => kubeconfigFor({ ...base, endpoint: "http://x" }), /https:\/\//);
  });
});
