/**
 * The prod cluster part: creates an EKS cluster (VPC, control plane, managed nodes, OIDC/IRSA, EBS CSI
 * driver, optional AMP workspace and Loki bucket) or takes an existing one from a secret kubeconfig,
 * and in both modes returns the one explicit Kubernetes provider and the encrypted gp3 StorageClass.
 * Plain @pulumi/aws resources (no @pulumi/eks or awsx) keep every input visible to tests under mocks.
 */
import { Workspace } from "@pulumi/aws/amp/workspace";
import { LogGroup } from "@pulumi/aws/cloudwatch/logGroup";
import { LaunchTemplate } from "@pulumi/aws/ec2/launchTemplate";
import { Cluster as EksCluster } from "@pulumi/aws/eks/cluster";
import { NodeGroup } from "@pulumi/aws/eks/nodeGroup";
import { Addon } from "@pulumi/aws/eks/addon";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import { Role } from "@pulumi/aws/iam/role";
import { RolePolicy } from "@pulumi/aws/iam/rolePolicy";
import { RolePolicyAttachment } from "@pulumi/aws/iam/rolePolicyAttachment";
import { OpenIdConnectProvider } from "@pulumi/aws/iam/openIdConnectProvider";
import { Key } from "@pulumi/aws/kms/key";
import { Alias } from "@pulumi/aws/kms/alias";
import { Bucket } from "@pulumi/aws/s3/bucket";
import { BucketPublicAccessBlock } from "@pulumi/aws/s3/bucketPublicAccessBlock";
import { BucketOwnershipControls } from "@pulumi/aws/s3/bucketOwnershipControls";
import { BucketServerSideEncryptionConfiguration } from "@pulumi/aws/s3/bucketServerSideEncryptionConfiguration";
import { BucketVersioning } from "@pulumi/aws/s3/bucketVersioning";
import { BucketLifecycleConfiguration } from "@pulumi/aws/s3/bucketLifecycleConfiguration";
import { Provider } from "@pulumi/kubernetes/provider";
import { StorageClass } from "@pulumi/kubernetes/storage/v1/storageClass";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { durationMs } from "../../settings/schema";
import type { Settings } from "../../settings/settings";
import {
  checkedPolicyJson,
  policyDocument,
  type PolicyDocument,
  serviceAssumeRolePolicy,
} from "../aws/policyDocuments";
import { network } from "../aws/network";
import {
  type Cluster,
  type K8sPartOptions,
  SERVICE_ACCOUNTS,
  type ServiceAccountRole,
} from "./types";

/** Name of the StorageClass every PVC of the stack uses. */
export const STORAGE_CLASS_NAME = "gp3-encrypted";

/** The annotation that makes a StorageClass the cluster's default. */
export const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";

/** Control-plane log types shipped to CloudWatch (scheduler and controllerManager are noise for us). */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator"] as const;

/** Days CloudWatch keeps the control-plane logs (EKS would otherwise create a never-expiring group). */
export const CONTROL_PLANE_LOG_RETENTION_DAYS = 30;

/** The audience IRSA tokens are issued for. */
export const STS_AUDIENCE = "sts.amazonaws.com";

/** The EBS CSI driver's controller service account (fixed by the EKS add-on). */
export const EBS_CSI_SERVICE_ACCOUNT = {
  namespace: "kube-system",
  name: "ebs-csi-controller-sa",
} as const;

/** AWS managed policies (path after `arn:<partition>:iam::aws:policy/`) attached to each role. */
export const MANAGED_POLICIES = {
  cluster: ["AmazonEKSClusterPolicy"],
  node: ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"],
  ebsCsi: ["service-role/AmazonEBSCSIDriverPolicy"],
} as const;

/**
 * Tags by which Kubernetes load balancers (AWS Load Balancer Controller, in-tree service controller)
 * find their subnets. `network()` (components/aws/network.ts) does not apply them yet.
 */
/** Root device of the EKS-optimised Amazon Linux 2023 AMIs (x86 and Graviton). */
export const NODE_ROOT_DEVICE = "/dev/xvda";

/** `vpc-cni` add-on configuration: the network policy agent enforces NetworkPolicies. */
export const VPC_CNI_CONFIGURATION = { enableNetworkPolicy: "true" } as const;

export const SUBNET_ROLE_TAGS = {
  public: { "kubernetes.io/role/elb": "1" },
  private: { "kubernetes.io/role/internal-elb": "1" },
} as const;

