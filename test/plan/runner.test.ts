/**
 * The mocked program runner (`plan/runner.ts`, `plan/mocks.ts`) on its own: what the mocks record and
 * answer. Whole-program runs are tested everywhere else; that they register what a fresh process
 * registers, in test/index.tools.test.ts.
 */
import assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  isSecretWrapper,
  MOCK_ACCOUNT,
  MOCK_AZS,
  MOCK_REGION,
  registeredCount,
  registeredParentTypes,
} from "../../plan/mocks";
import { promiseOf, recordResources } from "../../plan/runner";

/** A plain custom resource for the mocks to record. */
class Thing extends pulumi.CustomResource {
  constructor(name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    super("test:index:Thing", name, props, opts);
  }
}

describe("mocked program runner (plan/runner.ts, plan/mocks.ts)", () => {
  it("GIVEN resources under a component THEN each is recorded with its inputs, secrets wrapped, and its parent's type", async () => {
    const recorded = await recordResources((parent) => {
      const group = new pulumi.ComponentResource("test:index:Group", "group", {}, { parent });
      new Thing("thing", { plain: "x", token: pulumi.secret("t") }, { parent: group });
    });
    assert.deepEqual(
      recorded.map((r) => [r.type, r.name]),
      [
        ["test:index:Group", "group"],
        ["test:index:Thing", "thing"],
      ],
    );
    const thing = recorded[1];
    assert.equal(thing.inputs.plain, "x");
    assert.ok(isSecretWrapper(thing.inputs.token));
    assert.equal(thing.inputs.token.value, "t");
    assert.equal(registeredCount(), 3); // with the parent recordResources creates
    assert.equal(registeredParentTypes().get("test:index:Thing::thing"), "test:index:Group");
  });

  it("GIVEN AWS lookups and resources THEN the mocks answer with the fixed account, region and zones", async () => {
    let zones: pulumi.Output<string[]> | undefined;
    let identity: pulumi.Output<string> | undefined;
    let arn: pulumi.Output<string> | undefined;
    await recordResources((parent) => {
      zones = pulumi.output(aws.getAvailabilityZones({}, { parent })).names;
      identity = pulumi.output(aws.getCallerIdentity({}, { parent })).accountId;
      arn = new aws.sqs.Queue("queue", {}, { parent }).arn;
    });
    assert.ok(zones && identity && arn);
    assert.deepEqual(await promiseOf(zones), MOCK_AZS);
    assert.equal(await promiseOf(identity), MOCK_ACCOUNT);
    assert.equal(await promiseOf(arn), `arn:aws:sqs:${MOCK_REGION}:${MOCK_ACCOUNT}:queue`);
  });
});
