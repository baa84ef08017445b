/** The staging VPC: created (public + private subnets in two AZs, NAT, S3 endpoint) or an existing one. */
import { getVpcOutput } from "@pulumi/aws/ec2/getVpc";
import { Vpc } from "@pulumi/aws/ec2/vpc";
import { DefaultSecurityGroup } from "@pulumi/aws/ec2/defaultSecurityGroup";
import { InternetGateway } from "@pulumi/aws/ec2/internetGateway";
import { Subnet } from "@pulumi/aws/ec2/subnet";
import { RouteTable } from "@pulumi/aws/ec2/routeTable";
import { Route } from "@pulumi/aws/ec2/route";
import { RouteTableAssociation } from "@pulumi/aws/ec2/routeTableAssociation";
import { Eip } from "@pulumi/aws/ec2/eip";
import { NatGateway } from "@pulumi/aws/ec2/natGateway";
import { VpcEndpoint } from "@pulumi/aws/ec2/vpcEndpoint";
import { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as pulumi from "@pulumi/pulumi";
import {
  formatIpv4Cidr,
  type Ipv4Block,
  networkAddressIfHostBits,
  parseIpv4Cidr,
} from "../../settings/cidrs";
import { vpcCidrHostBitsProblem } from "../../settings/safety";
import type { AwsSettings } from "../../settings/settings";
import type { PartOptions } from "../parts";
import type { Network } from "./types";

/** Availability zones the created VPC spans (the ALB and EFS need at least two). */
export const AZ_COUNT = 2;

/** Prefix length of every subnet the stack creates (4,096 addresses each). */
export const SUBNET_PREFIX = 20;

function parseCidr(cidr: string): Ipv4Block {
  const block = parseIpv4Cidr(cidr);
  if (block === undefined) {
    throw new Error(
      `\`vpcCidr\`: got ${JSON.stringify(cidr)} — must be an IPv4 CIDR block such as \`10.40.0.0/16\`.`,
    );
  }
  return block;
}

/**
 * Pure: the /20 subnets carved from `vpcCidr`, `azCount` of each kind. Public subnets fill the lower
 * half of the VPC from its start, private ones the upper half, so either kind can grow later without
 * renumbering the other. Throws (naming `vpcCidr`) when the block is misaligned or too small.
 */
export function subnetCidrs(
  vpcCidr: string,
  azCount: number,
): { readonly public: string[]; readonly private: string[] } {
  if (!Number.isInteger(azCount) || azCount < 1) {
    throw new Error(`subnetCidrs: azCount must be a positive integer, got ${azCount}`);
  }
  const { base, prefix } = parseCidr(vpcCidr);
  const size = 2 ** (32 - prefix);
  const network = networkAddressIfHostBits({ base, prefix });
  if (network !== undefined) throw new Error(vpcCidrHostBitsProblem(vpcCidr, network));
  const subnetSize = 2 ** (32 - SUBNET_PREFIX);
  // Each half must hold `azCount` subnets: a /20 per AZ and kind.
  const largestPrefix = SUBNET_PREFIX - 1 - Math.ceil(Math.log2(azCount));
  if (prefix > largestPrefix) {
    throw new Error(
      `\`vpcCidr\`: got ${JSON.stringify(vpcCidr)} — too small for ${azCount} public and ${azCount} private /${SUBNET_PREFIX} subnets; ` +
        `use a /${largestPrefix} or larger block (e.g. 10.40.0.0/16): \`pulumi config set vpcCidr <cidr>\`.`,
    );
  }
  const half = size / 2;
  const carve = (start: number) =>
    Array.from({ length: azCount }, (_, i) =>
      formatIpv4Cidr(start + i * subnetSize, SUBNET_PREFIX),
    );
  return { public: carve(base), private: carve(base + half) };
}

/**
 * Creates the staging VPC, or returns the ids of an existing one (creating nothing). Resources are
 * built directly with @pulumi/aws, not awsx, so their inputs stay visible to tests under mocks.
 */
/** Extra tags per subnet kind, e.g. the `kubernetes.io/role/elb` tags EKS load balancers look for. */
export interface SubnetTags {
  readonly public?: Readonly<Record<string, string>>;
  readonly private?: Readonly<Record<string, string>>;
}

export function network(
  settings: AwsSettings["network"],
  opts: PartOptions,
  subnetTags: SubnetTags = {},
): Network {
  if (settings.kind === "existing") {
    const vpc = getVpcOutput({ id: settings.vpcId }, { parent: opts.parent });
    return {
      vpcId: pulumi.output(settings.vpcId),
      vpcCidr: vpc.cidrBlock,
      publicSubnetIds: pulumi.output([...settings.publicSubnetIds]),
      privateSubnetIds: pulumi.output([...settings.privateSubnetIds]),
    };
  }
  // Validate before anything is registered.
  const cidrs = subnetCidrs(settings.cidr, AZ_COUNT);
  const { prefix, parent } = opts;
  const tags = (name: pulumi.Input<string>) => ({ ...opts.tags, Name: name });

  const vpc = new Vpc(
    `${prefix}-vpc`,
    {
      cidrBlock: settings.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: tags(`${prefix}-vpc`),
    },
    { parent },
  );
  // Nothing uses the default security group; strip its rules (CIS AWS 5.4).
  new DefaultSecurityGroup(
    `${prefix}-default-sg`,
    { vpcId: vpc.id, tags: tags(`${prefix}-default-unused`) },
    { parent },
  );

  const zones = getAvailabilityZonesOutput(
    {
      state: "available",
      // Regular AZs only: Local and Wavelength Zones lack NAT gateways and Fargate.
      filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
    },
    { parent },
  ).names.apply((names) => {
    if (names.length < AZ_COUNT) {
      throw new Error(
        `the region has ${names.length} available availability zone(s); the staging VPC needs ${AZ_COUNT}.`,
      );
    }
    return names.slice(0, AZ_COUNT);
  });
  const azs = Array.from({ length: AZ_COUNT }, (_, i) => zones.apply((z) => z[i]));

  const igw = new InternetGateway(
    `${prefix}-igw`,
    { vpcId: vpc.id, tags: tags(`${prefix}-igw`) },
    { parent },
  );

  const publicSubnets = azs.map(
    (az, i) =>
      new Subnet(
        `${prefix}-public-${i}`,
        {
          vpcId: vpc.id,
          availabilityZone: az,
          cidrBlock: cidrs.public[i],
          // Only the ALB and the NAT gateways live here; neither needs an auto-assigned address.
          mapPublicIpOnLaunch: false,
          tags: { ...tags(pulumi.interpolate`${prefix}-public-${az}`), ...subnetTags.public },
        },
        { parent },
      ),
  );
  const privateSubnets = azs.map(
    (az, i) =>
      new Subnet(
        `${prefix}-private-${i}`,
        {
          vpcId: vpc.id,
          availabilityZone: az,
          cidrBlock: cidrs.private[i],
          mapPublicIpOnLaunch: false,
          tags: { ...tags(pulumi.interpolate`${prefix}-private-${az}`), ...subnetTags.private },
        },
        { parent },
      ),
  );

  const publicRouteTable = new RouteTable(
    `${prefix}-public-rt`,
    { vpcId: vpc.id, tags: tags(`${prefix}-public`) },
    { parent },
  );
  new Route(
    `${prefix}-public-default`,
    { routeTableId: publicRouteTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id },
    { parent },
  );
  publicSubnets.forEach(
    (subnet, i) =>
      new RouteTableAssociation(
        `${prefix}-public-rta-${i}`,
        { subnetId: subnet.id, routeTableId: publicRouteTable.id },
        { parent },
      ),
  );

  // `single`: one NAT in the first AZ shared by all (cheaper); `perAz`: one per AZ (survives an AZ outage).
  const natCount = settings.natGateways === "perAz" ? AZ_COUNT : 1;
  const nats = Array.from({ length: natCount }, (_, i) => {
    const eip = new Eip(
      `${prefix}-nat-eip-${i}`,
      { domain: "vpc", tags: tags(`${prefix}-nat-${i}`) },
      { parent, dependsOn: [igw] },
    );
    return new NatGateway(
      `${prefix}-nat-${i}`,
      {
        allocationId: eip.allocationId,
        subnetId: publicSubnets[i].id,
        connectivityType: "public",
        tags: tags(`${prefix}-nat-${i}`),
      },
      { parent, dependsOn: [igw] },
    );
  });

  const privateRouteTables = privateSubnets.map((subnet, i) => {
    const table = new RouteTable(
      `${prefix}-private-rt-${i}`,
      { vpcId: vpc.id, tags: tags(`${prefix}-private-${i}`) },
      { parent },
    );
    new Route(
      `${prefix}-private-default-${i}`,
      {
        routeTableId: table.id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: nats[Math.min(i, nats.length - 1)].id,
      },
      { parent },
    );
    new RouteTableAssociation(
      `${prefix}-private-rta-${i}`,
      { subnetId: subnet.id, routeTableId: table.id },
      { parent },
    );
    return table;
  });

  // Gateway endpoints are free: S3 traffic (config downloads, image layers from ECR) skips the NAT.
  const region = getRegionOutput({}, { parent }).region;
  new VpcEndpoint(
    `${prefix}-s3`,
    {
      vpcId: vpc.id,
      vpcEndpointType: "Gateway",
      serviceName: pulumi.interpolate`com.amazonaws.${region}.s3`,
      routeTableIds: privateRouteTables.map((t) => t.id),
      tags: tags(`${prefix}-s3`),
    },
    { parent },
  );

  return {
    vpcId: vpc.id,
    vpcCidr: vpc.cidrBlock,
    publicSubnetIds: pulumi.all(publicSubnets.map((s) => s.id)),
    privateSubnetIds: pulumi.all(privateSubnets.map((s) => s.id)),
  };
}