// ---------------------------------------------------------------------------------------------
// Pure builders (unit-tested without mocks)
// ---------------------------------------------------------------------------------------------

/** Inputs of `irsaTrustPolicy`. */
export interface IrsaTrustInput {
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** The cluster's OIDC issuer URL, `https://oidc.eks.<region>.amazonaws.com/id/<id>`. */
  readonly issuer: string;
  readonly namespace: string;
  readonly serviceAccount: string;
}

const K8S_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/**
 * Trust policy of an IAM role for one Kubernetes service account (IRSA): web-identity tokens of the
 * cluster's OIDC provider whose subject is exactly `system:serviceaccount:<namespace>:<name>` and
 * whose audience is STS. No wildcards: any other pod, even in the same namespace, is refused.
 */
export function irsaTrustPolicy(input: IrsaTrustInput): PolicyDocument {
  if (!input.issuer.startsWith("https://") || input.issuer.length <= "https://".length) {
    throw new Error(
      `irsaTrustPolicy: the OIDC issuer must be an https:// URL (got ${JSON.stringify(input.issuer)}).`,
    );
  }
  for (const [field, value] of [
    ["namespace", input.namespace],
    ["serviceAccount", input.serviceAccount],
  ] as const) {
    if (!K8S_NAME.test(value)) {
      throw new Error(
        `irsaTrustPolicy: \`${field}\` must be a Kubernetes object name without wildcards (got ${JSON.stringify(value)}).`,
      );
    }
  }
  const host = input.issuer.slice("https://".length).replace(/\/$/, "");
  return policyDocument({
    Sid: "ServiceAccountWebIdentity",
    Effect: "Allow",
    Principal: { Federated: input.oidcProviderArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: {
      StringEquals: {
        [`${host}:sub`]: `system:serviceaccount:${input.namespace}:${input.serviceAccount}`,
        [`${host}:aud`]: STS_AUDIENCE,
      },
    },
  });
}

/** Prometheus' permission on the AMP workspace: remote write to that workspace only. */
export function ampRemoteWritePolicy(workspaceArn: string): PolicyDocument {
  return policyDocument({
    Sid: "RemoteWrite",
    Effect: "Allow",
    Action: "aps:RemoteWrite",
    Resource: workspaceArn,
  });
}

/** Loki's permissions on its bucket: read, write and delete objects (the compactor), list the bucket. */
export function lokiBucketPolicy(bucketArn: string): PolicyDocument {
  return policyDocument(
    {
      Sid: "LokiObjects",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: `${bucketArn}/*`,
    },
    { Sid: "LokiList", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
  );
}

/** Inputs of `kubeconfigFor`. */
export interface KubeconfigInput {
  /** The EKS cluster name (also the kubeconfig's cluster, context and user name). */
  readonly name: string;
  /** The API server URL (`https://…`). */
  readonly endpoint: string;
  /** Base64 PEM of the cluster CA (`certificateAuthority.data`). */
  readonly certificateAuthority: string;
  readonly region: string;
}

/**
 * A kubeconfig that authenticates with `aws eks get-token` (exec plugin): no token is stored, every
 * call gets a fresh one for whatever AWS identity runs Pulumi or kubectl. Needs the AWS CLI v2.
 */
export function kubeconfigFor(input: KubeconfigInput): string {
  const { name, endpoint, certificateAuthority, region } = input;
  if (
    name === "" ||
    !endpoint.startsWith("https://") ||
    certificateAuthority === "" ||
    region === ""
  ) {
    throw new Error(
      `kubeconfigFor: needs a cluster name, an https:// endpoint, the CA data and a region (got ${JSON.stringify({ name, endpoint, region, certificateAuthority: certificateAuthority === "" ? "" : "…" })}).`,
    );
  }
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      { name, cluster: { server: endpoint, "certificate-authority-data": certificateAuthority } },
    ],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
    preferences: {},
    users: [
      {
        name,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: [
              "eks",
              "get-token",
              "--cluster-name",
              name,
              "--region",
              region,
              "--output",
              "json",
            ],
            interactiveMode: "Never",
          },
        },
      },
    ],
  });
}

/** The node group's AMI type: Graviton families (`m7g`, `c6gn`, `t4g`, …) need the ARM image. */
export function amiTypeFor(
  instanceType: string,
): "AL2023_ARM_64_STANDARD" | "AL2023_x86_64_STANDARD" {
  return /^[a-z]+\d+g[a-z]*[.-]/.test(instanceType)
    ? "AL2023_ARM_64_STANDARD"
    : "AL2023_x86_64_STANDARD";
}

