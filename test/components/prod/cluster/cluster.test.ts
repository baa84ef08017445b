/** The prod cluster part under mocks: recorded inputs and options in create and existing mode. */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { EBS_CSI_SERVICE_ACCOUNT } from "../../../../components/prod/cluster/addons";
import { cluster } from "../../../../components/prod/cluster/cluster";
import { CONTROL_PLANE_LOG_RETENTION_DAYS } from "../../../../components/prod/cluster/controlPlane";
import { kubeconfigFor } from "../../../../components/prod/cluster/kubeconfig";
import {
  ampRemoteWritePolicy,
  irsaTrustPolicy,
  lokiBucketPolicy,
} from "../../../../components/prod/cluster/policies";
import {
  DEFAULT_CLASS_ANNOTATION,
  gp3StorageClass,
  STORAGE_CLASS_NAME,
} from "../../../../components/prod/cluster/storageClass";
import type { PartOptions } from "../../../../components/parts";
import { type Cluster, SERVICE_ACCOUNTS } from "../../../../components/prod/types";
import {
  policyProblems,
  type PolicyDocument,
  serviceAssumeRolePolicy,
} from "../../../../components/aws/policyDocuments";
import { K8S_DEFAULTS } from "../../../../settings/defaults";
import { parseSettings } from "../../../../settings/parse";
import type { Settings } from "../../../../settings/settings";
import {
  ALL_RECEIVERS_CONFIG,
  isSecretWrapper,
  MOCK_ACCOUNT,
  MOCK_EKS,
  MOCK_REGION,
  plaintextOccurrences,
  promiseOf,
  type RecordedResource,
  type PartRun,
  recordPart,
  recordResources,
  reveal,
  settingsInput,
  TEST_SECRETS,
} from "../../../support/harness";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the package's subpath export is CommonJS
const { StorageClass } = require("kubernetes-models/storage.k8s.io/v1/StorageClass") as {
  StorageClass: new (data: unknown) => { validate(): void };
};

const T = {
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  oidc: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
  key: "aws:kms/key:Key",
  alias: "aws:kms/alias:Alias",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  cluster: "aws:eks/cluster:Cluster",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  addon: "aws:eks/addon:Addon",
  workspace: "aws:amp/workspace:Workspace",
  bucket: "aws:s3/bucket:Bucket",
  publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  provider: "pulumi:providers:kubernetes",
  storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
} as const;

const PREFIX = "prod-eu-west-1";
const TAGS = { project: "monitoring-stack", environment: "prod" };
const OIDC_ARN = mockArn("iam", `${PREFIX}-oidc`);
const ISSUER_HOST = MOCK_EKS.issuer.slice("https://".length);

/** A kubeconfig an operator would paste into `pulumi config set --secret kubeconfig`. */
const FAKE_KUBECONFIG = [
  "apiVersion: v1",
  "kind: Config",
  "clusters:",
  "  - name: existing",
  "    cluster:",
  "      server: https://existing.example.com",
  "      certificate-authority-data: ZmFrZS1jYS1kYXRhLTlmM2U=",
  "contexts:",
  "  - name: existing",
  "    context: { cluster: existing, user: existing }",
  "current-context: existing",
  "users:",
  "  - name: existing",
  "    user: { token: fake-kubeconfig-token-5d1a }",
  "",
].join("\n");

/** The fake ARN the harness gives an AWS resource. */
function mockArn(service: string, name: string): string {
  return `arn:aws:${service}:${MOCK_REGION}:${MOCK_ACCOUNT}:${name}`;
}

/** Prod settings from the real stack file; every secret set (its `smtp.username` needs `smtpPassword`). */
function prodSettings(overrides: Readonly<Record<string, unknown>> = {}): Settings {
  return parseSettings(
    settingsInput(
      "prod",
      { heartbeatUrl: ALL_RECEIVERS_CONFIG.heartbeatUrl, ...overrides },
      { ...TEST_SECRETS },
    ),
  );
}

