/**
 * How settings apply sizes (settings/sized.ts): derived defaults, explicit sizes win, small explicit
 * sizes warn, and a derived Fargate task that does not exist stops staging.
 */
import assert from "node:assert/strict";
import { SettingsError } from "../../settings/messages";
import { deriveSizing } from "../../sizing/sizing";
import { capacity, settingsFor } from "../support/sizing";

describe("sizes applied by settings (settings/sized.ts)", () => {
  describe("edge cases", () => {
    it("huge: beyond Fargate's largest task there is no fit, and staging refuses it naming prod", () => {
      const huge = { activeSeries: 25_000_000, logVolumePerDay: "5GB" };
      // 25e6 × 6 KiB = 143 GiB of memory: more than 120 GiB
      const s = deriveSizing(capacity({ activeSeries: huge.activeSeries }));
      assert.equal(s.fargate.prometheus.size, undefined);
      assert.throws(
        () => settingsFor("staging", { capacity: huge }),
        (e: unknown) =>
          e instanceof SettingsError &&
          e.problems.length === 1 &&
          /^`capacity`: 25000000 active series every 30s kept 30d .* need 17 vCPU and 143 GiB for prometheus, more than Fargate's largest task \(16 vCPU \/ 120 GiB\)\. Use the `prod` \(EKS\) stack/.test(
            e.problems[0],
          ),
      );
      // prod runs it on EKS; an explicit Fargate size turns the error into a warning.
      assert.equal(settingsFor("prod", { capacity: huge }).prometheus.retentionSize, "4133GB");
      const explicit = settingsFor("staging", {
        capacity: huge,
        taskSizes: { prometheus: { cpu: 16384, memory: 122880 } },
      });
      assert.deepEqual(explicit.aws.taskSizes.prometheus, { cpu: 16384, memory: 122880 });
      assert.equal(explicit.warnings.length, 1);
      assert.match(explicit.warnings[0], /more than Fargate's largest task/);
    });
    it("rejects a capacity that is not one", () => {
      assert.throws(
        () => settingsFor("dev", { capacity: { activeSeries: 0, logVolumePerDay: "1GB" } }),
        /`capacity\.activeSeries`: .*must be at least 1/,
      );
      assert.throws(
        () => settingsFor("dev", { capacity: { activeSeries: 10, logVolumePerDay: "lots" } }),
        /`capacity\.logVolumePerDay`/,
      );
    });
  });

  describe("settings: derived defaults, explicit sizes win, small explicit sizes warn", () => {
    it("the stack files size from capacity alone: no warnings, derived sizes everywhere", () => {
      const staging = settingsFor("staging");
      const prod = settingsFor("prod");
      assert.deepEqual(staging.warnings, []);
      assert.deepEqual(prod.warnings, []);
      assert.deepEqual(staging.aws.taskSizes, {
        prometheus: staging.sizing.fargate.prometheus.size,
        loki: staging.sizing.fargate.loki.size,
        alertmanager: { cpu: 256, memory: 512 },
        grafana: { cpu: 512, memory: 1024 },
      });
      assert.equal(prod.k8s.storage.prometheus, `${prod.sizing.prometheus.volumeGiB}Gi`);
      assert.equal(prod.k8s.storage.loki, `${prod.sizing.loki.volumeGiB}Gi`);
    });

    it("an explicit retentionSize below the need is kept, with both numbers in a warning", () => {
      const s = settingsFor("staging", { retentionSize: "10GB" });
      assert.equal(s.prometheus.retentionSize, "10GB");
      assert.equal(s.warnings.length, 1);
      assert.match(
        s.warnings[0],
        /^`retentionSize` 10GB is below the 17GB that 100000 active series every 30s kept 30d .* need \(16\.1 GiB of blocks \+ 446 MiB of WAL\); Prometheus will drop data before 30d\.$/,
      );
      assert.deepEqual(settingsFor("staging", { retentionSize: "40GB" }).warnings, []);
    });

    it("an explicit Fargate size below the need is kept, with both sizes in a warning", () => {
      const s = settingsFor("staging", { taskSizes: { prometheus: { cpu: 256, memory: 512 } } });
      assert.deepEqual(s.aws.taskSizes.prometheus, { cpu: 256, memory: 512 });
      assert.deepEqual(s.warnings, [
        "`taskSizes.prometheus` 0.25 vCPU / 512 MiB is below the 0.4375 vCPU / 1.0 GiB that 100000 active series every 30s kept 30d (`capacity`, `scrapeInterval`, `retentionTime`) need (derived task: 0.5 vCPU / 1.0 GiB).",
      ]);
    });

    it("prod: a small explicit volume lowers the default retentionSize to fit it, and warns", () => {
      const s = settingsFor("prod", { prometheusStorageSize: "50Gi" });
      assert.equal(s.k8s.storage.prometheus, "50Gi");
      // 50 Gi × 0.8 = 40GB, below the derived 83GB
      assert.equal(s.prometheus.retentionSize, "40GB");
      assert.match(
        s.warnings[0],
        /`prometheusStorageSize` 50Gi is below the 104Gi that .* need; retentionSize is lowered to 40GB/,
      );
      // Both explicit: the cap is kept; a volume without 20 % to spare beyond it warns.
      const both = settingsFor("prod", { retentionSize: "60GB", prometheusStorageSize: "70Gi" });
      assert.equal(both.prometheus.retentionSize, "60GB");
      assert.deepEqual(both.warnings, [
        "`retentionSize` 60GB is below the 83GB that 500000 active series every 30s kept 30d (`capacity`, `scrapeInterval`, `retentionTime`) need (80.5 GiB of blocks + 2.2 GiB of WAL); Prometheus will drop data before 30d.",
        "`prometheusStorageSize` 70Gi leaves less than 20% of the volume free beyond `retentionSize` 60GB for compaction; 75Gi is recommended.",
      ]);
      assert.deepEqual(
        settingsFor("prod", { retentionSize: "100GB", prometheusStorageSize: "125Gi" }).warnings,
        [],
      );
      const roomy = settingsFor("prod", { prometheusStorageSize: "200Gi" });
      assert.equal(roomy.prometheus.retentionSize, "83GB");
      assert.deepEqual(roomy.warnings, []);
    });

    it("prod: a small explicit Loki volume warns; simple-scalable Loki keeps chunks in S3", () => {
      const s = settingsFor("prod", { lokiStorageSize: "20Gi" });
      assert.equal(s.k8s.storage.loki, "20Gi");
      assert.match(
        s.warnings[0],
        /^`lokiStorageSize` 20Gi is below the 188Gi that 20\.0 GiB\/day|20GB\/day/,
      );
      const scalable = settingsFor("prod", { lokiMode: "simpleScalable" });
      assert.equal(scalable.k8s.storage.loki, "10Gi");
      assert.deepEqual(scalable.warnings, []);
    });

    it("capacity changes the derived sizes end to end", () => {
      const small = settingsFor("staging", {
        capacity: { activeSeries: 10_000, logVolumePerDay: "1GB" },
      });
      const big = settingsFor("staging", {
        capacity: { activeSeries: 1_000_000, logVolumePerDay: "50GB" },
      });
      assert.equal(small.prometheus.retentionSize, "2GB");
      assert.deepEqual(small.aws.taskSizes.prometheus, { cpu: 512, memory: 1024 });
      // 1e6 × 6 KiB + 256 MiB = 6 115 → 6 144 MiB + 128 sidecar; 0.25 + 33 333 / 50 000 → 1 vCPU
      assert.deepEqual(big.aws.taskSizes.prometheus, { cpu: 1024, memory: 7168 });
      // 33 333 samples/s × 30 d × 2 B = 172.8 GB + 4.68 GB of WAL = 165.3 GiB → 166GB
      assert.equal(big.prometheus.retentionSize, "166GB");
    });
  });
});
