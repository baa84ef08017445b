/**
 * Fixtures shared by the staging storage, secrets and IAM tests and the AWS policy-document tests:
 * resource types, the part's prefix and tags, fake network and ARNs, the staging settings with every
 * secret, and a recorder that runs one part under the mocks with each child's options.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { parseSettings } from "../../settings/parse";
import type { Settings } from "../../settings/settings";
import { type Network } from "../../components/aws/types";
import type { PartOptions } from "../../components/parts";
import {
  ALL_RECEIVERS_CONFIG,
  MOCK_ACCOUNT,
  MOCK_REGION,
  RecordedResource,
  type PartRun,
  recordPart,
  settingsInput,
  TEST_SECRETS,
} from "./harness";

export const T = {
  key: "aws:kms/key:Key",
  alias: "aws:kms/alias:Alias",
  fileSystem: "aws:efs/fileSystem:FileSystem",
  backup: "aws:efs/backupPolicy:BackupPolicy",
  fsPolicy: "aws:efs/fileSystemPolicy:FileSystemPolicy",
  mountTarget: "aws:efs/mountTarget:MountTarget",
  accessPoint: "aws:efs/accessPoint:AccessPoint",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
} as const;

export const PREFIX = "staging-eu-west-1";

export const TAGS = { project: "monitoring-stack", environment: "staging" };

export const TASKS_SG = "sg-0a1b2c3d4e5f60001";

export const PRIVATE_SUBNETS = ["subnet-0aaa1111", "subnet-0bbb2222"];

/** The fake ARN the harness gives an AWS resource. */
export const mockArn = (service: string, name: string) =>
  `arn:aws:${service}:${MOCK_REGION}:${MOCK_ACCOUNT}:${name}`;

export function fakeNetwork(privateSubnetIds: readonly string[] = PRIVATE_SUBNETS): Network {
  return {
    vpcId: pulumi.output("vpc-0a1b2c3d4e5f67890"),
    vpcCidr: pulumi.output("10.40.0.0/16"),
    publicSubnetIds: pulumi.output(["subnet-0ccc3333", "subnet-0ddd4444"]),
    privateSubnetIds: pulumi.output([...privateSubnetIds]),
  };
}

/** The secrets staging cannot do without: its stack file sets `smtp.username`. */
export const STAGING_SECRETS = {
  grafanaAdminPassword: TEST_SECRETS.grafanaAdminPassword,
  smtpPassword: TEST_SECRETS.smtpPassword,
};

/** Every secret set, every receiver on (staging needs `smtpPassword`: its stack file sets `smtp.username`). */
export function allSecretsSettings(): Settings {
  return parseSettings(
    settingsInput(
      "staging",
      { heartbeatUrl: ALL_RECEIVERS_CONFIG.heartbeatUrl },
      { ...TEST_SECRETS },
    ),
  );
}

export type Run<R> = PartRun<R> & {
  /** Parent of each resource, by resource name. */
  readonly parents: ReadonlyMap<string, pulumi.Resource | undefined>;
};

/** Runs `fn` under the mocks, recording every child's options (see `recordPart`). */
export async function run<R>(fn: (opts: PartOptions) => R): Promise<Run<R>> {
  const r = await recordPart((scope) => fn({ parent: scope, prefix: PREFIX, tags: TAGS }));
  const parents = new Map([...r.options].map(([name, o]) => [name, o.parent]));
  return { ...r, parents };
}

export function ofType(r: Run<unknown>, type: string): RecordedResource[] {
  return r.resources.filter((x) => x.type === type);
}

export function countByType(r: Run<unknown>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const x of r.resources) counts[x.type] = (counts[x.type] ?? 0) + 1;
  return counts;
}

/** Asserts the base tags and a Name tag on every taggable resource. */
export function assertTagged(r: Run<unknown>, types: readonly string[]): void {
  for (const x of r.resources.filter((y) => types.includes(y.type))) {
    const tags = x.inputs.tags as Record<string, string> | undefined;
    assert.ok(tags, `${x.name} has no tags`);
    assert.deepEqual({ project: tags.project, environment: tags.environment }, TAGS, x.name);
    assert.ok(tags.Name.startsWith(PREFIX), `${x.name}: Name tag ${tags.Name}`);
  }
}

export function assertChildrenOfScope(r: Run<unknown>): void {
  assert.ok(r.resources.length > 0);
  for (const x of r.resources) {
    assert.equal(r.parents.get(x.name), r.scope, `${x.name} is not a child of the component`);
    assert.ok(x.name.startsWith(`${PREFIX}-`), `${x.name} lacks the prefix`);
  }
}

/** ARNs of the shapes the policy builders take (file system, access point, bucket, log group). */
export const POLICY_ARNS = {
  fsArn: "arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0123",
  apArn: "arn:aws:elasticfilesystem:eu-west-1:123456789012:access-point/fsap-0456",
  bucketArn: "arn:aws:s3:::staging-eu-west-1-config",
  logGroupArn: "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/staging-eu-west-1/grafana",
};