function existingSettings(overrides: Readonly<Record<string, unknown>> = {}): Settings {
  return parseSettings(
    settingsInput(
      "prod",
      { heartbeatUrl: ALL_RECEIVERS_CONFIG.heartbeatUrl, eksClusterMode: "existing", ...overrides },
      { ...TEST_SECRETS, kubeconfig: FAKE_KUBECONFIG },
    ),
  );
}

type Run = PartRun<Cluster>;

/** Runs `cluster(settings)` under the mocks (stack `prod`), recording every child's options. */
async function run(settings: Settings): Promise<Run> {
  return recordPart((scope) => {
    const opts: PartOptions = { parent: scope, prefix: PREFIX, tags: TAGS };
    return cluster(settings, opts);
  }, "prod");
}

function ofType(r: Run, type: string): RecordedResource[] {
  return r.resources.filter((x) => x.type === type);
}

function one(r: Run, type: string, name?: string): RecordedResource {
  const found = ofType(r, type).filter((x) => name === undefined || x.name === name);
  assert.equal(found.length, 1, `expected one ${type} ${name ?? ""}, got ${found.length}`);
  return found[0];
}

/** Resource counts by type, without the network part's `aws:ec2/*` resources (tested in awsNetwork). */
function countByType(r: Run): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const x of r.resources.filter((y) => !y.type.startsWith("aws:ec2/"))) {
    counts[x.type] = (counts[x.type] ?? 0) + 1;
  }
  return counts;
}

/** Every IAM policy document a run registered, parsed from its JSON input. */
function recordedDocuments(r: Run): { where: string; doc: PolicyDocument }[] {
  return r.resources.flatMap((x) =>
    (["policy", "assumeRolePolicy"] as const)
      .filter((k) => x.type.startsWith("aws:iam/") && x.inputs[k] !== undefined)
      .map((k) => {
        const text = x.inputs[k];
        assert.equal(typeof text, "string", `${x.name}.${k} must be plain JSON text`);
        return { where: `${x.name}.${k}`, doc: JSON.parse(text as string) as PolicyDocument };
      }),
  );
}

function trustOf(r: Run, roleName: string): PolicyDocument {
  return JSON.parse(one(r, T.role, roleName).inputs.assumeRolePolicy as string) as PolicyDocument;
}

function attachedPolicies(r: Run, roleName: string): string[] {
  return ofType(r, T.attachment)
    .filter((a) => a.inputs.role === roleName)
    .map((a) => a.inputs.policyArn as string)
    .sort();
}

/** Names of the resources in `opts.dependsOn`. */
async function dependsOnNames(opts: pulumi.ResourceOptions | undefined): Promise<string[]> {
  const deps = await promiseOf(pulumi.output(opts?.dependsOn ?? []));
  const list = Array.isArray(deps) ? deps : [deps];
  const urns = await Promise.all(list.map((d) => promiseOf(d.urn)));
  return urns.map((urn) => urn.split("::").pop() ?? urn).sort();
}

const managed = (policy: string) => `arn:aws:iam::aws:policy/${policy}`;

