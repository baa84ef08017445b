/**
 * The CrossGuard policies of the monitoring stack, as data: `index.ts` hands them to the
 * `PolicyPack`, and `test/policy/policies.test.ts` calls their `validateResource` directly. The table in
 * `README.md` (same folder) explains each one and its enforcement level.
 */
import type {
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
} from "@pulumi/policy";
import { type PolicyDocument, policyProblems } from "../components/aws/policyDocuments";
import { imageProblem } from "./images";
import {
  CHART_COMPONENTS,
  chartComponentProblems,
  chartName,
  effectiveUser,
  HELM_TYPES,
  limitsProblem,
  podContainers,
  rootProblem,
  valuesImages,
  WORKLOAD_TYPES,
} from "./kubernetes";
import { plaintextSecretProblem } from "./secrets";
import { at, hasWord, isObject, type JsonObject, list, nameTag, num, text } from "./values";

/** A resource policy of this pack, with the resource types it inspects (all others: not applicable). */
export interface MonitoringPolicy extends ResourceValidationPolicy {
  readonly enforcementLevel: "mandatory" | "advisory";
  readonly resourceTypes: readonly string[];
  /**
   * Whether the check reads resource options (`args.opts.protect`). The engine passes them; the
   * test mocks record inputs only, so the program-wide test checks these with recorded options.
   */
  readonly readsOptions: boolean;
  readonly validateResource: ResourceValidation;
}

type Check = (props: JsonObject, args: ResourceValidationArgs, report: ReportViolation) => void;

interface PolicySpec {
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: "mandatory" | "advisory";
  readonly resourceTypes: readonly string[];
  readonly readsOptions?: boolean;
  readonly check: Check;
}

function define(spec: PolicySpec): MonitoringPolicy {
  const { check, resourceTypes, readsOptions, ...rest } = spec;
  return {
    ...rest,
    resourceTypes,
    readsOptions: readsOptions ?? false,
    validateResource: (args, report) => {
      if (!resourceTypes.includes(args.type)) {
        return args.notApplicable(`applies to ${resourceTypes.join(", ")}`);
      }
      check(args.props as JsonObject, args, report);
    },
  };
}

const T = {
  efs: "aws:efs/fileSystem:FileSystem",
  ebsVolume: "aws:ebs/volume:Volume",
  ebsDefault: "aws:ebs/encryptionByDefault:EncryptionByDefault",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  instance: "aws:ec2/instance:Instance",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  remoteImage: "docker:index/remoteImage:RemoteImage",
  container: "docker:index/container:Container",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  iamPolicy: "aws:iam/policy:Policy",
  userPolicy: "aws:iam/userPolicy:UserPolicy",
  groupPolicy: "aws:iam/groupPolicy:GroupPolicy",
  role: "aws:iam/role:Role",
  kmsKey: "aws:kms/key:Key",
  eksCluster: "aws:eks/cluster:Cluster",
  bucket: "aws:s3/bucket:Bucket",
  bucketV2: "aws:s3/bucketV2:BucketV2",
  ampWorkspace: "aws:amp/workspace:Workspace",
} as const;

const EBS_PROVISIONERS = ["ebs.csi.aws.com", "kubernetes.io/aws-ebs"];

/** `true` or `"true"`: launch templates take EBS booleans as strings. */
const isTrue = (v: unknown) => v === true || v === "true";

// ---------------------------------------------------------------------------------------------
// 1–3: encryption at rest and in transit
// ---------------------------------------------------------------------------------------------

export const efsEncrypted = define({
  name: "efs-encrypted",
  description: "EFS file systems are encrypted at rest with a KMS key the stack names.",
  enforcementLevel: "mandatory",
  resourceTypes: [T.efs],
  check: (props, _args, report) => {
    if (props.encrypted !== true) report("EFS file system without `encrypted: true`.");
    if (text(props.kmsKeyId) === undefined || props.kmsKeyId === "") {
      report("EFS file system without `kmsKeyId`: encrypt it with the stack's own KMS key.");
    }
  },
});

