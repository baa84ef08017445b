/** The plan as text: the resource tree, the counts by type, the cost table and the whole printout. */
import { type CostEstimate, type PriceFile, PRICES } from "./cost";
import type { StackPlan } from "./plan";
import { type PlanResource, resourceKey } from "./resources";
import { sum } from "./values";

export const usd = (n: number): string => `$${n.toFixed(2)}`;

/** The resource tree: each component with its children (type and name), children sorted. */
export function formatTree(resources: readonly PlanResource[]): string[] {
  const known = new Set(resources.map(resourceKey));
  const children = new Map<string, PlanResource[]>();
  const roots: PlanResource[] = [];
  for (const r of resources) {
    if (r.parent !== undefined && known.has(r.parent)) {
      children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    } else {
      roots.push(r);
    }
  }
  const lines: string[] = [];
  const walk = (r: PlanResource, lead: string, indent: string) => {
    lines.push(`${lead}${r.type}  ${r.name}`);
    const kids = children.get(resourceKey(r)) ?? [];
    kids.forEach((kid, i) => {
      const last = i === kids.length - 1;
      walk(kid, `${indent}${last ? "└── " : "├── "}`, `${indent}${last ? "    " : "│   "}`);
    });
  };
  for (const root of roots) walk(root, "", "");
  return lines;
}

/** Each type's count, right-aligned, then the total. */
export function formatCounts(counts: Readonly<Record<string, number>>): string[] {
  const total = sum(Object.values(counts));
  return [
    ...Object.entries(counts).map(([type, n]) => `${String(n).padStart(5)}  ${type}`),
    `${String(total).padStart(5)}  total`,
  ];
}

/** The cost table: one line per item with how it was computed, the total, what is not priced. */
export function formatCost(cost: CostEstimate, prices: PriceFile = PRICES): string[] {
  const width = Math.max(...cost.lines.map((l) => l.item.length), "Total".length);
  return [
    `Estimated monthly cost (USD; ${prices.region} list prices of ${prices.date}, ${prices.hoursPerMonth} h/month; not fetched live)`,
    ...cost.lines.map(
      (l) => `  ${l.item.padEnd(width)}  ${usd(l.monthlyUsd).padStart(10)}  ${l.detail}`,
    ),
    `  ${"Total".padEnd(width)}  ${usd(cost.totalUsd).padStart(10)}${cost.unpriced.length > 0 ? "  (incomplete: see below)" : ""}`,
    ...cost.unpriced.map((u) => `  Not priced: ${u}`),
    ...cost.notes.map((n) => `  ${n}`),
  ];
}

/** The stack outputs, one per line: strings as they are, anything else as JSON. */
export function formatOutputs(outputs: Readonly<Record<string, unknown>>): string[] {
  const width = Math.max(0, ...Object.keys(outputs).map((k) => k.length));
  return [
    "Stack outputs (as `pulumi stack output` shows them; ids and DNS names the cloud assigns are stand-ins)",
    ...Object.entries(outputs).map(
      ([key, value]) =>
        `  ${key.padEnd(width)}  ${typeof value === "string" ? value : JSON.stringify(value)}`,
    ),
  ];
}

/** The line `all` ends with: every stack's estimated monthly cost and their sum. */
export function formatGrandTotal(plans: readonly StackPlan[]): string {
  const total = sum(plans.map((p) => p.cost.totalUsd));
  const each = plans.map((p) => `${p.stack} ${usd(p.cost.totalUsd)}`).join(", ");
  return `All stacks: estimated monthly cost ${usd(total)} (${each})`;
}

/** Everything the plan prints for one stack. */
export function formatPlan(plan: StackPlan): string[] {
  return [
    `Plan for stack \`${plan.stack}\` (environment ${plan.environment}): ${plan.resources.length} resources`,
    "",
    "Resource tree",
    ...formatTree(plan.resources),
    "",
    "Resources by type",
    ...formatCounts(plan.counts),
    "",
    ...plan.sizing,
    "",
    ...formatCost(plan.cost),
    "",
    ...formatOutputs(plan.outputs),
  ];
}
