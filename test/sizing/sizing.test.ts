/**
 * Sizing from capacity (sizing/sizing.ts) at points computed by hand, the Fargate fit, the edge
 * cases (tiny, beyond Fargate), and how settings apply explicit sizes and warn about small ones.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  type Capacity,
  deriveSizing,
  fargateFit,
  lokiSizing,
  prometheusSizing,
} from "../../sizing/sizing";
import { FARGATE_SIZES, fargateSizeProblem } from "../../sizing/fargate";
import { parseSettings, SettingsError, type Settings } from "../../settings/settings";
import { sizingLines } from "../../plan/plan";
import {
  alloyValues,
  kubePrometheusStackValues,
  lokiValues,
  podRequests,
} from "../../components/prod/helm/values";
import { instanceShape, nodeGroupWarnings } from "../../sizing/sizing";
import { ROOT, runProgram, settingsInput, TEST_SECRETS } from "../support/harness";

const DAY = 86_400;
const GiB = 1024 ** 3;

const capacity = (c: Partial<Capacity>): Capacity => ({
  activeSeries: 100_000,
  scrapeIntervalSeconds: 15,
  retentionSeconds: 15 * DAY,
  logBytesPerDay: 10 * GiB,
  lokiRetentionDays: 14,
  ...c,
});

/** The stack's settings with the secrets its files need (no heartbeat token: no heartbeat URL). */
const settingsFor = (stack: string, config: Record<string, unknown> = {}): Settings => {
  const secrets = Object.fromEntries(
    Object.entries(TEST_SECRETS).filter(([key]) => key !== "heartbeatToken"),
  );
  return parseSettings(settingsInput(stack, config, secrets));
};

