/** The shared IAM policy documents (components/aws/policyDocuments.ts): the checks and the checked serializer. */
import * as assert from "node:assert/strict";
import {
  checkedPolicyJson,
  policyDocument,
  policyProblems,
  type PolicyDocument,
} from "../../../components/aws/policyDocuments";
import { POLICY_ARNS } from "../../support/stagingParts";

describe("AWS policy documents (components/aws/policyDocuments.ts)", () => {
  const { fsArn, bucketArn } = POLICY_ARNS;

  it("catches wildcard actions, Resource *, NotAction/NotResource and Allow to everyone", () => {
    const doc = (statement: Record<string, unknown>): PolicyDocument =>
      ({ Version: "2012-10-17", Statement: [statement] }) as unknown as PolicyDocument;
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ Effect: "Allow", Action: "*", Resource: bucketArn }, /wildcard action "\*"/],
      [{ Effect: "Allow", Action: ["s3:GetObject", "s3:*"], Resource: bucketArn }, /"s3:\*"/],
      [{ Effect: "Allow", Action: "s3:Get*", Resource: bucketArn }, /"s3:Get\*"/],
      [
        { Effect: "Deny", Action: "elasticfilesystem:*", Resource: fsArn },
        /"elasticfilesystem:\*"/,
      ],
      [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }, /Resource "\*"/],
      [{ Effect: "Allow", Action: "s3:GetObject", Resource: [bucketArn, "*"] }, /Resource "\*"/],
      [{ Effect: "Allow", NotAction: "iam:*", Resource: bucketArn }, /NotAction in an Allow/],
      [{ Effect: "Allow", Action: "s3:GetObject", NotResource: bucketArn }, /NotResource/],
      [
        { Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: bucketArn },
        /Allow to every principal/,
      ],
      [{ Effect: "Allow", Resource: bucketArn }, /has no Action/],
    ];
    for (const [statement, expected] of cases) {
      const problems = policyProblems(doc(statement));
      assert.ok(
        problems.some((p) => expected.test(p)),
        `${JSON.stringify(statement)}: ${JSON.stringify(problems)}`,
      );
    }
    assert.match(
      policyProblems({ Version: "2008-10-17", Statement: [] } as unknown as PolicyDocument).join(
        "\n",
      ),
      /Version must be "2012-10-17"[\s\S]*Statement must be a non-empty list/,
    );
    // A single statement object (valid IAM JSON) is still checked.
    assert.match(
      policyProblems({
        Version: "2012-10-17",
        Statement: { Effect: "Allow", Action: "*", Resource: "*" },
      } as unknown as PolicyDocument).join("\n"),
      /wildcard action[\s\S]*Resource "\*"/,
    );
  });

  it("serializes a clean document and refuses one with problems, naming it", () => {
    const clean = policyDocument({ Effect: "Allow", Action: "s3:GetObject", Resource: bucketArn });
    assert.equal(
      checkedPolicyJson("test policy", clean),
      `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"${bucketArn}"}]}`,
    );
    assert.throws(
      () =>
        checkedPolicyJson(
          "test policy",
          policyDocument({ Effect: "Allow", Action: "s3:*", Resource: bucketArn }),
        ),
      /^Error: test policy: Statement\[0\]: wildcard action "s3:\*"$/,
    );
  });
});