describe("prod cluster: create mode", () => {
  let created: Run;
  const clusterRole = `${PREFIX}-eks-cluster`;
  const nodeRole = `${PREFIX}-eks-node`;
  const ebsRole = `${PREFIX}-ebs-csi`;
  const privateSubnets = [`${PREFIX}-private-0-id`, `${PREFIX}-private-1-id`];
  const publicSubnets = [`${PREFIX}-public-0-id`, `${PREFIX}-public-1-id`];

  before(async () => {
    created = await run(prodSettings());
  });

  it("creates exactly the expected resources, all children of the component and prefixed", () => {
    assert.deepEqual(countByType(created), {
      [T.role]: 3,
      [T.attachment]: 5,
      [T.key]: 1,
      [T.alias]: 1,
      [T.logGroup]: 1,
      [T.cluster]: 1,
      [T.nodeGroup]: 1,
      [T.oidc]: 1,
      [T.addon]: 2,
      [T.provider]: 1,
      [T.storageClass]: 1,
    });
    assert.equal(ofType(created, T.vpc).length, 1, "the network part creates the VPC");
    const subnets = ofType(created, T.subnet).map(
      (x) => reveal(x.inputs) as { tags: Record<string, string> },
    );
    assert.equal(subnets.length, 4);
    // EKS load balancers find their subnets by these tags.
    assert.equal(subnets.filter((x) => x.tags["kubernetes.io/role/elb"] === "1").length, 2);
    assert.equal(
      subnets.filter((x) => x.tags["kubernetes.io/role/internal-elb"] === "1").length,
      2,
    );
    assert.ok(
      subnets.every(
        (x) => x.tags.Name.includes("public") === (x.tags["kubernetes.io/role/elb"] === "1"),
      ),
    );
    for (const x of created.resources) {
      assert.equal(created.options.get(x.name)?.parent, created.scope, `${x.name} parent`);
      assert.ok(x.name.startsWith(`${PREFIX}-`), `${x.name} lacks the prefix`);
    }
  });

  it("runs the control plane with the settings' version, encrypted secrets, audit logs and API auth", () => {
    const c = one(created, T.cluster).inputs;
    assert.equal(c.name, PREFIX);
    assert.equal(c.version, K8S_DEFAULTS.eksVersion);
    assert.equal(c.roleArn, mockArn("iam", clusterRole));
    assert.deepEqual(c.encryptionConfig, {
      provider: { keyArn: mockArn("kms", `${PREFIX}-eks-secrets-key`) },
      resources: ["secrets"],
    });
    assert.deepEqual(c.enabledClusterLogTypes, ["api", "audit", "authenticator"]);
    assert.deepEqual(c.accessConfig, {
      authenticationMode: "API",
      bootstrapClusterCreatorAdminPermissions: true,
    });
    assert.deepEqual(c.vpcConfig, {
      subnetIds: [...privateSubnets, ...publicSubnets],
      endpointPrivateAccess: true,
      endpointPublicAccess: true,
    });
    assert.equal(c.deletionProtection, true);
    const logs = one(created, T.logGroup).inputs;
    assert.equal(logs.name, `/aws/eks/${PREFIX}/cluster`);
    assert.equal(logs.retentionInDays, CONTROL_PLANE_LOG_RETENTION_DAYS);
  });

  it("follows the eksVersion setting", async () => {
    const r = await run(prodSettings({ eksVersion: "1.33" }));
    assert.equal(one(r, T.cluster).inputs.version, "1.33");
  });

  it("gives the control plane its own role and a rotating KMS key", () => {
    assert.deepEqual(trustOf(created, clusterRole), serviceAssumeRolePolicy("eks.amazonaws.com"));
    assert.deepEqual(attachedPolicies(created, `${clusterRole}-id`), [
      managed("AmazonEKSClusterPolicy"),
    ]);
    const key = one(created, T.key).inputs;
    assert.equal(key.enableKeyRotation, true);
    assert.equal(key.deletionWindowInDays, 30);
    assert.deepEqual(one(created, T.alias).inputs, {
      name: `alias/${PREFIX}-eks-secrets`,
      targetKeyId: mockArn("kms", `${PREFIX}-eks-secrets-key`),
    });
  });

  it("runs the default node group in the private subnets, one node at a time on updates", () => {
    const g = one(created, T.nodeGroup).inputs;
    const d = K8S_DEFAULTS.nodeGroup;
    assert.equal(g.clusterName, PREFIX);
    assert.equal(g.nodeRoleArn, mockArn("iam", nodeRole));
    assert.deepEqual(g.subnetIds, privateSubnets);
    assert.deepEqual(g.instanceTypes, [d.instanceType]);
    assert.equal(g.amiType, "AL2023_x86_64_STANDARD");
    assert.deepEqual(g.scalingConfig, {
      minSize: d.minSize,
      desiredSize: d.desiredSize,
      maxSize: d.maxSize,
    });
    // Encrypted root disks from a launch template, whatever the account's EBS default.
    assert.equal(g.diskSize, undefined, "EKS rejects diskSize together with a launch template");
    const lt = one(created, T.launchTemplate);
    assert.equal((g.launchTemplate as { id: string }).id, `${lt.name}-id`);
    assert.deepEqual(lt.inputs.blockDeviceMappings, [
      {
        deviceName: "/dev/xvda",
        ebs: {
          volumeSize: d.diskSize,
          volumeType: "gp3",
          encrypted: "true",
          deleteOnTermination: "true",
        },
      },
    ]);
    assert.deepEqual(lt.inputs.metadataOptions, {
      httpTokens: "required",
      httpPutResponseHopLimit: 2,
      httpEndpoint: "enabled",
    });
    assert.deepEqual(g.updateConfig, { maxUnavailable: 1 });
    assert.equal(g.capacityType, "ON_DEMAND");
    assert.deepEqual(trustOf(created, nodeRole), serviceAssumeRolePolicy("ec2.amazonaws.com"));
    assert.deepEqual(attachedPolicies(created, `${nodeRole}-id`), [
      managed("AmazonEC2ContainerRegistryReadOnly"),
      managed("AmazonEKSWorkerNodePolicy"),
      managed("AmazonEKS_CNI_Policy"),
    ]);
  });

  it("sizes the node group from the nodeGroup setting (Graviton gets the ARM image)", async () => {
    const r = await run(
      prodSettings({
        nodeGroup: {
          instanceType: "m7g.2xlarge",
          minSize: 2,
          desiredSize: 4,
          maxSize: 6,
          diskSize: 120,
        },
      }),
    );
    const g = one(r, T.nodeGroup).inputs;
    assert.deepEqual(g.instanceTypes, ["m7g.2xlarge"]);
    assert.equal(g.amiType, "AL2023_ARM_64_STANDARD");
    assert.deepEqual(g.scalingConfig, { minSize: 2, desiredSize: 4, maxSize: 6 });
    const lt = one(r, T.launchTemplate).inputs as {
      blockDeviceMappings: { ebs: { volumeSize: number } }[];
    };
    assert.equal(lt.blockDeviceMappings[0].ebs.volumeSize, 120);
  });

  it("registers the cluster's OIDC issuer with IAM for the STS audience", () => {
    const oidc = one(created, T.oidc).inputs;
    assert.equal(oidc.url, MOCK_EKS.issuer);
    assert.deepEqual(oidc.clientIdLists, ["sts.amazonaws.com"]);
  });

  it("switches on the VPC CNI's network policy agent, so NetworkPolicies are enforced", () => {
    const cni = ofType(created, T.addon).find((a) => a.inputs.addonName === "vpc-cni");
    assert.ok(cni, "vpc-cni add-on");
    assert.deepEqual(JSON.parse(String(cni.inputs.configurationValues)), {
      enableNetworkPolicy: "true",
    });
  });

  it("installs the EBS CSI add-on with an IRSA role holding the AWS managed policy", () => {
    const addon = ofType(created, T.addon).find((a) => a.inputs.addonName === "aws-ebs-csi-driver");
    assert.ok(addon, "aws-ebs-csi-driver add-on");
    assert.equal(addon.inputs.clusterName, PREFIX);
    assert.equal(addon.inputs.serviceAccountRoleArn, mockArn("iam", ebsRole));
    assert.equal(addon.inputs.resolveConflictsOnUpdate, "OVERWRITE");
    assert.deepEqual(
      trustOf(created, ebsRole),
      irsaTrustPolicy({
        oidcProviderArn: OIDC_ARN,
        issuer: MOCK_EKS.issuer,
        namespace: EBS_CSI_SERVICE_ACCOUNT.namespace,
        serviceAccount: EBS_CSI_SERVICE_ACCOUNT.name,
      }),
    );
    assert.deepEqual(trustOf(created, ebsRole).Statement[0].Condition, {
      StringEquals: {
        [`${ISSUER_HOST}:sub`]: "system:serviceaccount:kube-system:ebs-csi-controller-sa",
        [`${ISSUER_HOST}:aud`]: "sts.amazonaws.com",
      },
    });
    assert.deepEqual(attachedPolicies(created, `${ebsRole}-id`), [
      managed("service-role/AmazonEBSCSIDriverPolicy"),
    ]);
  });

  it("the add-on waits for the nodes and its policy; the provider for the nodes and the add-ons", async () => {
    assert.deepEqual(await dependsOnNames(created.options.get(`${PREFIX}-ebs-csi`)), [
      `${PREFIX}-ebs-csi-AmazonEBSCSIDriverPolicy`,
      `${PREFIX}-nodes`,
    ]);
    assert.deepEqual(await dependsOnNames(created.options.get(`${PREFIX}-k8s`)), [
      `${PREFIX}-ebs-csi`,
      `${PREFIX}-nodes`,
      `${PREFIX}-vpc-cni`,
    ]);
  });

  it("hands the provider a secret kubeconfig built from the cluster and enables server-side apply", async () => {
    const p = one(created, T.provider).inputs;
    assert.ok(isSecretWrapper(p.kubeconfig), "the provider's kubeconfig must be secret");
    const expected = kubeconfigFor({
      name: PREFIX,
      endpoint: MOCK_EKS.endpoint,
      certificateAuthority: MOCK_EKS.certificateAuthority,
      region: MOCK_REGION,
    });
    assert.equal(reveal(p.kubeconfig), expected);
    assert.equal(String(p.enableServerSideApply), "true");
    assert.ok(created.result.kubeconfig);
    assert.equal(await pulumi.isSecret(created.result.kubeconfig), true);
    assert.equal(await promiseOf(created.result.kubeconfig), expected);
    assert.equal(await promiseOf(created.result.name), PREFIX);
    assert.equal(await promiseOf(created.result.region), MOCK_REGION);
  });

  it("creates the gp3 StorageClass on that provider: encrypted, retained and the default", async () => {
    const sc = one(created, T.storageClass);
    assert.equal(created.options.get(sc.name)?.provider, created.result.provider);
    assert.doesNotThrow(() => new StorageClass(sc.inputs).validate());
    assert.deepEqual(reveal(sc.inputs), { ...gp3StorageClass(true) });
    assert.equal(sc.inputs.provisioner, "ebs.csi.aws.com");
    assert.deepEqual(sc.inputs.parameters, { type: "gp3", encrypted: "true" });
    assert.equal(sc.inputs.reclaimPolicy, "Retain");
    assert.equal(sc.inputs.volumeBindingMode, "WaitForFirstConsumer");
    assert.equal(sc.inputs.allowVolumeExpansion, true);
    assert.deepEqual(sc.inputs.metadata, {
      name: STORAGE_CLASS_NAME,
      annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" },
    });
    assert.equal(await promiseOf(created.result.storageClassName), STORAGE_CLASS_NAME);
  });

  it("protects the control plane and its KMS key, not the replaceable node group", () => {
    const protectedOf = (type: string) => created.options.get(one(created, type).name)?.protect;
    assert.equal(protectedOf(T.cluster), true);
    assert.equal(protectedOf(T.key), true);
    assert.notEqual(protectedOf(T.nodeGroup), true);
  });

  it("creates no AMP workspace and no Loki bucket by default", () => {
    assert.equal(created.result.remoteWrite, undefined);
    assert.equal(created.result.lokiStorage, undefined);
    assert.equal(ofType(created, T.workspace).length, 0);
    assert.equal(ofType(created, T.bucket).length, 0);
    assert.equal(ofType(created, T.rolePolicy).length, 0);
  });

  it("every IAM document is free of wildcards", () => {
    const docs = recordedDocuments(created);
    assert.equal(docs.length, 3);
    for (const { where, doc } of docs) assert.deepEqual(policyProblems(doc), [], where);
  });
});

