/** The prod namespaces (components/prod/manifests/namespaces.ts); their resources: objects.test.ts. */
import * as assert from "node:assert/strict";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { namespaceManifests, PSA } from "../../../../components/prod/manifests/namespaces";
import { COMMON_LABELS, NAMESPACES } from "../../../../components/prod/types";

describe("prod manifests: namespaces", () => {
  it("enforces baseline in the monitoring namespace and reports anything short of restricted", () => {
    const { monitoring } = namespaceManifests();
    new Namespace(monitoring).validate();
    assert.equal(monitoring.metadata?.name, NAMESPACES.monitoring);
    assert.deepEqual(monitoring.metadata?.labels, {
      ...COMMON_LABELS,
      [PSA.enforce]: "baseline",
      [PSA.warn]: "restricted",
      [PSA.audit]: "restricted",
    });
  });

  it("gives the host agents a privileged namespace of their own", () => {
    const { agents } = namespaceManifests();
    new Namespace(agents).validate();
    assert.equal(agents.metadata?.name, NAMESPACES.agents);
    assert.deepEqual(agents.metadata?.labels, { ...COMMON_LABELS, [PSA.enforce]: "privileged" });
  });
});
