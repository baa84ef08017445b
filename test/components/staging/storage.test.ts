/** Staging storage (components/staging/storage.ts): the recorded EFS resources and the pure helpers. */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { parseSettings } from "../../../settings/parse";
import { policyProblems, type PolicyDocument } from "../../../components/aws/policyDocuments";
import {
  checkedSubnetIds,
  EFS_USERS,
  fileSystemPolicy,
  privateSubnetCount,
  storage,
} from "../../../components/staging/storage";
import { ECS_SERVICES } from "../../../catalog/names";
import type { Storage } from "../../../components/staging/types";
import { promiseOf, RecordedResource, recordResources, settingsInput } from "../../support/harness";
import {
  assertChildrenOfScope,
  assertTagged,
  countByType,
  fakeNetwork,
  mockArn,
  ofType,
  PREFIX,
  PRIVATE_SUBNETS,
  run,
  Run,
  STAGING_SECRETS,
  T,
  TAGS,
  TASKS_SG,
} from "../../support/stagingParts";

function one(r: Run<unknown>, type: string): RecordedResource {
  const found = ofType(r, type);
  assert.equal(found.length, 1, `expected one ${type}, got ${found.map((x) => x.name).join(", ")}`);
  return found[0];
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
