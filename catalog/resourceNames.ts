/**
 * The physical names of the resources the program names, or lets Pulumi auto-name, as pure
 * functions of the name prefix (the stack's `clusterName`). The components build their names with
 * these, and `physicalNames` lists the same names per environment for settings/nameChecks.ts, which
 * checks them against nameLimits.ts before any resource exists.
 */
import type { Environment } from "./environments";
import { autoName, type NameKind } from "./nameLimits";
import { ECS_SERVICES, type EcsService, type PORTS } from "./names";

/** Host names on the dev Docker network; each container is named `<prefix>-<host>`. */
export const DOCKER_HOSTS = {
  prometheus: "prometheus",
  alertmanager: "alertmanager",
  grafana: "grafana",
  loki: "loki",
  alloy: "alloy",
  nodeExporter: "node-exporter",
} as const satisfies Record<keyof typeof PORTS, string>;

/** The dev components that keep data in a named volume (node-exporter keeps none). */
export const DOCKER_DATA_VOLUMES = [
  "loki",
  "alertmanager",
  "prometheus",
  "grafana",
  "alloy",
] as const;

/** Helm release names (prod), also the prefix of the charts' object names. */
export const HELM_RELEASES = {
  kubePrometheusStack: "kps",
  loki: "loki",
  alloy: "alloy",
} as const;

/** The prod roles that one Kubernetes service account assumes (IRSA), after the prefix. */
export const IRSA_ROLES = {
  ebsCsi: "ebs-csi",
  lokiS3: "loki-s3",
  prometheusAmp: "prometheus-amp",
} as const;

/**
 * `namePrefix` of the staging ALB and target groups: the provider completes them to 32 characters,
 * so their names never depend on `clusterName`.
 */
export const ELB_NAME_PREFIXES = {
  alb: "mon-",
  grafana: "graf-",
  prometheus: "prom-",
  alertmanager: "alrt-",
  loki: "loki-",
} as const satisfies Record<EcsService | "alb", string>;

/** Names of the dev stack's Docker objects. */
export function devNames(prefix: string) {
  return {
    network: `${prefix}-monitoring`,
    container: (host: string) => `${prefix}-${host}`,
    volume: (role: string) => `${prefix}-${role}-data`,
  };
}

/** The name of a role's inline policy (auto-named from this logical name). */
export function rolePolicyName(role: string): string {
  return `${role}-policy`;
}

/** Names of the staging stack's AWS resources (roles, EFS and security groups are auto-named). */
export function stagingNames(prefix: string) {
  return {
    ecsCluster: prefix,
    taskFamily: (service: EcsService) => `${prefix}-${service}`,
    logGroup: (service: EcsService) => `/ecs/${prefix}/${service}`,
    configBucketPrefix: `${prefix}-config-`,
    executionRole: (service: EcsService) => `${prefix}-${service}-execution`,
    taskRole: (service: EcsService) => `${prefix}-${service}-task`,
    efs: `${prefix}-efs`,
    efsKeyAlias: `alias/${prefix}-efs`,
    efsSecurityGroup: `${prefix}-efs-sg`,
    securityGroup: (role: "alb" | "tasks") => `${prefix}-${role}`,
    secret: (key: string) => `${prefix}/${key}`,
    cloudMapNamespace: `${prefix}.monitoring.internal`,
  };
}

/** Names of the prod stack's AWS resources (roles and the node group are auto-named). */
export function prodNames(prefix: string) {
  return {
    eksCluster: prefix,
    clusterRole: `${prefix}-eks-cluster`,
    nodeRole: `${prefix}-eks-node`,
    /** The node group and its launch template. */
    nodes: `${prefix}-nodes`,
    secretsKeyAlias: `alias/${prefix}-eks-secrets`,
    controlPlaneLogGroup: `/aws/eks/${prefix}/cluster`,
    irsaRole: (role: string) => `${prefix}-${role}`,
    lokiBucket: `${prefix}-loki`,
    lokiBucketPrefix: `${prefix}-loki-`,
    ampAlias: prefix,
  };
}

/** One physical name and the kind of name it is. */
export interface PhysicalName {
  readonly kind: NameKind;
  /** The name as the service sees it; an auto-name ends in `-xxxxxxx`. */
  readonly name: string;
  /** The logical name Pulumi auto-names from; absent when the program sets the name. */
  readonly logical?: string;
}

