/** Prometheus' needs (sizing/prometheus.ts) at points computed by hand. */
import assert from "node:assert/strict";
import { prometheusSizing } from "../../sizing/prometheus";
import { capacity, DAY } from "../support/sizing";

describe("sizing from capacity (sizing/prometheus.ts)", () => {
  describe("Prometheus at points computed by hand", () => {
    it("100k series every 15 s for 15 d", () => {
      const p = prometheusSizing(capacity({}));
      // 100 000 / 15 = 6 666.7 samples/s; × 1 296 000 s × 2 B = 17.28 GB of blocks
      assert.equal(Math.round(p.samplesPerSecond * 10) / 10, 6666.7);
      assert.equal(Math.round(p.blockBytes), 17_280_000_000);
      // WAL: 6 666.7 × 3 h × 13 B = 936 MB (above the 384 MiB floor)
      assert.equal(Math.round(p.walBytes), 936_000_000);
      // (17.28 + 0.936) GB = 16.97 GiB → 17GB; volume 17 / 0.8 = 21.25 → 22 GiB
      assert.equal(p.retentionSize, "17GB");
      assert.equal(p.volumeGiB, 22);
      // 256 MiB + 100 000 × 3 KiB × 2 = 841.9 MiB → 896 (64 MiB steps)
      assert.equal(p.memoryMiB, 896);
      // 0.25 + 6 666.7 / 50 000 = 0.383 vCPU = 392.5 units → 448
      assert.equal(p.cpu, 448);
    });

    it("1M series every 60 s for 90 d", () => {
      const p = prometheusSizing(
        capacity({
          activeSeries: 1_000_000,
          scrapeIntervalSeconds: 60,
          retentionSeconds: 90 * DAY,
        }),
      );
      // 16 666.7 samples/s × 7 776 000 s × 2 B = 259.2 GB; WAL 16 666.7 × 10 800 × 13 = 2.34 GB
      assert.equal(Math.round(p.blockBytes), 259_200_000_000);
      assert.equal(Math.round(p.walBytes), 2_340_000_000);
      // 261.54 GB = 243.6 GiB → 244GB; 244 / 0.8 = 305 GiB
      assert.equal(p.retentionSize, "244GB");
      assert.equal(p.volumeGiB, 305);
      // 256 MiB + 1e6 × 6 KiB = 6 115 MiB → 6 144; 0.25 + 0.333 vCPU = 597 units → 640
      assert.equal(p.memoryMiB, 6144);
      assert.equal(p.cpu, 640);
    });

    it("is linear in retention and series, inverse in the scrape interval", () => {
      const base = prometheusSizing(capacity({}));
      const twiceLonger = prometheusSizing(capacity({ retentionSeconds: 30 * DAY }));
      const twiceSlower = prometheusSizing(capacity({ scrapeIntervalSeconds: 30 }));
      const twiceMore = prometheusSizing(capacity({ activeSeries: 200_000 }));
      assert.equal(twiceLonger.blockBytes, 2 * base.blockBytes);
      assert.equal(twiceLonger.walBytes, base.walBytes, "the WAL holds hours, not the retention");
      assert.equal(twiceSlower.blockBytes, base.blockBytes / 2);
      assert.equal(twiceMore.blockBytes, 2 * base.blockBytes);
      assert.ok(twiceMore.memoryMiB > base.memoryMiB);
      assert.equal(twiceSlower.memoryMiB, base.memoryMiB, "memory follows series, not samples");
    });
  });
});
