/**
 * Service-level objectives as Prometheus rules: availability SLIs recorded over the windows of the
 * multi-window, multi-burn-rate method (Google SRE Workbook, "Alerting on SLOs", table 5-8) and the
 * two alerts built on them. Pure: no Pulumi imports.
 *
 * Every series carries the labels `slo` (the SLO's name) and `service`; the `SLO / error budget`
 * dashboard reads the same records.
 */
import { errorRatioExpr, type SloSpec } from "../settings/slo";
import { type AlertRule, type RecordingRule, type RuleGroup, runbookUrl } from "./rules";

/** Windows of the error-ratio records: the short and long windows of the four alert conditions. */
export const SLO_WINDOWS = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"] as const;
export type SloWindow = (typeof SLO_WINDOWS)[number];

/** The SLO period the error budget is counted over. */
export const SLO_PERIOD_DAYS = 30;
export const SLO_PERIOD = `${SLO_PERIOD_DAYS}d`;

/** Every SLO record name starts with this prefix, which user records may not use. */
export const SLO_RECORD_PREFIX = "slo:";

export const SLO_RECORDS = {
  errorRatio: (window: string) => `slo:sli_error:ratio_rate${window}`,
  objective: "slo:objective:ratio",
  errorBudget: "slo:error_budget:ratio",
  periodErrorRatio: `slo:sli_error:ratio_rate${SLO_PERIOD}`,
  budgetRemaining: "slo:period_error_budget_remaining:ratio",
} as const;

export const SLO_ALERTS = {
  fast: "SLOErrorBudgetBurnFast",
  slow: "SLOErrorBudgetBurnSlow",
} as const;

/**
 * The burn-rate conditions (SRE Workbook table 5-8): a long window that proves the budget is really
 * burning and a short window (1/12 of it) that proves it still is, so the alert resets quickly.
 * At 14.4× a 30-day budget lasts ~2 days (2% spent in 1 h); at 6×, 5 days; at 3×, 10 days; at 1×,
 * exactly the period.
 */
export const BURN_RATES = {
  fast: [
    { factor: 14.4, long: "1h", short: "5m" },
    { factor: 6, long: "6h", short: "30m" },
  ],
  slow: [
    { factor: 3, long: "1d", short: "2h" },
    { factor: 1, long: "3d", short: "6h" },
  ],
} as const satisfies Record<
  keyof typeof SLO_ALERTS,
  readonly { factor: number; long: SloWindow; short: SloWindow }[]
>;

/** 1 − objective as a ratio, without binary floating-point noise (99.9 → 0.001, not 0.0010000000000000009). */
export function errorBudget(objectivePercent: number): number {
  return Number(((100 - objectivePercent) / 100).toPrecision(12));
}

/** The ratio with at most 12 significant digits, for rule text. */
function num(value: number): string {
  return String(Number(value.toPrecision(12)));
}

function burnCondition(
  sel: string,
  budget: number,
  c: { factor: number; long: string; short: string },
) {
  const threshold = num(c.factor * budget);
  return (
    `(${SLO_RECORDS.errorRatio(c.long)}${sel} > ${threshold}` +
    ` and ${SLO_RECORDS.errorRatio(c.short)}${sel} > ${threshold})`
  );
}

/** The rule group of one SLO: records first (same evaluation), then the two burn-rate alerts. */
export function sloRuleGroup(slo: SloSpec, opts: { runbookBaseUrl: string }): RuleGroup {
  const labels = { slo: slo.name, service: slo.service };
  const sel = `{slo="${slo.name}"}`;
  const budget = errorBudget(slo.objective);
  const objectiveText = `${num(slo.objective)}%`;
  const records: RecordingRule[] = [
    ...SLO_WINDOWS.map((w) => ({
      record: SLO_RECORDS.errorRatio(w),
      expr: errorRatioExpr(slo, w),
      labels,
    })),
    { record: SLO_RECORDS.objective, expr: `vector(${num(slo.objective / 100)})`, labels },
    { record: SLO_RECORDS.errorBudget, expr: `vector(${num(budget)})`, labels },
    {
      // Mean of the 5-minute ratios over the period: cheap, and exact when traffic is steady.
      record: SLO_RECORDS.periodErrorRatio,
      expr: `avg_over_time(${SLO_RECORDS.errorRatio("5m")}${sel}[${SLO_PERIOD}])`,
      labels,
    },
    {
      record: SLO_RECORDS.budgetRemaining,
      expr: `1 - ${SLO_RECORDS.periodErrorRatio}${sel} / ${num(budget)}`,
      labels,
    },
  ];
  const alert = (
    kind: keyof typeof SLO_ALERTS,
    severity: "critical" | "warning",
    summary: string,
  ): AlertRule => {
    const conditions = BURN_RATES[kind];
    // Either condition fires the alert, so only the lowest rate is a promise about the budget.
    const lowest = Math.min(...conditions.map((c) => c.factor));
    return {
      alert: SLO_ALERTS[kind],
      expr: conditions.map((c) => burnCondition(sel, budget, c)).join(" or "),
      labels: { ...labels, severity },
      annotations: {
        summary,
        description:
          `{{ $value | humanizePercentage }} of the requests of {{ $labels.service }} failed over the last ` +
          `${conditions.map((c) => `${c.long} (≥ ${c.factor}× the budget rate)`).join(" or ")}; ` +
          `the objective is ${objectiveText} over ${SLO_PERIOD}, so at this rate the error budget runs out ` +
          `in ${budgetExhaustion(lowest)} or less.`,
        runbook_url: runbookUrl(opts.runbookBaseUrl, SLO_ALERTS[kind]),
      },
    };
  };
  return {
    name: `slo-${slo.name}`,
    rules: [
      ...records,
      alert("fast", "critical", "SLO {{ $labels.slo }} is burning its error budget fast"),
      alert("slow", "warning", "SLO {{ $labels.slo }} is burning its error budget"),
    ],
  };
}

/** How long a full budget lasts at `factor` times the sustainable burn rate, e.g. 14.4 → "2d 2h". */
export function budgetExhaustion(factor: number): string {
  const minutes = Math.round((SLO_PERIOD_DAYS * 24 * 60) / factor);
  const parts: [number, string][] = [
    [Math.floor(minutes / 1440), "d"],
    [Math.floor(minutes / 60) % 24, "h"],
    [minutes % 60, "m"],
  ];
  return (
    parts
      .filter(([n]) => n > 0)
      .map(([n, unit]) => `${n}${unit}`)
      .join(" ") || "under 1m"
  );
}

export function buildSloRuleGroups(
  slos: readonly SloSpec[],
  opts: { runbookBaseUrl: string },
): RuleGroup[] {
  return slos.map((slo) => sloRuleGroup(slo, opts));
}
