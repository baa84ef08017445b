/**
 * The "SLO error budget" dashboard: availability, burn rates and remaining budget per SLO, from
 * the SLO recording rules of content/slo.ts.
 */
import type { Threshold } from "@grafana/grafana-foundation-sdk/dashboard";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as units from "@grafana/grafana-foundation-sdk/units";
import { BURN_RATES, SLO_ALERTS, SLO_PERIOD, SLO_RECORDS } from "../slo";
import {
  type DashboardFile,
  PROMETHEUS_DS,
  selectorFor,
  promGraph,
  type StatSpec,
  promStat,
  queryVariable,
  assemble,
} from "./panels";

/**
 * The fast-burn alert conditions (14.4× over 1 h, 6× over 6 h), slowest factor first: the burn-rate
 * panels show these long windows and colour at these factors, so they read like the alert.
 */
const FAST_BURNS = [...BURN_RATES.fast].sort((a, b) => a.factor - b.factor);
const BURN_RATE_STEPS: readonly Threshold[] = [
  { value: null, color: "green" },
  ...FAST_BURNS.map((burn, i): Threshold => ({
    value: burn.factor,
    color: i === FAST_BURNS.length - 1 ? "red" : "orange",
  })),
];
/** Overspent budget is red, the last quarter orange. */
const BUDGET_REMAINING_STEPS: readonly Threshold[] = [
  { value: null, color: "red" },
  { value: 0, color: "orange" },
  { value: 0.25, color: "green" },
];
/** Grafana custom unit: the value followed by "×" (burn rate is a multiple of the budget rate). */
const TIMES_UNIT = "suffix:×";

export function sloErrorBudget(): DashboardFile {
  const slo = selectorFor(`slo=~"$slo"`);
  /** Error ratio over `window` divided by the error budget: 1 spends the budget exactly in the period. */
  const burnRate = (window: string): string =>
    `${slo(SLO_RECORDS.errorRatio(window))} / on (slo, service) ${slo(SLO_RECORDS.errorBudget)}`;
  const sloStat = (spec: StatSpec): stat.PanelBuilder =>
    promStat({ legend: "{{service}}", width: 5, ...spec });

  return assemble({
    uid: "slo-error-budget",
    title: "SLO error budget",
    description: `Objectives, availability and error budget over the ${SLO_PERIOD} SLO period, and how fast the budget burns.`,
    variables: [
      queryVariable("slo", PROMETHEUS_DS, `label_values(${SLO_RECORDS.objective}, slo)`).label(
        "SLO",
      ),
    ],
    sections: [
      {
        title: "SLO $slo",
        repeat: "slo",
        panels: [
          sloStat({
            title: "Objective",
            description: `Share of good events the SLO promises over ${SLO_PERIOD}.`,
            unit: units.PercentUnit,
            decimals: 2,
            width: 4,
            expr: slo(SLO_RECORDS.objective),
          }),
          sloStat({
            title: `Availability (${SLO_PERIOD})`,
            description: `Share of good events over the last ${SLO_PERIOD}.`,
            unit: units.PercentUnit,
            decimals: 3,
            expr: `1 - ${slo(SLO_RECORDS.periodErrorRatio)}`,
          }),
          sloStat({
            title: "Error budget remaining",
            description: `Share of the ${SLO_PERIOD} error budget not yet spent; negative means the SLO is missed.`,
            unit: units.PercentUnit,
            decimals: 1,
            expr: slo(SLO_RECORDS.budgetRemaining),
            steps: BUDGET_REMAINING_STEPS,
          }),
          ...BURN_RATES.fast.map((burn) =>
            sloStat({
              title: `Burn rate (${burn.long})`,
              description:
                `How fast the last ${burn.long} spend the budget; 1× spends it exactly over ` +
                `${SLO_PERIOD}, ${burn.factor}× over ${burn.long} fires ${SLO_ALERTS.fast}.`,
              unit: TIMES_UNIT,
              decimals: 1,
              expr: burnRate(burn.long),
              steps: BURN_RATE_STEPS,
            }),
          ),
          promGraph({
            title: "Burn rate",
            description: `Budget burn rate over the long windows of ${SLO_ALERTS.fast} against its thresholds (dashed).`,
            unit: TIMES_UNIT,
            min: 0,
            steps: BURN_RATE_STEPS,
            width: 24,
            series: BURN_RATES.fast.map((burn) => ({
              expr: burnRate(burn.long),
              legend: `{{service}} ${burn.long}`,
            })),
          }),
          promGraph({
            title: "Error ratio vs budget",
            description:
              "Share of bad events over 5 minutes, 1 hour and 6 hours; above the budget (dashed) the budget shrinks.",
            unit: units.PercentUnit,
            min: 0,
            series: [
              ...(["5m", "1h", "6h"] as const).map((window) => ({
                expr: slo(SLO_RECORDS.errorRatio(window)),
                legend: `{{service}} ${window}`,
              })),
              {
                expr: slo(SLO_RECORDS.errorBudget),
                legend: "{{service}} budget",
                reference: true,
              },
            ],
          }),
          promGraph({
            title: "Error budget remaining over time",
            description: `Share of the ${SLO_PERIOD} error budget left at each point in time.`,
            unit: units.PercentUnit,
            steps: BUDGET_REMAINING_STEPS,
            series: [{ expr: slo(SLO_RECORDS.budgetRemaining), legend: "{{service}}" }],
          }),
        ],
      },
    ],
  });
}
