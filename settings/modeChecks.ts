/**
 * Settings the chosen environment or mode ignores: a key only one environment reads (the prefix of
 * its description in schema.ts: `staging:`, `prod:`, `dev only:`), node-group keys with an existing
 * EKS cluster, the VPC keys with an existing VPC, public subnets with an internal ALB. Silently
 * ignoring them would let a user believe they took effect, so each is an error naming the key. A key
 * at its default (Pulumi passes the defaults `Pulumi.yaml` declares to every stack) changes nothing.
 */
import type { Environment } from "../catalog/environments";
import { DEFAULTS, K8S_DEFAULTS } from "./defaults";
import type { ConfigKey, RawValues } from "./schema";

/**
 * Keys that only some environments read; every other key applies to all three. A test keeps this
 * table and the `staging:` / `prod` / `dev only:` prefixes of the descriptions in schema.ts equal.
 */
export const ENVIRONMENT_KEYS: Readonly<Partial<Record<ConfigKey, readonly Environment[]>>> = {
  vpcId: ["staging"],
  publicSubnetIds: ["staging"],
  privateSubnetIds: ["staging"],
  vpcCidr: ["staging"],
  natGateways: ["staging"],
  albInternal: ["staging"],
  certificateArn: ["staging"],
  allowedCidrs: ["staging"],
  adminCidrs: ["staging"],
  allowPublicAdminWithoutTls: ["staging"],
  taskSizes: ["staging"],
  logRetentionDays: ["staging"],
  retainData: ["staging"],
  containerInsights: ["staging"],
  chartVersionOverrides: ["prod"],
  eksClusterMode: ["prod"],
  kubeconfig: ["prod"],
  eksVersion: ["prod"],
  nodeGroup: ["prod"],
  prometheusReplicas: ["prod"],
  alertmanagerReplicas: ["prod"],
  prometheusStorageSize: ["prod"],
  alertmanagerStorageSize: ["prod"],
  grafanaStorageSize: ["prod"],
  lokiStorageSize: ["prod"],
  lokiMode: ["prod"],
  ingress: ["prod"],
  allowPlainHttpIngress: ["prod"],
  remoteWrite: ["prod"],
  serviceMonitors: ["prod"],
  bindAddress: ["dev"],
  dockerSocket: ["dev"],
  hostPorts: ["dev"],
};

/** The value a key has when the stack does not set it (Pulumi passes `Pulumi.yaml`'s defaults in). */
const UNSET: Readonly<Partial<Record<ConfigKey, unknown>>> = {
  ...DEFAULTS,
  eksVersion: K8S_DEFAULTS.eksVersion,
  prometheusReplicas: K8S_DEFAULTS.prometheusReplicas,
  alertmanagerReplicas: K8S_DEFAULTS.alertmanagerReplicas,
};

/**
 * Whether `key` is set to something that would take effect: not absent, not its default (which
 * `Pulumi.yaml` declares and Pulumi passes to every stack) and not an empty list or object.
 */
function takesEffect(key: ConfigKey, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value === "object" && value !== null && Object.keys(value).length === 0) return false;
  return JSON.stringify(value) !== JSON.stringify(UNSET[key]);
}

/** Keys set to a value that would take effect, which the stack's environment never reads. */
function otherEnvironmentProblems(values: RawValues, environment: Environment): string[] {
  const problems: string[] = [];
  for (const [name, environments] of Object.entries(ENVIRONMENT_KEYS)) {
    const key = name as ConfigKey;
    if (!takesEffect(key, values[key]) || environments.includes(environment)) continue;
    problems.push(
      `\`${key}\` is a ${environments.join("/")} setting and the ${environment} stack ignores it: ` +
        `remove it (\`pulumi config rm ${key}\`), or set \`environment\` if this stack is meant to be ${environments.join("/")}.`,
    );
  }
  return problems;
}

/** Keys that one mode of the environment reads and the chosen mode ignores. */
function otherModeProblems(values: RawValues, environment: Environment): string[] {
  const problems: string[] = [];
  const ignored = (keys: readonly ConfigKey[], why: string, otherwise?: string) => {
    for (const key of keys.filter((k) => takesEffect(k, values[k]))) {
      const remove = `remove it (\`pulumi config rm ${key}\`)`;
      problems.push(
        `\`${key}\` is ignored ${why}: ${otherwise === undefined ? remove : `${remove}, or ${otherwise}`}.`,
      );
    }
  };
  if (environment === "prod" && values.eksClusterMode === "existing") {
    ignored(
      ["eksVersion", "nodeGroup"],
      "with `eksClusterMode: existing` (the stack creates no cluster or node group; the existing cluster's owner sizes its nodes)",
      "set `eksClusterMode` to `create` to have the stack create them",
    );
  }
  if (environment === "staging" && values.vpcId !== undefined) {
    ignored(
      ["vpcCidr", "natGateways"],
      "when `vpcId` is set (they shape the VPC the stack creates; an existing VPC keeps its own CIDR and NAT)",
    );
  }
  if (environment === "staging" && values.albInternal === true) {
    ignored(
      ["publicSubnetIds"],
      "with `albInternal: true` (an internal ALB sits in `privateSubnetIds`)",
      "set `albInternal` to false for an internet-facing ALB",
    );
  }
  return problems;
}

/** Every key the environment or the chosen mode would silently ignore. */
export function ignoredKeyProblems(values: RawValues, environment: Environment): string[] {
  return [
    ...otherEnvironmentProblems(values, environment),
    ...otherModeProblems(values, environment),
  ];
}
