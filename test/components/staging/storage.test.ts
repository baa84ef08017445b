/** Staging storage, secrets and IAM: the recorded inputs and options of every resource, and the pure builders. */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_KEYS } from "../../../settings/schema";
import { parseSettings, type Settings } from "../../../settings/settings";
import {
  ecsTasksAssumeRolePolicy,
  executionRolePolicy,
  serviceRoles,
  taskRolePolicy,
} from "../../../components/staging/iam";
import {
  checkedPolicyJson,
  policyDocument,
  policyProblems,
  type PolicyDocument,
} from "../../../components/aws/policyDocuments";
import {
  configuredSecrets,
  SECRET_CONFIG_KEYS,
  secrets,
} from "../../../components/staging/secrets";
import {
  checkedSubnetIds,
  EFS_USERS,
  fileSystemPolicy,
  privateSubnetCount,
  storage,
} from "../../../components/staging/storage";
import {
  ECS_SERVICES,
  type Network,
  type PartOptions,
  type SecretArns,
  type Storage,
} from "../../../components/aws/types";
import {
  ALL_RECEIVERS_CONFIG,
  isSecretWrapper,
  MOCK_ACCOUNT,
  MOCK_REGION,
  plaintextOccurrences,
  promiseOf,
  RecordedResource,
  type PartRun,
  recordPart,
  recordResources,
  reveal,
  settingsInput,
  TEST_SECRETS,
} from "../../support/harness";

const T = {
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

const PREFIX = "staging-eu-west-1";
const TAGS = { project: "monitoring-stack", environment: "staging" };
const TASKS_SG = "sg-0a1b2c3d4e5f60001";
const PRIVATE_SUBNETS = ["subnet-0aaa1111", "subnet-0bbb2222"];

/** The fake ARN the harness gives an AWS resource. */
const mockArn = (service: string, name: string) =>
  `arn:aws:${service}:${MOCK_REGION}:${MOCK_ACCOUNT}:${name}`;

function fakeNetwork(privateSubnetIds: readonly string[] = PRIVATE_SUBNETS): Network {
  return {
    vpcId: pulumi.output("vpc-0a1b2c3d4e5f67890"),
    vpcCidr: pulumi.output("10.40.0.0/16"),
    publicSubnetIds: pulumi.output(["subnet-0ccc3333", "subnet-0ddd4444"]),
    privateSubnetIds: pulumi.output([...privateSubnetIds]),
  };
}

/** The secrets staging cannot do without: its stack file sets `smtp.username`. */
const STAGING_SECRETS = {
  grafanaAdminPassword: TEST_SECRETS.grafanaAdminPassword,
  smtpPassword: TEST_SECRETS.smtpPassword,
};

/** Every secret set, every receiver on (staging needs `smtpPassword`: its stack file sets `smtp.username`). */
function allSecretsSettings(): Settings {
  return parseSettings(
    settingsInput(
      "staging",
      { heartbeatUrl: ALL_RECEIVERS_CONFIG.heartbeatUrl },
      { ...TEST_SECRETS },
    ),
  );
}

type Run<R> = PartRun<R> & {
  /** Parent of each resource, by resource name. */
  readonly parents: ReadonlyMap<string, pulumi.Resource | undefined>;
};

/** Runs `fn` under the mocks, recording every child's options (see `recordPart`). */
async function run<R>(fn: (opts: PartOptions) => R): Promise<Run<R>> {
  const r = await recordPart((scope) => fn({ parent: scope, prefix: PREFIX, tags: TAGS }));
  const parents = new Map([...r.options].map(([name, o]) => [name, o.parent]));
  return { ...r, parents };
}

function ofType(r: Run<unknown>, type: string): RecordedResource[] {
  return r.resources.filter((x) => x.type === type);
}

function one(r: Run<unknown>, type: string): RecordedResource {
  const found = ofType(r, type);
  assert.equal(found.length, 1, `expected one ${type}, got ${found.map((x) => x.name).join(", ")}`);
  return found[0];
}

function countByType(r: Run<unknown>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const x of r.resources) counts[x.type] = (counts[x.type] ?? 0) + 1;
  return counts;
}

