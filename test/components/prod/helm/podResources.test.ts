/** Requests, limits and the pods they add up to (components/prod/helm/podResources.ts). */
import * as assert from "node:assert/strict";
import {
  LOKI_GATEWAY_REPLICAS,
  LOKI_SCALABLE_REPLICAS,
  podRequests,
  RESOURCES,
  sizedResources,
} from "../../../../components/prod/helm/podResources";
import { prodSettings } from "../../../support/prodValues";

describe("prod pod resources", () => {
  it("requests the derived need and limits bursts to 1.5 × memory and 2 × CPU, at least one core", () => {
    // 640 Fargate units = 625m; 3200 MiB × 1.5 = 4800 MiB
    assert.deepEqual(sizedResources({ cpu: 640, memoryMiB: 3200 }), {
      requests: { cpu: "625m", memory: "3200Mi" },
      limits: { cpu: "1250m", memory: "4800Mi" },
    });
    // 256 units = 250m → limit 1000m (the floor); 1000 MiB × 1.5 = 1500 → 1536Mi (64 MiB steps)
    assert.deepEqual(sizedResources({ cpu: 256, memoryMiB: 1000 }), {
      requests: { cpu: "250m", memory: "1000Mi" },
      limits: { cpu: "1000m", memory: "1536Mi" },
    });
  });

  it("sums each pod's containers and follows the Loki mode", () => {
    const single = Object.fromEntries(podRequests(prodSettings()).map((p) => [p.name, p]));
    // Alertmanager 50m/64Mi + config reloader 10m/32Mi, one pod per replica
    assert.deepEqual(single.alertmanager, {
      name: "alertmanager",
      replicas: 3,
      cpuMillis: 60,
      memoryMiB: 96,
    });
    assert.deepEqual(single.alloy, {
      name: "alloy",
      replicas: "perNode",
      cpuMillis: 110,
      memoryMiB: 178,
    });
    assert.ok(single.loki !== undefined && single["loki-gateway"] === undefined);
    const scalable = Object.fromEntries(
      podRequests(prodSettings({ lokiMode: "simpleScalable" })).map((p) => [p.name, p]),
    );
    assert.equal(scalable.loki, undefined);
    for (const target of ["loki-write", "loki-read", "loki-backend"]) {
      assert.equal(scalable[target].replicas, LOKI_SCALABLE_REPLICAS, target);
      assert.equal(scalable[target].cpuMillis, 250, target);
      assert.equal(scalable[target].memoryMiB, 512, target);
    }
    assert.equal(scalable["loki-gateway"].replicas, LOKI_GATEWAY_REPLICAS);
    assert.deepEqual(RESOURCES.lokiGateway.requests, { cpu: "50m", memory: "64Mi" });
  });
});
