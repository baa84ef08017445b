/**
 * Persistent storage of the staging (ECS Fargate) services: one encrypted EFS file system, reachable
 * only over TLS, only from the tasks' security group and only through one access point per service.
 */
import * as pulumi from "@pulumi/pulumi";
import { SecurityGroup } from "@pulumi/aws/ec2/securityGroup";
import { FileSystem } from "@pulumi/aws/efs/fileSystem";
import { BackupPolicy } from "@pulumi/aws/efs/backupPolicy";
import { MountTarget } from "@pulumi/aws/efs/mountTarget";
import { AccessPoint } from "@pulumi/aws/efs/accessPoint";
import { FileSystemPolicy } from "@pulumi/aws/efs/fileSystemPolicy";
import { Key } from "@pulumi/aws/kms/key";
import { Alias } from "@pulumi/aws/kms/alias";
import { SecurityGroupIngressRule } from "@pulumi/aws/vpc/securityGroupIngressRule";
import { SecurityGroupEgressRule } from "@pulumi/aws/vpc/securityGroupEgressRule";
import type { AwsSettings } from "../../settings/settings";
import { checkedPolicyJson, policyDocument, type PolicyDocument } from "../aws/policyDocuments";
import { AZ_COUNT } from "../aws/network";
import type { EcsService } from "../../catalog/names";
import { stagingNames } from "../../catalog/resourceNames";
import type { Network } from "../aws/types";
import type { Storage } from "./types";
import type { PartOptions } from "../parts";

/** NFS, the only port the EFS mount targets accept. */
export const NFS_PORT = 2049;

/**
 * The user each pinned image runs as (catalog/versions.ts), so files on EFS belong to it: Prometheus
 * and Alertmanager run as `nobody` (65534), Grafana as 472 (group root), Loki as 10001.
 */
export const EFS_USERS: Readonly<
  Record<EcsService, { readonly uid: number; readonly gid: number; readonly path: string }>
> = {
  prometheus: { uid: 65534, gid: 65534, path: "/prometheus" },
  alertmanager: { uid: 65534, gid: 65534, path: "/alertmanager" },
  grafana: { uid: 472, gid: 0, path: "/grafana" },
  loki: { uid: 10001, gid: 10001, path: "/loki" },
};

/** How many private subnets (and so EFS mount targets) the network has, known before deployment. */
export function privateSubnetCount(network: AwsSettings["network"]): number {
  return network.kind === "create" ? AZ_COUNT : network.privateSubnetIds.length;
}

/** The subnet ids, checked against the count the mount targets were planned with. */
export function checkedSubnetIds(ids: readonly string[], expected: number): readonly string[] {
  if (ids.length !== expected) {
    throw new Error(
      `the network has ${ids.length} private subnets (${ids.join(", ")}) but ${expected} EFS mount targets were planned: pass \`privateSubnetCount\` from the same settings as \`privateSubnetIds\`.`,
    );
  }
  return ids;
}

/** NFS client actions; the file system policy governs exactly these. */
const CLIENT_ACTIONS = [
  "elasticfilesystem:ClientMount",
  "elasticfilesystem:ClientWrite",
  "elasticfilesystem:ClientRootAccess",
];

/**
 * File system policy: refuse NFS without TLS and any mount that bypasses an access point; allow
 * mount and write (never root access) through a mount target to principals of the file system's
 * own account whose IAM policy allows it (each task role allows only its own access point).
 */
export function fileSystemPolicy(fileSystemArn: string): PolicyDocument {
  const [arn, partition, , , accountId] = fileSystemArn.split(":");
  if (arn !== "arn" || partition === undefined || !/^\d{12}$/.test(accountId ?? "")) {
    throw new Error(`fileSystemPolicy: ${JSON.stringify(fileSystemArn)} is not an EFS ARN`);
  }
  const everyone = { AWS: "*" };
  return policyDocument(
    {
      Sid: "DenyWithoutTls",
      Effect: "Deny",
      Principal: everyone,
      Action: CLIENT_ACTIONS,
      Resource: fileSystemArn,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
    {
      Sid: "DenyWithoutAccessPoint",
      Effect: "Deny",
      Principal: everyone,
      Action: CLIENT_ACTIONS,
      Resource: fileSystemArn,
      Condition: { Null: { "elasticfilesystem:AccessPointArn": "true" } },
    },
    {
      Sid: "AllowMountViaMountTarget",
      Effect: "Allow",
      Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
      Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
      Resource: fileSystemArn,
      Condition: { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } },
    },
  );
}

/** Options of the resources that hold data: protected and retained unless `retainData` is false. */
export function dataResourceOptions(
  parent: pulumi.Resource,
  retainData: boolean,
): pulumi.CustomResourceOptions {
  return retainData ? { parent, protect: true, retainOnDelete: true } : { parent };
}

/** Inputs of `storage`. */
export interface StorageInput {
  readonly network: Network;
  /** The tasks' security group: the only source allowed to reach NFS. */
  readonly tasksSecurityGroupId: pulumi.Output<string>;
  /** How many ids `network.privateSubnetIds` holds (see `privateSubnetCount`): one mount target each. */
  readonly privateSubnetCount: number;
  /** Protect the file system, its key and access points from deletion and replacement. */
  readonly retainData: boolean;
}

