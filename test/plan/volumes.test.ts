/** The storage a stack declares, as the cost estimate reads it (`plan/volumes.ts`). */
import assert from "node:assert/strict";
import { helmClaims, nodeGroupDiskGb, prometheusRetentionGb, sizeGb } from "../../plan/volumes";

describe("plan volumes (plan/volumes.ts)", () => {
  it("GIVEN Kubernetes quantities and Prometheus sizes THEN GB base 2; anything else undefined", () => {
    assert.equal(sizeGb("64Gi"), 64);
    assert.equal(sizeGb("512Mi"), 0.5);
    assert.equal(sizeGb("40GB"), 40);
    assert.equal(sizeGb("lots"), undefined);
  });

  it("GIVEN Helm values THEN the enabled claims with their replicas", () => {
    const claims = helmClaims([
      {
        type: "kubernetes:helm.sh/v3:Release",
        name: "loki",
        inputs: {
          chart: "loki",
          values: {
            singleBinary: { replicas: 0, persistence: { enabled: true, size: "10Gi" } },
            write: { replicas: 3, persistence: { volumeClaimsEnabled: true, size: "20Gi" } },
            backend: { replicas: 2, persistence: { volumeClaimsEnabled: false, size: "5Gi" } },
          },
        },
      },
    ]);
    assert.deepEqual(claims, [{ what: "Loki write", replicas: 3, sizeGb: 20, size: "20Gi" }]);
  });

  it("GIVEN task definitions and node groups THEN Prometheus' retention size and each node's disk", () => {
    const td = (command: string[]) => ({
      type: "aws:ecs/taskDefinition:TaskDefinition",
      name: "td",
      inputs: { containerDefinitions: JSON.stringify([{ name: "x" }, { name: "p", command }]) },
    });
    assert.equal(prometheusRetentionGb([td(["--storage.tsdb.retention.size=17GB"])]), 17);
    assert.equal(prometheusRetentionGb([td(["--web.enable-lifecycle"])]), undefined);

    const template = {
      type: "aws:ec2/launchTemplate:LaunchTemplate",
      name: "lt",
      inputs: { blockDeviceMappings: [{ ebs: { volumeSize: 80 } }] },
    };
    const group = (inputs: Record<string, unknown>) => ({
      type: "aws:eks/nodeGroup:NodeGroup",
      name: "ng",
      inputs,
    });
    assert.equal(nodeGroupDiskGb(group({ diskSize: 30 }), [template]), 30);
    assert.equal(nodeGroupDiskGb(group({ launchTemplate: { id: "lt-id" } }), [template]), 80);
    assert.equal(nodeGroupDiskGb(group({}), [template]), undefined);
  });
});
