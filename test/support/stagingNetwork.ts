/**
 * Fixtures shared by the staging network and load-balancer tests (test/components/aws/network.test.ts,
 * test/components/staging/loadBalancer.test.ts): resource types, the part's prefix and tags, the
 * staging settings, and a recorder that runs one part under the mocks.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import type { PartOptions } from "../../components/parts";
import { parseSettings } from "../../settings/parse";
import type { AwsSettings } from "../../settings/settings";
import { RecordedResource, recordResources, reveal, settingsInput, TEST_SECRETS } from "./harness";

export const T = {
  vpc: "aws:ec2/vpc:Vpc",
  defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  subnet: "aws:ec2/subnet:Subnet",
  igw: "aws:ec2/internetGateway:InternetGateway",
  routeTable: "aws:ec2/routeTable:RouteTable",
  route: "aws:ec2/route:Route",
  association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  eip: "aws:ec2/eip:Eip",
  nat: "aws:ec2/natGateway:NatGateway",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  alb: "aws:lb/loadBalancer:LoadBalancer",
  targetGroup: "aws:lb/targetGroup:TargetGroup",
  listener: "aws:lb/listener:Listener",
} as const;

export const PREFIX = "stg";

export const TAGS = { environment: "staging", "managed-by": "pulumi" };

/** The `aws` settings of the real staging stack files plus `overrides`. */
export function staging(overrides: Record<string, unknown> = {}): AwsSettings {
  return parseSettings(
    settingsInput("staging", overrides, {
      grafanaAdminPassword: TEST_SECRETS.grafanaAdminPassword,
      smtpPassword: TEST_SECRETS.smtpPassword,
    }),
  ).aws;
}

export interface Recording<R> {
  readonly resources: RecordedResource[];
  readonly result: R;
  /** Logical names of recorded resources that are not children of the part's parent. */
  readonly orphans: string[];
}

/**
 * Runs a part under the mocks with its own parent component. A transformation on that parent is
 * inherited only by its children, so a recorded resource it never saw was created without the parent.
 */
export async function record<R>(part: (opts: PartOptions) => R): Promise<Recording<R>> {
  let result: R | undefined;
  const children = new Set<string>();
  const recorded = await recordResources((root) => {
    const parent = new pulumi.ComponentResource(
      "test:index:Part",
      "part",
      {},
      {
        parent: root,
        transformations: [
          (args) => {
            if (args.type !== "test:index:Part") children.add(`${args.type}::${args.name}`);
            return undefined;
          },
        ],
      },
    );
    result = part({ parent, prefix: PREFIX, tags: TAGS });
  });
  assert.ok(result !== undefined, "the part returned nothing");
  const resources = recorded.filter((r) => r.type !== "test:index:Part");
  const orphans = resources.filter((r) => !children.has(`${r.type}::${r.name}`)).map((r) => r.name);
  return { resources, result, orphans };
}

export function ofType(resources: readonly RecordedResource[], type: string): RecordedResource[] {
  return resources.filter((r) => r.type === type);
}

export function named(resources: readonly RecordedResource[], type: string, name: string) {
  const found = resources.find((r) => r.type === type && r.name === name);
  assert.ok(
    found,
    `no ${type} named ${name}; have ${ofType(resources, type)
      .map((r) => r.name)
      .join(", ")}`,
  );
  return found;
}

/** Every resource carries the part's tags and a `Name` tag, where the type is taggable. */
export function assertTagged(resources: readonly RecordedResource[]): void {
  const untaggable = new Set<string>([T.route, T.association]);
  for (const r of resources) {
    assert.ok(r.name.startsWith(`${PREFIX}-`), `${r.name} lacks the prefix`);
    if (untaggable.has(r.type)) continue;
    const tags = reveal(r.inputs.tags) as Record<string, string> | undefined;
    assert.ok(tags, `${r.type} ${r.name} has no tags`);
    assert.equal(tags.environment, TAGS.environment, `${r.name} misses the part's tags`);
    assert.match(tags.Name, new RegExp(`^${PREFIX}-`), `${r.name} has no Name tag`);
  }
}