/**
 * Days after which the bucket expires Loki's objects: the retention plus one day, so the compactor
 * (which honours retention exactly) always deletes first and the rule only catches leftovers.
 */
export function lokiObjectExpirationDays(retentionPeriod: string): number {
  const ms = durationMs(retentionPeriod);
  if (ms === undefined || ms <= 0 || ms % 86_400_000 !== 0) {
    throw new pulumi.InputPropertyError({
      propertyPath: "lokiRetention",
      reason: `\`lokiRetention\`: got ${JSON.stringify(retentionPeriod)} — must be a whole number of days such as \`30d\` (the S3 expiry rule counts days).`,
    });
  }
  return ms / 86_400_000 + 1;
}

/**
 * The StorageClass every PVC uses: gp3 through the EBS CSI driver, encrypted, volumes kept when their
 * PVC is deleted (`Retain`), created in the zone of the pod that needs them, and resizable.
 */
export function gp3StorageClass(isDefault: boolean) {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: {
      name: STORAGE_CLASS_NAME,
      annotations: { [DEFAULT_CLASS_ANNOTATION]: String(isDefault) },
    },
    provisioner: "ebs.csi.aws.com",
    parameters: { type: "gp3", encrypted: "true" },
    reclaimPolicy: "Retain",
    volumeBindingMode: "WaitForFirstConsumer",
    allowVolumeExpansion: true,
  } as const;
}

// ---------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------

/**
 * Creates (or connects to) the prod cluster. Validation runs before any resource is registered.
 * Existing mode creates no AWS resource: the cluster's owner provides the EBS CSI driver and IRSA.
 */
export function cluster(settings: Settings, opts: K8sPartOptions): Cluster {
  const k8s = settings.k8s;
  if (k8s.cluster.mode === "existing" && (k8s.remoteWrite || k8s.lokiMode === "simpleScalable")) {
    throw new pulumi.InputPropertyError({
      propertyPath: k8s.remoteWrite ? "remoteWrite" : "lokiMode",
      reason:
        "`remoteWrite` and `lokiMode: simpleScalable` need IAM roles for service accounts, which the stack sets up only for a cluster it creates: set `eksClusterMode` to `create`, or turn them off.",
    });
  }
  const region = getRegionOutput({}, { parent: opts.parent }).region;

  if (k8s.cluster.mode === "existing") {
    // The kubeconfig stays a secret Output from `requireSecret` all the way into the provider.
    const provider = new Provider(
      `${opts.prefix}-k8s`,
      { kubeconfig: k8s.cluster.kubeconfig, enableServerSideApply: true },
      { parent: opts.parent },
    );
    // Not the default class: marking it so in someone else's cluster would change where their
    // other workloads' unnamed PVCs land. Every PVC of this stack names the class explicitly.
    const storageClass = gp3Class(false, provider, opts);
    return {
      provider,
      name: pulumi.output(settings.clusterName),
      storageClassName: storageClass.metadata.name,
      region,
    };
  }
  return createCluster(settings, k8s.cluster, region, opts);
}

type CreateSettings = Extract<Settings["k8s"]["cluster"], { mode: "create" }>;

function gp3Class(isDefault: boolean, provider: Provider, opts: K8sPartOptions): StorageClass {
  return new StorageClass(`${opts.prefix}-${STORAGE_CLASS_NAME}`, gp3StorageClass(isDefault), {
    parent: opts.parent,
    provider,
  });
}

/** The cluster's IAM OIDC provider and issuer URL. */
interface Oidc {
  readonly providerArn: pulumi.Output<string>;
  readonly issuer: pulumi.Output<string>;
}

/** Options of the resources that hold data (see `createCluster` for what is protected and why). */
const keep = (parent: pulumi.Resource): pulumi.CustomResourceOptions => ({ parent, protect: true });

/** An IAM role only the service account `account` of this cluster can assume (IRSA). */
function irsaRole(
  oidc: Oidc,
  role: string,
  account: { readonly namespace: string; readonly name: string },
  opts: K8sPartOptions,
): Role {
  const name = `${opts.prefix}-${role}`;
  return new Role(
    name,
    {
      description: `IRSA role of the service account ${account.namespace}/${account.name} in ${opts.prefix}.`,
      assumeRolePolicy: pulumi.all([oidc.providerArn, oidc.issuer]).apply(([arn, issuer]) =>
        JSON.stringify(
          irsaTrustPolicy({
            oidcProviderArn: arn,
            issuer,
            namespace: account.namespace,
            serviceAccount: account.name,
          }),
        ),
      ),
      tags: { ...opts.tags, Name: name },
    },
    { parent: opts.parent },
  );
}