describe("sizing from capacity (sizing/sizing.ts)", () => {
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

  it("Loki at a point computed by hand: 10 GiB/day kept 14 d", () => {
    const l = lokiSizing(capacity({}));
    // 10 GiB × 14 / 4 (compression) × 1.25 (index, WAL) = 43.75 GiB → 44 GiB
    assert.equal(l.storedBytes, 43.75 * GiB);
    assert.equal(l.volumeGiB, 44);
    // 512 MiB + one hour of 10 GiB/day (426.7 MiB) = 938.7 → 960 MiB
    assert.equal(l.memoryMiB, 960);
  });

  describe("Fargate fit (the nearest valid CPU/memory pair at or above the need)", () => {
    const cases: [cpu: number, memory: number, fit: [number, number] | undefined][] = [
      [256, 2048, [256, 2048]],
      [256, 2049, [512, 3072]],
      [1100, 3000, [2048, 4096]],
      [1024, 9000, [2048, 9216]],
      [4096, 31000, [8192, 32768]],
      [16384, 122880, [16384, 122880]],
      [16384, 122881, undefined],
      [16385, 1024, undefined],
    ];
    for (const [cpu, memory, expected] of cases) {
      it(`${cpu} CPU / ${memory} MiB → ${expected === undefined ? "none" : expected.join("/")}`, () => {
        const fit = fargateFit({ cpu, memory });
        assert.deepEqual(
          fit.size,
          expected === undefined ? undefined : { cpu: expected[0], memory: expected[1] },
        );
        if (fit.size !== undefined) assert.equal(fargateSizeProblem(fit.size), undefined);
      });
    }

    it("never returns a size a cheaper valid size could replace", () => {
      for (const need of [
        { cpu: 300, memory: 900 },
        { cpu: 2000, memory: 5000 },
        { cpu: 5000, memory: 20000 },
      ]) {
        const fit = fargateFit(need).size;
        assert.ok(fit);
        const cheaper = Object.entries(FARGATE_SIZES).flatMap(([c, ms]) =>
          ms
            .filter((m) => Number(c) >= need.cpu && m >= need.memory)
            .filter((m) => Number(c) < fit.cpu || (Number(c) === fit.cpu && m < fit.memory)),
        );
        assert.deepEqual(cheaper, [], JSON.stringify(need));
      }
    });
  });

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

    it("loadSettings logs every warning with pulumi.log.warn", async () => {
      const logged: string[] = [];
      const original = pulumi.log.warn;
      pulumi.log.warn = (msg: string) => {
        logged.push(msg);
        return Promise.resolve();
      };
      try {
        await runProgram("dev", { config: { retentionSize: "1GB" } });
      } finally {
        pulumi.log.warn = original;
      }
      assert.deepEqual(
        logged.filter((m) => m.includes("retentionSize")),
        [
          "`retentionSize` 1GB is below the 2GB that 20000 active series every 15s kept 7d (`capacity`, `scrapeInterval`, `retentionTime`) need (1.5 GiB of blocks + 384 MiB of WAL); Prometheus will drop data before 7d.",
        ],
      );
    });
  });

  describe("EKS node group fit (prod)", () => {
    it("reads vCPU and memory from c/m/r instance type names, nothing else", () => {
      assert.deepEqual(instanceShape("m6i.xlarge"), { vcpu: 4, memoryGiB: 16 });
      assert.deepEqual(instanceShape("r7g.2xlarge"), { vcpu: 8, memoryGiB: 64 });
      assert.deepEqual(instanceShape("c6a.large"), { vcpu: 2, memoryGiB: 4 });
      assert.deepEqual(instanceShape("m5.24xlarge"), { vcpu: 96, memoryGiB: 384 });
      assert.equal(instanceShape("t3.medium"), undefined);
      assert.equal(instanceShape("m6i.metal"), undefined);
    });

    it("lists the requests of every pod the charts run, as the values builders set them", () => {
      const settings = settingsFor("prod");
      const pods = Object.fromEntries(podRequests(settings).map((p) => [p.name, p]));
      // Prometheus 3200Mi/625m + config reloader 32Mi/10m; Loki 1408Mi/313m (hand-computed above)
      assert.deepEqual(pods.prometheus, {
        name: "prometheus",
        replicas: 2,
        cpuMillis: 635,
        memoryMiB: 3232,
      });
      assert.deepEqual(pods.loki, { name: "loki", replicas: 1, cpuMillis: 313, memoryMiB: 1408 });
      assert.equal(pods.alloy.replicas, "perNode");
      // The same figures as the values the releases get.
      const mi = (values: unknown, ...keys: string[]): number =>
        Number(
          String(
            [...keys, "resources", "requests", "memory"].reduce<unknown>(
              (v, k) => (v as Record<string, unknown>)[k],
              values,
            ),
          ).replace("Mi", ""),
        );
      const kps = kubePrometheusStackValues(settings, { storageClassName: "sc" });
      assert.equal(
        mi(kps, "prometheus", "prometheusSpec") +
          mi(kps, "prometheusOperator", "prometheusConfigReloader"),
        pods.prometheus.memoryMiB,
      );
      const loki = lokiValues(settings, { storageClassName: "sc" });
      assert.equal(mi(loki, "singleBinary"), pods.loki.memoryMiB);
      const alloy = alloyValues(settings, { lokiPushUrl: "http://loki" });
      assert.equal(mi(alloy, "alloy") + mi(alloy, "configReloader"), pods.alloy.memoryMiB);
      assert.equal(
        podRequests(settingsFor("prod", { lokiMode: "simpleScalable" })).filter((p) =>
          p.name.startsWith("loki"),
        ).length,
        4,
      );
    });

    it("the default node group holds the default requests, even one node short", () => {
      const pods = podRequests(settingsFor("prod"));
      // About 9.2 GiB / 2.5 vCPU in all; an m6i.xlarge offers pods 14.2 GiB / 3.8 vCPU.
      assert.deepEqual(nodeGroupWarnings("m6i.xlarge", 3, pods), []);
      assert.deepEqual(nodeGroupWarnings("m6i.large", 3, pods), []);
      assert.deepEqual(nodeGroupWarnings("t3.large", 1, pods), [], "unknown family: no check");
    });

    it("warns when a pod cannot fit one node, or the pods cannot fit the group", () => {
      const big = podRequests(
        settingsFor("prod", { capacity: { activeSeries: 2_000_000, logVolumePerDay: "20GB" } }),
      );
      const large = nodeGroupWarnings("m6i.large", 3, big);
      assert.equal(large.length, 2);
      assert.match(
        large[0],
        /^`nodeGroup`: the prometheus pod requests 1635m CPU \/ 11\.8 GiB, more than one m6i\.large offers pods \(about 1900m \/ 6\.6 GiB\); it will stay Pending\./,
      );
      assert.match(
        large[1],
        /more than all 3 × m6i\.large offer pods .*; some will stay Pending\./,
      );
      const small = nodeGroupWarnings("c6i.large", 3, podRequests(settingsFor("prod")));
      // 3 × (4 GiB × 0.95 − 1 GiB) = 8.4 GiB for pods, the defaults request 9.2 GiB.
      assert.deepEqual(small, [
        "`nodeGroup`: the prometheus pod requests 635m CPU / 3.2 GiB, more than one c6i.large offers pods (about 1900m / 2.8 GiB); it will stay Pending. Use a larger `nodeGroup.instanceType` or lower `capacity`.",
        "`nodeGroup`: the monitoring pods request 2533m CPU / 9.2 GiB, more than all 3 × c6i.large offer pods (about 5700m / 8.4 GiB); some will stay Pending. Add nodes or use a larger `nodeGroup.instanceType`.",
      ]);
      // Two m6i.large hold everything (13.2 GiB for 9.0 GiB) but not on one node (6.6 GiB).
      const two = nodeGroupWarnings("m6i.large", 2, podRequests(settingsFor("prod")));
      assert.equal(two.length, 1);
      assert.match(
        two[0],
        /more than all but one of the 2 × m6i\.large offer pods \(about 1900m \/ 6\.6 GiB\); losing or replacing a node leaves pods Pending\./,
      );
    });
  });

  it("the prod stack logs the node-group warnings with pulumi.log.warn", async () => {
    const logged: string[] = [];
    const original = pulumi.log.warn;
    pulumi.log.warn = (msg: string) => {
      logged.push(msg);
      return Promise.resolve();
    };
    try {
      await runProgram("prod", {
        secrets: { ...TEST_SECRETS },
        config: {
          heartbeatUrl: "https://hc-ping.example.com/x",
          nodeGroup: { instanceType: "c6i.large", minSize: 3, desiredSize: 3, maxSize: 3 },
        },
      });
    } finally {
      pulumi.log.warn = original;
    }
    assert.deepEqual(
      logged.filter((m) => m.startsWith("`nodeGroup`")),
      nodeGroupWarnings("c6i.large", 3, podRequests(settingsFor("prod"))),
    );
    assert.equal(logged.filter((m) => m.startsWith("`nodeGroup`")).length, 2);
  });

  it("the plan prints the derived sizes next to the cost", () => {
    const lines = sizingLines(settingsFor("staging"));
    assert.equal(lines[0], "Sizing (sizing/sizing.ts; explicit settings win)");
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
    const source = fs.readFileSync(path.join(ROOT, "sizing", "sizing.ts"), "utf8");
    const constants = [...source.matchAll(/\/\*\*([\s\S]*?)\*\/\s*export const (\w+)/g)];
    assert.ok(constants.length >= 15, `found ${constants.length}`);
    for (const [, doc, name] of constants) {
      if (name === "DEFAULT_CAPACITY") continue;
      assert.match(doc, /https?:\/\/|Our assumption|our conservative|see fargate\.ts/, name);
    }
  });
});