export const ebsEncrypted = define({
  name: "ebs-encrypted",
  description:
    'EBS volumes are encrypted: the EBS StorageClass (`parameters.encrypted: "true"`), EBS volumes, launch templates and instances.',
  enforcementLevel: "mandatory",
  resourceTypes: [T.storageClass, T.ebsVolume, T.launchTemplate, T.instance, T.ebsDefault],
  check: (props, args, report) => {
    switch (args.type) {
      case T.storageClass:
        if (!EBS_PROVISIONERS.includes(text(props.provisioner) ?? "")) {
          return args.notApplicable("not an EBS StorageClass");
        }
        if (at(props, ["parameters", "encrypted"]) !== "true") {
          report(
            'EBS StorageClass without `parameters.encrypted: "true"`: its PVs are unencrypted.',
          );
        }
        break;
      case T.ebsVolume:
        if (props.encrypted !== true) report("EBS volume without `encrypted: true`.");
        break;
      case T.ebsDefault:
        if (props.enabled === false) report("`EncryptionByDefault` turned off for the region.");
        break;
      case T.launchTemplate:
        list(props.blockDeviceMappings).forEach((m, i) => {
          const ebs = at(m, ["ebs"]);
          if (ebs !== undefined && !isTrue(at(ebs, ["encrypted"]))) {
            report(`\`blockDeviceMappings[${i}].ebs.encrypted\` is not "true".`);
          }
        });
        break;
      case T.instance:
        if (!isTrue(at(props, ["rootBlockDevice", "encrypted"]))) {
          report("EC2 instance without `rootBlockDevice.encrypted: true`.");
        }
        list(props.ebsBlockDevices).forEach((d, i) => {
          if (!isTrue(at(d, ["encrypted"])))
            report(`\`ebsBlockDevices[${i}].encrypted\` is not true.`);
        });
        break;
    }
  },
});

export const eksNodeDisksEncrypted = define({
  name: "eks-node-disks-encrypted",
  description:
    "EKS managed node groups take their disks from a launch template (checked by ebs-encrypted); without one, root volumes are encrypted only if the account turns on EBS encryption by default.",
  enforcementLevel: "mandatory",
  resourceTypes: [T.nodeGroup],
  check: (props, _args, report) => {
    if (props.launchTemplate === undefined || props.launchTemplate === null) {
      report(
        "Node group without a launch template: its root volumes (`diskSize`) are encrypted only if EBS encryption by default is on in the account and region. Use a launch template with encrypted `blockDeviceMappings`, or manage `aws.ebs.EncryptionByDefault`.",
      );
    }
  },
});

export const ecsEfsTransitEncryption = define({
  name: "ecs-efs-volumes-encrypted-in-transit",
  description:
    'EFS volumes of ECS task definitions use `transitEncryption: "ENABLED"` and IAM authorization.',
  enforcementLevel: "mandatory",
  resourceTypes: [T.taskDefinition],
  check: (props, _args, report) => {
    list(props.volumes).forEach((v, i) => {
      const efs = at(v, ["efsVolumeConfiguration"]);
      if (efs === undefined || efs === null) return;
      const name = text(at(v, ["name"])) ?? `volumes[${i}]`;
      if (at(efs, ["transitEncryption"]) !== "ENABLED") {
        report(`EFS volume "${name}" without \`transitEncryption: "ENABLED"\`.`);
      }
      if (at(efs, ["authorizationConfig", "iam"]) !== "ENABLED") {
        report(`EFS volume "${name}" without \`authorizationConfig.iam: "ENABLED"\`.`);
      }
    });
  },
});

// ---------------------------------------------------------------------------------------------
// 4: network exposure
// ---------------------------------------------------------------------------------------------

/** The ports an internet-facing ALB listens on; the only ones open to everyone. */
export const ALB_LISTENER_PORTS: readonly number[] = [80, 443];

/** Words that mark a security group (or one of its rules) as the load balancer's. */
const ALB_WORD = /alb|load[ -]?balancer/;

/** One ingress permission, whatever resource declared it. */
interface Ingress {
  readonly where: string;
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly cidrs: readonly string[];
  /** The rule or its group is marked as the load balancer's (see `isAlbMarked`). */
  readonly alb: boolean;
}

