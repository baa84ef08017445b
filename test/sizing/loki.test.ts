/** Loki's needs (sizing/loki.ts) at a point computed by hand. */
import assert from "node:assert/strict";
import { lokiSizing } from "../../sizing/loki";
import { capacity, GiB } from "../support/sizing";

describe("sizing from capacity (sizing/loki.ts)", () => {
  it("Loki at a point computed by hand: 10 GiB/day kept 14 d", () => {
    const l = lokiSizing(capacity({}));
    // 10 GiB × 14 / 4 (compression) × 1.25 (index, WAL) = 43.75 GiB → 44 GiB
    assert.equal(l.storedBytes, 43.75 * GiB);
    assert.equal(l.volumeGiB, 44);
    // 512 MiB + one hour of 10 GiB/day (426.7 MiB) = 938.7 → 960 MiB
    assert.equal(l.memoryMiB, 960);
  });
});
