/**
 * IAM for the staging (ECS Fargate) services: pure policy-document builders, a checker that refuses
 * wildcards, and `serviceRoles`, which gives every service its own execution role and task role.
 */
import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import type { EcsService, PartOptions } from "./types";

type OneOrMore = string | readonly string[];

/** One statement of an IAM policy document (identity, trust or resource policy). */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: "*" | Readonly<Record<string, OneOrMore>>;
  readonly Action?: OneOrMore;
  readonly NotAction?: OneOrMore;
  readonly Resource?: OneOrMore;
  readonly NotResource?: OneOrMore;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, OneOrMore>>>>;
}

/** An IAM policy document as a plain object; serialize it with `JSON.stringify`. */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

/** Trust policy: only ECS tasks of `accountId` may assume the role (confused-deputy guard). */
export function ecsTasksAssumeRolePolicy(accountId: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "EcsTasksAssumeRole",
        Effect: "Allow",
        Principal: { Service: "ecs-tasks.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  };
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
  return { Version: "2012-10-17", Statement: statements };
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
  return {
    Version: "2012-10-17",
    Statement: [
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
    ],
  };
}

const list = (v: OneOrMore | undefined): readonly string[] =>
  v === undefined ? [] : typeof v === "string" ? [v] : v;

/**
 * Problems of a policy document: wildcard actions (`*`, `s3:*`, `s3:Get*`), `Resource: "*"`,
 * `NotAction`/`NotResource` in an Allow, and Allows to every principal. Empty when the document is fine.
 */
export function policyProblems(doc: PolicyDocument): string[] {
  const problems: string[] = [];
  if ((doc.Version as string) !== "2012-10-17") {
    problems.push(`Version must be "2012-10-17" (got ${JSON.stringify(doc.Version)})`);
  }
  // Documents parsed from JSON may hold a single statement object instead of a list.
  const raw: unknown = doc.Statement;
  const statements: readonly PolicyStatement[] = Array.isArray(raw)
    ? (raw as PolicyStatement[])
    : raw !== null && typeof raw === "object"
      ? [raw as PolicyStatement]
      : [];
  if (statements.length === 0) problems.push("Statement must be a non-empty list");
  statements.forEach((s, i) => {
    const where = `Statement[${i}]${s.Sid === undefined ? "" : ` (${s.Sid})`}`;
    const actions = list(s.Action);
    if (actions.length === 0 && s.NotAction === undefined) problems.push(`${where} has no Action`);
    for (const action of actions) {
      if (action.includes("*")) problems.push(`${where}: wildcard action "${action}"`);
    }
    if (list(s.Resource).includes("*")) problems.push(`${where}: Resource "*"`);
    if (s.Effect === "Allow") {
      if (s.NotAction !== undefined) problems.push(`${where}: NotAction in an Allow`);
      if (s.NotResource !== undefined) problems.push(`${where}: NotResource in an Allow`);
      const principal = s.Principal;
      const everyone =
        principal === "*" ||
        (principal !== undefined &&
          Object.values<OneOrMore>(principal).some((p) => list(p).includes("*")));
      if (everyone) problems.push(`${where}: Allow to every principal ("*")`);
    }
  });
  return problems;
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

  const executionName = `${prefix}-${service}-execution`;
  const executionRole = new iam.Role(
    executionName,
    {
      description: `ECS agent for the ${service} tasks of ${prefix}: logs and secrets only.`,
      assumeRolePolicy,
      tags: { ...tags, Name: executionName },
    },
    { parent },
  );
  const executionPolicy = new iam.RolePolicy(
    `${executionName}-policy`,
    {
      role: executionRole.id,
      policy: pulumi
        .all([input.logGroupArn, pulumi.all([...input.secretArns])])
        .apply(([logGroupArn, secretArns]) =>
          JSON.stringify(executionRolePolicy({ logGroupArn, secretArns })),
        ),
    },
    { parent },
  );

  const taskName = `${prefix}-${service}-task`;
  const taskRole = new iam.Role(
    taskName,
    {
      description: `The ${service} task of ${prefix}: its EFS access point and config files only.`,
      assumeRolePolicy,
      tags: { ...tags, Name: taskName },
    },
    { parent },
  );
  const taskPolicy = new iam.RolePolicy(
    `${taskName}-policy`,
    {
      role: taskRole.id,
      policy: pulumi
        .all([input.fileSystemArn, input.accessPointArn, input.configBucketArn])
        .apply(([fileSystemArn, accessPointArn, configBucketArn]) =>
          JSON.stringify(
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