/** Creates the encrypted EFS file system, its mount targets, access points and policies. */
export function storage(input: StorageInput, opts: PartOptions): Storage {
  if (!Number.isInteger(input.privateSubnetCount) || input.privateSubnetCount < 1) {
    throw new pulumi.InputPropertyError({
      propertyPath: "privateSubnetCount",
      reason: `\`privateSubnetCount\` must be a positive whole number (got ${input.privateSubnetCount}): pass \`privateSubnetCount(settings.aws.network)\`, one EFS mount target per private subnet.`,
    });
  }
  const { parent, prefix, tags } = opts;
  const keep = dataResourceOptions(parent, input.retainData);
  const named = (Name: string) => ({ ...tags, Name });

  const keyName = `${prefix}-efs-key`;
  const key = new Key(
    keyName,
    {
      description: `Encrypts the monitoring data of ${prefix} on EFS.`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      tags: named(keyName),
    },
    keep,
  );
  new Alias(
    `${prefix}-efs-key-alias`,
    { name: stagingNames(prefix).efsKeyAlias, targetKeyId: key.arn },
    { parent },
  );

  const fsName = stagingNames(prefix).efs;
  const fileSystem = new FileSystem(
    fsName,
    {
      encrypted: true,
      kmsKeyId: key.arn,
      performanceMode: "generalPurpose",
      throughputMode: "elastic",
      lifecyclePolicies: [
        { transitionToIa: "AFTER_30_DAYS" },
        { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" },
      ],
      tags: named(fsName),
    },
    keep,
  );
  const backup = new BackupPolicy(
    `${fsName}-backup`,
    { fileSystemId: fileSystem.id, backupPolicy: { status: "ENABLED" } },
    { parent },
  );

  const sgName = stagingNames(prefix).efsSecurityGroup;
  const securityGroup = new SecurityGroup(
    sgName,
    {
      description: `EFS mount targets of ${prefix}: NFS from the monitoring tasks only`,
      vpcId: input.network.vpcId,
      tags: named(sgName),
    },
    { parent },
  );
  const nfs = { ipProtocol: "tcp", fromPort: NFS_PORT, toPort: NFS_PORT };
  const ingress = new SecurityGroupIngressRule(
    `${sgName}-nfs-from-tasks`,
    {
      ...nfs,
      securityGroupId: securityGroup.id,
      referencedSecurityGroupId: input.tasksSecurityGroupId,
      description: "NFS from the monitoring tasks",
      tags: named(`${sgName}-nfs-from-tasks`),
    },
    { parent },
  );
  const egress = new SecurityGroupEgressRule(
    `${prefix}-tasks-nfs-to-efs`,
    {
      ...nfs,
      securityGroupId: input.tasksSecurityGroupId,
      referencedSecurityGroupId: securityGroup.id,
      description: "NFS to the EFS mount targets",
      tags: named(`${prefix}-tasks-nfs-to-efs`),
    },
    { parent },
  );

  const subnetIds = input.network.privateSubnetIds.apply((ids) =>
    checkedSubnetIds(ids, input.privateSubnetCount),
  );
  const mountTargets = Array.from(
    { length: input.privateSubnetCount },
    (_, i) =>
      new MountTarget(
        `${fsName}-mount-${i}`,
        {
          fileSystemId: fileSystem.id,
          subnetId: subnetIds.apply((ids) => ids[i]),
          securityGroups: [securityGroup.id],
        },
        { parent },
      ),
  );

  const accessPoints = Object.fromEntries(
    (Object.entries(EFS_USERS) as [EcsService, (typeof EFS_USERS)[EcsService]][]).map(
      ([service, user]) => {
        const apName = `${fsName}-ap-${service}`;
        const ap = new AccessPoint(
          apName,
          {
            fileSystemId: fileSystem.id,
            posixUser: { uid: user.uid, gid: user.gid },
            rootDirectory: {
              path: user.path,
              creationInfo: { ownerUid: user.uid, ownerGid: user.gid, permissions: "0750" },
            },
            tags: named(apName),
          },
          keep,
        );
        return [service, { id: ap.id, arn: ap.arn }];
      },
    ),
  ) as Storage["accessPoints"];

  const policy = new FileSystemPolicy(
    `${fsName}-policy`,
    {
      fileSystemId: fileSystem.id,
      policy: fileSystem.arn.apply((arn) =>
        checkedPolicyJson("EFS file system policy", fileSystemPolicy(arn)),
      ),
    },
    { parent },
  );

  // Whatever takes `fileSystemId` (the task definitions) waits until NFS is reachable and guarded.
  const ready = [...mountTargets, policy, backup, ingress, egress].map((r) => r.id);
  return {
    fileSystemId: pulumi.all([fileSystem.id, ...ready]).apply(([id]) => id),
    fileSystemArn: fileSystem.arn,
    accessPoints,
  };
}
