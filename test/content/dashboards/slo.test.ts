/** The "SLO error budget" dashboard (content/dashboards/slo.ts): it reads only the SLO recording rules. */
import assert from "node:assert/strict";
import { buildDashboards, dashboardQueries } from "../../../content/dashboards";
import { BURN_RATES, SLO_PERIOD, SLO_RECORDS, SLO_WINDOWS } from "../../../content/slo";
import { dashboardLookup, modelOf, selectorsIn } from "../../support/dashboards";

describe("dashboards", () => {
  const { byUid, panelOf, exprsOf, variableOf } = dashboardLookup(buildDashboards());

  describe("SLO error budget", () => {
    const queries = dashboardQueries(byUid("slo-error-budget").model);
    /** Every series name the SLO recording rules produce (the contract of content/slo.ts). */
    const recorded = new Set<string>([
      ...SLO_WINDOWS.map((window) => SLO_RECORDS.errorRatio(window)),
      SLO_RECORDS.objective,
      SLO_RECORDS.errorBudget,
      SLO_RECORDS.periodErrorRatio,
      SLO_RECORDS.budgetRemaining,
    ]);

    it("reads only SLO recording rules, each filtered on the slo variable", () => {
      for (const query of queries) {
        const selectors = selectorsIn(query.expr);
        assert.ok(selectors.length > 0, `"${query.panel}" selects nothing: ${query.expr}`);
        for (const selector of selectors) {
          assert.ok(recorded.has(selector.metric), `"${query.panel}" reads ${selector.metric}`);
          assert.deepEqual(selector.matchers, ['slo=~"$slo"'], `"${query.panel}"`);
        }
      }
      const used = new Set(queries.flatMap((q) => selectorsIn(q.expr).map((s) => s.metric)));
      for (const name of [
        SLO_RECORDS.objective,
        SLO_RECORDS.errorBudget,
        SLO_RECORDS.periodErrorRatio,
        SLO_RECORDS.budgetRemaining,
        ...(["5m", "1h", "6h"] as const).map((window) => SLO_RECORDS.errorRatio(window)),
      ]) {
        assert.ok(used.has(name), `the SLO dashboard never reads ${name}`);
      }
    });

    it("has a multi-value slo variable with All and repeats one row per SLO", () => {
      const slo = variableOf("slo-error-budget", "slo");
      assert.equal(slo.query, `label_values(${SLO_RECORDS.objective}, slo)`);
      assert.equal(slo.multi, true);
      assert.equal(slo.includeAll, true);
      const rows = modelOf(byUid("slo-error-budget")).panels.filter((p) => p.type === "row");
      assert.deepEqual(
        rows.map((row) => row.repeat),
        ["slo"],
      );
    });

    it("divides by the error budget matching on slo and service", () => {
      for (const [title, window] of [
        ["Burn rate (1h)", "1h"],
        ["Burn rate (6h)", "6h"],
      ] as const) {
        const [expr] = exprsOf("slo-error-budget", title);
        assert.match(
          expr,
          new RegExp(
            `^${SLO_RECORDS.errorRatio(window)}\\{[^}]*\\} / on \\(slo, service\\) ${SLO_RECORDS.errorBudget}\\{`,
          ),
        );
      }
      assert.deepEqual(
        exprsOf("slo-error-budget", "Burn rate").map((e) => selectorsIn(e)[0].metric),
        [SLO_RECORDS.errorRatio("1h"), SLO_RECORDS.errorRatio("6h")],
      );
    });

    it("colours burn rates at the alert thresholds and the budget red below zero", () => {
      const steps = (title: string) => panelOf("slo-error-budget", title).fieldConfig?.defaults;
      // The factors of the fast-burn alert (14.4× over 1 h, 6× over 6 h), the highest red.
      const factors = BURN_RATES.fast.map((burn) => burn.factor).sort((a, b) => a - b);
      assert.deepEqual(factors, [6, 14.4]);
      for (const title of ["Burn rate (1h)", "Burn rate (6h)", "Burn rate"]) {
        assert.deepEqual(
          steps(title)?.thresholds?.steps,
          [
            { value: null, color: "green" },
            { value: 6, color: "orange" },
            { value: 14.4, color: "red" },
          ],
          title,
        );
      }
      for (const title of ["Error budget remaining", "Error budget remaining over time"]) {
        assert.deepEqual(
          steps(title)?.thresholds?.steps,
          [
            { value: null, color: "red" },
            { value: 0, color: "orange" },
            { value: 0.25, color: "green" },
          ],
          title,
        );
      }
      assert.equal(steps(`Availability (${SLO_PERIOD})`)?.decimals, 3);
      assert.deepEqual(
        exprsOf("slo-error-budget", "Error ratio vs budget").map((e) => selectorsIn(e)[0].metric),
        [
          SLO_RECORDS.errorRatio("5m"),
          SLO_RECORDS.errorRatio("1h"),
          SLO_RECORDS.errorRatio("6h"),
          SLO_RECORDS.errorBudget,
        ],
      );
    });
  });
});
