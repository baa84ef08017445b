/** The shared AWS network (components/aws/network.ts): subnet CIDRs and the recorded VPC, or an existing one. */
import * as assert from "node:assert/strict";
import { ANYWHERE } from "../../../components/staging/loadBalancer";
import { network, subnetCidrs } from "../../../components/aws/network";
import { MOCK_AZS, MOCK_REGION, promiseOf } from "../../support/harness";
import {
  assertTagged,
  named,
  ofType,
  PREFIX,
  record,
  staging,
  T,
} from "../../support/stagingNetwork";

describe("staging network", () => {
  describe("subnetCidrs", () => {
    it("carves public /20s from the start and private /20s from the upper half", () => {
      assert.deepEqual(subnetCidrs("10.40.0.0/16", 2), {
        public: ["10.40.0.0/20", "10.40.16.0/20"],
        private: ["10.40.128.0/20", "10.40.144.0/20"],
      });
      assert.deepEqual(subnetCidrs("172.16.0.0/12", 3), {
        public: ["172.16.0.0/20", "172.16.16.0/20", "172.16.32.0/20"],
        private: ["172.24.0.0/20", "172.24.16.0/20", "172.24.32.0/20"],
      });
    });

    it("fits two AZs into a /18, the smallest block that holds four /20s", () => {
      assert.deepEqual(subnetCidrs("10.1.64.0/18", 2), {
        public: ["10.1.64.0/20", "10.1.80.0/20"],
        private: ["10.1.96.0/20", "10.1.112.0/20"],
      });
    });

    it("rejects a VPC CIDR too small for the subnets, naming the key and the minimum", () => {
      assert.throws(
        () => subnetCidrs("10.1.0.0/19", 2),
        /`vpcCidr`: got "10.1.0.0\/19" — too small .* \/18 or larger/,
      );
      assert.throws(() => subnetCidrs("10.1.0.0/24", 2), /`vpcCidr`.*too small/);
      assert.throws(() => subnetCidrs("10.0.0.0/18", 3), /too small .* \/17 or larger/);
    });

    it("rejects a CIDR with host bits set or that is not IPv4", () => {
      assert.throws(
        () => subnetCidrs("10.40.1.0/16", 2),
        /host bits set; use the network address 10\.40\.0\.0\/16/,
      );
      assert.throws(() => subnetCidrs("10.400.0.0/16", 2), /`vpcCidr`.*IPv4 CIDR/);
      assert.throws(() => subnetCidrs("10.40.0.0/16", 0), /azCount/);
    });
  });

  describe("created VPC", () => {
    it("builds a VPC with DNS, two public and two private /20 subnets in the first two AZs", async () => {
      const { resources, orphans } = await record((opts) => network(staging().network, opts));
      const vpc = named(resources, T.vpc, `${PREFIX}-vpc`);
      assert.equal(vpc.inputs.cidrBlock, "10.40.0.0/16");
      assert.equal(vpc.inputs.enableDnsSupport, true);
      assert.equal(vpc.inputs.enableDnsHostnames, true);
      const subnets = ofType(resources, T.subnet).map((s) => ({
        name: s.name,
        az: s.inputs.availabilityZone,
        cidr: s.inputs.cidrBlock,
        vpc: s.inputs.vpcId,
        publicIp: s.inputs.mapPublicIpOnLaunch,
      }));
      assert.deepEqual(
        subnets.sort((a, b) => a.name.localeCompare(b.name)),
        [
          {
            name: "stg-private-0",
            az: MOCK_AZS[0],
            cidr: "10.40.128.0/20",
            vpc: "stg-vpc-id",
            publicIp: false,
          },
          {
            name: "stg-private-1",
            az: MOCK_AZS[1],
            cidr: "10.40.144.0/20",
            vpc: "stg-vpc-id",
            publicIp: false,
          },
          {
            name: "stg-public-0",
            az: MOCK_AZS[0],
            cidr: "10.40.0.0/20",
            vpc: "stg-vpc-id",
            publicIp: false,
          },
          {
            name: "stg-public-1",
            az: MOCK_AZS[1],
            cidr: "10.40.16.0/20",
            vpc: "stg-vpc-id",
            publicIp: false,
          },
        ],
      );
      assert.deepEqual(orphans, []);
      assertTagged(resources);
      assert.deepEqual(ofType(resources, T.defaultSg)[0]?.inputs.ingress, undefined);
    });

    it("routes public subnets to the internet gateway and private subnets to one shared NAT (`single`)", async () => {
      const settings = staging();
      assert.equal(settings.network.kind === "create" && settings.network.natGateways, "single");
      const { resources, result } = await record((opts) => network(settings.network, opts));
      const routes = ofType(resources, T.route).map((r) => r.inputs);
      const igw = named(resources, T.igw, `${PREFIX}-igw`);
      assert.equal(igw.inputs.vpcId, "stg-vpc-id");
      assert.deepEqual(routes, [
        {
          routeTableId: "stg-public-rt-id",
          destinationCidrBlock: ANYWHERE,
          gatewayId: "stg-igw-id",
        },
        {
          routeTableId: "stg-private-rt-0-id",
          destinationCidrBlock: ANYWHERE,
          natGatewayId: "stg-nat-0-id",
        },
        {
          routeTableId: "stg-private-rt-1-id",
          destinationCidrBlock: ANYWHERE,
          natGatewayId: "stg-nat-0-id",
        },
      ]);
      const nats = ofType(resources, T.nat);
      assert.equal(nats.length, 1);
      assert.equal(nats[0].inputs.subnetId, "stg-public-0-id");
      assert.equal(ofType(resources, T.eip).length, 1);
      assert.equal(ofType(resources, T.eip)[0].inputs.domain, "vpc");
      const associations = ofType(resources, T.association)
        .map((a) => `${String(a.inputs.subnetId)} -> ${String(a.inputs.routeTableId)}`)
        .sort();
      assert.deepEqual(associations, [
        "stg-private-0-id -> stg-private-rt-0-id",
        "stg-private-1-id -> stg-private-rt-1-id",
        "stg-public-0-id -> stg-public-rt-id",
        "stg-public-1-id -> stg-public-rt-id",
      ]);
      assert.deepEqual(await promiseOf(result.publicSubnetIds), [
        "stg-public-0-id",
        "stg-public-1-id",
      ]);
      assert.deepEqual(await promiseOf(result.privateSubnetIds), [
        "stg-private-0-id",
        "stg-private-1-id",
      ]);
      assert.equal(await promiseOf(result.vpcId), "stg-vpc-id");
      assert.equal(await promiseOf(result.vpcCidr), "10.40.0.0/16");
    });

    it("gives each private subnet its own AZ's NAT gateway with `perAz`", async () => {
      const settings = staging({ natGateways: "perAz", vpcCidr: "10.50.0.0/16" });
      const { resources } = await record((opts) => network(settings.network, opts));
      const nats = ofType(resources, T.nat).map((n) => [n.name, n.inputs.subnetId]);
      assert.deepEqual(nats, [
        ["stg-nat-0", "stg-public-0-id"],
        ["stg-nat-1", "stg-public-1-id"],
      ]);
      assert.equal(ofType(resources, T.eip).length, 2);
      const privateRoutes = ofType(resources, T.route)
        .filter((r) => r.inputs.natGatewayId !== undefined)
        .map((r) => [r.inputs.routeTableId, r.inputs.natGatewayId]);
      assert.deepEqual(privateRoutes, [
        ["stg-private-rt-0-id", "stg-nat-0-id"],
        ["stg-private-rt-1-id", "stg-nat-1-id"],
      ]);
      assert.equal(named(resources, T.subnet, "stg-private-1").inputs.cidrBlock, "10.50.144.0/20");
    });

    it("adds an S3 gateway endpoint on the private route tables only", async () => {
      const { resources } = await record((opts) => network(staging().network, opts));
      const endpoints = ofType(resources, T.endpoint);
      assert.equal(endpoints.length, 1);
      assert.equal(endpoints[0].inputs.vpcEndpointType, "Gateway");
      assert.equal(endpoints[0].inputs.serviceName, `com.amazonaws.${MOCK_REGION}.s3`);
      assert.deepEqual(endpoints[0].inputs.routeTableIds, [
        "stg-private-rt-0-id",
        "stg-private-rt-1-id",
      ]);
    });

    it("fails before creating anything when `vpcCidr` is too small", async () => {
      // Settings report it first (with every other problem); the part checks again on its own.
      assert.throws(
        () => staging({ vpcCidr: "10.60.0.0/20" }),
        /`vpcCidr`: got "10.60.0.0\/20" — must be a \/18 or larger/,
      );
      const small = { kind: "create", cidr: "10.60.0.0/20", natGateways: "single" } as const;
      let error: unknown;
      const { resources } = await record((opts) => {
        try {
          return network(small, opts);
        } catch (e) {
          error = e;
          return "failed";
        }
      });
      assert.match(String(error), /`vpcCidr`: got "10.60.0.0\/20" — too small/);
      assert.deepEqual(resources, []);
    });
  });

  describe("existing VPC", () => {
    it("creates nothing and returns the configured ids", async () => {
      const settings = staging({
        vpcId: "vpc-0a1b2c3d4e5f67890",
        publicSubnetIds: ["subnet-0a0a0a0a", "subnet-0b0b0b0b"],
        privateSubnetIds: ["subnet-0c0c0c0c", "subnet-0d0d0d0d"],
      });
      const { resources, result } = await record((opts) => network(settings.network, opts));
      assert.deepEqual(resources, []);
      assert.equal(await promiseOf(result.vpcId), "vpc-0a1b2c3d4e5f67890");
      assert.deepEqual(await promiseOf(result.publicSubnetIds), [
        "subnet-0a0a0a0a",
        "subnet-0b0b0b0b",
      ]);
      assert.deepEqual(await promiseOf(result.privateSubnetIds), [
        "subnet-0c0c0c0c",
        "subnet-0d0d0d0d",
      ]);
    });
  });
});