function storageRun(retainData: boolean, subnets = PRIVATE_SUBNETS): Promise<Run<Storage>> {
  return run((opts) =>
    storage(
      {
        network: fakeNetwork(subnets),
        tasksSecurityGroupId: pulumi.output(TASKS_SG),
        privateSubnetCount: subnets.length,
        retainData,
      },
      opts,
    ),
  );
}

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

/** Asserts the base tags and a Name tag on every taggable resource. */
function assertTagged(r: Run<unknown>, types: readonly string[]): void {
  for (const x of r.resources.filter((y) => types.includes(y.type))) {
    const tags = x.inputs.tags as Record<string, string> | undefined;
    assert.ok(tags, `${x.name} has no tags`);
    assert.deepEqual({ project: tags.project, environment: tags.environment }, TAGS, x.name);
    assert.ok(tags.Name.startsWith(PREFIX), `${x.name}: Name tag ${tags.Name}`);
  }
}

function assertChildrenOfScope(r: Run<unknown>): void {
  assert.ok(r.resources.length > 0);
  for (const x of r.resources) {
    assert.equal(r.parents.get(x.name), r.scope, `${x.name} is not a child of the component`);
    assert.ok(x.name.startsWith(`${PREFIX}-`), `${x.name} lacks the prefix`);
  }
}

