/** The node group's pure pieces (components/prod/cluster/nodeGroup.ts); its resources: cluster.test.ts. */
import * as assert from "node:assert/strict";
import { amiTypeFor } from "../../../../components/prod/cluster/nodeGroup";

describe("prod cluster: node group", () => {
  it("amiTypeFor picks the ARM image for Graviton families only", () => {
    for (const t of ["m6i.xlarge", "m7i-flex.large", "g5.xlarge", "c5n.2xlarge", "inf2.xlarge"]) {
      assert.equal(amiTypeFor(t), "AL2023_x86_64_STANDARD", t);
    }
    for (const t of ["m7g.large", "c6gn.xlarge", "t4g.medium", "r6gd.2xlarge", "im4gn.large"]) {
      assert.equal(amiTypeFor(t), "AL2023_ARM_64_STANDARD", t);
    }
  });
});
