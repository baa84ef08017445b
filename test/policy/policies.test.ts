/**
 * The CrossGuard policy pack (`policy/`): a passing and a failing resource for every policy, and the
 * program as it ships passing its own pack for every stack (the policies' `validateResource` run
 * over the resources recorded under mocks, as the engine would run them).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyResourceOptions, ResourceValidationArgs } from "@pulumi/policy";
import { executionRolePolicy } from "../../components/staging/iam";
import { storage } from "../../components/staging/storage";
import type { Network } from "../../components/aws/types";
import { stackTags } from "../../components/contract";
import { cluster } from "../../components/prod/cluster/cluster";
import { parseSettings } from "../../settings/parse";
import type { Settings } from "../../settings/settings";
import { type MonitoringPolicy, policies } from "../../policy/policies";
import {
  ALL_RECEIVERS_CONFIG,
  PROJECT,
  type RecordedResource,
  recordPart,
  reveal,
  ROOT,
  sharedRun,
  type RunOptions,
  settingsInput,
  TEST_SECRETS,
} from "../support/harness";

// ---------------------------------------------------------------------------------------------
// Running one policy on one resource, as the policy analyzer does
// ---------------------------------------------------------------------------------------------

/** A resource as a policy sees it. */
interface Subject {
  readonly type: string;
  readonly props: Readonly<Record<string, unknown>>;
  /** @default "subject" */
  readonly name?: string;
  /** The stack in the URN. @default "prod" */
  readonly stack?: string;
  /** Resource options the engine would pass. @default none set (protect: false) */
  readonly opts?: Partial<PolicyResourceOptions>;
}

/** What `args.notApplicable` throws (the analyzer catches its own error type the same way). */
class NotApplicable extends Error {}

interface Outcome {
  readonly violations: readonly string[];
  /** The reason, when the policy declared itself not applicable. */
  readonly notApplicable?: string;
}

/** Builds the `ResourceValidationArgs` the analyzer would pass for `s`. */
function validationArgs(s: Subject): ResourceValidationArgs {
  const name = s.name ?? "subject";
  const props = { ...s.props };
  const isType = (resourceClass: object) =>
    (resourceClass as { __pulumiType?: string }).__pulumiType === s.type;
  return {
    type: s.type,
    props,
    urn: `urn:pulumi:${s.stack ?? "prod"}::${PROJECT}::${s.type}::${name}`,
    name,
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
      ...s.opts,
    },
    stackTags: new Map<string, string>(),
    isType,
    // The analyzer hands out the same props, typed; `never` stands for "whatever TArgs is".
    asType: (resourceClass: object) => (isType(resourceClass) ? (props as never) : undefined),
    getConfig: <T extends object>() => ({}) as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason ?? "");
    },
  };
}

/** Runs `policy` on `s`, collecting every reported violation. */
async function validate(policy: MonitoringPolicy, s: Subject): Promise<Outcome> {
  const violations: string[] = [];
  try {
    await policy.validateResource(validationArgs(s), (message) => {
      violations.push(message);
    });
  } catch (e) {
    if (e instanceof NotApplicable) return { violations, notApplicable: e.message };
    throw e;
  }
  return { violations };
}

const byName = (name: string): MonitoringPolicy => {
  const found = policies.find((p) => p.name === name);
  assert.ok(found, `policy ${name} exists`);
  return found;
};

// ---------------------------------------------------------------------------------------------
// Hand-written resources: a passing and a failing one (at least) for every policy
// ---------------------------------------------------------------------------------------------

interface Case {
  readonly title: string;
  readonly subject: Subject;
  /** "pass": no violation; "n/a": the policy declares itself not applicable; else the violation. */
  readonly expect: "pass" | "n/a" | RegExp;
}

const ARN = "arn:aws:kms:eu-west-1:123456789012:key/0b1c2d3e-0000-4000-8000-000000000001";
const DIGEST = `sha256:${"ab12".repeat(16)}`;

const T = {
  efs: "aws:efs/fileSystem:FileSystem",
  storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  deployment: "kubernetes:apps/v1:Deployment",
  release: "kubernetes:helm.sh/v3:Release",
} as const;

const taskDefinition = (
  containers: readonly Record<string, unknown>[],
  volumes: unknown[] = [],
) => ({
  type: T.taskDefinition,
  props: {
    family: "staging-prometheus",
    containerDefinitions: JSON.stringify(containers),
    volumes,
  },
});

const efsVolume = (efs: Record<string, unknown>) => ({
  name: "data",
  efsVolumeConfiguration: { fileSystemId: "fs-0123456789abcdef0", ...efs },
});

