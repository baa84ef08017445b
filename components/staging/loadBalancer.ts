/**
 * The staging ALB and the two security groups around it. Which listener exists and which port is
 * open to whom is decided once, by the pure `listenerPlan` and `securityGroupRules`; the resource
 * functions only turn those tables into resources.
 */
import { LoadBalancer as AwsLoadBalancer } from "@pulumi/aws/lb/loadBalancer";
import { TargetGroup } from "@pulumi/aws/lb/targetGroup";
import { Listener } from "@pulumi/aws/lb/listener";
import { SecurityGroup } from "@pulumi/aws/ec2/securityGroup";
import { SecurityGroupIngressRule } from "@pulumi/aws/vpc/securityGroupIngressRule";
import { SecurityGroupEgressRule } from "@pulumi/aws/vpc/securityGroupEgressRule";
import * as pulumi from "@pulumi/pulumi";
import { PORTS } from "../../catalog/names";
import type { AwsSettings } from "../../settings/settings";
import { ECS_SERVICES, type EcsService } from "../../catalog/names";
import { ELB_NAME_PREFIXES, stagingNames } from "../../catalog/resourceNames";
import type { Network } from "../aws/types";
import type { LoadBalancer, SecurityGroups } from "./types";
import type { PartOptions } from "../parts";

/** The services reachable only from `adminCidrs`, and their ALB listener ports (their usual ports). */
export const ADMIN_LISTENER_PORTS = {
  prometheus: PORTS.prometheus,
  alertmanager: PORTS.alertmanager,
  loki: PORTS.loki,
} as const satisfies Record<Exclude<EcsService, "grafana">, number>;

/** TLS 1.3 with TLS 1.2 fallback, forward-secret ciphers only (the current ALB recommendation). */
export const SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** Where every rule allowing "anyone" points. */
export const ANYWHERE = "0.0.0.0/0";

const LABELS: Record<EcsService, string> = {
  prometheus: "Prometheus",
  alertmanager: "Alertmanager",
  grafana: "Grafana",
  loki: "Loki",
};

/**
 * Physical name prefixes (at most 6 characters, an ELB limit). Autonamed ALB and target group names
 * are capped at 32 characters, which a long `clusterName` plus the role would exceed.
 */
const NAME_PREFIXES = ELB_NAME_PREFIXES;

/** The listener settings the plan and the rules read. */
export type ListenerSettings = Pick<AwsSettings, "certificateArn" | "allowedCidrs" | "adminCidrs">;

/** One ALB listener. */
export interface ListenerSpec {
  readonly port: number;
  readonly protocol: "HTTP" | "HTTPS";
  /** The service it forwards to; absent for the HTTP listener that only redirects to HTTPS. */
  readonly forward?: EcsService;
  /** Who may connect to it. */
  readonly cidrs: readonly string[];
  /** Says what the port is for (security group rule description). */
  readonly description: string;
}

/** Services with a target group on the ALB: Grafana always, the others only when `adminCidrs` is set. */
export function exposedServices(settings: Pick<AwsSettings, "adminCidrs">): EcsService[] {
  return settings.adminCidrs.length > 0
    ? ECS_SERVICES.filter((s) => s === "grafana" || s in ADMIN_LISTENER_PORTS)
    : ["grafana"];
}

const unique = <T>(items: readonly T[]): T[] => [...new Set(items)];