/** What decides which named resources a stack has. */
export interface NameShape {
  readonly environment: Environment;
  /** The stack's `clusterName`. */
  readonly prefix: string;
  /** staging: the secret config keys that are set (one Secrets Manager secret each). */
  readonly secretKeys: readonly string[];
  /** staging: `adminCidrs` is set, so Prometheus, Alertmanager and Loki get target groups. */
  readonly adminListeners: boolean;
  /** prod: the stack creates its EKS cluster (`eksClusterMode: create`). */
  readonly createCluster: boolean;
  /** prod: `remoteWrite` (an AMP workspace and Prometheus' role). */
  readonly remoteWrite: boolean;
  /** prod: `lokiMode: simpleScalable` (Loki's bucket and role). */
  readonly lokiBucket: boolean;
}

const set = (kind: NameKind, name: string): PhysicalName => ({ kind, name });
const auto = (kind: NameKind, logical: string): PhysicalName => ({
  kind,
  name: autoName(logical),
  logical,
});

/** An auto-named IAM role and the inline policy named after it. */
const roleWithPolicy = (role: string): PhysicalName[] => [
  auto("iamRole", role),
  auto("iamPolicy", rolePolicyName(role)),
];

/** Every name the stack of `shape` sets or auto-names, in the order the components create them. */
export function physicalNames(shape: NameShape): PhysicalName[] {
  const { prefix } = shape;
  switch (shape.environment) {
    case "dev": {
      const n = devNames(prefix);
      return [
        set("docker", n.network),
        ...Object.values(DOCKER_HOSTS).map((host) => set("docker", n.container(host))),
        ...DOCKER_DATA_VOLUMES.map((role) => set("docker", n.volume(role))),
      ];
    }
    case "staging": {
      const n = stagingNames(prefix);
      const exposed = shape.adminListeners ? ECS_SERVICES : (["grafana"] as const);
      return [
        set("ecsCluster", n.ecsCluster),
        set("cloudMapNamespace", n.cloudMapNamespace),
        set("s3BucketPrefix", n.configBucketPrefix),
        set("kmsAlias", n.efsKeyAlias),
        auto("efsCreationToken", n.efs),
        auto("securityGroup", n.efsSecurityGroup),
        auto("securityGroup", n.securityGroup("alb")),
        auto("securityGroup", n.securityGroup("tasks")),
        set("elbNamePrefix", ELB_NAME_PREFIXES.alb),
        ...exposed.map((s) => set("elbNamePrefix", ELB_NAME_PREFIXES[s])),
        ...shape.secretKeys.map((key) => set("secret", n.secret(key))),
        ...ECS_SERVICES.flatMap((s) => [
          set("ecsTaskFamily", n.taskFamily(s)),
          set("ecsService", s),
          set("logGroup", n.logGroup(s)),
          ...roleWithPolicy(n.executionRole(s)),
          ...roleWithPolicy(n.taskRole(s)),
        ]),
      ];
    }
    case "prod": {
      const releases = Object.values(HELM_RELEASES).map((r) => set("helmRelease", r));
      if (!shape.createCluster) return releases;
      const n = prodNames(prefix);
      return [
        set("eksCluster", n.eksCluster),
        auto("iamRole", n.clusterRole),
        auto("iamRole", n.nodeRole),
        set("kmsAlias", n.secretsKeyAlias),
        set("logGroup", n.controlPlaneLogGroup),
        auto("launchTemplate", n.nodes),
        auto("eksNodeGroup", n.nodes),
        auto("iamRole", n.irsaRole(IRSA_ROLES.ebsCsi)),
        ...(shape.remoteWrite
          ? [set("ampAlias", n.ampAlias), ...roleWithPolicy(n.irsaRole(IRSA_ROLES.prometheusAmp))]
          : []),
        ...(shape.lokiBucket
          ? [
              set("s3BucketPrefix", n.lokiBucketPrefix),
              ...roleWithPolicy(n.irsaRole(IRSA_ROLES.lokiS3)),
            ]
          : []),
        ...releases,
      ];
    }
    default: {
      const unknown: never = shape.environment;
      throw new Error(`physicalNames: unknown environment ${String(unknown)}`);
    }
  }
}
