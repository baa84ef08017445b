/**
 * Dashboard queries evaluated by real promtool on constant input series (the dashboards as data:
 * test/content/dashboards/index.test.ts).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { buildDashboards } from "../../../content/dashboards";
import { SCRAPE_JOBS } from "../../../catalog/names";
import { SLO_PERIOD, SLO_RECORDS, SLO_WINDOWS } from "../../../content/slo";
import { dashboardLookup, substitute } from "../../support/dashboards";
import { requireTool, runTool, writeTempFiles } from "../../support/tools";

describe("dashboards", () => {
  const dashboards = buildDashboards();
  const { exprsOf } = dashboardLookup(dashboards);

  describe("queries evaluated by promtool", function () {
    const dirs: string[] = [];

    before(() => {
      requireTool("promtool");
    });

    after(() => {
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    });

    interface Sample {
      readonly labels: string;
      readonly value: number;
    }

    /** Evaluates panel queries (variables substituted) on constant input series at t = 0. */
    function evaluate(
      input: Record<string, number>,
      cases: readonly { expr: string; samples: readonly Sample[] }[],
      values: Readonly<Record<string, string>>,
    ): { status: number; output: string } {
      const test = {
        rule_files: [],
        evaluation_interval: "1m",
        tests: [
          {
            interval: "1m",
            input_series: Object.entries(input).map(([series, value]) => ({
              series,
              values: `${value}x5`,
            })),
            promql_expr_test: cases.map((c) => ({
              expr: substitute(c.expr, values),
              eval_time: "0m",
              exp_samples: c.samples,
            })),
          },
        ],
      };
      const dir = writeTempFiles({ "test.yml": JSON.stringify(test) });
      dirs.push(dir);
      return runTool("promtool", ["test", "rules", "test.yml"], dir);
    }

    it("computes burn rate, availability and budget per SLO and service", () => {
      const ids = [
        { slo: "availability", service: "api", objective: 0.999, ratio: 0.0144, period: 0.0005 },
        { slo: "availability", service: "web", objective: 0.99, ratio: 0.06, period: 0.02 },
        { slo: "latency", service: "api", objective: 0.95, ratio: 0.01, period: 0.01 },
      ];
      const labels = (id: { slo: string; service: string }): string =>
        `{slo="${id.slo}", service="${id.service}"}`;
      const input: Record<string, number> = {};
      for (const id of ids) {
        const budget = 1 - id.objective;
        input[`${SLO_RECORDS.objective}${labels(id)}`] = id.objective;
        input[`${SLO_RECORDS.errorBudget}${labels(id)}`] = budget;
        input[`${SLO_RECORDS.periodErrorRatio}${labels(id)}`] = id.period;
        input[`${SLO_RECORDS.budgetRemaining}${labels(id)}`] = 1 - id.period / budget;
        for (const window of SLO_WINDOWS) {
          input[`${SLO_RECORDS.errorRatio(window)}${labels(id)}`] = id.ratio;
        }
      }
      const selected = ids.filter((id) => id.slo === "availability");
      const [objective] = exprsOf("slo-error-budget", "Objective");
      const [availability] = exprsOf("slo-error-budget", `Availability (${SLO_PERIOD})`);
      const [remaining] = exprsOf("slo-error-budget", "Error budget remaining");
      const [burn1h] = exprsOf("slo-error-budget", "Burn rate (1h)");
      const result = evaluate(
        input,
        [
          {
            expr: objective,
            samples: selected.map((id) => ({
              labels: `${SLO_RECORDS.objective}${labels(id)}`,
              value: id.objective,
            })),
          },
          {
            expr: availability,
            samples: selected.map((id) => ({ labels: labels(id), value: 1 - id.period })),
          },
          {
            expr: remaining,
            samples: selected.map((id) => ({
              labels: `${SLO_RECORDS.budgetRemaining}${labels(id)}`,
              value: 1 - id.period / (1 - id.objective),
            })),
          },
          {
            expr: burn1h,
            samples: selected.map((id) => ({
              labels: labels(id),
              value: id.ratio / (1 - id.objective),
            })),
          },
        ],
        { slo: "availability" },
      );
      assert.equal(result.status, 0, result.output);
    });

    it("fails when an expected burn rate is wrong (the evaluation is real)", () => {
      const [burn1h] = exprsOf("slo-error-budget", "Burn rate (1h)");
      const id = '{slo="a", service="s"}';
      const result = evaluate(
        {
          [`${SLO_RECORDS.errorRatio("1h")}${id}`]: 0.01,
          [`${SLO_RECORDS.errorBudget}${id}`]: 0.001,
        },
        [{ expr: burn1h, samples: [{ labels: id, value: 1 }] }],
        { slo: "a" },
      );
      assert.notEqual(result.status, 0, result.output);
    });

    it("counts alerts once although every Alertmanager instance holds them all", () => {
      const [active] = exprsOf("alertmanager-overview", "Active alerts");
      const [members] = exprsOf("alertmanager-overview", "Cluster members");
      const series = (metric: string, instance: string, extra = ""): string =>
        `${metric}{job="${SCRAPE_JOBS.alertmanager}", instance="${instance}"${extra}}`;
      const result = evaluate(
        {
          [series("alertmanager_alerts", "am-0:9093", ', state="active"')]: 3,
          [series("alertmanager_alerts", "am-1:9093", ', state="active"')]: 3,
          [series("alertmanager_alerts", "am-0:9093", ', state="suppressed"')]: 1,
          [series("alertmanager_cluster_members", "am-0:9093")]: 2,
          [series("alertmanager_cluster_members", "am-1:9093")]: 1,
        },
        [
          { expr: active, samples: [{ labels: "{}", value: 3 }] },
          { expr: members, samples: [{ labels: "{}", value: 1 }] },
        ],
        { instance: ".+" },
      );
      assert.equal(result.status, 0, result.output);
    });
  });
});
