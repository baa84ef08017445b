/**
 * Combinations that are valid key by key but unsafe or colliding: the explicit opt-ins
 * (`allowPlainHttpIngress`, `allowPublicAdminWithoutTls`) that unsafe exposures need, the same subnet
 * used twice, two UIs on one ingress host, and a VPC CIDR with host bits set. Pure; parseSettings
 * reports these problems with every other one, before any resource.
 */
import type { Environment } from "../catalog/environments";
import {
  isWorldOpen,
  networkAddressIfHostBits,
  parseIpv4Cidr,
  WIDEST_SCOPED_PREFIX,
} from "./cidrs";
import { DEFAULTS } from "./defaults";
import type { RawValues } from "./schema";

/**
 * The message for a VPC CIDR whose address has host bits set: EC2 CreateVpc refuses it
 * (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html). Also thrown by
 * components/aws/network.ts, which carves the subnets.
 */
export function vpcCidrHostBitsProblem(vpcCidr: string, networkAddress: string): string {
  return `\`vpcCidr\`: got ${JSON.stringify(vpcCidr)} — the address has host bits set; use the network address ${networkAddress}.`;
}

/**
 * prod: an ingress without a TLS source (neither `clusterIssuer` nor `tlsSecretName`) serves the
 * Grafana login form, and Prometheus/Alertmanager when they have a host, over plain HTTP.
 */
function plainHttpIngressProblem(values: RawValues): string | undefined {
  const ingress = values.ingress;
  if (ingress === undefined || (values.allowPlainHttpIngress ?? DEFAULTS.allowPlainHttpIngress))
    return undefined;
  if (ingress.clusterIssuer !== undefined || ingress.tlsSecretName !== undefined) return undefined;
  const hosts = [ingress.grafanaHost, ingress.prometheusHost, ingress.alertmanagerHost].filter(
    (h) => h !== undefined,
  );
  return (
    `\`ingress\`: got neither \`clusterIssuer\` nor \`tlsSecretName\` — the Grafana login (and every UI on ` +
    `${hosts.join(", ")}) would be served over plain HTTP. Set \`ingress.clusterIssuer\` (a cert-manager ClusterIssuer) ` +
    "or `ingress.tlsSecretName` (an existing TLS Secret in the `monitoring` namespace), or, if TLS ends in front of the " +
    "ingress controller, accept it with `pulumi config set allowPlainHttpIngress true`."
  );
}

/**
 * staging: `adminCidrs` that reach a wide part of the internet while the ALB has no certificate and
 * is internet-facing open Prometheus, Alertmanager and Loki — which have no authentication — over
 * plain HTTP to the world.
 */
function publicAdminProblem(values: RawValues): string | undefined {
  if (values.allowPublicAdminWithoutTls ?? DEFAULTS.allowPublicAdminWithoutTls) return undefined;
  if (values.certificateArn !== undefined || (values.albInternal ?? DEFAULTS.albInternal))
    return undefined;
  const open = (values.adminCidrs ?? []).filter(isWorldOpen);
  if (open.length === 0) return undefined;
  return (
    `\`adminCidrs\`: got ${JSON.stringify(open)} — without \`certificateArn\` this opens Prometheus, Alertmanager and Loki, ` +
    `which have no authentication, over plain HTTP to the internet (public ranges wider than /${WIDEST_SCOPED_PREFIX} count as open). ` +
    `Narrow \`adminCidrs\` to your office or VPN ranges (/${WIDEST_SCOPED_PREFIX} or smaller, or private ranges), set \`certificateArn\`, ` +
    "set `albInternal` to true, or accept it with `pulumi config set allowPublicAdminWithoutTls true`."
  );
}

/** Refusals of unsafe exposures that the environment's opt-in key has not allowed. */
export function unsafeCombinationProblems(values: RawValues, environment: Environment): string[] {
  const problems: (string | undefined)[] = [];
  if (environment === "prod") problems.push(plainHttpIngressProblem(values));
  if (environment === "staging") problems.push(publicAdminProblem(values));
  return problems.filter((p) => p !== undefined);
}

/** The same subnet twice in one list, or in both lists (EC2 and EFS refuse a subnet reused so). */
function subnetProblems(values: RawValues): string[] {
  const problems: string[] = [];
  const lists = [
    ["publicSubnetIds", values.publicSubnetIds ?? []],
    ["privateSubnetIds", values.privateSubnetIds ?? []],
  ] as const;
  for (const [key, ids] of lists) {
    for (const [i, id] of ids.entries()) {
      const first = ids.indexOf(id);
      if (first !== i)
        problems.push(
          `\`${key}[${i}]\`: got "${id}" — already listed as \`${key}[${first}]\`; list each subnet once (one per availability zone).`,
        );
    }
  }
  const publicIds = new Set(values.publicSubnetIds ?? []);
  for (const [i, id] of (values.privateSubnetIds ?? []).entries()) {
    if (publicIds.has(id))
      problems.push(
        `\`privateSubnetIds[${i}]\`: got "${id}" — it is also in \`publicSubnetIds\`; a subnet is either public (route to an internet gateway, for the ALB) or private (NAT route, for the tasks and EFS): list different subnets.`,
      );
  }
  return problems;
}

/** Two UIs on one ingress host: both rules match, and the controller routes only one of them. */
function ingressHostProblems(values: RawValues): string[] {
  const ingress = values.ingress;
  if (ingress === undefined) return [];
  const problems: string[] = [];
  const taken = new Map<string, string>();
  for (const field of ["grafanaHost", "prometheusHost", "alertmanagerHost"] as const) {
    const host = ingress[field];
    if (host === undefined) continue;
    const other = taken.get(host);
    if (other !== undefined)
      problems.push(
        `\`ingress.${field}\`: got "${host}" — \`ingress.${other}\` already uses that host, and two UIs cannot share one (each is served at \`/\`): give each UI its own host.`,
      );
    else taken.set(host, field);
  }
  return problems;
}

/** A VPC CIDR the stack would create with host bits set. */
function vpcCidrProblems(values: RawValues): string[] {
  if (values.vpcCidr === undefined || values.vpcId !== undefined) return [];
  const block = parseIpv4Cidr(values.vpcCidr);
  const network = block === undefined ? undefined : networkAddressIfHostBits(block);
  return network === undefined ? [] : [vpcCidrHostBitsProblem(values.vpcCidr, network)];
}

/** Values that collide with each other: subnets, ingress hosts, the VPC CIDR's own address. */
export function collisionProblems(values: RawValues): string[] {
  return [...subnetProblems(values), ...ingressHostProblems(values), ...vpcCidrProblems(values)];
}