/** `0.0.0.0/0`, `::/0` (any `/0`): everyone. */
const isEveryone = (cidr: string) => /\/0$/.test(cidr.trim());

/**
 * Whether the rule is the ALB's: its description, `Name` tag, or its security group's description,
 * name or `Name` tag says `ALB` / `load balancer` as a word. A resource policy sees one resource
 * at a time and the security group ID is unknown at preview, so it cannot follow the rule to the
 * `aws.lb.LoadBalancer` that uses the group; the program names the group `<prefix>-alb`, describes it
 * as "Monitoring ALB: …" and names its rules `<prefix>-alb-in-<port>-<peer>`.
 */
function isAlbMarked(...labels: (string | undefined)[]): boolean {
  return labels.some((l) => hasWord(l, ALB_WORD));
}

function ingressesOf(type: string, props: JsonObject): Ingress[] {
  const cidrsOf = (...vs: unknown[]) =>
    vs.flatMap((v) => (typeof v === "string" ? [v] : list(v).filter((x) => typeof x === "string")));
  switch (type) {
    case T.ingressRule:
      return [
        {
          where: "rule",
          protocol: text(props.ipProtocol) ?? "",
          fromPort: num(props.fromPort),
          toPort: num(props.toPort),
          cidrs: cidrsOf(props.cidrIpv4, props.cidrIpv6),
          alb: isAlbMarked(text(props.description), nameTag(props)),
        },
      ];
    case T.sgRule:
      if (props.type !== "ingress") return [];
      return [
        {
          where: "rule",
          protocol: text(props.protocol) ?? "",
          fromPort: num(props.fromPort),
          toPort: num(props.toPort),
          cidrs: cidrsOf(props.cidrBlocks, props.ipv6CidrBlocks),
          alb: isAlbMarked(text(props.description)),
        },
      ];
    default: {
      const group = isAlbMarked(
        text(props.description),
        text(props.name),
        text(props.namePrefix),
        nameTag(props),
      );
      return list(props.ingress).flatMap((r, i) =>
        isObject(r)
          ? [
              {
                where: `ingress[${i}]`,
                protocol: text(r.protocol) ?? "",
                fromPort: num(r.fromPort),
                toPort: num(r.toPort),
                cidrs: cidrsOf(r.cidrBlocks, r.ipv6CidrBlocks),
                alb: group || isAlbMarked(text(r.description)),
              },
            ]
          : [],
      );
    }
  }
}

/** Whether the permission is exactly one ALB listener port over TCP. */
function isListenerPort(i: Ingress): boolean {
  const tcp = ["tcp", "6"].includes(i.protocol.toLowerCase());
  return (
    tcp &&
    i.fromPort !== undefined &&
    i.fromPort === i.toPort &&
    ALB_LISTENER_PORTS.includes(i.fromPort)
  );
}

export const noPublicIngress = define({
  name: "no-public-ingress",
  description:
    "No security group ingress from 0.0.0.0/0 or ::/0, except TCP 80/443 on the load balancer's security group.",
  enforcementLevel: "mandatory",
  resourceTypes: [T.ingressRule, T.sgRule, T.securityGroup, T.defaultSecurityGroup],
  check: (props, args, report) => {
    for (const i of ingressesOf(args.type, props)) {
      const open = i.cidrs.filter(isEveryone);
      if (open.length === 0 || (i.alb && isListenerPort(i))) continue;
      const ports =
        i.fromPort === i.toPort ? `port ${i.fromPort}` : `ports ${i.fromPort}-${i.toPort}`;
      const what = ["-1", "all"].includes(i.protocol.toLowerCase())
        ? "all traffic"
        : `${i.protocol} ${ports}`;
      report(
        `${i.where}: ${what} open to ${open.join(", ")}. Only the load balancer's listener ports (${ALB_LISTENER_PORTS.join(", ")}, TCP) may be public; restrict the source CIDRs (e.g. \`adminCidrs\`).`,
      );
    }
  },
});

// ---------------------------------------------------------------------------------------------
// 5–6: pinned artifacts
// ---------------------------------------------------------------------------------------------

