/**
 * The SLO rules of content/slo.ts as data: error budget arithmetic, the rule groups and the `slos`
 * setting. Their exact recorded values and burn-rate alerts on real promtool: test/content/slo.tools.test.ts.
 */
import assert from "node:assert/strict";
import { type RuleGroup, isAlertRule } from "../../content/rules";
import { stackRuleGroups } from "../../content/ruleSet";
import { parseSettings } from "../../settings/parse";
import {
  SLO_ALERTS,
  SLO_RECORDS,
  budgetExhaustion,
  buildSloRuleGroups,
  errorBudget,
} from "../../content/slo";
import { settingsInput } from "../support/harness";
import { API, BASE, WEB } from "../support/slos";

const R = SLO_RECORDS;

describe("slo: error budget arithmetic", () => {
  it("errorBudget has no float noise", () => {
    const cases: [number, number][] = [
      [99.9, 0.001],
      [99.95, 0.0005],
      [99.99, 0.0001],
      [99.5, 0.005],
      [95, 0.05],
    ];
    for (const [objective, budget] of cases) {
      assert.equal(errorBudget(objective), budget, `${objective}%`);
      assert.equal(String(errorBudget(objective)), String(budget));
    }
  });

  it("budgetExhaustion says how long a full 30-day budget lasts at each burn rate", () => {
    assert.equal(budgetExhaustion(14.4), "2d 2h");
    assert.equal(budgetExhaustion(6), "5d");
    assert.equal(budgetExhaustion(3), "10d");
    assert.equal(budgetExhaustion(1), "30d");
    assert.equal(budgetExhaustion(36), "20h");
    assert.equal(budgetExhaustion(1440), "30m");
  });

  it("thresholds in the rule text are factor × budget without float noise", () => {
    const [group] = buildSloRuleGroups([{ ...API, objective: 99.95 }], { runbookBaseUrl: BASE });
    const fast = group.rules.filter(isAlertRule).find((r) => r.alert === SLO_ALERTS.fast);
    assert.equal(
      fast?.expr,
      '(slo:sli_error:ratio_rate1h{slo="api"} > 0.0072 and slo:sli_error:ratio_rate5m{slo="api"} > 0.0072)' +
        ' or (slo:sli_error:ratio_rate6h{slo="api"} > 0.003 and slo:sli_error:ratio_rate30m{slo="api"} > 0.003)',
    );
  });
});

describe("slo: rule groups", () => {
  const groups = buildSloRuleGroups([API, WEB], { runbookBaseUrl: BASE });

  it("one group per SLO, records first, every series labelled with its own SLO", () => {
    assert.deepEqual(
      groups.map((g) => g.name),
      ["slo-api", "slo-web"],
    );
    for (const [group, slo] of [
      [groups[0], API],
      [groups[1], WEB],
    ] as const) {
      const kinds = group.rules.map((r) => (isAlertRule(r) ? "alert" : "record"));
      assert.deepEqual(kinds, [...Array<string>(11).fill("record"), "alert", "alert"]);
      for (const rule of group.rules) {
        const { severity, ...labels } = { severity: undefined, ...rule.labels };
        assert.deepEqual(labels, { slo: slo.name, service: slo.service }, group.name);
        if (!isAlertRule(rule)) assert.equal(severity, undefined, rule.record);
        // Every record a rule reads is this SLO's own.
        for (const m of rule.expr.matchAll(/(slo:[a-z_:0-9]+)(\{[^}]*\})?/g))
          assert.equal(m[2], `{slo="${slo.name}"}`, `${group.name}: ${rule.expr}`);
      }
    }
  });

  it("alerts are critical (fast) and warning (slow)", () => {
    const severities = groups[1].rules
      .filter(isAlertRule)
      .map((r) => [r.alert, r.labels.severity] as const);
    assert.deepEqual(severities, [
      ["SLOErrorBudgetBurnFast", "critical"],
      ["SLOErrorBudgetBurnSlow", "warning"],
    ]);
  });
});

describe("slo: settings", () => {
  const sloGroups = (overrides: Record<string, unknown>): RuleGroup[] =>
    stackRuleGroups(parseSettings(settingsInput("dev", overrides))).filter((g) =>
      g.name.startsWith("slo-"),
    );
  const record5m = (g: RuleGroup) =>
    g.rules.find((r) => !isAlertRule(r) && r.record === R.errorRatio("5m"));

  it("defaults to the query API of this Prometheus at 99.9% when `slos` is unset", () => {
    const groups = sloGroups({ slos: undefined });
    assert.deepEqual(
      groups.map((g) => g.name),
      ["slo-prometheus-query-api"],
    );
    const rec = record5m(groups[0]);
    assert.deepEqual(rec?.labels, { slo: "prometheus-query-api", service: "prometheus" });
    assert.equal(
      rec?.expr,
      '(sum(rate(prometheus_http_requests_total{job="prometheus", handler=~"/api/v1/.+", code=~"5.."}[5m])) or vector(0))' +
        ' / (sum(rate(prometheus_http_requests_total{job="prometheus", handler=~"/api/v1/.+"}[5m])) > 0)',
    );
  });

  it("`[]` turns SLO rules off", () => {
    assert.deepEqual(sloGroups({ slos: [] }), []);
  });

  it("a custom list replaces the default; service, metric and errorSelector have defaults", () => {
    const groups = sloGroups({
      slos: [
        { name: "checkout", objective: 99.5, selector: 'job="checkout"' },
        {
          name: "search",
          service: "search-api",
          objective: 99,
          metric: "nginx_ingress_controller_requests",
          selector: 'ingress=~"search|suggest"',
          errorSelector: 'status=~"5..|429"',
        },
      ],
    });
    assert.deepEqual(
      groups.map((g) => g.name),
      ["slo-checkout", "slo-search"],
    );
    assert.deepEqual(record5m(groups[0])?.labels, { slo: "checkout", service: "checkout" });
    assert.match(
      record5m(groups[0])?.expr ?? "",
      /^\(sum\(rate\(http_requests_total\{job="checkout", code=~"5\.\."\}\[5m\]\)\) or vector\(0\)\)/,
    );
    assert.deepEqual(record5m(groups[1])?.labels, { slo: "search", service: "search-api" });
    assert.match(
      record5m(groups[1])?.expr ?? "",
      /nginx_ingress_controller_requests\{ingress=~"search\|suggest", status=~"5\.\.\|429"\}\[5m\]/,
    );
    const objective = groups[1].rules.find((r) => !isAlertRule(r) && r.record === R.objective);
    assert.equal(objective?.expr, "vector(0.99)");
  });
});
