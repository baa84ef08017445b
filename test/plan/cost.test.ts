/**
 * The plan's cost estimate on its own (`plan/cost.ts`): `estimateMonthlyCost` at points computed by
 * hand with round test prices. Each stack's estimate against prices.json is in test/plan/plan.test.ts.
 */
import assert from "node:assert/strict";
import {
  type CostEstimate,
  type CostInput,
  estimateMonthlyCost,
  type PriceFile,
  PRICES,
} from "../../plan/cost";

describe("offline plan (plan/run.ts)", () => {
  describe("cost", () => {
    describe("estimateMonthlyCost at points computed by hand (round test prices)", () => {
      const prices: PriceFile = {
        ...PRICES,
        hoursPerMonth: 700,
        prices: {
          ...PRICES.prices,
          fargateVcpuHour: 0.04,
          fargateGbHour: 0.005,
          efsGbMonth: 0.3,
          albHour: 0.02,
          albLcuHour: 0.01,
          natGatewayHour: 0.05,
          publicIpv4Hour: 0.005,
          eksControlPlaneHour: 0.1,
          ec2: { "m6i.large": 0.1, "m6i.xlarge": 0.2 },
          ebsGp3GbMonth: 0.1,
          secretsManagerSecretMonth: 0.4,
          kmsKeyMonth: 1,
        },
        assumptions: { albLcus: 2, efsGbBesidesPrometheus: 10, nodeDiskGbWhenUnset: 20 },
      };
      const r = (type: string, name: string, inputs: Record<string, unknown>): CostInput => ({
        type,
        name,
        inputs,
      });
      const line = (cost: CostEstimate, item: string) =>
        cost.lines.find((l) => l.item === item)?.monthlyUsd;

      it("GIVEN a 4 vCPU / 8 GB Fargate task run twice, EFS with a 100GB Prometheus, two NATs and an internal ALB", () => {
        const containers = JSON.stringify([
          { name: "prometheus", command: ["--storage.tsdb.retention.size=100GB"] },
        ]);
        const cost = estimateMonthlyCost(
          "staging",
          [
            r("aws:ecs/taskDefinition:TaskDefinition", "td", {
              cpu: "4096",
              memory: "8192",
              requiresCompatibilities: ["FARGATE"],
              containerDefinitions: containers,
            }),
            r("aws:ecs/service:Service", "svc", {
              taskDefinition: "arn:aws:ecs:eu-west-1:123456789012:td",
              desiredCount: 2,
            }),
            r("aws:efs/fileSystem:FileSystem", "efs", {}),
            r("aws:ec2/natGateway:NatGateway", "nat-0", {}),
            r("aws:ec2/natGateway:NatGateway", "nat-1", {}),
            r("aws:lb/loadBalancer:LoadBalancer", "alb", {
              internal: true,
              loadBalancerType: "application",
              subnets: ["a", "b"],
            }),
          ],
          prices,
        );
        assert.equal(line(cost, "Fargate vCPU"), 8 * 700 * 0.04); // 224
        assert.equal(line(cost, "Fargate memory"), 16 * 700 * 0.005); // 56
        assert.equal(line(cost, "EFS storage"), 110 * 0.3); // 33
        assert.equal(line(cost, "NAT gateway"), 2 * 700 * 0.05); // 70
        assert.equal(line(cost, "Application Load Balancer"), 700 * 0.02); // 14
        assert.equal(line(cost, "ALB capacity units"), 2 * 700 * 0.01); // 14
        // An internal ALB has no public address, and there is no Elastic IP.
        assert.equal(line(cost, "Public IPv4 addresses"), undefined);
        assert.ok(Math.abs(cost.totalUsd - 411) < 1e-9);
      });

      it("GIVEN an EKS cluster, 2 × m6i.large without a disk size and PVCs in the Helm values", () => {
        const cost = estimateMonthlyCost(
          "prod",
          [
            r("aws:eks/cluster:Cluster", "eks", {}),
            r("aws:eks/nodeGroup:NodeGroup", "nodes", {
              instanceTypes: ["m6i.large"],
              scalingConfig: { desiredSize: 2, minSize: 1, maxSize: 3 },
            }),
            r("kubernetes:helm.sh/v3:Release", "kps", {
              chart: "kube-prometheus-stack",
              values: {
                prometheus: {
                  prometheusSpec: {
                    replicas: 2,
                    storageSpec: {
                      volumeClaimTemplate: {
                        spec: { resources: { requests: { storage: "100Gi" } } },
                      },
                    },
                  },
                },
                grafana: { persistence: { enabled: false, size: "10Gi" } },
              },
            }),
            r("kubernetes:helm.sh/v3:Release", "loki", {
              chart: "loki",
              values: {
                singleBinary: { replicas: 1, persistence: { enabled: true, size: "512Mi" } },
              },
            }),
          ],
          prices,
        );
        assert.equal(line(cost, "EKS control plane"), 700 * 0.1); // 70
        assert.equal(line(cost, "EC2 nodes (nodes)"), 2 * 700 * 0.1); // 140
        assert.equal(line(cost, "EBS gp3 node disks"), 2 * 20 * 0.1); // 4 (EKS default 20 GB disks)
        // Prometheus 2 × 100 GB + Loki 0.5 GB; Grafana's volume is off.
        assert.equal(line(cost, "EBS gp3 volume claims"), 200.5 * 0.1); // 20.05
        assert.ok(Math.abs(cost.totalUsd - 234.05) < 1e-9);
      });

      it("GIVEN an instance type without a price THEN it is listed as unpriced and left out of the total", () => {
        const cost = estimateMonthlyCost(
          "prod",
          [
            r("aws:eks/nodeGroup:NodeGroup", "nodes", {
              instanceTypes: ["c7g.metal"],
              scalingConfig: { desiredSize: 1 },
              diskSize: 30,
            }),
          ],
          prices,
        );
        assert.match(
          cost.unpriced.join("\n"),
          /1 × c7g\.metal .*add "c7g\.metal" to ec2 in plan\/prices\.json/,
        );
        assert.ok(Math.abs(cost.totalUsd - 30 * 0.1) < 1e-9); // only the disk
      });

      it("GIVEN a node group whose disk size is in its launch template THEN that size is priced", () => {
        const cost = estimateMonthlyCost(
          "prod",
          [
            r("aws:ec2/launchTemplate:LaunchTemplate", "lt", {
              blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 80 } }],
            }),
            r("aws:eks/nodeGroup:NodeGroup", "nodes", {
              instanceTypes: ["m6i.large"],
              scalingConfig: { desiredSize: 2 },
              launchTemplate: { id: "lt-id", version: "1" },
            }),
          ],
          prices,
        );
        assert.equal(line(cost, "EBS gp3 node disks"), 2 * 80 * 0.1); // 16, not the 20 GB default
      });

      it("GIVEN dev THEN $0 whatever is declared", () => {
        const cost = estimateMonthlyCost("dev", [r("aws:eks/cluster:Cluster", "eks", {})], prices);
        assert.equal(cost.totalUsd, 0);
      });
    });
  });
});
