/** components/contract.ts: the tags every taggable cloud resource of a stack carries. */
import assert from "node:assert/strict";
import { stackTags } from "../../components/contract";
import { settingsFor } from "../support/sizing";

describe("stack tags (components/contract.ts)", () => {
  it("name the cluster, the environment, the project and the stack", () => {
    // Pulumi.staging.yaml sets clusterName; Pulumi.yaml names the project.
    assert.deepEqual(stackTags(settingsFor("staging")), {
      "monitoring:cluster": "staging-eu-west-1",
      "monitoring:environment": "staging",
      "pulumi:project": "monitoring-stack",
      "pulumi:stack": "staging",
    });
    assert.equal(stackTags(settingsFor("prod"))["monitoring:environment"], "prod");
  });
});
