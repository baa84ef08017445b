/**
 * Everything derived from capacity (sizing/sizing.ts) at its edges, the plan's sizing section, and
 * the rule that every constant in sizing/ cites its source. The formulas have their own files:
 * prometheus, loki, fargate and nodes tests beside this one.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { sizingLines } from "../../plan/sizingReport";
import { deriveSizing } from "../../sizing/sizing";
import { ROOT } from "../support/harness";
import { capacity, DAY, settingsFor } from "../support/sizing";

describe("sizing from capacity (sizing/sizing.ts)", () => {
  describe("edge cases", () => {
    it("tiny: one series still gets the WAL floor, a 1GB cap and the smallest task with its sidecar", () => {
      const s = deriveSizing(
        capacity({ activeSeries: 1, retentionSeconds: DAY, logBytesPerDay: 1024 ** 2 }),
      );
      assert.equal(s.prometheus.walBytes, 384 * 1024 ** 2);
      assert.equal(s.prometheus.retentionSize, "1GB");
      assert.equal(s.prometheus.volumeGiB, 2);
      assert.equal(s.loki.volumeGiB, 1);
      // 0.25 vCPU + sidecar 64 → 384 units; 320 MiB + sidecar 128 → 448 MiB: 0.5 vCPU / 1 GiB
      assert.deepEqual(s.fargate.prometheus.size, { cpu: 512, memory: 1024 });
    });
  });

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
  it("every constant says where it comes from (a source URL or `Our assumption`)", () => {
    const dir = path.join(ROOT, "sizing");
    const constants = fs
      .readdirSync(dir)
      .filter((file) => file.endsWith(".ts"))
      .flatMap((file) => [
        ...fs
          .readFileSync(path.join(dir, file), "utf8")
          .matchAll(/\/\*\*([\s\S]*?)\*\/\s*export const (\w+)/g),
      ]);
    assert.ok(constants.length >= 15, `found ${constants.length}`);
    for (const [, doc, name] of constants) {
      assert.match(doc, /https?:\/\/|Our assumption|our conservative|see fargate\.ts/, name);
    }
  });
});