/** ECS container definitions from their JSON; a parse failure is reported, not thrown. */
function containerDefinitions(props: JsonObject, report: ReportViolation): JsonObject[] {
  const raw = props.containerDefinitions;
  let parsed: unknown = raw;
  if (typeof raw === "string") {
    try {
      parsed = JSON.parse(raw);
    } catch (e) {
      report(`containerDefinitions is not valid JSON: ${(e as Error).message}`);
      return [];
    }
  }
  return list(parsed).filter(isObject);
}

const containerLabel = (c: JsonObject, i: number) => text(c.name) ?? `container ${i}`;

export const imagesPinned = define({
  name: "images-pinned",
  description:
    "Every container image has an explicit tag other than `latest`, or a digest: ECS container definitions, Docker images and containers, Kubernetes pod specs, and image tags set in Helm values.",
  enforcementLevel: "mandatory",
  resourceTypes: [T.taskDefinition, T.remoteImage, T.container, ...WORKLOAD_TYPES, ...HELM_TYPES],
  check: (props, args, report) => {
    const checkRef = (what: string, ref: unknown) => {
      const problem = typeof ref === "string" ? imageProblem(ref) : "no image";
      if (problem !== undefined) report(`${what}: ${problem}.`);
    };
    switch (args.type) {
      case T.taskDefinition:
        containerDefinitions(props, report).forEach((c, i) =>
          checkRef(containerLabel(c, i), c.image),
        );
        return;
      case T.remoteImage:
        checkRef("RemoteImage `name`", props.name);
        return;
      case T.container:
        checkRef("Container `image`", props.image);
        return;
    }
    if ((HELM_TYPES as readonly string[]).includes(args.type)) {
      for (const image of valuesImages(props.values, ["values"])) {
        if (image.ref !== undefined) checkRef(image.where, image.ref);
        else if (image.tag?.toLowerCase() === "latest") {
          report(
            `${image.where}: tag "latest" is a moving tag; pin a version or leave the chart's.`,
          );
        }
      }
      return;
    }
    for (const c of podContainers(args.type, props)) checkRef(c.where, c.container.image);
  },
});

/** An exact chart version: `1.2.3`, `v1.2.3`, `1.2.3-rc.1`; no ranges, no `x`. */
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** A chart from a local folder or archive: its version is whatever the commit holds. */
const isLocalChart = (props: JsonObject) =>
  text(props.path) !== undefined || /^(?:\.{0,2}\/|file:\/\/)/.test(text(props.chart) ?? "");

export const helmVersionsPinned = define({
  name: "helm-chart-versions-pinned",
  description:
    "Helm releases and charts from a repository name an exact chart `version` (no range, no latest).",
  enforcementLevel: "mandatory",
  resourceTypes: [...HELM_TYPES],
  check: (props, args, report) => {
    if (isLocalChart(props)) return args.notApplicable("a local chart is pinned by the commit");
    const version = text(props.version);
    if (version === undefined || version === "") {
      report(
        `chart "${text(props.chart) ?? "?"}" without \`version\`: Helm would take the latest.`,
      );
    } else if (!EXACT_VERSION.test(version)) {
      report(`chart "${text(props.chart) ?? "?"}" version "${version}" is not an exact version.`);
    }
  },
});

// ---------------------------------------------------------------------------------------------
// 7–8: secrets and permissions
// ---------------------------------------------------------------------------------------------