/** A vpc ingress rule; `role` becomes its Name tag as the program names them (`<prefix>-<role>-in-…`). */
const ingressRule = (role: string, port: number, cidr: string, protocol = "tcp") => ({
  type: T.ingressRule,
  props: {
    securityGroupId: `sg-${role}`,
    ipProtocol: protocol,
    fromPort: port,
    toPort: port,
    ...(cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
    description: "from allowed CIDRs",
    tags: { Name: `staging-${role}-in-${port}-${cidr.replace("/", "-")}` },
  },
});

const limits = {
  limits: { cpu: "500m", memory: "256Mi" },
  requests: { cpu: "100m", memory: "128Mi" },
};

const deployment = (
  podSecurityContext: unknown,
  containers: readonly Record<string, unknown>[],
) => ({
  type: T.deployment,
  props: {
    metadata: { name: "app", namespace: "monitoring" },
    spec: { template: { spec: { securityContext: podSecurityContext, containers } } },
  },
});

const release = (chart: string, values: Record<string, unknown>, version = "1.2.3") => ({
  type: T.release,
  props: { chart, version, values },
});

const nonRoot = { runAsNonRoot: true, runAsUser: 1000 };

/** kube-prometheus-stack values that pass: every main component limited, the pinned ones non-root. */
const kpsValues = (): Record<string, Record<string, unknown>> => ({
  prometheus: { prometheusSpec: { resources: limits, securityContext: nonRoot } },
  alertmanager: { alertmanagerSpec: { resources: limits, securityContext: nonRoot } },
  grafana: { resources: limits, sidecar: { resources: limits } },
  prometheusOperator: { resources: limits, prometheusConfigReloader: { resources: limits } },
  "kube-state-metrics": { resources: limits },
  "prometheus-node-exporter": { resources: limits },
});

const alloyValues = (securityContext: Record<string, unknown>) => ({
  alloy: { resources: limits, securityContext },
  configReloader: { resources: limits, securityContext: nonRoot },
});

const iamDoc = (statement: Record<string, unknown>) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", ...statement }] });

const CASES: Readonly<Record<string, readonly Case[]>> = {
  "efs-encrypted": [
    {
      title: "passes an EFS file system encrypted with its own KMS key",
      subject: { type: T.efs, props: { encrypted: true, kmsKeyId: ARN } },
      expect: "pass",
    },
    {
      title: "fails an unencrypted EFS file system",
      subject: { type: T.efs, props: { encrypted: false, kmsKeyId: ARN } },
      expect: /without `encrypted: true`/,
    },
    {
      title: "fails an EFS file system on the AWS-managed key (no kmsKeyId)",
      subject: { type: T.efs, props: { encrypted: true } },
      expect: /without `kmsKeyId`/,
    },
  ],
  "ebs-encrypted": [
    {
      title: "passes the encrypted gp3 EBS StorageClass",
      subject: {
        type: T.storageClass,
        props: { provisioner: "ebs.csi.aws.com", parameters: { type: "gp3", encrypted: "true" } },
      },
      expect: "pass",
    },
    {
      title: "fails an EBS StorageClass without parameters.encrypted",
      subject: {
        type: T.storageClass,
        props: { provisioner: "ebs.csi.aws.com", parameters: { type: "gp3" } },
      },
      expect: /parameters\.encrypted: "true"/,
    },
    {
      title: "does not apply to a StorageClass of another provisioner (EFS)",
      subject: { type: T.storageClass, props: { provisioner: "efs.csi.aws.com" } },
      expect: "n/a",
    },
    {
      title: "passes a launch template with encrypted EBS mappings",
      subject: {
        type: "aws:ec2/launchTemplate:LaunchTemplate",
        props: { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true" } }] },
      },
      expect: "pass",
    },
    {
      title: "fails a launch template with an unencrypted EBS mapping",
      subject: {
        type: "aws:ec2/launchTemplate:LaunchTemplate",
        props: { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 50 } }] },
      },
      expect: /blockDeviceMappings\[0\]\.ebs\.encrypted/,
    },
    {
      title: "fails an unencrypted EBS volume",
      subject: { type: "aws:ebs/volume:Volume", props: { size: 10, availabilityZone: "a" } },
      expect: /EBS volume without `encrypted: true`/,
    },
    {
      title: "fails an instance with an unencrypted root volume",
      subject: { type: "aws:ec2/instance:Instance", props: { rootBlockDevice: { volumeSize: 8 } } },
      expect: /rootBlockDevice\.encrypted/,
    },
    {
      title: "fails turning EBS encryption by default off",
      subject: {
        type: "aws:ebs/encryptionByDefault:EncryptionByDefault",
        props: { enabled: false },
      },
      expect: /EncryptionByDefault/,
    },
  ],
  "eks-node-disks-encrypted": [
    {
      title: "passes a node group that takes its disks from a launch template",
      subject: {
        type: "aws:eks/nodeGroup:NodeGroup",
        props: { launchTemplate: { id: "lt-0123", version: "1" } },
      },
      expect: "pass",
    },
    {
      title: "flags a node group whose disk encryption depends on the account default",
      subject: { type: "aws:eks/nodeGroup:NodeGroup", props: { diskSize: 50 } },
      expect: /without a launch template/,
    },
  ],
  "ecs-efs-volumes-encrypted-in-transit": [
    {
      title: "passes EFS volumes with TLS and IAM authorization (and ignores task-local volumes)",
      subject: taskDefinition(
        [],
        [
          { name: "config-etc-prometheus" },
          efsVolume({
            transitEncryption: "ENABLED",
            authorizationConfig: { accessPointId: "fsap-1", iam: "ENABLED" },
          }),
        ],
      ),
      expect: "pass",
    },
    {
      title: "fails an EFS volume without transit encryption",
      subject: taskDefinition(
        [],
        [efsVolume({ transitEncryption: "DISABLED", authorizationConfig: { iam: "ENABLED" } })],
      ),
      expect: /"data" without `transitEncryption: "ENABLED"`/,
    },
    {
      title: "fails an EFS volume without IAM authorization",
      subject: taskDefinition([], [efsVolume({ transitEncryption: "ENABLED" })]),
      expect: /"data" without `authorizationConfig\.iam: "ENABLED"`/,
    },
  ],
  "no-public-ingress": [
    {
      title: "passes the ALB's HTTP listener port open to everyone",
      subject: ingressRule("alb", 80, "0.0.0.0/0"),
      expect: "pass",
    },
    {
      title: "passes an admin port open to a private range",
      subject: ingressRule("alb", 9090, "10.20.0.0/16"),
      expect: "pass",
    },
    {
      title: "passes a security group described as the load balancer's with inline HTTPS ingress",
      subject: {
        type: "aws:ec2/securityGroup:SecurityGroup",
        props: {
          description: "Public load balancer: HTTPS",
          ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }],
        },
      },
      expect: "pass",
    },
    {
      title: "fails a non-listener port on the ALB open to everyone",
      subject: ingressRule("alb", 9090, "0.0.0.0/0"),
      expect: /port 9090 open to 0\.0\.0\.0\/0/,
    },
    {
      title: "fails port 80 open to everyone on a group that is not the ALB's",
      subject: ingressRule("tasks", 80, "0.0.0.0/0"),
      expect: /port 80 open to 0\.0\.0\.0\/0/,
    },
    {
      title: "fails IPv6 ::/0",
      subject: ingressRule("tasks", 22, "::/0"),
      expect: /open to ::\/0/,
    },
    {
      title: "fails all protocols open to everyone, even on the ALB",
      subject: ingressRule("alb", -1, "0.0.0.0/0", "-1"),
      expect: /rule: all traffic open to 0\.0\.0\.0\/0/,
    },
    {
      title: "fails inline ingress from everyone on another group",
      subject: {
        type: "aws:ec2/securityGroup:SecurityGroup",
        props: {
          description: "Monitoring Fargate tasks",
          ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }],
        },
      },
      expect: /ingress\[0\]: tcp port 443 open/,
    },
    {
      title: "fails a SecurityGroupRule of type ingress from everyone",
      subject: {
        type: "aws:ec2/securityGroupRule:SecurityGroupRule",
        props: {
          type: "ingress",
          protocol: "tcp",
          fromPort: 22,
          toPort: 22,
          cidrBlocks: ["0.0.0.0/0"],
        },
      },
      expect: /port 22 open/,
    },
    {
      title: "passes a SecurityGroupRule of type egress to everyone (egress is not ingress)",
      subject: {
        type: "aws:ec2/securityGroupRule:SecurityGroupRule",
        props: {
          type: "egress",
          protocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrBlocks: ["0.0.0.0/0"],
        },
      },
      expect: "pass",
    },
    {
      title: "fails a default security group with ingress from everyone",
      subject: {
        type: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
        props: { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] },
      },
      expect: /ingress\[0\]/,
    },
  ],
  "images-pinned": [
    {
      title: "passes ECS containers with a version tag and with a digest",
      subject: taskDefinition([
        { name: "prometheus", image: "quay.io/prometheus/prometheus:v3.14.0" },
        { name: "init", image: `public.ecr.aws/aws-cli/aws-cli@${DIGEST}` },
      ]),
      expect: "pass",
    },
    {
      title: "fails an ECS container without a tag",
      subject: taskDefinition([{ name: "grafana", image: "grafana/grafana" }]),
      expect: /grafana: image "grafana\/grafana" has no tag/,
    },
    {
      title: "fails an ECS container on latest",
      subject: taskDefinition([{ name: "loki", image: "docker.io/grafana/loki:latest" }]),
      expect: /moving tag "latest"/,
    },
    {
      title: "fails container definitions that are not JSON",
      subject: { type: T.taskDefinition, props: { containerDefinitions: "[{" } },
      expect: /not valid JSON/,
    },
    {
      title: "passes a Docker RemoteImage with a tag and a container on its image ID",
      subject: {
        type: "docker:index/remoteImage:RemoteImage",
        props: { name: "localhost:5000/prometheus:v3.14.0" },
      },
      expect: "pass",
    },
    {
      title: "passes a Docker container on an image ID",
      subject: { type: "docker:index/container:Container", props: { image: DIGEST } },
      expect: "pass",
    },
    {
      title: "fails a RemoteImage whose only colon is the registry port",
      subject: {
        type: "docker:index/remoteImage:RemoteImage",
        props: { name: "localhost:5000/prometheus" },
      },
      expect: /has no tag/,
    },
    {
      title: "passes a Deployment whose containers and init containers are pinned",
      subject: deployment(nonRoot, [{ name: "app", image: "nginxinc/nginx-unprivileged:1.29.1" }]),
      expect: "pass",
    },
    {
      title: "fails a CronJob's container on latest",
      subject: {
        type: "kubernetes:batch/v1:CronJob",
        props: {
          spec: {
            jobTemplate: {
              spec: {
                template: { spec: { containers: [{ name: "x", image: "busybox:latest" }] } },
              },
            },
          },
        },
      },
      expect: /containers\[0\]: image "busybox:latest"/,
    },
    {
      title: "fails a Deployment's init container without a tag",
      subject: {
        type: T.deployment,
        props: {
          spec: {
            template: {
              spec: {
                containers: [{ name: "app", image: "app:1.0.0" }],
                initContainers: [{ name: "init", image: "busybox" }],
              },
            },
          },
        },
      },
      expect: /initContainers\[0\]: image "busybox" has no tag/,
    },
    {
      title: "passes Helm values with version tags and empty tags (the chart's own)",
      subject: release("kube-prometheus-stack", {
        grafana: { image: { registry: "docker.io", repository: "grafana/grafana", tag: "12.1.1" } },
        prometheus: { prometheusSpec: { image: { repository: "prometheus/prometheus", tag: "" } } },
      }),
      expect: "pass",
    },
    {
      title: "fails Helm values that set tag latest",
      subject: release("kube-prometheus-stack", {
        grafana: { image: { repository: "grafana/grafana", tag: "latest" } },
      }),
      expect: /values\.grafana\.image: tag "latest"/,
    },
  ],
  "helm-chart-versions-pinned": [
    {
      title: "passes a release with an exact chart version",
      subject: release("loki", {}, "18.11.0"),
      expect: "pass",
    },
    {
      title: "fails a release without a version",
      subject: { type: T.release, props: { chart: "loki", values: {} } },
      expect: /chart "loki" without `version`/,
    },
    {
      title: "fails a release with a version range",
      subject: release("loki", {}, "^18.0.0"),
      expect: /version "\^18\.0\.0" is not an exact version/,
    },
    {
      title: "fails a v4 Chart with a wildcard version",
      subject: { type: "kubernetes:helm.sh/v4:Chart", props: { chart: "alloy", version: "1.x" } },
      expect: /not an exact version/,
    },
    {
      title: "does not apply to a chart from a local folder",
      subject: { type: "kubernetes:helm.sh/v4:Chart", props: { chart: "./charts/app" } },
      expect: "n/a",
    },
  ],
  "no-plaintext-secrets-in-env": [
    {
      title: "passes ECS environment with a *_FILE path, plain settings, and secrets by ARN",
      subject: taskDefinition([
        {
          name: "grafana",
          image: "grafana/grafana:12.1.1",
          environment: [
            {
              name: "GF_SECURITY_ADMIN_PASSWORD__FILE",
              value: "/run/secrets/grafana-admin-password",
            },
            { name: "GF_SERVER_ROOT_URL", value: "https://grafana.example.com" },
          ],
          secrets: [{ name: "SECRET_SLACK_WEBHOOK_URL", valueFrom: "arn:aws:secretsmanager:x" }],
        },
      ]),
      expect: "pass",
    },
    {
      title: "fails a Slack webhook URL in ECS environment, whatever the name",
      subject: taskDefinition([
        {
          name: "alertmanager",
          environment: [{ name: "TARGET", value: TEST_SECRETS.slackWebhookUrl }],
        },
      ]),
      expect: /alertmanager environment: TARGET holds a Slack webhook URL/,
    },
    {
      title: "fails a password-named ECS variable",
      subject: taskDefinition([
        {
          name: "grafana",
          environment: [{ name: "GF_SECURITY_ADMIN_PASSWORD", value: "hunter2" }],
        },
      ]),
      expect: /GF_SECURITY_ADMIN_PASSWORD looks like a secret by its name; pass it in `secrets`/,
    },
    {
      title: "passes Docker envs without secrets",
      subject: {
        type: "docker:index/container:Container",
        props: {
          envs: ["GF_USERS_ALLOW_SIGN_UP=false", "GF_SECURITY_ADMIN_PASSWORD__FILE=/run/x"],
        },
      },
      expect: "pass",
    },
    {
      title: "fails a Docker env carrying a routing key",
      subject: {
        type: "docker:index/container:Container",
        props: { envs: [`PAGERDUTY_ROUTING_KEY=${TEST_SECRETS.pagerdutyRoutingKey}`] },
      },
      expect: /PAGERDUTY_ROUTING_KEY looks like a secret/,
    },
    {
      title: "passes a Kubernetes env from a Secret reference",
      subject: deployment(nonRoot, [
        {
          name: "app",
          env: [
            { name: "API_TOKEN", valueFrom: { secretKeyRef: { name: "app", key: "token" } } },
            { name: "LOG_LEVEL", value: "info" },
          ],
        },
      ]),
      expect: "pass",
    },
    {
      title: "fails a Kubernetes env value with credentials in a URL",
      subject: deployment(nonRoot, [
        {
          name: "app",
          env: [{ name: "DATABASE_URL", value: "postgres://app:s3cret@db:5432/app" }],
        },
      ]),
      expect: /containers\[0\] env: DATABASE_URL holds a URL with a password/,
    },
  ],
  "iam-no-wildcards": [
    {
      title: "passes the program's own execution role policy",
      subject: {
        type: "aws:iam/rolePolicy:RolePolicy",
        props: {
          role: "r",
          policy: JSON.stringify(
            executionRolePolicy({
              logGroupArn: "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/x",
              secretArns: ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:x"],
            }),
          ),
        },
      },
      expect: "pass",
    },
    {
      title: "fails a wildcard action",
      subject: {
        type: "aws:iam/rolePolicy:RolePolicy",
        props: { policy: iamDoc({ Action: "s3:*", Resource: "arn:aws:s3:::b/*" }) },
      },
      expect: /policy: Statement\[0\]: wildcard action "s3:\*"/,
    },
    {
      title: "fails Resource * in a managed policy",
      subject: {
        type: "aws:iam/policy:Policy",
        props: { policy: iamDoc({ Action: "ec2:DescribeInstances", Resource: "*" }) },
      },
      expect: /Resource "\*"/,
    },
    {
      title: "fails a role's inline policy with a wildcard",
      subject: {
        type: "aws:iam/role:Role",
        props: {
          inlinePolicies: [{ name: "x", policy: iamDoc({ Action: "*", Resource: "arn:x" }) }],
        },
      },
      expect: /inlinePolicies\[0\]: Statement\[0\]: wildcard action "\*"/,
    },
    {
      title: "fails a policy that is not JSON",
      subject: { type: "aws:iam/rolePolicy:RolePolicy", props: { policy: "{not json" } },
      expect: /policy is not valid JSON/,
    },
  ],
  "k8s-containers-limited-non-root": [
    {
      title: "passes a Deployment with limits and a non-root pod",
      subject: deployment(nonRoot, [{ name: "app", resources: limits }]),
      expect: "pass",
    },
    {
      title: "fails a container without limits",
      subject: deployment(nonRoot, [
        { name: "app", resources: { requests: limits.requests, limits: { memory: "1Gi" } } },
      ]),
      expect: /containers\[0\] \(app\): no cpu limit/,
    },
    {
      title: "fails a container that overrides the pod's non-root user with root",
      subject: deployment(nonRoot, [
        { name: "app", resources: limits, securityContext: { runAsUser: 0 } },
      ]),
      expect: /runs as root \(runAsUser: 0\)/,
    },
    {
      title: "fails a pod that does not say who it runs as",
      subject: deployment(undefined, [{ name: "app", resources: limits }]),
      expect: /does not set runAsNonRoot: true/,
    },
    {
      title: "passes kube-prometheus-stack values with every main component limited and non-root",
      subject: release("kube-prometheus-stack", kpsValues()),
      expect: "pass",
    },
    {
      title: "fails kube-prometheus-stack values without Prometheus limits",
      subject: release("kube-prometheus-stack", {
        ...kpsValues(),
        prometheus: { prometheusSpec: { securityContext: nonRoot } },
      }),
      expect: /Prometheus: no cpu or memory limit at `prometheus\.prometheusSpec\.resources`/,
    },
    {
      title: "fails values that turn Grafana's non-root default into root",
      subject: release("kube-prometheus-stack", {
        ...kpsValues(),
        grafana: { ...kpsValues().grafana, securityContext: { runAsUser: 0 } },
      }),
      expect: /Grafana: `grafana\.securityContext` overrides the chart's non-root user with root/,
    },
    {
      title: "passes Alloy as root when it cannot escalate and drops every capability",
      subject: release(
        "alloy",
        alloyValues({
          runAsUser: 0,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ["ALL"] },
        }),
      ),
      expect: "pass",
    },
    {
      title: "fails Alloy as root with its capabilities",
      subject: release("alloy", alloyValues({ runAsUser: 0 })),
      expect: /Alloy: runs as root .* must then set allowPrivilegeEscalation: false/,
    },
    {
      title: "fails simple-scalable Loki whose read target has no limits",
      subject: release("loki", {
        deploymentMode: "SimpleScalable",
        loki: { podSecurityContext: { runAsNonRoot: true } },
        read: { replicas: 3 },
        write: { replicas: 3, resources: limits },
        backend: { replicas: 3, resources: limits },
        gateway: { resources: limits },
      }),
      expect: /Loki read: no cpu or memory limit at `read\.resources`/,
    },
    {
      title: "does not apply to a chart it has no component table for",
      subject: release("ingress-nginx", {}),
      expect: "n/a",
    },
  ],
  "stateful-stores-protected": [
    {
      title: "passes a protected EKS cluster in prod",
      subject: { type: "aws:eks/cluster:Cluster", props: {}, opts: { protect: true } },
      expect: "pass",
    },
    {
      title: "fails an unprotected EKS cluster in prod",
      subject: { type: "aws:eks/cluster:Cluster", props: {} },
      expect: /EKS cluster .* is not protected/,
    },
    {
      title: "fails an unprotected KMS key of a stack that is neither dev nor staging",
      subject: { type: "aws:kms/key:Key", props: {}, stack: "pr-42" },
      expect: /KMS key .* is not protected/,
    },
    {
      title: "fails the unprotected Loki bucket (found by its Name tag)",
      subject: {
        type: "aws:s3/bucket:Bucket",
        props: { bucketPrefix: "prod-eu-west-1-loki-", tags: { Name: "prod-eu-west-1-loki" } },
      },
      expect: /Loki bucket .* is not protected/,
    },
    {
      title: "fails an unprotected AMP workspace",
      subject: { type: "aws:amp/workspace:Workspace", props: { alias: "prod" } },
      expect: /AMP workspace .* is not protected/,
    },
    {
      title: "does not apply to other buckets (the staging config bucket is re-rendered)",
      subject: { type: "aws:s3/bucket:Bucket", props: { bucketPrefix: "prod-eu-west-1-config-" } },
      expect: "n/a",
    },
    {
      title: "passes a StorageClass that retains its volumes",
      subject: { type: T.storageClass, props: { reclaimPolicy: "Retain" } },
      expect: "pass",
    },
    {
      title: "fails a StorageClass on the default reclaim policy (Delete)",
      subject: { type: T.storageClass, props: { provisioner: "ebs.csi.aws.com" } },
      expect: /reclaimPolicy "Delete \(default\)"/,
    },
    {
      title: "leaves staging to the advisory policy",
      subject: {
        type: T.efs,
        props: { tags: { "monitoring:environment": "staging" } },
        stack: "staging",
      },
      expect: "n/a",
    },
  ],
  "stateful-stores-protected-nonprod": [
    {
      title: "passes a protected staging EFS file system",
      subject: {
        type: T.efs,
        props: { tags: { "monitoring:environment": "staging" } },
        stack: "staging",
        opts: { protect: true },
      },
      expect: "pass",
    },
    {
      title: "flags an unprotected staging EFS file system (retainData: false)",
      subject: {
        type: T.efs,
        props: { tags: { "monitoring:environment": "staging" } },
        stack: "staging",
      },
      expect: /EFS file system .* is not protected/,
    },
    {
      title: "leaves prod to the mandatory policy, whatever the stack is called",
      subject: {
        type: T.efs,
        props: { tags: { "monitoring:environment": "prod" } },
        stack: "staging",
      },
      expect: "n/a",
    },
  ],
};

