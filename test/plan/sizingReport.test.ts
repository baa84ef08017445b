/** The plan's sizing section (plan/sizingReport.ts): derived sizes, explicit ones and their warnings. */
import assert from "node:assert/strict";
import { sizingLines } from "../../plan/sizingReport";
import { settingsFor } from "../support/sizing";

describe("the plan's sizing section (plan/sizingReport.ts)", () => {
  it("the plan prints the derived sizes next to the cost", () => {
    const lines = sizingLines(settingsFor("staging"));
    assert.equal(lines[0], "Sizing (sizing/; explicit settings win)");
    assert.ok(lines.some((l) => l.includes("Fargate tasks: prometheus 0.5 vCPU / 1.0 GiB")));
    assert.ok(lines.some((l) => /EFS: about 65 GiB stored/.test(l)));
    const prod = sizingLines(settingsFor("prod"));
    assert.ok(prod.some((l) => l.includes("Volumes: prometheus 2 × 104Gi, loki 188Gi")));
    assert.ok(
      prod.includes("  Pod requests: 2533m CPU / 9.2 GiB on 3 × m6i.xlarge"),
      prod.join("\n"),
    );
    assert.ok(!prod.some((l) => l.includes("Warning")));
    const tight = sizingLines(
      settingsFor("prod", {
        nodeGroup: { instanceType: "c6i.large", minSize: 3, desiredSize: 3, maxSize: 3 },
      }),
    );
    assert.equal(tight.filter((l) => l.startsWith("  Warning: `nodeGroup`")).length, 2);
  });
});
