/**
 * Staging IAM (components/staging/iam.ts): the policy document builders, and the service roles
 * recorded under mocks together with storage and secrets.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import {
  ecsTasksAssumeRolePolicy,
  executionRolePolicy,
  serviceRoles,
  taskRolePolicy,
} from "../../../components/staging/iam";
import { policyProblems, type PolicyDocument } from "../../../components/aws/policyDocuments";
import { secrets } from "../../../components/staging/secrets";
import { storage } from "../../../components/staging/storage";
import { ECS_SERVICES } from "../../../catalog/names";
import type { SecretArns, Storage } from "../../../components/staging/types";
import {
  MOCK_ACCOUNT,
  MOCK_REGION,
  plaintextOccurrences,
  promiseOf,
  RecordedResource,
  recordResources,
  TEST_SECRETS,
} from "../../support/harness";
import {
  allSecretsSettings,
  assertChildrenOfScope,
  assertTagged,
  fakeNetwork,
  mockArn,
  ofType,
  POLICY_ARNS,
  PREFIX,
  run,
  Run,
  T,
  TAGS,
  TASKS_SG,
} from "../../support/stagingParts";

/** Every policy document a run registered, parsed from its JSON input. */
function recordedDocuments(r: Run<unknown>): { where: string; doc: PolicyDocument }[] {
  return r.resources.flatMap((x) =>
    (["policy", "assumeRolePolicy"] as const)
      .filter((k) => x.inputs[k] !== undefined)
      .map((k) => {
        const text = x.inputs[k];
        assert.equal(typeof text, "string", `${x.name}.${k} must be plain JSON text`);
        return { where: `${x.name}.${k}`, doc: JSON.parse(text as string) as PolicyDocument };
      }),
  );
}

describe("staging IAM: policy documents", () => {
  const { fsArn, apArn, bucketArn, logGroupArn } = POLICY_ARNS;

  it("lets only ECS tasks of the account assume a role", () => {
    assert.deepEqual(ecsTasksAssumeRolePolicy("123456789012"), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ServiceAssumeRole",
          Effect: "Allow",
          Principal: { Service: "ecs-tasks.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        },
      ],
    });
  });

  it("lets the execution role write logs and read exactly the given secrets", () => {
    const secretArns = [
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:a-AbCdEf",
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:b-GhIjKl",
    ];
    assert.deepEqual(executionRolePolicy({ logGroupArn, secretArns }), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "WriteTaskLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: `${logGroupArn}:*`,
        },
        {
          Sid: "ReadTaskSecrets",
          Effect: "Allow",
          Action: "secretsmanager:GetSecretValue",
          Resource: secretArns,
        },
      ],
    });
    // A `:*` suffix on the input is not doubled.
    assert.deepEqual(executionRolePolicy({ logGroupArn: `${logGroupArn}:*`, secretArns: [] }), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "WriteTaskLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: `${logGroupArn}:*`,
        },
      ],
    });
  });

  it("lets the task role mount only its access point and read only its config prefix", () => {
    assert.deepEqual(
      taskRolePolicy({
        fileSystemArn: fsArn,
        accessPointArn: apArn,
        configBucketArn: bucketArn,
        configPrefix: "grafana/",
      }),
      {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "MountOwnAccessPoint",
            Effect: "Allow",
            Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
            Resource: fsArn,
            Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": apArn } },
          },
          {
            Sid: "ReadConfigFiles",
            Effect: "Allow",
            Action: "s3:GetObject",
            Resource: `${bucketArn}/grafana/*`,
          },
          {
            Sid: "ListConfigFiles",
            Effect: "Allow",
            Action: "s3:ListBucket",
            Resource: bucketArn,
            Condition: { StringLike: { "s3:prefix": "grafana/*" } },
          },
        ],
      },
    );
    for (const configPrefix of ["", "*"]) {
      assert.throws(
        () =>
          taskRolePolicy({
            fileSystemArn: fsArn,
            accessPointArn: apArn,
            configBucketArn: bucketArn,
            configPrefix,
          }),
        /configPrefix must be a non-empty S3 key prefix without `\*`/,
      );
    }
  });

  it("finds no problem in the built documents", () => {
    const docs = [
      ecsTasksAssumeRolePolicy("123456789012"),
      executionRolePolicy({ logGroupArn, secretArns: ["arn:aws:secretsmanager:x"] }),
      executionRolePolicy({ logGroupArn, secretArns: [] }),
      taskRolePolicy({
        fileSystemArn: fsArn,
        accessPointArn: apArn,
        configBucketArn: bucketArn,
        configPrefix: "loki/",
      }),
    ];
    for (const doc of docs) assert.deepEqual(policyProblems(doc), []);
  });
});

