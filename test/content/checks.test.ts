/**
 * Settings checked against the built-in content (content/checks.ts): the built-in names are read
 * from the rule table without rendering, and user rule names that clash are reported. The messages
 * as parseSettings reports them: test/content/ruleSet.test.ts.
 */
import assert from "node:assert/strict";
import { CONTENT_CHECKS, ruleNameProblems } from "../../content/checks";
import { BUILT_IN_RULE_NAMES, buildRuleGroups, isAlertRule } from "../../content/rules";
import { SLO_RECORD_PREFIX, SLO_RECORDS } from "../../content/slo";

describe("content checks (content/checks.ts)", () => {
  it("the built-in names are exactly those of the rendered library", () => {
    const rules = buildRuleGroups({ runbookBaseUrl: "https://runbooks.example.com" }).flatMap(
      (g) => g.rules,
    );
    assert.deepEqual(
      [...BUILT_IN_RULE_NAMES.alerts].sort(),
      rules
        .filter(isAlertRule)
        .map((r) => r.alert)
        .sort(),
    );
    assert.deepEqual(
      [...BUILT_IN_RULE_NAMES.records].sort(),
      rules.flatMap((r) => (isAlertRule(r) ? [] : [r.record])).sort(),
    );
  });

  it("every SLO record starts with the reserved prefix", () => {
    const names = Object.values(SLO_RECORDS).map((r) => (typeof r === "string" ? r : r("5m")));
    for (const name of names) assert.ok(name.startsWith(SLO_RECORD_PREFIX), name);
  });

  it("reports built-in, SLO and duplicate names, in the order of the user's lists", () => {
    const alert = (name: string) => ({
      alert: name,
      expr: "up == 0",
      severity: "warning" as const,
      summary: "s",
      description: "d",
    });
    assert.deepEqual(
      ruleNameProblems({
        recordingRules: [
          { record: "job:ok:rate5m", expr: "up" },
          { record: "slo:mine", expr: "up" },
        ],
        alertRules: [
          alert("Mine"),
          alert("Watchdog"),
          alert("Mine"),
          alert("SLOErrorBudgetBurnSlow"),
        ],
      }),
      [
        '`recordingRules[1].record`: got "slo:mine" — built-in records and the `slo:` prefix are reserved; choose another name.',
        '`alertRules[1].alert`: got "Watchdog" — a built-in alert has that name; choose another name.',
        '`alertRules[2].alert`: got "Mine" — alert names must be unique.',
        '`alertRules[3].alert`: got "SLOErrorBudgetBurnSlow" — a built-in alert has that name; choose another name.',
      ],
    );
    assert.deepEqual(ruleNameProblems({}), []);
  });

  it("is the check every caller passes to parseSettings", () => {
    assert.deepEqual(CONTENT_CHECKS, [ruleNameProblems]);
  });
});