/** Pure: the ALB's listeners for the settings. */
export function listenerPlan(settings: ListenerSettings): ListenerSpec[] {
  const allowed = unique(settings.allowedCidrs);
  const admin = unique(settings.adminCidrs);
  const tls = settings.certificateArn !== undefined;
  const grafana: ListenerSpec[] = tls
    ? [
        {
          port: 443,
          protocol: "HTTPS",
          forward: "grafana",
          cidrs: allowed,
          description: "Grafana (HTTPS) from allowed CIDRs",
        },
        {
          port: 80,
          protocol: "HTTP",
          cidrs: allowed,
          description: "HTTP from allowed CIDRs, redirected to HTTPS",
        },
      ]
    : [
        {
          port: 80,
          protocol: "HTTP",
          forward: "grafana",
          cidrs: allowed,
          description: "Grafana (HTTP) from allowed CIDRs",
        },
      ];
  const adminListeners = exposedServices(settings)
    .filter((s): s is keyof typeof ADMIN_LISTENER_PORTS => s in ADMIN_LISTENER_PORTS)
    .map((service): ListenerSpec => ({
      port: ADMIN_LISTENER_PORTS[service],
      protocol: tls ? "HTTPS" : "HTTP",
      forward: service,
      cidrs: admin,
      description: `${LABELS[service]} (${tls ? "HTTPS" : "HTTP"}) from admin CIDRs`,
    }));
  return [...grafana, ...adminListeners];
}

/** One security group rule. */
export interface Rule {
  /** Shown in the console; only characters EC2 accepts in rule descriptions. */
  readonly description: string;
  readonly protocol: "tcp";
  readonly fromPort: number;
  readonly toPort: number;
  /** IPv4 peers. */
  readonly cidrBlocks?: readonly string[];
  /** Security group peer: the source of an ingress rule, the destination of an egress rule. */
  readonly sourceSecurityGroup?: "alb" | "tasks" | "self";
}

export interface SecurityGroupRuleTable {
  readonly alb: { readonly ingress: readonly Rule[]; readonly egress: readonly Rule[] };
  readonly tasks: { readonly ingress: readonly Rule[]; readonly egress: readonly Rule[] };
}

export interface SecurityGroupRulesInput {
  /** Listener settings (`certificateArn`, `allowedCidrs`, `adminCidrs`). */
  readonly settings: ListenerSettings;
  /** Container port of each service's main container. */
  readonly ports: Readonly<Record<EcsService, number>>;
  /** Port of the node-exporter sidecar in every task. */
  readonly nodeExporterPort: number;
  /** Port of the SMTP smarthost Alertmanager sends to. @default no SMTP egress */
  readonly smtpPort?: number;
}

const tcp = (
  port: number,
  description: string,
  peer: Pick<Rule, "cidrBlocks" | "sourceSecurityGroup">,
): Rule => ({ description, protocol: "tcp", fromPort: port, toPort: port, ...peer });