describe("staging storage (EFS)", () => {
  let retained: Run<Storage>;
  const fsName = `${PREFIX}-efs`;
  const fsId = `${fsName}-id`;
  const efsSgId = `${PREFIX}-efs-sg-id`;

  before(async () => {
    retained = await storageRun(true);
  });

  it("creates exactly the expected resources, all children of the component and prefixed", () => {
    assert.deepEqual(countByType(retained), {
      [T.key]: 1,
      [T.alias]: 1,
      [T.fileSystem]: 1,
      [T.backup]: 1,
      [T.securityGroup]: 1,
      [T.ingress]: 1,
      [T.egress]: 1,
      [T.mountTarget]: PRIVATE_SUBNETS.length,
      [T.accessPoint]: ECS_SERVICES.length,
      [T.fsPolicy]: 1,
    });
    assertChildrenOfScope(retained);
    assertTagged(retained, [
      T.key,
      T.fileSystem,
      T.securityGroup,
      T.ingress,
      T.egress,
      T.accessPoint,
    ]);
  });

  it("encrypts with its own rotating KMS key and an alias", () => {
    const key = one(retained, T.key);
    assert.equal(key.inputs.enableKeyRotation, true);
    assert.equal(key.inputs.deletionWindowInDays, 30);
    const alias = one(retained, T.alias);
    assert.equal(alias.inputs.name, `alias/${PREFIX}-efs`);
    assert.equal(alias.inputs.targetKeyId, mockArn("kms", key.name));
    const fs = one(retained, T.fileSystem);
    assert.equal(fs.inputs.encrypted, true);
    assert.equal(fs.inputs.kmsKeyId, mockArn("kms", key.name));
  });

  it("uses general-purpose, elastic throughput, IA lifecycle and daily backups", () => {
    const fs = one(retained, T.fileSystem);
    assert.equal(fs.inputs.performanceMode, "generalPurpose");
    assert.equal(fs.inputs.throughputMode, "elastic");
    assert.deepEqual(fs.inputs.lifecyclePolicies, [
      { transitionToIa: "AFTER_30_DAYS" },
      { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" },
    ]);
    const backup = one(retained, T.backup);
    assert.equal(backup.inputs.fileSystemId, fsId);
    assert.deepEqual(backup.inputs.backupPolicy, { status: "ENABLED" });
  });

  it("opens NFS (2049) to the mount targets from the tasks' security group only", () => {
    const sg = one(retained, T.securityGroup);
    assert.equal(sg.inputs.vpcId, "vpc-0a1b2c3d4e5f67890");
    assert.equal(sg.inputs.ingress, undefined, "no inline ingress");
    assert.equal(sg.inputs.egress, undefined, "no inline egress");
    assert.equal(ofType(retained, T.sgRule).length, 0, "no legacy rules");
    const ingress = one(retained, T.ingress);
    assert.deepEqual(
      { ...ingress.inputs, description: undefined, tags: undefined },
      {
        securityGroupId: efsSgId,
        referencedSecurityGroupId: TASKS_SG,
        ipProtocol: "tcp",
        fromPort: 2049,
        toPort: 2049,
        description: undefined,
        tags: undefined,
      },
    );
    const egress = one(retained, T.egress);
    assert.deepEqual(
      { ...egress.inputs, description: undefined, tags: undefined },
      {
        securityGroupId: TASKS_SG,
        referencedSecurityGroupId: efsSgId,
        ipProtocol: "tcp",
        fromPort: 2049,
        toPort: 2049,
        description: undefined,
        tags: undefined,
      },
    );
  });

  it("puts one mount target in each private subnet, behind the EFS security group", () => {
    const targets = ofType(retained, T.mountTarget);
    assert.deepEqual(targets.map((t) => t.inputs.subnetId).sort(), [...PRIVATE_SUBNETS].sort());
    for (const t of targets) {
      assert.equal(t.inputs.fileSystemId, fsId);
      assert.deepEqual(t.inputs.securityGroups, [efsSgId]);
    }
  });

  it("follows the number of private subnets of an existing VPC", async () => {
    const three = ["subnet-0aaa1111", "subnet-0bbb2222", "subnet-0eee5555"];
    const r = await storageRun(false, three);
    assert.deepEqual(
      ofType(r, T.mountTarget)
        .map((t) => t.inputs.subnetId)
        .sort(),
      three,
    );
  });

  it("gives each service an access point with its image's uid/gid and a 0750 root directory", async () => {
    assert.deepEqual(
      { ...EFS_USERS },
      {
        prometheus: { uid: 65534, gid: 65534, path: "/prometheus" },
        alertmanager: { uid: 65534, gid: 65534, path: "/alertmanager" },
        grafana: { uid: 472, gid: 0, path: "/grafana" },
        loki: { uid: 10001, gid: 10001, path: "/loki" },
      },
    );
    for (const service of ECS_SERVICES) {
      const { uid, gid, path } = EFS_USERS[service];
      const name = `${fsName}-ap-${service}`;
      const ap = retained.resources.find((x) => x.type === T.accessPoint && x.name === name);
      assert.ok(ap, `no access point ${name}`);
      assert.equal(ap.inputs.fileSystemId, fsId);
      assert.deepEqual(ap.inputs.posixUser, { uid, gid });
      assert.deepEqual(ap.inputs.rootDirectory, {
        path,
        creationInfo: { ownerUid: uid, ownerGid: gid, permissions: "0750" },
      });
      assert.equal(await promiseOf(retained.result.accessPoints[service].id), `${name}-id`);
      assert.equal(
        await promiseOf(retained.result.accessPoints[service].arn),
        mockArn("efs", name),
      );
    }
  });

  it("attaches a file system policy that refuses non-TLS access and mounts without an access point", () => {
    const policy = one(retained, T.fsPolicy);
    assert.equal(policy.inputs.fileSystemId, fsId);
    const doc = JSON.parse(policy.inputs.policy as string) as PolicyDocument;
    assert.deepEqual(doc, fileSystemPolicy(mockArn("efs", fsName)));
    const tls = doc.Statement.find((s) => s.Condition?.Bool?.["aws:SecureTransport"] === "false");
    assert.ok(tls, "no statement on aws:SecureTransport=false");
    assert.equal(tls.Effect, "Deny");
    assert.deepEqual(tls.Principal, { AWS: "*" });
    assert.deepEqual(policyProblems(doc), []);
  });

  it("returns a file system id that waits for the mount targets and the policy", async () => {
    assert.equal(await promiseOf(retained.result.fileSystemId), fsId);
    assert.equal(await promiseOf(retained.result.fileSystemArn), mockArn("efs", fsName));
    // `allResources` is the Output's dependency set (not in the public typings).
    const deps = await (
      retained.result.fileSystemId as unknown as { allResources(): Promise<Set<pulumi.Resource>> }
    ).allResources();
    const names = await Promise.all([...deps].map((d) => promiseOf(d.urn)));
    for (const expected of [
      `${fsName}-mount-0`,
      `${fsName}-mount-1`,
      `${fsName}-policy`,
      `${fsName}-backup`,
    ]) {
      assert.ok(
        names.some((urn) => urn.endsWith(`::${expected}`)),
        `fileSystemId does not depend on ${expected}`,
      );
    }
  });

  it("protects and retains the file system, its key and the access points when retainData is true", () => {
    const guarded = [`${PREFIX}-efs-key`, fsName, ...ECS_SERVICES.map((s) => `${fsName}-ap-${s}`)];
    for (const x of retained.resources) {
      const o = retained.options.get(x.name);
      assert.ok(o, `no options recorded for ${x.name}`);
      const expected = guarded.includes(x.name);
      assert.equal(o.protect === true, expected, `${x.name}: protect`);
      assert.equal(o.retainOnDelete === true, expected, `${x.name}: retainOnDelete`);
    }
  });

  it("neither protects nor retains anything when retainData is false", async () => {
    const r = await storageRun(false);
    assert.equal(r.resources.length, retained.resources.length);
    for (const x of r.resources) {
      const o = r.options.get(x.name);
      assert.ok(o, `no options recorded for ${x.name}`);
      assert.notEqual(o.protect, true, `${x.name}: protect`);
      assert.notEqual(o.retainOnDelete, true, `${x.name}: retainOnDelete`);
    }
  });

  it("refuses a non-positive privateSubnetCount before creating anything", async () => {
    let error: unknown;
    const resources = await recordResources((parent) => {
      try {
        storage(
          {
            network: fakeNetwork(),
            tasksSecurityGroupId: pulumi.output(TASKS_SG),
            privateSubnetCount: 0,
            retainData: true,
          },
          { parent, prefix: PREFIX, tags: TAGS },
        );
      } catch (e) {
        error = e;
      }
    });
    assert.ok(pulumi.InputPropertyError.isInstance(error));
    assert.equal(error.propertyPath, "privateSubnetCount");
    assert.match(error.message, /`privateSubnetCount` must be a positive whole number \(got 0\)/);
    assert.deepEqual(resources, []);
  });
});

describe("staging storage: pure helpers", () => {
  it("knows the private subnet count before deployment", () => {
    const created = parseSettings(settingsInput("staging", {}, STAGING_SECRETS)).aws.network;
    assert.equal(created.kind, "create");
    assert.equal(privateSubnetCount(created), 2);
    const existing = parseSettings(
      settingsInput(
        "staging",
        {
          vpcId: "vpc-0a1b2c3d4e5f67890",
          publicSubnetIds: ["subnet-0ccc3333", "subnet-0ddd4444"],
          privateSubnetIds: ["subnet-0aaa1111", "subnet-0bbb2222", "subnet-0eee5555"],
        },
        STAGING_SECRETS,
      ),
    ).aws.network;
    assert.equal(privateSubnetCount(existing), 3);
  });

  it("fails loudly when the subnets differ from the planned mount targets", () => {
    assert.deepEqual(checkedSubnetIds(PRIVATE_SUBNETS, 2), PRIVATE_SUBNETS);
    assert.throws(
      () => checkedSubnetIds(PRIVATE_SUBNETS, 3),
      /the network has 2 private subnets \(subnet-0aaa1111, subnet-0bbb2222\) but 3 EFS mount targets were planned/,
    );
  });

  it("builds the file system policy from the ARN", () => {
    const arn = "arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0123456789abcdef0";
    const client = [
      "elasticfilesystem:ClientMount",
      "elasticfilesystem:ClientWrite",
      "elasticfilesystem:ClientRootAccess",
    ];
    assert.deepEqual(fileSystemPolicy(arn), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyWithoutTls",
          Effect: "Deny",
          Principal: { AWS: "*" },
          Action: client,
          Resource: arn,
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
          Sid: "DenyWithoutAccessPoint",
          Effect: "Deny",
          Principal: { AWS: "*" },
          Action: client,
          Resource: arn,
          Condition: { Null: { "elasticfilesystem:AccessPointArn": "true" } },
        },
        {
          Sid: "AllowMountViaMountTarget",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::123456789012:root" },
          Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
          Resource: arn,
          Condition: { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } },
        },
      ],
    });
    assert.deepEqual(policyProblems(fileSystemPolicy(arn)), []);
    assert.throws(() => fileSystemPolicy("fs-0123"), /"fs-0123" is not an EFS ARN/);
  });
});

