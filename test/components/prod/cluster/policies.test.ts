/** The IAM policy documents of the prod cluster's roles (components/prod/cluster/policies.ts). */
import * as assert from "node:assert/strict";
import {
  ampRemoteWritePolicy,
  irsaTrustPolicy,
  lokiBucketPolicy,
} from "../../../../components/prod/cluster/policies";
import {
  policyProblems,
  serviceAssumeRolePolicy,
} from "../../../../components/aws/policyDocuments";
import { MOCK_ACCOUNT, MOCK_EKS, MOCK_REGION } from "../../../support/harness";

const OIDC_ARN = `arn:aws:iam:${MOCK_REGION}:${MOCK_ACCOUNT}:prod-eu-west-1-oidc`;
const ISSUER_HOST = MOCK_EKS.issuer.slice("https://".length);

describe("prod cluster: IAM policy documents", () => {
  it("irsaTrustPolicy trusts exactly one service account of the cluster's OIDC provider", () => {
    const doc = irsaTrustPolicy({
      oidcProviderArn: OIDC_ARN,
      issuer: MOCK_EKS.issuer,
      namespace: "monitoring",
      serviceAccount: "kps-prometheus",
    });
    assert.deepEqual(doc, {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ServiceAccountWebIdentity",
          Effect: "Allow",
          Principal: { Federated: OIDC_ARN },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              [`${ISSUER_HOST}:sub`]: "system:serviceaccount:monitoring:kps-prometheus",
              [`${ISSUER_HOST}:aud`]: "sts.amazonaws.com",
            },
          },
        },
      ],
    });
    assert.deepEqual(policyProblems(doc), []);
  });

  it("irsaTrustPolicy refuses wildcards and issuers that are not https URLs", () => {
    const base = {
      oidcProviderArn: OIDC_ARN,
      issuer: MOCK_EKS.issuer,
      namespace: "monitoring",
      serviceAccount: "loki",
    };
    assert.throws(() => irsaTrustPolicy({ ...base, serviceAccount: "*" }), /`serviceAccount`/);
    assert.throws(() => irsaTrustPolicy({ ...base, namespace: "mon*" }), /`namespace`/);
    assert.throws(
      () => irsaTrustPolicy({ ...base, issuer: "oidc.eks.eu-west-1.amazonaws.com/id/X" }),
      /https:\/\//,
    );
  });

  it("service trust policies name exactly one AWS service", () => {
    assert.deepEqual(serviceAssumeRolePolicy("eks.amazonaws.com"), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ServiceAssumeRole",
          Effect: "Allow",
          Principal: { Service: "eks.amazonaws.com" },
          Action: "sts:AssumeRole",
        },
      ],
    });
    assert.deepEqual(policyProblems(serviceAssumeRolePolicy("ec2.amazonaws.com")), []);
  });

  it("the AMP and Loki policies grant only the named actions on the named resources", () => {
    const ws = "arn:aws:aps:eu-west-1:123456789012:workspace/ws-1";
    assert.deepEqual(ampRemoteWritePolicy(ws), {
      Version: "2012-10-17",
      Statement: [{ Sid: "RemoteWrite", Effect: "Allow", Action: "aps:RemoteWrite", Resource: ws }],
    });
    const bucket = "arn:aws:s3:::prod-loki-abc";
    assert.deepEqual(lokiBucketPolicy(bucket), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "LokiObjects",
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
          Resource: `${bucket}/*`,
        },
        { Sid: "LokiList", Effect: "Allow", Action: "s3:ListBucket", Resource: bucket },
      ],
    });
    assert.deepEqual(policyProblems(ampRemoteWritePolicy(ws)), []);
    assert.deepEqual(policyProblems(lokiBucketPolicy(bucket)), []);
  });
});