describe("staging IAM: service roles (with storage and secrets)", () => {
  interface Parts {
    storage: Storage;
    secretArns: SecretArns;
    roles: Record<
      string,
      { executionRoleArn: pulumi.Output<string>; taskRoleArn: pulumi.Output<string> }
    >;
  }
  let r: Run<Parts>;
  const bucketArn = `arn:aws:s3:::${PREFIX}-config`;
  const logGroup = (service: string) =>
    `arn:aws:logs:${MOCK_REGION}:${MOCK_ACCOUNT}:log-group:/ecs/${PREFIX}/${service}`;
  const secretArn = (key: string) => mockArn("secretsmanager", `${PREFIX}-${key}`);
  const serviceSecrets: Record<string, readonly string[]> = {
    prometheus: [],
    alertmanager: ["slackWebhookUrl", "pagerdutyRoutingKey", "smtpPassword", "heartbeatToken"],
    grafana: ["grafanaAdminPassword"],
    loki: [],
  };

  before(async () => {
    const settings = allSecretsSettings();
    r = await run((opts) => {
      const st = storage(
        {
          network: fakeNetwork(),
          tasksSecurityGroupId: pulumi.output(TASKS_SG),
          privateSubnetCount: 2,
          retainData: true,
        },
        opts,
      );
      const arns = secrets(settings, opts);
      const roles = Object.fromEntries(
        ECS_SERVICES.map((service) => [
          service,
          serviceRoles(
            service,
            {
              logGroupArn: pulumi.output(logGroup(service)),
              secretArns: serviceSecrets[service].map((k) => arns[k]),
              fileSystemArn: st.fileSystemArn,
              accessPointArn: st.accessPoints[service].arn,
              configBucketArn: pulumi.output(bucketArn),
              configPrefix: `${service}/`,
              accountId: pulumi.output(MOCK_ACCOUNT),
            },
            opts,
          ),
        ]),
      );
      return { storage: st, secretArns: arns, roles };
    });
  });

  function byName(name: string): RecordedResource {
    const found = r.resources.find((x) => x.name === name);
    assert.ok(found, `no resource ${name}`);
    return found;
  }

  it("creates a separate execution and task role per service, each with one inline policy", async () => {
    assert.equal(ofType(r, T.role).length, 2 * ECS_SERVICES.length);
    assert.equal(ofType(r, T.rolePolicy).length, 2 * ECS_SERVICES.length);
    assertChildrenOfScope(r);
    assertTagged(r, [T.role]);
    for (const service of ECS_SERVICES) {
      for (const kind of ["execution", "task"]) {
        const roleName = `${PREFIX}-${service}-${kind}`;
        const role = byName(roleName);
        assert.equal(role.type, T.role);
        assert.equal(role.inputs.managedPolicyArns, undefined, `${roleName}: managed policies`);
        assert.equal(role.inputs.inlinePolicies, undefined, `${roleName}: inline policies`);
        assert.deepEqual(
          JSON.parse(role.inputs.assumeRolePolicy as string),
          ecsTasksAssumeRolePolicy(MOCK_ACCOUNT),
        );
        const policy = byName(`${roleName}-policy`);
        assert.equal(policy.type, T.rolePolicy);
        assert.equal(policy.inputs.role, `${roleName}-id`);
      }
      const roles = r.result.roles[service];
      assert.equal(
        await promiseOf(roles.executionRoleArn),
        mockArn("iam", `${PREFIX}-${service}-execution`),
      );
      assert.equal(await promiseOf(roles.taskRoleArn), mockArn("iam", `${PREFIX}-${service}-task`));
    }
  });

  it("grants each execution role its log group and exactly its secrets", () => {
    for (const service of ECS_SERVICES) {
      const doc = JSON.parse(
        byName(`${PREFIX}-${service}-execution-policy`).inputs.policy as string,
      ) as PolicyDocument;
      const statements: unknown[] = [
        {
          Sid: "WriteTaskLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: `${logGroup(service)}:*`,
        },
      ];
      if (serviceSecrets[service].length > 0) {
        statements.push({
          Sid: "ReadTaskSecrets",
          Effect: "Allow",
          Action: "secretsmanager:GetSecretValue",
          Resource: serviceSecrets[service].map(secretArn),
        });
      }
      assert.deepEqual(doc, { Version: "2012-10-17", Statement: statements }, service);
    }
  });

  it("grants each task role only its own access point and config prefix", () => {
    const fsArn = mockArn("efs", `${PREFIX}-efs`);
    for (const service of ECS_SERVICES) {
      const doc = JSON.parse(
        byName(`${PREFIX}-${service}-task-policy`).inputs.policy as string,
      ) as PolicyDocument;
      assert.deepEqual(
        doc,
        {
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "MountOwnAccessPoint",
              Effect: "Allow",
              Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
              Resource: fsArn,
              Condition: {
                StringEquals: {
                  "elasticfilesystem:AccessPointArn": mockArn("efs", `${PREFIX}-efs-ap-${service}`),
                },
              },
            },
            {
              Sid: "ReadConfigFiles",
              Effect: "Allow",
              Action: "s3:GetObject",
              Resource: `${bucketArn}/${service}/*`,
            },
            {
              Sid: "ListConfigFiles",
              Effect: "Allow",
              Action: "s3:ListBucket",
              Resource: bucketArn,
              Condition: { StringLike: { "s3:prefix": `${service}/*` } },
            },
          ],
        },
        service,
      );
    }
  });

  it("registers no policy document with a wildcard", () => {
    const docs = recordedDocuments(r);
    // 8 role policies, 8 trust policies, 1 file system policy.
    assert.equal(docs.length, 4 * ECS_SERVICES.length + 1);
    for (const { where, doc } of docs) assert.deepEqual(policyProblems(doc), [], where);
  });

  it("puts no secret value in plaintext into any input", () => {
    assert.ok(ofType(r, T.secretVersion).length > 0);
    for (const x of r.resources) {
      for (const value of Object.values(TEST_SECRETS)) {
        assert.deepEqual(plaintextOccurrences(x.inputs, value), [], `${x.name} leaks a secret`);
      }
    }
  });

  it("refuses an empty config prefix before creating a role", async () => {
    let error: unknown;
    const resources = await recordResources((parent) => {
      try {
        serviceRoles(
          "loki",
          {
            logGroupArn: logGroup("loki"),
            secretArns: [],
            fileSystemArn: "arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-1",
            accessPointArn: "arn:aws:elasticfilesystem:eu-west-1:123456789012:access-point/fsap-1",
            configBucketArn: bucketArn,
            configPrefix: "",
            accountId: MOCK_ACCOUNT,
          },
          { parent, prefix: PREFIX, tags: TAGS },
        );
      } catch (e) {
        error = e;
      }
    });
    assert.match(String(error), /configPrefix must be a non-empty S3 key prefix/);
    assert.deepEqual(resources, []);
  });
});