/** Drops a rule whose ports and peer an earlier rule already covers (e.g. two services on one port). */
function dedupe(rules: readonly Rule[]): Rule[] {
  const seen = new Set<string>();
  return rules.filter((r) => {
    const key = `${r.fromPort}-${r.toPort}-${r.sourceSecurityGroup ?? ""}-${(r.cidrBlocks ?? []).join(",")}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Pure: every rule of the ALB and tasks security groups. Only the ALB's listener ports accept
 * traffic from CIDRs; the tasks accept traffic from the ALB and from each other only. NFS to the
 * EFS mount targets is added by the storage part.
 */
export function securityGroupRules(input: SecurityGroupRulesInput): SecurityGroupRuleTable {
  const { ports, nodeExporterPort, smtpPort } = input;
  const exposed = exposedServices(input.settings);
  const selfPorts = [
    ...ECS_SERVICES.map((s) => ({
      port: ports[s],
      description: `${LABELS[s]} between tasks (scrapes, queries, alerts, logs)`,
    })),
    { port: nodeExporterPort, description: "node-exporter sidecars, scraped by Prometheus" },
  ];
  const self = selfPorts.map((p) => tcp(p.port, p.description, { sourceSecurityGroup: "self" }));
  return {
    alb: {
      ingress: dedupe(
        listenerPlan(input.settings).map((l) =>
          tcp(l.port, l.description, { cidrBlocks: l.cidrs }),
        ),
      ),
      egress: dedupe(
        exposed.map((s) =>
          tcp(ports[s], `To ${LABELS[s]} tasks (traffic and health checks)`, {
            sourceSecurityGroup: "tasks",
          }),
        ),
      ),
    },
    tasks: {
      ingress: dedupe([
        ...exposed.map((s) =>
          tcp(ports[s], `${LABELS[s]} from the ALB`, { sourceSecurityGroup: "alb" }),
        ),
        ...self,
      ]),
      egress: dedupe([
        tcp(443, "HTTPS to image registries, AWS APIs and alert webhooks", {
          cidrBlocks: [ANYWHERE],
        }),
        ...(smtpPort === undefined
          ? []
          : [tcp(smtpPort, "SMTP to the Alertmanager smarthost", { cidrBlocks: [ANYWHERE] })]),
        ...self,
      ]),
    },
  };
}

export interface SecurityGroupsInput extends SecurityGroupRulesInput {
  /** The VPC the groups belong to. */
  readonly network: Network;
}

/**
 * The ALB and tasks security groups, without inline rules, plus one `SecurityGroupIngressRule` /
 * `SecurityGroupEgressRule` per rule and peer of `securityGroupRules` (EC2 removes the default
 * allow-all egress on creation, so egress is exactly the table).
 */
export function securityGroups(input: SecurityGroupsInput, opts: PartOptions): SecurityGroups {
  const { prefix, parent } = opts;
  const table = securityGroupRules(input);
  const group = (role: "alb" | "tasks", description: string) =>
    new SecurityGroup(
      stagingNames(prefix).securityGroup(role),
      {
        vpcId: input.network.vpcId,
        description,
        tags: { ...opts.tags, Name: `${prefix}-${role}` },
      },
      { parent },
    );
  const groups = {
    alb: group("alb", "Monitoring ALB: listeners from allowed and admin CIDRs"),
    tasks: group("tasks", "Monitoring Fargate tasks: from the ALB and each other"),
  };
  for (const role of ["alb", "tasks"] as const) {
    const own = groups[role];
    for (const direction of ["ingress", "egress"] as const) {
      for (const rule of table[role][direction]) {
        const ports =
          rule.fromPort === rule.toPort ? `${rule.fromPort}` : `${rule.fromPort}-${rule.toPort}`;
        const peers: { key: string; cidrIpv4?: string; group?: SecurityGroup }[] = [
          ...(rule.cidrBlocks ?? []).map((c) => ({ key: c.replace("/", "-"), cidrIpv4: c })),
          ...(rule.sourceSecurityGroup === undefined
            ? []
            : [
                {
                  key: rule.sourceSecurityGroup,
                  group:
                    rule.sourceSecurityGroup === "self" ? own : groups[rule.sourceSecurityGroup],
                },
              ]),
        ];
        for (const peer of peers) {
          const name = `${prefix}-${role}-${direction === "ingress" ? "in" : "out"}-${ports}-${peer.key}`;
          const args = {
            securityGroupId: own.id,
            description: rule.description,
            ipProtocol: rule.protocol,
            fromPort: rule.fromPort,
            toPort: rule.toPort,
            cidrIpv4: peer.cidrIpv4,
            referencedSecurityGroupId: peer.group?.id,
            tags: { ...opts.tags, Name: name },
          };
          if (direction === "ingress") new SecurityGroupIngressRule(name, args, { parent });
          else new SecurityGroupEgressRule(name, args, { parent });
        }
      }
    }
  }
  return { albSecurityGroupId: groups.alb.id, tasksSecurityGroupId: groups.tasks.id };
}

export interface LoadBalancerInput {
  /** Subnets for the ALB and the VPC of the target groups. */
  readonly network: Network;
  /** From `securityGroups`. */
  readonly securityGroups: SecurityGroups;
  /** `albInternal`, `certificateArn`, `allowedCidrs`, `adminCidrs`. */
  readonly settings: AwsSettings;
  /** Container port of each service (the target group port). */
  readonly ports: Readonly<Record<EcsService, number>>;
  /** Health check path of each service, e.g. `/api/health` for Grafana. */
  readonly healthChecks: Readonly<Record<EcsService, string>>;
}

/**
 * The ALB, a target group per exposed service and the listeners of `listenerPlan`. Each target group
 * ARN resolves only once its listener exists, so an ECS service using it waits for the listener
 * (ECS refuses a target group that has no load balancer yet).
 */
export function loadBalancer(input: LoadBalancerInput, opts: PartOptions): LoadBalancer {
  const { prefix, parent } = opts;
  const { settings, network } = input;
  const tags = (name: string) => ({ ...opts.tags, Name: name });

  const alb = new AwsLoadBalancer(
    `${prefix}-alb`,
    {
      namePrefix: NAME_PREFIXES.alb,
      loadBalancerType: "application",
      internal: settings.albInternal,
      subnets: settings.albInternal ? network.privateSubnetIds : network.publicSubnetIds,
      securityGroups: [input.securityGroups.albSecurityGroupId],
      dropInvalidHeaderFields: true,
      // Staging: `pulumi destroy` must be able to remove it.
      enableDeletionProtection: false,
      tags: tags(`${prefix}-alb`),
    },
    { parent },
  );

  const targetGroups = Object.fromEntries(
    exposedServices(settings).map((service) => [
      service,
      new TargetGroup(
        `${prefix}-${service}`,
        {
          namePrefix: NAME_PREFIXES[service],
          vpcId: network.vpcId,
          targetType: "ip",
          protocol: "HTTP",
          port: input.ports[service],
          // Single-writer services stop before their replacement starts; do not wait 5 minutes.
          deregistrationDelay: 30,
          healthCheck: {
            enabled: true,
            protocol: "HTTP",
            port: "traffic-port",
            path: input.healthChecks[service],
            matcher: "200",
            interval: 15,
            timeout: 5,
            healthyThreshold: 2,
            unhealthyThreshold: 3,
          },
          tags: tags(`${prefix}-${service}`),
        },
        { parent },
      ),
    ]),
  ) as Partial<Record<EcsService, TargetGroup>>;

  const listeners: Partial<Record<EcsService, Listener>> = {};
  for (const spec of listenerPlan(settings)) {
    const target = spec.forward === undefined ? undefined : targetGroups[spec.forward];
    const listener = new Listener(
      `${prefix}-listener-${spec.port}`,
      {
        loadBalancerArn: alb.arn,
        port: spec.port,
        protocol: spec.protocol,
        ...(spec.protocol === "HTTPS"
          ? { certificateArn: settings.certificateArn, sslPolicy: SSL_POLICY }
          : {}),
        defaultActions: [
          target === undefined
            ? {
                type: "redirect",
                redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
              }
            : { type: "forward", targetGroupArn: target.arn },
        ],
        tags: tags(`${prefix}-listener-${spec.port}`),
      },
      { parent },
    );
    if (spec.forward !== undefined) listeners[spec.forward] = listener;
  }

  const scheme = settings.certificateArn === undefined ? "http" : "https";
  const targetGroupArns: Partial<Record<EcsService, pulumi.Output<string>>> = {};
  const urls: Partial<Record<EcsService, pulumi.Output<string>>> = {};
  for (const [service, group] of Object.entries(targetGroups) as [EcsService, TargetGroup][]) {
    const listener = listeners[service];
    targetGroupArns[service] = pulumi.all([group.arn, listener?.arn]).apply(([arn]) => arn);
    urls[service] =
      service === "grafana"
        ? pulumi.interpolate`${scheme}://${alb.dnsName}`
        : pulumi.interpolate`${scheme}://${alb.dnsName}:${ADMIN_LISTENER_PORTS[service]}`;
  }
  return { dnsName: alb.dnsName, arn: alb.arn, targetGroupArns, urls };
}