describe("staging secrets (Secrets Manager)", () => {
  const secretName = (key: string) => `${PREFIX}-${key}`;

  it("lists every secret config key of the schema that the running stack uses", () => {
    // `kubeconfig` only reaches the prod stack's Kubernetes provider; the monitoring stack itself
    // never reads it.
    const schemaSecrets = Object.entries(CONFIG_KEYS)
      .filter(([k, spec]) => spec.secret && k !== "kubeconfig")
      .map(([k]) => k);
    assert.deepEqual([...SECRET_CONFIG_KEYS].sort(), schemaSecrets.sort());
  });

  it("creates a secret and a secret value per configured secret, named <prefix>/<key>", async () => {
    const settings = allSecretsSettings();
    const r = await run((opts) => secrets(settings, opts));
    assert.deepEqual(countByType(r), {
      [T.secret]: SECRET_CONFIG_KEYS.length,
      [T.secretVersion]: SECRET_CONFIG_KEYS.length,
    });
    assertChildrenOfScope(r);
    assertTagged(r, [T.secret]);
    assert.deepEqual(Object.keys(r.result).sort(), [...SECRET_CONFIG_KEYS].sort());
    for (const [key, value] of Object.entries(configuredSecrets(settings))) {
      assert.equal(await pulumi.isSecret(value), true, `${key} is not a secret Output`);
    }
    for (const key of SECRET_CONFIG_KEYS) {
      const secret = r.resources.find((x) => x.type === T.secret && x.name === secretName(key));
      assert.ok(secret, `no secret for ${key}`);
      assert.equal(secret.inputs.name, `${PREFIX}/${key}`);
      assert.equal(secret.inputs.recoveryWindowInDays, 7);
      const version = r.resources.find(
        (x) => x.type === T.secretVersion && x.name === `${secretName(key)}-value`,
      );
      assert.ok(version, `no secret value for ${key}`);
      assert.equal(version.inputs.secretId, `${secretName(key)}-id`);
      assert.ok(isSecretWrapper(version.inputs.secretString), `${key}: secretString is not secret`);
      assert.equal(reveal(version.inputs.secretString), TEST_SECRETS[key]);
      assert.equal(await promiseOf(r.result[key]), mockArn("secretsmanager", secretName(key)));
    }
  });

  it("creates only the secrets that are set", async () => {
    const minimal = parseSettings(settingsInput("staging", {}, STAGING_SECRETS));
    assert.deepEqual(Object.keys(configuredSecrets(minimal)), [
      "grafanaAdminPassword",
      "smtpPassword",
    ]);
    const r = await run((opts) => secrets(minimal, opts));
    assert.deepEqual(
      ofType(r, T.secret)
        .map((x) => x.inputs.name)
        .sort(),
      [`${PREFIX}/grafanaAdminPassword`, `${PREFIX}/smtpPassword`],
    );
    assert.deepEqual(Object.keys(r.result).sort(), ["grafanaAdminPassword", "smtpPassword"]);

    const grafanaOnly = parseSettings(settingsInput("staging", { smtp: undefined }));
    const g = await run((opts) => secrets(grafanaOnly, opts));
    assert.deepEqual(
      ofType(g, T.secret).map((x) => x.inputs.name),
      [`${PREFIX}/grafanaAdminPassword`],
    );
  });
});

