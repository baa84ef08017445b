/**
 * Everything derived from capacity (sizing/sizing.ts) at its edges (the plan's sizing section is
 * tested in test/plan/sizingReport.test.ts), and the rule that every constant in sizing/ cites its source. The formulas have their own files:
 * prometheus, loki, fargate and nodes tests beside this one.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { deriveSizing } from "../../sizing/sizing";
import { ROOT } from "../support/harness";
import { capacity, DAY } from "../support/sizing";

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
