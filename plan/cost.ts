/**
 * The plan's monthly cost estimate: the sizes a stack's resources declare (Fargate tasks, EFS, load
 * balancers, NAT gateways, public addresses, EKS, nodes, volumes, secrets, keys) times the dated
 * list prices in `prices.json`. Usage-based charges are named, not estimated.
 */
import { helmClaims, nodeGroupDiskGb, prometheusRetentionGb } from "./volumes";
import PRICE_FILE from "./prices.json";
import { type ResourceInputs, TYPES } from "./resources";
import { at, sum, text } from "./values";

export type PriceFile = typeof PRICE_FILE;
export const PRICES: PriceFile = PRICE_FILE;

export interface CostLine {
  readonly item: string;
  /** How the amount was computed, e.g. `2.25 vCPU × 730 h × $0.04048`. */
  readonly detail: string;
  readonly monthlyUsd: number;
}

export interface CostEstimate {
  readonly lines: readonly CostLine[];
  readonly totalUsd: number;
  /** Declared resources the price file has no price for; they are not in the total. */
  readonly unpriced: readonly string[];
  readonly notes: readonly string[];
}

/** The resource fields the estimate reads. */
export type CostInput = ResourceInputs;

const USAGE_NOTE =
  "Not included (usage-based): data processed by NAT gateways and load balancers, data transfer, " +
  "CloudWatch Logs ingestion and storage, EFS throughput and Infrequent Access, S3 storage and requests, " +
  "Container Insights and AMP metrics.";

/** `2.25`, `7.5`, `50`: at most four decimals, no trailing zeros. */
const num = (n: number) => String(Number(n.toFixed(4)));
/** A list price as the price file states it, at least to the cent: `$0.04048`, `$0.40`. */
const price = (n: number) => `$${n.toFixed(Math.max(2, (String(n).split(".")[1] ?? "").length))}`;

/**
 * Estimated monthly cost of a stack from the sizes its resources declare and the list prices in
 * `prices` (default `plan/prices.json`). `dev` runs on the developer's machine: $0. Usage-based
 * charges are left out and listed in `notes`.
 */