describe("policy pack (policy/)", () => {
  describe("the pack", () => {
    it("has unique names, a mandatory or advisory level each, and a row in policy/README.md", () => {
      const names = policies.map((p) => p.name);
      assert.deepEqual([...new Set(names)], names, "policy names are unique");
      const readme = fs.readFileSync(path.join(ROOT, "policy", "README.md"), "utf8");
      for (const p of policies) {
        assert.ok(["mandatory", "advisory"].includes(p.enforcementLevel), p.name);
        assert.ok(p.description.length > 20, `${p.name} has a description`);
        assert.match(
          readme,
          new RegExp(`^\\| \`${p.name}\` +\\| ${p.enforcementLevel} +\\|`, "m"),
          `README row for ${p.name} with its level`,
        );
      }
    });

    it("tests every policy with a passing and a failing resource", () => {
      for (const p of policies) {
        const cases = CASES[p.name] ?? [];
        assert.ok(
          cases.some((c) => c.expect === "pass"),
          `${p.name}: a passing case`,
        );
        assert.ok(
          cases.some((c) => c.expect instanceof RegExp),
          `${p.name}: a failing case`,
        );
      }
      assert.deepEqual(
        Object.keys(CASES).filter((name) => !policies.some((p) => p.name === name)),
        [],
        "no cases for policies that do not exist",
      );
    });

    it("declares every other resource type not applicable", async () => {
      for (const p of policies) {
        const outcome = await validate(p, { type: "random:index/randomId:RandomId", props: {} });
        assert.ok(outcome.notApplicable !== undefined, p.name);
        assert.deepEqual(outcome.violations, []);
      }
    });
  });

  for (const [name, cases] of Object.entries(CASES)) {
    describe(name, () => {
      for (const c of cases) {
        it(c.title, async () => {
          const policy = byName(name);
          assert.ok(
            policy.resourceTypes.includes(c.subject.type),
            `${name} covers ${c.subject.type}`,
          );
          const outcome = await validate(policy, c.subject);
          if (c.expect === "n/a") {
            assert.notEqual(outcome.notApplicable, undefined, "not applicable");
            return;
          }
          assert.equal(outcome.notApplicable, undefined, `applicable (${outcome.notApplicable})`);
          if (c.expect === "pass") assert.deepEqual(outcome.violations, []);
          else {
            assert.ok(outcome.violations.length > 0, "a violation");
            assert.match(outcome.violations.join("\n"), c.expect);
          }
        });
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------
// The program as it ships
// ---------------------------------------------------------------------------------------------

interface Finding {
  readonly policy: MonitoringPolicy;
  readonly resource: RecordedResource;
  readonly violations: readonly string[];
}

const describeFinding = (f: Finding) =>
  `${f.policy.name} (${f.policy.enforcementLevel}) on ${f.resource.type} ${f.resource.name}: ${f.violations.join(" | ")}`;

/** Runs every policy that matches each recorded resource (revealed inputs, no options). */
async function checkResources(
  stack: string,
  resources: readonly RecordedResource[],
  pack: readonly MonitoringPolicy[],
  optionsOf: (name: string) => Partial<PolicyResourceOptions> = () => ({}),
): Promise<{ findings: Finding[]; inspected: Set<string> }> {
  const findings: Finding[] = [];
  const inspected = new Set<string>();
  for (const resource of resources) {
    for (const policy of pack.filter((p) => p.resourceTypes.includes(resource.type))) {
      const outcome = await validate(policy, {
        type: resource.type,
        name: resource.name,
        props: reveal(resource.inputs) as Record<string, unknown>,
        stack,
        opts: optionsOf(resource.name),
      });
      if (outcome.notApplicable !== undefined) continue;
      inspected.add(`${policy.name} ${resource.type}`);
      if (outcome.violations.length > 0)
        findings.push({ policy, resource, violations: outcome.violations });
    }
  }
  return { findings, inspected };
}

const ALL_SECRETS: RunOptions = {
  secrets: { ...TEST_SECRETS },
  config: { heartbeatUrl: ALL_RECEIVERS_CONFIG.heartbeatUrl },
};

/** The three stacks as they ship, plus the options that add resources the policies inspect. */
const PROGRAM_RUNS: readonly { title: string; stack: string; opts: RunOptions }[] = [
  { title: "dev", stack: "dev", opts: {} },
  { title: "staging", stack: "staging", opts: ALL_SECRETS },
  { title: "prod", stack: "prod", opts: ALL_SECRETS },
  {
    title: "staging with HTTPS and admin listeners",
    stack: "staging",
    opts: {
      ...ALL_SECRETS,
      config: {
        ...ALL_SECRETS.config,
        certificateArn:
          "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-0000-4000-8000-000000000001",
        adminCidrs: ["10.20.0.0/16"],
      },
    },
  },
  {
    title: "prod with simple-scalable Loki and remote write",
    stack: "prod",
    opts: {
      ...ALL_SECRETS,
      config: { ...ALL_SECRETS.config, lokiMode: "simpleScalable", remoteWrite: true },
    },
  },
];

/**
 * Policies that read resource options (`protect`): the mocks record inputs only, so these run below
 * on the parts that create the stores, with the options those parts really pass.
 */
const OPTION_POLICIES = policies.filter((p) => p.readsOptions);
const INPUT_POLICIES = policies.filter((p) => !p.readsOptions);

describe("the program passes its own policy pack", function () {
  this.timeout(300_000);
  const inspected = new Set<string>();

  for (const run of PROGRAM_RUNS) {
    it(`${run.title}: no mandatory violation`, async () => {
      const { resources } = await sharedRun(run.stack, run.opts);
      const result = await checkResources(run.stack, resources, INPUT_POLICIES);
      result.inspected.forEach((x) => inspected.add(x));
      const mandatory = result.findings.filter((f) => f.policy.enforcementLevel === "mandatory");
      const advisory = result.findings.filter((f) => f.policy.enforcementLevel === "advisory");
      assert.deepEqual(
        mandatory.map(describeFinding),
        [],
        `advisory findings: ${advisory.map(describeFinding).join("; ") || "none"}`,
      );
    });
  }

  it("inspected real resources with every policy that reads inputs only", () => {
    const used = new Set([...inspected].map((x) => x.split(" ")[0]));
    assert.deepEqual(
      INPUT_POLICIES.map((p) => p.name).filter((n) => !used.has(n)),
      [],
      "policies that matched no resource of any stack (a wrong type token?)",
    );
  });
});

describe("stateful stores, with the options the program gives them", () => {
  const STAGING_PREFIX = "staging-eu-west-1";
  const PROD_PREFIX = "prod-eu-west-1";

  const stagingSettings = (): Settings =>
    parseSettings(
      settingsInput(
        "staging",
        {},
        {
          grafanaAdminPassword: TEST_SECRETS.grafanaAdminPassword,
          smtpPassword: TEST_SECRETS.smtpPassword,
        },
      ),
    );

  const prodSettings = (): Settings =>
    parseSettings(
      settingsInput(
        "prod",
        {
          heartbeatUrl: ALL_RECEIVERS_CONFIG.heartbeatUrl,
          lokiMode: "simpleScalable",
          remoteWrite: true,
        },
        { ...TEST_SECRETS },
      ),
    );

  const network: Network = {
    vpcId: pulumi.output("vpc-0a1b2c3d4e5f67890"),
    vpcCidr: pulumi.output("10.40.0.0/16"),
    publicSubnetIds: pulumi.output(["subnet-0ccc3333", "subnet-0ddd4444"]),
    privateSubnetIds: pulumi.output(["subnet-0aaa1111", "subnet-0bbb2222"]),
  };

  /** The staging storage part, recorded with the options it gives each resource. */
  async function stagingStores(retainData: boolean) {
    const settings = stagingSettings();
    const run = await recordPart(
      (scope) =>
        storage(
          {
            network,
            tasksSecurityGroupId: pulumi.output("sg-0a1b2c3d4e5f60001"),
            privateSubnetCount: 2,
            retainData,
          },
          { parent: scope, prefix: STAGING_PREFIX, tags: stackTags(settings) },
        ),
      "staging",
    );
    return checkResources("staging", run.resources, OPTION_POLICIES, (name) => ({
      protect: run.options.get(name)?.protect === true,
    }));
  }

  /** The prod cluster part with every store on (AMP, Loki bucket), recorded with its options. */
  async function prodStores(keepOptions: boolean) {
    const settings = prodSettings();
    const run = await recordPart(
      (scope) =>
        cluster(settings, { parent: scope, prefix: PROD_PREFIX, tags: stackTags(settings) }),
      "prod",
    );
    return checkResources("prod", run.resources, OPTION_POLICIES, (name) => ({
      protect: keepOptions && run.options.get(name)?.protect === true,
    }));
  }

  const kinds = (findings: readonly Finding[]) =>
    findings.map((f) => `${f.policy.name} ${f.resource.type}`).sort();

  it("staging with retainData (the default): every store protected", async () => {
    const { findings, inspected } = await stagingStores(true);
    assert.deepEqual(findings.map(describeFinding), []);
    assert.deepEqual([...inspected].sort(), [
      "stateful-stores-protected-nonprod aws:efs/fileSystem:FileSystem",
      "stateful-stores-protected-nonprod aws:kms/key:Key",
    ]);
  });

  it("staging with retainData: false: advisory findings only, on the file system and its key", async () => {
    const { findings } = await stagingStores(false);
    assert.deepEqual(kinds(findings), [
      "stateful-stores-protected-nonprod aws:efs/fileSystem:FileSystem",
      "stateful-stores-protected-nonprod aws:kms/key:Key",
    ]);
    assert.ok(findings.every((f) => f.policy.enforcementLevel === "advisory"));
  });

  it("prod: the cluster, its key, the Loki bucket and the AMP workspace protected; volumes retained", async () => {
    const { findings, inspected } = await prodStores(true);
    assert.deepEqual(findings.map(describeFinding), []);
    assert.deepEqual([...inspected].sort(), [
      "stateful-stores-protected aws:amp/workspace:Workspace",
      "stateful-stores-protected aws:eks/cluster:Cluster",
      "stateful-stores-protected aws:kms/key:Key",
      "stateful-stores-protected aws:s3/bucket:Bucket",
      "stateful-stores-protected kubernetes:storage.k8s.io/v1:StorageClass",
    ]);
  });

  it("prod without those options: a mandatory violation for every store", async () => {
    const { findings } = await prodStores(false);
    assert.deepEqual(kinds(findings), [
      "stateful-stores-protected aws:amp/workspace:Workspace",
      "stateful-stores-protected aws:eks/cluster:Cluster",
      "stateful-stores-protected aws:kms/key:Key",
      "stateful-stores-protected aws:s3/bucket:Bucket",
    ]);
  });
});
