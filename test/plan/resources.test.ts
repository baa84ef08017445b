/** The plan's resource list (`plan/resources.ts`): redacted, parented, sorted, counted. */
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { countByType, planResources } from "../../plan/resources";
import { SECRET_MARK } from "../../plan/secrets";

/** A value as the mocks record a secret. */
const secret = (value: unknown) => ({
  [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
  value,
});

describe("plan resources (plan/resources.ts)", () => {
  it("GIVEN recorded resources and their parents' types THEN each gets its parent, secrets redacted, sorted by type and name", () => {
    const recorded = [
      { type: "t:b", name: "child-2", inputs: { password: secret("pw") } },
      { type: "t:b", name: "child-1", inputs: {} },
      { type: "t:a", name: "root", inputs: {} },
      { type: "t:c", name: "c-1", inputs: {} },
      { type: "t:c", name: "c-2", inputs: {} },
      { type: "t:d", name: "under-c", inputs: {} },
    ];
    const parents = new Map([
      ["t:b::child-1", "t:a"],
      ["t:b::child-2", "t:a"],
      ["t:d::under-c", "t:c"],
    ]);
    assert.deepEqual(planResources(recorded, parents), [
      { type: "t:a", name: "root", inputs: {} },
      { type: "t:b", name: "child-1", parent: "t:a::root", inputs: {} },
      { type: "t:b", name: "child-2", parent: "t:a::root", inputs: { password: SECRET_MARK } },
      { type: "t:c", name: "c-1", inputs: {} },
      { type: "t:c", name: "c-2", inputs: {} },
      // Two components of that type: only the type is known.
      { type: "t:d", name: "under-c", parent: "t:c", inputs: {} },
    ]);
  });

  it("counts resources by type, sorted by type", () => {
    const counts = countByType([{ type: "t:b" }, { type: "t:a" }, { type: "t:b" }]);
    assert.deepEqual(Object.entries(counts), [
      ["t:a", 1],
      ["t:b", 2],
    ]);
  });
});