export function estimateMonthlyCost(
  environment: string,
  resources: readonly CostInput[],
  prices: PriceFile = PRICES,
  expected: { readonly efsBesidesPrometheusGb?: number } = {},
): CostEstimate {
  if (environment === "dev") {
    return {
      lines: [{ item: "Local Docker", detail: "runs on your machine", monthlyUsd: 0 }],
      totalUsd: 0,
      unpriced: [],
      notes: [],
    };
  }
  const p = prices.prices;
  const hours = prices.hoursPerMonth;
  const of = (type: string) => resources.filter((r) => r.type === type);
  const lines: CostLine[] = [];
  const unpriced: string[] = [];
  const add = (item: string, detail: string, monthlyUsd: number) => {
    if (monthlyUsd > 0) lines.push({ item, detail, monthlyUsd });
  };

  // Fargate: each task definition × the tasks of the services that run it (the mocks' ARNs end
  // in the task definition's resource name); a task definition no service runs counts once.
  const taskDefinitions = of(TYPES.taskDefinition).filter((td) =>
    ((td.inputs.requiresCompatibilities ?? []) as unknown[]).includes("FARGATE"),
  );
  const services = of(TYPES.ecsService);
  let vcpu = 0;
  let memoryGb = 0;
  for (const td of taskDefinitions) {
    const runners = services.filter(
      (s) =>
        typeof s.inputs.taskDefinition === "string" &&
        s.inputs.taskDefinition.endsWith(`:${td.name}`),
    );
    const tasks =
      runners.length === 0 ? 1 : sum(runners.map((s) => Number(s.inputs.desiredCount ?? 1)));
    vcpu += (tasks * Number(td.inputs.cpu)) / 1024;
    memoryGb += (tasks * Number(td.inputs.memory)) / 1024;
  }
  add(
    "Fargate vCPU",
    `${num(vcpu)} vCPU × ${hours} h × ${price(p.fargateVcpuHour)}`,
    vcpu * hours * p.fargateVcpuHour,
  );
  add(
    "Fargate memory",
    `${num(memoryGb)} GB × ${hours} h × ${price(p.fargateGbHour)}`,
    memoryGb * hours * p.fargateGbHour,
  );

  const fileSystems = of(TYPES.fileSystem).length;
  if (fileSystems > 0) {
    const prometheusGb = prometheusRetentionGb(taskDefinitions) ?? 0;
    const derived = expected.efsBesidesPrometheusGb;
    const otherGb = derived ?? prices.assumptions.efsGbBesidesPrometheus * fileSystems;
    const gb = prometheusGb + otherGb;
    add(
      "EFS storage",
      `${num(gb)} GB × ${price(p.efsGbMonth)} (Prometheus retentionSize ${num(prometheusGb)} GB + ${num(otherGb)} GB ${derived === undefined ? "assumed" : "expected from capacity"} for Loki, Grafana, Alertmanager)`,
      gb * p.efsGbMonth,
    );
  }

  const albs = of(TYPES.loadBalancer).filter(
    (lb) => (lb.inputs.loadBalancerType ?? "application") === "application",
  );
  const lcus = prices.assumptions.albLcus;
  add(
    "Application Load Balancer",
    `${albs.length} × ${hours} h × ${price(p.albHour)}`,
    albs.length * hours * p.albHour,
  );
  add(
    "ALB capacity units",
    `${albs.length} × ${num(lcus)} LCU (assumed) × ${hours} h × ${price(p.albLcuHour)}`,
    albs.length * lcus * hours * p.albLcuHour,
  );

  const nats = of(TYPES.natGateway).length;
  add(
    "NAT gateway",
    `${nats} × ${hours} h × ${price(p.natGatewayHour)}`,
    nats * hours * p.natGatewayHour,
  );

  // Public IPv4 is billed per address: Elastic IPs and one per subnet of an internet-facing ALB.
  const eips = of(TYPES.eip).length;
  const albIps = sum(
    albs
      .filter((lb) => lb.inputs.internal !== true)
      .map((lb) => ((lb.inputs.subnets ?? lb.inputs.subnetMappings ?? []) as unknown[]).length),
  );
  add(
    "Public IPv4 addresses",
    `${eips + albIps} (${eips} Elastic IP, ${albIps} ALB) × ${hours} h × ${price(p.publicIpv4Hour)}`,
    (eips + albIps) * hours * p.publicIpv4Hour,
  );

  const clusters = of(TYPES.eksCluster).length;
  add(
    "EKS control plane",
    `${clusters} × ${hours} h × ${price(p.eksControlPlaneHour)}`,
    clusters * hours * p.eksControlPlaneHour,
  );

  const ec2 = p.ec2 as Readonly<Record<string, number>>;
  let nodeDiskGb = 0;
  const diskDetails: string[] = [];
  for (const group of of(TYPES.nodeGroup)) {
    const nodes = Number(at(group.inputs, "scalingConfig.desiredSize") ?? 0);
    const type = text(((group.inputs.instanceTypes ?? []) as unknown[])[0] ?? "unknown");
    const hourly = ec2[type];
    if (hourly === undefined) {
      unpriced.push(
        `${nodes} × ${type} (node group ${group.name}): add "${type}" to ec2 in plan/prices.json`,
      );
    } else {
      add(
        `EC2 nodes (${group.name})`,
        `${nodes} × ${type} × ${hours} h × ${price(hourly)}`,
        nodes * hours * hourly,
      );
    }
    const disk = nodeGroupDiskGb(group, resources) ?? prices.assumptions.nodeDiskGbWhenUnset;
    nodeDiskGb += nodes * disk;
    diskDetails.push(`${nodes} × ${num(disk)} GB`);
  }
  add(
    "EBS gp3 node disks",
    `${diskDetails.join(" + ")} × ${price(p.ebsGp3GbMonth)}`,
    nodeDiskGb * p.ebsGp3GbMonth,
  );

  const claims = helmClaims(of(TYPES.helmRelease));
  const claimGb = sum(claims.map((c) => c.replicas * c.sizeGb));
  add(
    "EBS gp3 volume claims",
    `${num(claimGb)} GB (${claims.map((c) => `${c.what} ${c.replicas} × ${c.size}`).join(", ")}) × ${price(p.ebsGp3GbMonth)}`,
    claimGb * p.ebsGp3GbMonth,
  );

  const secrets = of(TYPES.secret).length;
  add(
    "Secrets Manager",
    `${secrets} secrets × ${price(p.secretsManagerSecretMonth)}`,
    secrets * p.secretsManagerSecretMonth,
  );
  const keys = of(TYPES.kmsKey).length;
  add("KMS keys", `${keys} × ${price(p.kmsKeyMonth)}`, keys * p.kmsKeyMonth);

  return { lines, totalUsd: sum(lines.map((l) => l.monthlyUsd)), unpriced, notes: [USAGE_NOTE] };
}