describe("prod cluster: remote write to Amazon Managed Service for Prometheus", () => {
  let r: Run;
  const role = `${PREFIX}-prometheus-amp`;
  const workspace = `${PREFIX}-amp`;

  before(async () => {
    r = await run(prodSettings({ remoteWrite: true }));
  });

  it("adds a protected workspace, Prometheus' IRSA role and its inline policy", () => {
    assert.deepEqual(
      {
        workspaces: ofType(r, T.workspace).length,
        roles: ofType(r, T.role).length,
        policies: ofType(r, T.rolePolicy).length,
        buckets: ofType(r, T.bucket).length,
      },
      { workspaces: 1, roles: 4, policies: 1, buckets: 0 },
    );
    assert.equal(one(r, T.workspace).inputs.alias, PREFIX);
    assert.equal(r.options.get(workspace)?.protect, true);
  });

  it("only Prometheus' service account may assume the role, and it may only remote-write", () => {
    assert.deepEqual(
      trustOf(r, role),
      irsaTrustPolicy({
        oidcProviderArn: OIDC_ARN,
        issuer: MOCK_EKS.issuer,
        namespace: SERVICE_ACCOUNTS.prometheus.namespace,
        serviceAccount: SERVICE_ACCOUNTS.prometheus.name,
      }),
    );
    assert.deepEqual(trustOf(r, role).Statement[0].Condition?.StringEquals, {
      [`${ISSUER_HOST}:sub`]: "system:serviceaccount:monitoring:kps-prometheus",
      [`${ISSUER_HOST}:aud`]: "sts.amazonaws.com",
    });
    const policy = one(r, T.rolePolicy);
    assert.equal(policy.inputs.role, `${role}-id`);
    assert.deepEqual(
      JSON.parse(policy.inputs.policy as string),
      ampRemoteWritePolicy(mockArn("amp", workspace)),
    );
    for (const { where, doc } of recordedDocuments(r)) {
      assert.deepEqual(policyProblems(doc), [], where);
    }
  });

  it("returns the remote-write URL, the workspace ARN and the role", async () => {
    const rw = r.result.remoteWrite;
    assert.ok(rw);
    assert.equal(
      await promiseOf(rw.url),
      `https://aps-workspaces.${MOCK_REGION}.amazonaws.com/workspaces/ws-${workspace}/api/v1/remote_write`,
    );
    assert.equal(await promiseOf(rw.workspaceArn), mockArn("amp", workspace));
    assert.equal(await promiseOf(rw.role.roleArn), mockArn("iam", role));
    assert.equal(r.result.lokiStorage, undefined);
  });
});