/** The role's ARN, resolved only once its policy exists (no pod starts with a powerless role). */
function withPolicy(role: Role, policy: RolePolicy): ServiceAccountRole {
  return { roleArn: pulumi.all([role.arn, policy.id]).apply(([arn]) => arn) };
}

/**
 * What is protected, and why: the control plane (its etcd holds every Kubernetes object and PV
 * binding), the KMS key (without it the cluster's secrets cannot be decrypted), the Loki bucket and
 * the AMP workspace (they hold the data). The node group is not: nodes are replaceable, the data
 * lives on EBS volumes that outlive them (`reclaimPolicy: Retain`), and protection would block the
 * replacement an instance-type change needs. To delete a protected resource on purpose, run
 * `pulumi state unprotect <urn>` first.
 */
function createCluster(
  settings: Settings,
  spec: CreateSettings,
  region: pulumi.Output<string>,
  opts: K8sPartOptions,
): Cluster {
  const { parent, prefix } = opts;
  // Validate before anything is registered.
  const lokiExpirationDays =
    settings.k8s.lokiMode === "simpleScalable"
      ? lokiObjectExpirationDays(settings.loki.retentionPeriod)
      : undefined;

  const named = (Name: string) => ({ ...opts.tags, Name });
  const partition = getPartitionOutput({}, { parent }).partition;
  const managedPolicyArn = (policy: string) =>
    pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}`;

  // Nodes and the internal load balancers live in the private subnets; public ones carry only NAT
  // gateways and internet-facing load balancers.
  const net = network(settings.aws.network, opts, SUBNET_ROLE_TAGS);

  // --- Control plane -------------------------------------------------------------------------
  const clusterRoleName = `${prefix}-eks-cluster`;
  const clusterRole = new Role(
    clusterRoleName,
    {
      description: `EKS control plane of ${prefix}.`,
      assumeRolePolicy: JSON.stringify(serviceAssumeRolePolicy("eks.amazonaws.com")),
      tags: named(clusterRoleName),
    },
    { parent },
  );
  const clusterAttachments = MANAGED_POLICIES.cluster.map(
    (policy) =>
      new RolePolicyAttachment(
        `${clusterRoleName}-${policy}`,
        { role: clusterRole.id, policyArn: managedPolicyArn(policy) },
        { parent },
      ),
  );

  const keyName = `${prefix}-eks-secrets-key`;
  const key = new Key(
    keyName,
    {
      description: `Envelope encryption of the Kubernetes secrets of ${prefix}.`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      tags: named(keyName),
    },
    keep(parent),
  );
  new Alias(
    `${keyName}-alias`,
    { name: `alias/${prefix}-eks-secrets`, targetKeyId: key.arn },
    { parent },
  );

  // Created before the cluster so EKS does not create it first with infinite retention.
  const logGroup = new LogGroup(
    `${prefix}-eks-logs`,
    {
      name: `/aws/eks/${prefix}/cluster`,
      retentionInDays: CONTROL_PLANE_LOG_RETENTION_DAYS,
      tags: named(`${prefix}-eks-logs`),
    },
    { parent },
  );

  const eksCluster = new EksCluster(
    `${prefix}-eks`,
    {
      // A fixed name: `aws eks update-kubeconfig --name <clusterName>` works as documented.
      name: prefix,
      version: spec.version,
      roleArn: clusterRole.arn,
      vpcConfig: {
        subnetIds: pulumi
          .all([net.privateSubnetIds, net.publicSubnetIds])
          .apply(([priv, pub]) => [...priv, ...pub]),
        endpointPrivateAccess: true,
        endpointPublicAccess: true,
      },
      encryptionConfig: { provider: { keyArn: key.arn }, resources: ["secrets"] },
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      accessConfig: {
        authenticationMode: "API",
        bootstrapClusterCreatorAdminPermissions: true,
      },
      deletionProtection: true,
      tags: named(prefix),
    },
    { ...keep(parent), dependsOn: [...clusterAttachments, logGroup] },
  );

  // --- Nodes ---------------------------------------------------------------------------------
  const nodeRoleName = `${prefix}-eks-node`;
  const nodeRole = new Role(
    nodeRoleName,
    {
      description: `EC2 nodes of the EKS cluster ${prefix}.`,
      assumeRolePolicy: JSON.stringify(serviceAssumeRolePolicy("ec2.amazonaws.com")),
      tags: named(nodeRoleName),
    },
    { parent },
  );
  const nodeAttachments = MANAGED_POLICIES.node.map(
    (policy) =>
      new RolePolicyAttachment(
        `${nodeRoleName}-${policy}`,
        { role: nodeRole.id, policyArn: managedPolicyArn(policy) },
        { parent },
      ),
  );
  const group = spec.nodeGroup;
  // Node root disks: encrypted gp3 whatever the account's EBS default, and IMDSv2 only (hop limit 2
  // so pods that need the instance role through IRSA-less SDKs still work behind the CNI).
  const launchTemplate = new LaunchTemplate(
    `${prefix}-nodes`,
    {
      description: `EKS nodes of ${prefix}: encrypted root disk, IMDSv2`,
      blockDeviceMappings: [
        {
          deviceName: NODE_ROOT_DEVICE,
          ebs: {
            volumeSize: group.diskSize,
            volumeType: "gp3",
            encrypted: "true",
            deleteOnTermination: "true",
          },
        },
      ],
      metadataOptions: {
        httpTokens: "required",
        httpPutResponseHopLimit: 2,
        httpEndpoint: "enabled",
      },
      tags: named(`${prefix}-nodes`),
    },
    { parent },
  );
  const nodeGroup = new NodeGroup(
    `${prefix}-nodes`,
    {
      clusterName: eksCluster.name,
      // Auto-named (random suffix) so a replacement is created before the old group is deleted.
      nodeRoleArn: nodeRole.arn,
      subnetIds: net.privateSubnetIds,
      instanceTypes: [group.instanceType],
      amiType: amiTypeFor(group.instanceType),
      capacityType: "ON_DEMAND",
      // The disk size lives in the launch template (EKS rejects both).
      launchTemplate: {
        id: launchTemplate.id,
        version: pulumi.interpolate`${launchTemplate.latestVersion}`,
      },
      scalingConfig: {
        minSize: group.minSize,
        desiredSize: group.desiredSize,
        maxSize: group.maxSize,
      },
      updateConfig: { maxUnavailable: 1 },
      tags: named(`${prefix}-nodes`),
    },
    { parent, dependsOn: nodeAttachments },
  );

  // --- IRSA ----------------------------------------------------------------------------------
  const issuer = eksCluster.identities.apply((ids) => {
    const url = ids[0]?.oidcs[0]?.issuer;
    if (url === undefined) throw new Error(`the EKS cluster ${prefix} reports no OIDC issuer`);
    return url;
  });
  const oidcProvider = new OpenIdConnectProvider(
    `${prefix}-oidc`,
    { url: issuer, clientIdLists: [STS_AUDIENCE], tags: named(`${prefix}-oidc`) },
    { parent },
  );
  const oidc: Oidc = { providerArn: oidcProvider.arn, issuer };

  // --- EBS CSI driver (PITFALLS 6: without it every PVC stays Pending) --------------------------
  const ebsRole = irsaRole(oidc, "ebs-csi", EBS_CSI_SERVICE_ACCOUNT, opts);
  const ebsAttachments = MANAGED_POLICIES.ebsCsi.map(
    (policy) =>
      new RolePolicyAttachment(
        `${prefix}-ebs-csi-${policy.split("/").pop() ?? policy}`,
        { role: ebsRole.id, policyArn: managedPolicyArn(policy) },
        { parent },
      ),
  );
  const ebsAddon = new Addon(
    `${prefix}-ebs-csi`,
    {
      clusterName: eksCluster.name,
      addonName: "aws-ebs-csi-driver",
      serviceAccountRoleArn: ebsRole.arn,
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      tags: named(`${prefix}-ebs-csi`),
    },
    // The add-on only becomes ACTIVE once its controller pods run, i.e. once nodes exist.
    { parent, dependsOn: [nodeGroup, ...ebsAttachments] },
  );

  // The VPC CNI enforces NetworkPolicies only with its network policy agent switched on; without
  // it EKS ignores every NetworkPolicy the stack creates.
  const cniAddon = new Addon(
    `${prefix}-vpc-cni`,
    {
      clusterName: eksCluster.name,
      addonName: "vpc-cni",
      configurationValues: JSON.stringify(VPC_CNI_CONFIGURATION),
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      tags: named(`${prefix}-vpc-cni`),
    },
    { parent },
  );

  // --- Kubeconfig and provider -----------------------------------------------------------------
  const kubeconfig = pulumi.secret(
    pulumi
      .all([eksCluster.name, eksCluster.endpoint, eksCluster.certificateAuthority, region])
      .apply(([name, endpoint, ca, r]) =>
        kubeconfigFor({ name, endpoint, certificateAuthority: ca.data ?? "", region: r }),
      ),
  );
  const provider = new Provider(
    `${prefix}-k8s`,
    { kubeconfig, enableServerSideApply: true },
    // Nothing may schedule before nodes and the volume driver exist.
    { parent, dependsOn: [nodeGroup, ebsAddon, cniAddon] },
  );
  // The default class: EKS 1.30+ marks no class default, so a PVC a chart forgets to name still
  // lands on encrypted, retained gp3 instead of staying Pending. The cluster is the stack's own.
  const storageClass = gp3Class(true, provider, opts);

  return {
    provider,
    name: eksCluster.name,
    kubeconfig,
    storageClassName: storageClass.metadata.name,
    region,
    remoteWrite: settings.k8s.remoteWrite ? ampRemoteWrite(oidc, opts) : undefined,
    lokiStorage:
      lokiExpirationDays === undefined ? undefined : lokiBucket(lokiExpirationDays, oidc, opts),
  };
}

/** Amazon Managed Service for Prometheus: the workspace and Prometheus' remote-write role. */
function ampRemoteWrite(oidc: Oidc, opts: K8sPartOptions): NonNullable<Cluster["remoteWrite"]> {
  const { parent, prefix } = opts;
  const workspace = new Workspace(
    `${prefix}-amp`,
    { alias: prefix, tags: { ...opts.tags, Name: `${prefix}-amp` } },
    keep(parent),
  );
  const role = irsaRole(oidc, "prometheus-amp", SERVICE_ACCOUNTS.prometheus, opts);
  const policy = new RolePolicy(
    `${prefix}-prometheus-amp-policy`,
    {
      role: role.id,
      policy: workspace.arn.apply((arn) =>
        checkedPolicyJson("AMP remote-write policy", ampRemoteWritePolicy(arn)),
      ),
    },
    { parent },
  );
  return {
    url: pulumi.interpolate`${workspace.prometheusEndpoint}api/v1/remote_write`,
    workspaceArn: workspace.arn,
    role: withPolicy(role, policy),
  };
}

/** Loki's chunk and index bucket (simple scalable mode) and Loki's role. */
function lokiBucket(
  expirationDays: number,
  oidc: Oidc,
  opts: K8sPartOptions,
): NonNullable<Cluster["lokiStorage"]> {
  const { parent, prefix } = opts;
  const name = `${prefix}-loki`;
  const bucket = new Bucket(
    name,
    {
      bucketPrefix: `${name}-`,
      // Never empty the log archive on delete; the bucket is protected as well.
      forceDestroy: false,
      tags: { ...opts.tags, Name: name },
    },
    keep(parent),
  );
  new BucketPublicAccessBlock(
    `${name}-public-access`,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    { parent },
  );
  new BucketOwnershipControls(
    `${name}-ownership`,
    { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
    { parent },
  );
  new BucketServerSideEncryptionConfiguration(
    `${name}-encryption`,
    {
      bucket: bucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    },
    { parent },
  );
  // Off: Loki's compactor deletes expired chunks; versions would keep (and bill) them forever.
  new BucketVersioning(
    `${name}-versioning`,
    { bucket: bucket.id, versioningConfiguration: { status: "Disabled" } },
    { parent },
  );
  new BucketLifecycleConfiguration(
    `${name}-lifecycle`,
    {
      bucket: bucket.id,
      rules: [
        {
          id: "expire-after-loki-retention",
          status: "Enabled",
          filter: { prefix: "" },
          expiration: { days: expirationDays },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
        },
      ],
    },
    { parent },
  );
  const role = irsaRole(oidc, "loki-s3", SERVICE_ACCOUNTS.loki, opts);
  const policy = new RolePolicy(
    `${prefix}-loki-s3-policy`,
    {
      role: role.id,
      policy: bucket.arn.apply((arn) =>
        checkedPolicyJson("Loki bucket policy", lokiBucketPolicy(arn)),
      ),
    },
    { parent },
  );
  // An S3 bucket's id is its name.
  return { bucket: bucket.id, role: withPolicy(role, policy) };
}