export const noPlaintextSecrets = define({
  name: "no-plaintext-secrets-in-env",
  description:
    "No secret-looking value in ECS `environment`, Docker `envs` or Kubernetes container `env` values: names with PASSWORD, SECRET, TOKEN, KEY or WEBHOOK, or values such as Slack webhook URLs.",
  enforcementLevel: "mandatory",
  resourceTypes: [T.taskDefinition, T.container, ...WORKLOAD_TYPES],
  check: (props, args, report) => {
    const checkVar = (where: string, name: string, value: unknown, fix: string) => {
      if (typeof value !== "string") return;
      const problem = plaintextSecretProblem(name, value);
      if (problem !== undefined) report(`${where}: ${problem}; ${fix}.`);
    };
    switch (args.type) {
      case T.taskDefinition:
        containerDefinitions(props, report).forEach((c, i) => {
          for (const e of list(c.environment)) {
            checkVar(
              `${containerLabel(c, i)} environment`,
              text(at(e, ["name"])) ?? "",
              at(e, ["value"]),
              "pass it in `secrets` (valueFrom a Secrets Manager ARN)",
            );
          }
        });
        return;
      case T.container:
        for (const e of list(props.envs)) {
          if (typeof e !== "string") continue;
          const eq = e.indexOf("=");
          const [name, value] = eq < 0 ? [e, ""] : [e.slice(0, eq), e.slice(eq + 1)];
          checkVar(
            "envs",
            name,
            value,
            "upload it as a file (mode 0400) and point the `*_FILE` variable at it",
          );
        }
        return;
    }
    for (const c of podContainers(args.type, props)) {
      for (const e of list(c.container.env)) {
        checkVar(
          `${c.where} env`,
          text(at(e, ["name"])) ?? "",
          at(e, ["value"]),
          "use `valueFrom.secretKeyRef` or a mounted Secret",
        );
      }
    }
  },
});

/** The IAM documents of a resource: its `policy`, or a role's inline policies. */
function iamDocuments(type: string, props: JsonObject): { where: string; raw: unknown }[] {
  if (type === T.role) {
    return list(props.inlinePolicies).map((p, i) => ({
      where: `inlinePolicies[${i}]`,
      raw: at(p, ["policy"]),
    }));
  }
  return [{ where: "policy", raw: props.policy }];
}

export const iamNoWildcards = define({
  name: "iam-no-wildcards",
  description:
    "IAM policy documents (role, user and group inline policies, managed policies) have no `*` action or resource, no NotAction/NotResource in an Allow and no Allow to every principal (`policyProblems`).",
  enforcementLevel: "mandatory",
  resourceTypes: [T.rolePolicy, T.iamPolicy, T.userPolicy, T.groupPolicy, T.role],
  check: (props, args, report) => {
    for (const { where, raw } of iamDocuments(args.type, props)) {
      if (raw === undefined || raw === null || raw === "") continue;
      let doc: unknown = raw;
      if (typeof raw === "string") {
        try {
          doc = JSON.parse(raw);
        } catch (e) {
          report(`${where} is not valid JSON: ${(e as Error).message}`);
          continue;
        }
      }
      if (!isObject(doc)) {
        report(`${where} is not a policy document object.`);
        continue;
      }
      for (const problem of policyProblems(doc as unknown as PolicyDocument)) {
        report(`${where}: ${problem}.`);
      }
    }
  },
});

// ---------------------------------------------------------------------------------------------
// 9: Kubernetes containers
// ---------------------------------------------------------------------------------------------

export const k8sContainersLimitedNonRoot = define({
  name: "k8s-containers-limited-non-root",
  description:
    "Kubernetes containers have CPU and memory limits and run as non-root: every container of workloads the program creates, and the main components of the Helm charts it installs (from the values it sets).",
  enforcementLevel: "mandatory",
  resourceTypes: [...WORKLOAD_TYPES, ...HELM_TYPES],
  check: (props, args, report) => {
    if ((HELM_TYPES as readonly string[]).includes(args.type)) {
      const chart = chartName(props) ?? "";
      const components = CHART_COMPONENTS[chart];
      if (components === undefined) {
        return args.notApplicable(`no component table for chart "${chart}" (see CHART_COMPONENTS)`);
      }
      const values = isObject(props.values) ? props.values : {};
      for (const c of components) {
        if (c.enabled !== undefined && !c.enabled(values)) continue;
        for (const problem of chartComponentProblems(values, c)) report(`${problem}.`);
      }
      return;
    }
    for (const { where, container, podSecurityContext } of podContainers(args.type, props)) {
      const label = `${where} (${text(container.name) ?? "unnamed"})`;
      const limits = limitsProblem(container.resources);
      if (limits !== undefined) report(`${label}: ${limits}; set resources.limits.`);
      const root = rootProblem(effectiveUser(container, podSecurityContext));
      if (root !== undefined) report(`${label}: ${root}.`);
    }
  },
});