describe("prod cluster: Loki simple scalable mode on S3", () => {
  let r: Run;
  const bucket = `${PREFIX}-loki`;
  const role = `${PREFIX}-loki-s3`;

  before(async () => {
    r = await run(prodSettings({ lokiMode: "simpleScalable", lokiRetention: "14d" }));
  });

  it("adds a protected, private, encrypted, unversioned bucket expiring after the retention", () => {
    const b = one(r, T.bucket);
    assert.equal(b.inputs.bucketPrefix, `${bucket}-`);
    assert.equal(b.inputs.forceDestroy, false);
    assert.equal(r.options.get(bucket)?.protect, true);
    const bucketId = `${bucket}-id`;
    assert.deepEqual(one(r, T.publicAccessBlock).inputs, {
      bucket: bucketId,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    assert.deepEqual(one(r, T.ownership).inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
    assert.deepEqual(one(r, T.sse).inputs.rules, [
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
    ]);
    assert.deepEqual(one(r, T.versioning).inputs.versioningConfiguration, { status: "Disabled" });
    const lifecycle = one(r, T.lifecycle).inputs;
    assert.equal(lifecycle.bucket, bucketId);
    assert.deepEqual(lifecycle.rules, [
      {
        id: "expire-after-loki-retention",
        status: "Enabled",
        filter: { prefix: "" },
        expiration: { days: 15 },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
      },
    ]);
    assert.equal(ofType(r, T.workspace).length, 0);
  });

  it("only Loki's service account may assume its role, limited to the bucket", async () => {
    assert.deepEqual(trustOf(r, role).Statement[0].Condition?.StringEquals, {
      [`${ISSUER_HOST}:sub`]: `system:serviceaccount:${SERVICE_ACCOUNTS.loki.namespace}:${SERVICE_ACCOUNTS.loki.name}`,
      [`${ISSUER_HOST}:aud`]: "sts.amazonaws.com",
    });
    const policy = one(r, T.rolePolicy);
    assert.equal(policy.inputs.role, `${role}-id`);
    assert.deepEqual(
      JSON.parse(policy.inputs.policy as string),
      lokiBucketPolicy(mockArn("s3", bucket)),
    );
    for (const { where, doc } of recordedDocuments(r)) {
      assert.deepEqual(policyProblems(doc), [], where);
    }
    const storage = r.result.lokiStorage;
    assert.ok(storage);
    assert.equal(await promiseOf(storage.bucket), `${bucket}-id`);
    assert.equal(await promiseOf(storage.role.roleArn), mockArn("iam", role));
    assert.equal(r.result.remoteWrite, undefined);
  });

  it("the default prod retention (30d) expires objects after 31 days", async () => {
    const d = await run(prodSettings({ lokiMode: "simpleScalable" }));
    const rules = one(d, T.lifecycle).inputs.rules as { expiration: { days: number } }[];
    assert.equal(rules[0].expiration.days, 31);
  });
});

describe("prod cluster: existing mode", () => {
  let existing: Run;

  before(async () => {
    existing = await run(existingSettings());
  });

  it("creates no AWS resource: only the provider and the StorageClass (no EBS CSI add-on)", () => {
    assert.deepEqual(countByType(existing), { [T.provider]: 1, [T.storageClass]: 1 });
    assert.equal(existing.resources.filter((x) => x.type.startsWith("aws:")).length, 0);
    assert.equal(ofType(existing, T.addon).length, 0);
    assert.equal(existing.result.kubeconfig, undefined);
    assert.equal(existing.result.remoteWrite, undefined);
    assert.equal(existing.result.lokiStorage, undefined);
  });

  it("hands the provider the configured kubeconfig as a secret, never in plaintext", () => {
    const p = one(existing, T.provider).inputs;
    assert.ok(isSecretWrapper(p.kubeconfig));
    assert.equal(reveal(p.kubeconfig), FAKE_KUBECONFIG);
    assert.equal(String(p.enableServerSideApply), "true");
    for (const x of existing.resources) {
      assert.deepEqual(plaintextOccurrences(x.inputs, "fake-kubeconfig-token-5d1a"), [], x.name);
    }
    assert.equal(existing.options.get(`${PREFIX}-k8s`)?.dependsOn, undefined);
  });

  it("creates the same encrypted, retained class, not marked default in someone else's cluster", async () => {
    const sc = one(existing, T.storageClass);
    assert.equal(existing.options.get(sc.name)?.provider, existing.result.provider);
    assert.doesNotThrow(() => new StorageClass(sc.inputs).validate());
    assert.deepEqual(reveal(sc.inputs), { ...gp3StorageClass(false) });
    assert.equal(sc.inputs.reclaimPolicy, "Retain");
    assert.deepEqual(sc.inputs.parameters, { type: "gp3", encrypted: "true" });
    assert.equal(await promiseOf(existing.result.storageClassName), STORAGE_CLASS_NAME);
    assert.equal(await promiseOf(existing.result.name), PREFIX);
    assert.equal(await promiseOf(existing.result.region), MOCK_REGION);
  });

  it("refuses remote write and S3 Loki before any resource (they need IRSA of a created cluster)", async () => {
    const base = existingSettings();
    for (const k8s of [
      { ...base.k8s, remoteWrite: true },
      { ...base.k8s, lokiMode: "simpleScalable" as const },
    ]) {
      let error: unknown;
      const r = await recordResources((parent) => {
        try {
          cluster({ ...base, k8s }, { parent, prefix: PREFIX, tags: TAGS });
        } catch (e) {
          error = e;
        }
      }, "prod");
      assert.match(String(error), /`eksClusterMode` to `create`/);
      assert.deepEqual(r, []);
    }
  });
});

describe("prod cluster: validation before resources", () => {
  it("a Loki retention that is not whole days fails before any resource", async () => {
    const base = prodSettings({ lokiMode: "simpleScalable" });
    let error: unknown;
    const r = await recordResources((parent) => {
      try {
        cluster(
          { ...base, loki: { retentionPeriod: "36h" } },
          { parent, prefix: PREFIX, tags: TAGS },
        );
      } catch (e) {
        error = e;
      }
    }, "prod");
    assert.match(String(error), /`lokiRetention`: got "36h"/);
    assert.deepEqual(r, []);
  });
});
