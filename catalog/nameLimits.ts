/**
 * What each cloud, Kubernetes, Helm and Docker accept as a name: one row per kind of name, with the
 * documentation page it comes from. `nameViolations` says why a name would be refused; the names
 * the program creates are listed in resourceNames.ts and checked in settings/nameChecks.ts.
 */
import { DNS1123_LABEL, DNS1123_SUBDOMAIN, K8S_LIMITS } from "./kubernetesSyntax";

/** The limits of one kind of name. */
export interface NameLimit {
  /** What the name is, as a user reads it: "IAM role name". */
  readonly label: string;
  /** Who refuses it: "IAM". */
  readonly service: string;
  readonly maxLength: number;
  /** @default 1 */
  readonly minLength?: number;
  /** The whole name must match (lengths are checked separately). */
  readonly pattern: RegExp;
  /** `pattern` in words, for messages. */
  readonly allowed: string;
  /** Prefixes the service reserves for itself. @default none */
  readonly reservedPrefixes?: readonly string[];
  /** The page the limits come from. */
  readonly doc: string;
}

/** RFC 1123 host names: labels of at most 63 characters separated by dots (Cloud Map, Route 53). */
const HOST_LABEL = "[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?";

export const NAME_LIMITS = {
  /** https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html */
  s3Bucket: {
    label: "S3 bucket name",
    service: "S3",
    minLength: 3,
    maxLength: 63,
    pattern: /^[a-z0-9](?:[a-z0-9-]|\.(?!\.))*[a-z0-9]$/,
    allowed:
      "lower-case letters, digits, `-` and single dots, starting and ending with a letter or digit",
    reservedPrefixes: ["xn--", "sthree-", "amzn-s3-demo-"],
    doc: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
  },
  /**
   * `bucketPrefix`: the provider appends 26 characters to make the bucket name, so at most 37
   * (https://www.pulumi.com/registry/packages/aws/api-docs/s3/bucket/#bucketprefix_nodejs); the
   * bucket naming rules apply to the prefix too.
   */
  s3BucketPrefix: {
    label: "S3 bucketPrefix",
    service: "S3",
    maxLength: 37,
    pattern: /^[a-z0-9](?:[a-z0-9-]|\.(?!\.))*$/,
    allowed: "lower-case letters, digits, `-` and single dots, starting with a letter or digit",
    reservedPrefixes: ["xn--", "sthree-", "amzn-s3-demo-"],
    doc: "https://www.pulumi.com/registry/packages/aws/api-docs/s3/bucket/#bucketprefix_nodejs",
  },
  /** https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html */
  iamRole: {
    label: "IAM role name",
    service: "IAM",
    maxLength: 64,
    pattern: /^[\w+=,.@-]+$/,
    allowed: "letters, digits and `+=,.@_-`",
    doc: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
  },
  /** `namePrefix` of a role: the provider appends 26 characters (64 − 26). */
  iamRoleNamePrefix: {
    label: "IAM role namePrefix",
    service: "IAM",
    maxLength: 38,
    pattern: /^[\w+=,.@-]+$/,
    allowed: "letters, digits and `+=,.@_-`",
    doc: "https://www.pulumi.com/registry/packages/aws/api-docs/iam/role/#nameprefix_nodejs",
  },
  /** https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html */
  iamPolicy: {
    label: "IAM inline policy name",
    service: "IAM",
    maxLength: 128,
    pattern: /^[\w+=,.@-]+$/,
    allowed: "letters, digits and `+=,.@_-`",
    doc: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html",
  },
  /** https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html */
  ecsCluster: {
    label: "ECS cluster name",
    service: "ECS",
    maxLength: 255,
    pattern: /^[A-Za-z0-9_-]+$/,
    allowed: "letters, digits, `-` and `_`",
    doc: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html",
  },
  /** https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html */
  ecsService: {
    label: "ECS service name",
    service: "ECS",
    maxLength: 255,
    pattern: /^[A-Za-z0-9_-]+$/,
    allowed: "letters, digits, `-` and `_`",
    doc: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html",
  },
  /** https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html */
  ecsTaskFamily: {
    label: "ECS task definition family",
    service: "ECS",
    maxLength: 255,
    pattern: /^[A-Za-z0-9_-]+$/,
    allowed: "letters, digits, `-` and `_`",
    doc: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html",
  },
  /** https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html */
  eksCluster: {
    label: "EKS cluster name",
    service: "EKS",
    maxLength: 100,
    pattern: /^[0-9A-Za-z][A-Za-z0-9_-]*$/,
    allowed: "letters, digits, `-` and `_`, starting with a letter or digit",
    doc: "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html",
  },
  /** https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html */
  eksNodeGroup: {
    label: "EKS node group name",
    service: "EKS",
    maxLength: 63,
    pattern: /^[0-9A-Za-z][A-Za-z0-9_-]*$/,
    allowed: "letters, digits, `-` and `_`, starting with a letter or digit",
    doc: "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html",
  },
  /** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html */
  launchTemplate: {
    label: "EC2 launch template name",
    service: "EC2",
    minLength: 3,
    maxLength: 128,
    pattern: /^[a-zA-Z0-9().\-/_]+$/,
    allowed: "letters, digits and `().-/_`",
    doc: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html",
  },
  /** https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html */
  loadBalancer: {
    label: "load balancer name",
    service: "Elastic Load Balancing",
    maxLength: 32,
    pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
    allowed: "letters, digits and `-`, not starting or ending with `-`",
    reservedPrefixes: ["internal-"],
    doc: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
  },
  /** https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html */
  targetGroup: {
    label: "target group name",
    service: "Elastic Load Balancing",
    maxLength: 32,
    pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
    allowed: "letters, digits and `-`, not starting or ending with `-`",
    doc: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
  },
  /** `namePrefix` of a load balancer or target group: at most 6 characters. */
  elbNamePrefix: {
    label: "load balancer / target group namePrefix",
    service: "Elastic Load Balancing",
    maxLength: 6,
    pattern: /^[A-Za-z0-9][A-Za-z0-9-]*$/,
    allowed: "letters, digits and `-`, starting with a letter or digit",
    doc: "https://www.pulumi.com/registry/packages/aws/api-docs/lb/loadbalancer/#nameprefix_nodejs",
  },
  /** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html */
  securityGroup: {
    label: "security group name",
    service: "EC2",
    maxLength: 255,
    pattern: /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/,
    allowed: "letters, digits, spaces and `._-:/()#,@[]+=&;{}!$*`",
    reservedPrefixes: ["sg-"],
    doc: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html",
  },
  /** https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html */
  kmsAlias: {
    label: "KMS alias",
    service: "KMS",
    maxLength: 256,
    pattern: /^alias\/[a-zA-Z0-9/_-]+$/,
    allowed: "`alias/` followed by letters, digits and `/_-`",
    reservedPrefixes: ["alias/aws/"],
    doc: "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html",
  },
  /**
   * A private DNS namespace is a Route 53 private hosted zone: a DNS name whose labels the tasks
   * resolve as host names (RFC 1123).
   */
  cloudMapNamespace: {
    label: "Cloud Map namespace",
    service: "Cloud Map",
    maxLength: 253,
    pattern: new RegExp(`^${HOST_LABEL}(?:\\.${HOST_LABEL})*$`),
    allowed:
      "a DNS name: dot-separated labels of at most 63 lower-case letters, digits and `-`, not starting or ending with `-`",
    doc: "https://docs.aws.amazon.com/cloud-map/latest/api/API_CreatePrivateDnsNamespace.html",
  },
  /** https://docs.aws.amazon.com/efs/latest/ug/API_CreateFileSystem.html */
  efsCreationToken: {
    label: "EFS creation token",
    service: "EFS",
    maxLength: 64,
    pattern: /^.+$/,
    allowed: "any characters",
    doc: "https://docs.aws.amazon.com/efs/latest/ug/API_CreateFileSystem.html",
  },
  /** https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html */
  logGroup: {
    label: "CloudWatch log group name",
    service: "CloudWatch Logs",
    maxLength: 512,
    pattern: /^[.\-_/#A-Za-z0-9]+$/,
    allowed: "letters, digits and `._-/#`",
    doc: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html",
  },
  /** https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html */
  secret: {
    label: "Secrets Manager secret name",
    service: "Secrets Manager",
    maxLength: 512,
    pattern: /^[A-Za-z0-9/_+=.@-]+$/,
    allowed: "letters, digits and `/_+=.@-`",
    doc: "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html",
  },
  /** https://docs.aws.amazon.com/prometheus/latest/APIReference/API_CreateWorkspace.html */
  ampAlias: {
    label: "Amazon Managed Prometheus workspace alias",
    service: "Amazon Managed Service for Prometheus",
    maxLength: 100,
    pattern: /^.+$/,
    allowed: "any characters",
    doc: "https://docs.aws.amazon.com/prometheus/latest/APIReference/API_CreateWorkspace.html",
  },
  /** https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-subdomain-names */
  k8sSubdomain: {
    label: "Kubernetes object name",
    service: "Kubernetes",
    maxLength: K8S_LIMITS.dns1123Subdomain,
    pattern: DNS1123_SUBDOMAIN,
    allowed:
      "a DNS-1123 subdomain: lower-case letters, digits, `-` and `.`, starting and ending with a letter or digit",
    doc: "https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-subdomain-names",
  },
  /** https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names */
  k8sLabel: {
    label: "Kubernetes name",
    service: "Kubernetes",
    maxLength: K8S_LIMITS.dns1123Label,
    pattern: DNS1123_LABEL,
    allowed:
      "a DNS-1123 label: lower-case letters, digits and `-`, starting and ending with a letter or digit",
    doc: "https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names",
  },
  /** Helm's `ValidateReleaseName`: a DNS-1123 subdomain of at most 53 characters. */
  helmRelease: {
    label: "Helm release name",
    service: "Helm",
    maxLength: 53,
    pattern: DNS1123_SUBDOMAIN,
    allowed: "lower-case letters, digits, `-` and `.`, starting and ending with a letter or digit",
    doc: "https://github.com/helm/helm/blob/main/pkg/chart/v2/util/validate_name.go",
  },
  /**
   * Docker's `RestrictedNamePattern` for container and volume names (network names held to it too);
   * Docker sets no length limit.
   */
  docker: {
    label: "Docker name",
    service: "Docker",
    minLength: 2,
    maxLength: Infinity,
    pattern: /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/,
    allowed: "letters, digits and `_.-`, starting with a letter or digit",
    doc: "https://github.com/moby/moby/blob/master/daemon/names/names.go",
  },
} as const satisfies Record<string, NameLimit>;

export type NameKind = keyof typeof NAME_LIMITS;

/**
 * What Pulumi appends to a logical name to auto-name a resource: `-` and 7 random hex characters
 * (https://www.pulumi.com/docs/iac/concepts/resources/names/#autonaming).
 */
export const AUTONAME_SUFFIX_LENGTH = 8;

/** How an auto-name is shown before it exists: the logical name, `-` and seven `x`. */
export function autoName(logical: string): string {
  return `${logical}-${"x".repeat(AUTONAME_SUFFIX_LENGTH - 1)}`;
}

/** Why a name would be refused. */
export type NameViolation =
  | { readonly rule: "length"; readonly length: number; readonly max: number; readonly min: number }
  | { readonly rule: "characters" }
  | { readonly rule: "reservedPrefix"; readonly prefix: string };

/** Every reason `kind`'s service would refuse `name`; empty when it is accepted. */
export function nameViolations(kind: NameKind, name: string): NameViolation[] {
  const limit: NameLimit = NAME_LIMITS[kind];
  const min = limit.minLength ?? 1;
  const found: NameViolation[] = [];
  if (name.length > limit.maxLength || name.length < min)
    found.push({ rule: "length", length: name.length, max: limit.maxLength, min });
  if (!limit.pattern.test(name)) found.push({ rule: "characters" });
  const prefix = limit.reservedPrefixes?.find((p) => name.startsWith(p));
  if (prefix !== undefined) found.push({ rule: "reservedPrefix", prefix });
  return found;
}