// ---------------------------------------------------------------------------------------------
// 10: stateful stores
// ---------------------------------------------------------------------------------------------

/** Environments whose data may be thrown away on purpose (`retainData: false` in staging). */
export const DISPOSABLE_ENVIRONMENTS: readonly string[] = ["dev", "staging"];

/**
 * The resource's environment: its `monitoring:environment` tag (every AWS resource of the program
 * has one), else the stack name in its URN (`urn:pulumi:<stack>::…`).
 */
export function environmentOf(args: Pick<ResourceValidationArgs, "props" | "urn">): string {
  const tag = text(at(args.props, ["tags", "monitoring:environment"]));
  return tag ?? /^urn:pulumi:([^:]+)::/.exec(args.urn)?.[1] ?? "";
}

/** Loki's bucket: `loki` is a word of its `Name` tag, `bucket` or `bucketPrefix`. */
const isLokiBucket = (props: JsonObject) =>
  [nameTag(props), text(props.bucket), text(props.bucketPrefix)].some((s) => hasWord(s, /loki/));

const STORES: Readonly<Record<string, string>> = {
  [T.efs]: "EFS file system (all staging data)",
  [T.kmsKey]: "KMS key (deleting it makes what it encrypted unreadable)",
  [T.eksCluster]: "EKS cluster (etcd holds every Kubernetes object)",
  [T.bucket]: "Loki bucket (the log archive)",
  [T.bucketV2]: "Loki bucket (the log archive)",
  [T.ampWorkspace]: "AMP workspace (long-term metrics)",
};

function storesProtected(level: "mandatory" | "advisory"): MonitoringPolicy {
  const disposable = level === "advisory";
  return define({
    name: disposable ? "stateful-stores-protected-nonprod" : "stateful-stores-protected",
    description: disposable
      ? `As stateful-stores-protected, for ${DISPOSABLE_ENVIRONMENTS.join(" and ")} stacks, where dropping the data can be deliberate (\`retainData: false\`): advisory.`
      : `Stateful stores (EFS, KMS keys, EKS clusters, the Loki bucket, AMP workspaces) are created with \`protect\`, and StorageClasses retain their volumes; for every stack that is not ${DISPOSABLE_ENVIRONMENTS.join(" or ")}.`,
    enforcementLevel: level,
    resourceTypes: [...Object.keys(STORES), T.storageClass],
    readsOptions: true,
    check: (props, args, report) => {
      const environment = environmentOf(args);
      if (DISPOSABLE_ENVIRONMENTS.includes(environment) !== disposable) {
        return args.notApplicable(
          `environment "${environment}" is checked by the other protection policy`,
        );
      }
      if (args.type === T.storageClass) {
        if (props.reclaimPolicy !== "Retain") {
          report(
            `StorageClass with reclaimPolicy ${JSON.stringify(props.reclaimPolicy ?? "Delete (default)")}: deleting a PVC would delete its volume; set \`reclaimPolicy: "Retain"\`.`,
          );
        }
        return;
      }
      if ((args.type === T.bucket || args.type === T.bucketV2) && !isLokiBucket(props)) {
        return args.notApplicable("not the Loki bucket");
      }
      if (args.opts.protect !== true) {
        report(
          `${STORES[args.type]} is not protected: create it with \`protect: true\` (and \`retainOnDelete: true\`) so \`pulumi destroy\` or a replacement cannot drop it.`,
        );
      }
    },
  });
}

export const storesProtectedProd = storesProtected("mandatory");
export const storesProtectedNonProd = storesProtected("advisory");

/** Every policy of the pack, in the order of the README table. */
export const policies: readonly MonitoringPolicy[] = [
  efsEncrypted,
  ebsEncrypted,
  eksNodeDisksEncrypted,
  ecsEfsTransitEncryption,
  noPublicIngress,
  imagesPinned,
  helmVersionsPinned,
  noPlaintextSecrets,
  iamNoWildcards,
  k8sContainersLimitedNonRoot,
  storesProtectedProd,
  storesProtectedNonProd,
];
