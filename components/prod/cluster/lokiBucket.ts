/**
 * Loki's object store in simple-scalable mode: a private, encrypted, protected S3 bucket whose
 * objects expire one day after Loki's retention, and a role only Loki's service account may use.
 */
import { RolePolicy } from "@pulumi/aws/iam/rolePolicy";
import { Bucket } from "@pulumi/aws/s3/bucket";
import { BucketLifecycleConfiguration } from "@pulumi/aws/s3/bucketLifecycleConfiguration";
import { BucketOwnershipControls } from "@pulumi/aws/s3/bucketOwnershipControls";
import { BucketPublicAccessBlock } from "@pulumi/aws/s3/bucketPublicAccessBlock";
import { BucketServerSideEncryptionConfiguration } from "@pulumi/aws/s3/bucketServerSideEncryptionConfiguration";
import { BucketVersioning } from "@pulumi/aws/s3/bucketVersioning";
import * as pulumi from "@pulumi/pulumi";
import { wholeDays } from "../../../settings/durations";
import { IRSA_ROLES, prodNames, rolePolicyName } from "../../../catalog/resourceNames";
import { checkedPolicyJson } from "../../aws/policyDocuments";
import type { PartOptions } from "../../parts";
import { type Cluster, SERVICE_ACCOUNTS } from "../types";
import { irsaRole, type Oidc, withPolicy } from "./irsa";
import { lokiBucketPolicy } from "./policies";
import { keep } from "./protection";

/**
 * Days after which the bucket expires Loki's objects: the retention plus one day, so the compactor
 * (which honours retention exactly) always deletes first and the rule only catches leftovers.
 */
export function lokiObjectExpirationDays(retentionPeriod: string): number {
  const days = wholeDays(retentionPeriod);
  if (days === undefined) {
    throw new pulumi.InputPropertyError({
      propertyPath: "lokiRetention",
      reason: `\`lokiRetention\`: got ${JSON.stringify(retentionPeriod)} — must be a whole number of days such as \`30d\` (the S3 expiry rule counts days).`,
    });
  }
  return days + 1;
}

/** Loki's chunk and index bucket (simple scalable mode) and Loki's role. */
export function lokiBucket(
  expirationDays: number,
  oidc: Oidc,
  opts: PartOptions,
): NonNullable<Cluster["lokiStorage"]> {
  const { parent, prefix } = opts;
  const names = prodNames(prefix);
  const name = names.lokiBucket;
  const bucket = new Bucket(
    name,
    {
      bucketPrefix: names.lokiBucketPrefix,
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
  const role = irsaRole(oidc, IRSA_ROLES.lokiS3, SERVICE_ACCOUNTS.loki, opts);
  const policy = new RolePolicy(
    rolePolicyName(names.irsaRole(IRSA_ROLES.lokiS3)),
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