describe("staging IAM: policy documents", () => {
  const fsArn = "arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0123";
  const apArn = "arn:aws:elasticfilesystem:eu-west-1:123456789012:access-point/fsap-0456";
  const bucketArn = "arn:aws:s3:::staging-eu-west-1-config";
  const logGroupArn =
    "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/staging-eu-west-1/grafana";

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

  it("catches wildcard actions, Resource *, NotAction/NotResource and Allow to everyone", () => {
    const doc = (statement: Record<string, unknown>): PolicyDocument =>
      ({ Version: "2012-10-17", Statement: [statement] }) as unknown as PolicyDocument;
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ Effect: "Allow", Action: "*", Resource: bucketArn }, /wildcard action "\*"/],
      [{ Effect: "Allow", Action: ["s3:GetObject", "s3:*"], Resource: bucketArn }, /"s3:\*"/],
      [{ Effect: "Allow", Action: "s3:Get*", Resource: bucketArn }, /"s3:Get\*"/],
      [
        { Effect: "Deny", Action: "elasticfilesystem:*", Resource: fsArn },
        /"elasticfilesystem:\*"/,
      ],
      [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }, /Resource "\*"/],
      [{ Effect: "Allow", Action: "s3:GetObject", Resource: [bucketArn, "*"] }, /Resource "\*"/],
      [{ Effect: "Allow", NotAction: "iam:*", Resource: bucketArn }, /NotAction in an Allow/],
      [{ Effect: "Allow", Action: "s3:GetObject", NotResource: bucketArn }, /NotResource/],
      [
        { Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: bucketArn },
        /Allow to every principal/,
      ],
      [{ Effect: "Allow", Resource: bucketArn }, /has no Action/],
    ];
    for (const [statement, expected] of cases) {
      const problems = policyProblems(doc(statement));
      assert.ok(
        problems.some((p) => expected.test(p)),
        `${JSON.stringify(statement)}: ${JSON.stringify(problems)}`,
      );
    }
    assert.match(
      policyProblems({ Version: "2008-10-17", Statement: [] } as unknown as PolicyDocument).join(
        "\n",
      ),
      /Version must be "2012-10-17"[\s\S]*Statement must be a non-empty list/,
    );
    // A single statement object (valid IAM JSON) is still checked.
    assert.match(
      policyProblems({
        Version: "2012-10-17",
        Statement: { Effect: "Allow", Action: "*", Resource: "*" },
      } as unknown as PolicyDocument).join("\n"),
      /wildcard action[\s\S]*Resource "\*"/,
    );
  });

  it("serializes a clean document and refuses one with problems, naming it", () => {
    const clean = policyDocument({ Effect: "Allow", Action: "s3:GetObject", Resource: bucketArn });
    assert.equal(
      checkedPolicyJson("test policy", clean),
      `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"${bucketArn}"}]}`,
    );
    assert.throws(
      () =>
        checkedPolicyJson(
          "test policy",
          policyDocument({ Effect: "Allow", Action: "s3:*", Resource: bucketArn }),
        ),
      /^Error: test policy: Statement\[0\]: wildcard action "s3:\*"$/,
    );
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
