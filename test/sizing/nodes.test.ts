/** The EKS node-group fit (sizing/nodes.ts): instance shapes, pod totals and the warnings. */
import assert from "node:assert/strict";
import { alloyValues } from "../../components/prod/helm/alloy";
import { kubePrometheusStackValues } from "../../components/prod/helm/kubePrometheusStack";
import { lokiValues } from "../../components/prod/helm/loki";
import { podRequests } from "../../components/prod/helm/podResources";
import { instanceShape, nodeGroupWarnings } from "../../sizing/nodes";
import { settingsFor } from "../support/sizing";

describe("sizing from capacity (sizing/nodes.ts)", () => {
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
});
