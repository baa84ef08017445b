/**
 * IAM for the staging (ECS Fargate) services: pure policy-document builders, a checker that refuses
 * wildcards, and `serviceRoles`, which gives every service its own execution role and task role.
 */
import * as pulumi from "@pulumi/pulumi";
import { Role } from "@pulumi/aws/iam/role";
import { RolePolicy } from "@pulumi/aws/iam/rolePolicy";
import {
  checkedPolicyJson,
  policyDocument,
  type PolicyDocument,
  type PolicyStatement,
  serviceAssumeRolePolicy,
} from "../aws/policyDocuments";
import type { EcsService } from "../../catalog/names";
import { rolePolicyName, stagingNames } from "../../catalog/resourceNames";
import type { PartOptions } from "../parts";

/** Trust policy: only ECS tasks of `accountId` may assume the role (confused-deputy guard). */
export function ecsTasksAssumeRolePolicy(accountId: string): PolicyDocument {
  return serviceAssumeRolePolicy("ecs-tasks.amazonaws.com", accountId);
}

/**
 * What the ECS agent needs to start a task: write to its log group and read the task's secrets.
 * `logGroupArn` is the log group's ARN without the `:*` suffix (as `cloudwatch.LogGroup.arn` gives it).
 */
export function executionRolePolicy(input: {
  readonly logGroupArn: string;
  readonly secretArns: readonly string[];
}): PolicyDocument {
  const logGroup = input.logGroupArn.replace(/:\*$/, "");
  const statements: PolicyStatement[] = [
    {
      Sid: "WriteTaskLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${logGroup}:*`,
    },
  ];
  if (input.secretArns.length > 0) {
    statements.push({
      Sid: "ReadTaskSecrets",
      Effect: "Allow",
      Action: "secretsmanager:GetSecretValue",
      Resource: [...input.secretArns],
    });
  }
  return policyDocument(...statements);
}

/** Throws unless `configPrefix` is a non-empty key prefix without wildcards. */
function checkConfigPrefix(configPrefix: string): void {
  if (configPrefix === "" || configPrefix.includes("*")) {
    throw new Error(
      `configPrefix must be a non-empty S3 key prefix without \`*\` such as \`prometheus/\` (got ${JSON.stringify(configPrefix)}): an empty prefix would grant the whole config bucket.`,
    );
  }
}

/**
 * What the running task needs: mount its own EFS access point (and no other), and read its
 * configuration files under `configPrefix` in the config bucket.
 */
export function taskRolePolicy(input: {
  readonly fileSystemArn: string;
  readonly accessPointArn: string;
  readonly configBucketArn: string;
  /** Key prefix of the service's files, e.g. `prometheus/`; must not be empty (that is the whole bucket). */
  readonly configPrefix: string;
}): PolicyDocument {
  checkConfigPrefix(input.configPrefix);
  return policyDocument(
    {
      Sid: "MountOwnAccessPoint",
      Effect: "Allow",
      Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
      Resource: input.fileSystemArn,
      Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": input.accessPointArn } },
    },
    {
      Sid: "ReadConfigFiles",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: `${input.configBucketArn}/${input.configPrefix}*`,
    },
    {
      Sid: "ListConfigFiles",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: input.configBucketArn,
      Condition: { StringLike: { "s3:prefix": `${input.configPrefix}*` } },
    },
  );
}

/** Inputs of `serviceRoles`. */
export interface ServiceRolesInput {
  /** The service's log group ARN (without `:*`). */
  readonly logGroupArn: pulumi.Input<string>;
  /** Secrets Manager ARNs the service's task definition references; may be empty. */
  readonly secretArns: readonly pulumi.Input<string>[];
  readonly fileSystemArn: pulumi.Input<string>;
  /** The service's own access point; the task role can mount only through it. */
  readonly accessPointArn: pulumi.Input<string>;
  readonly configBucketArn: pulumi.Input<string>;
  /** Key prefix of the service's config files, e.g. `prometheus/` (known at graph-build time). */
  readonly configPrefix: string;
  readonly accountId: pulumi.Input<string>;
}

/** A separate execution role and task role for `service`, each with one inline policy. */
export function serviceRoles(
  service: EcsService,
  input: ServiceRolesInput,
  opts: PartOptions,
): { executionRoleArn: pulumi.Output<string>; taskRoleArn: pulumi.Output<string> } {
  checkConfigPrefix(input.configPrefix); // before any resource exists, not inside an apply
  const { parent, prefix, tags } = opts;
  const assumeRolePolicy = pulumi
    .output(input.accountId)
    .apply((accountId) => JSON.stringify(ecsTasksAssumeRolePolicy(accountId)));

  const names = stagingNames(prefix);
  const executionName = names.executionRole(service);
  const executionRole = new Role(
    executionName,
    {
      description: `ECS agent for the ${service} tasks of ${prefix}: logs and secrets only.`,
      assumeRolePolicy,
      tags: { ...tags, Name: executionName },
    },
    { parent },
  );
  const executionPolicy = new RolePolicy(
    rolePolicyName(executionName),
    {
      role: executionRole.id,
      policy: pulumi
        .all([input.logGroupArn, pulumi.all([...input.secretArns])])
        .apply(([logGroupArn, secretArns]) =>
          checkedPolicyJson(
            `${service} execution role policy`,
            executionRolePolicy({ logGroupArn, secretArns }),
          ),
        ),
    },
    { parent },
  );

  const taskName = names.taskRole(service);
  const taskRole = new Role(
    taskName,
    {
      description: `The ${service} task of ${prefix}: its EFS access point and config files only.`,
      assumeRolePolicy,
      tags: { ...tags, Name: taskName },
    },
    { parent },
  );
  const taskPolicy = new RolePolicy(
    rolePolicyName(taskName),
    {
      role: taskRole.id,
      policy: pulumi
        .all([input.fileSystemArn, input.accessPointArn, input.configBucketArn])
        .apply(([fileSystemArn, accessPointArn, configBucketArn]) =>
          checkedPolicyJson(
            `${service} task role policy`,
            taskRolePolicy({
              fileSystemArn,
              accessPointArn,
              configBucketArn,
              configPrefix: input.configPrefix,
            }),
          ),
        ),
    },
    { parent },
  );

  // The ARNs carry their policy as a dependency, so a task never starts with a role that cannot act yet.
  return {
    executionRoleArn: pulumi.all([executionRole.arn, executionPolicy.id]).apply(([arn]) => arn),
    taskRoleArn: pulumi.all([taskRole.arn, taskPolicy.id]).apply(([arn]) => arn),
  };
}
