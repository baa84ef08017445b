/**
 * User alerting and recording rules from settings: the `custom` group and validation (the group on
 * real promtool: test/content/ruleSet.tools.test.ts).
 */
import assert from "node:assert/strict";
import { CONTENT_CHECKS } from "../../content/checks";
import { isAlertRule } from "../../content/rules";
import { CUSTOM_GROUP } from "../../content/ruleSet";
import { parseSettings } from "../../settings/parse";
import { programError, registeredCount, settingsInput } from "../support/harness";
import {
  CHECKOUT_FAILING,
  FAILED_RATIO,
  groupsOf,
  QUEUE_STUCK,
  USER_RULES,
} from "../support/userRules";

/** The configuration error message for `overrides` on the dev stack. */
function problems(overrides: Record<string, unknown>): string {
  try {
    parseSettings(settingsInput("dev", overrides), { checks: CONTENT_CHECKS });
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail("expected a configuration error");
}

describe("user rules: the `custom` group", () => {
  const groups = groupsOf(USER_RULES);
  const custom = groups.find((g) => g.name === CUSTOM_GROUP);

  it("holds the user's records, then the alerts, with severity and runbook links", () => {
    assert.deepEqual(custom, {
      name: "custom",
      rules: [
        {
          record: "job:http_requests_failed:ratio_rate5m",
          expr: FAILED_RATIO.expr,
          labels: { team: "payments" },
        },
        {
          alert: "CheckoutFailing",
          expr: CHECKOUT_FAILING.expr,
          for: "10m",
          labels: { area: "shop", severity: "warning" },
          annotations: {
            summary: CHECKOUT_FAILING.summary,
            description: CHECKOUT_FAILING.description,
            // The base URL's trailing slash is not doubled; the name is kebab-cased.
            runbook_url: "https://runbooks.example.com/ops/checkout-failing.md",
          },
        },
        {
          alert: "QueueStuck",
          expr: QUEUE_STUCK.expr,
          labels: { severity: "critical" },
          annotations: {
            summary: QUEUE_STUCK.summary,
            description: QUEUE_STUCK.description,
            runbook_url: "https://wiki.example.com/runbooks/queue-stuck",
          },
        },
      ],
    });
  });

  it("comes after the built-in and SLO groups, and only when there are user rules", () => {
    assert.equal(groups.at(-1)?.name, CUSTOM_GROUP);
    assert.equal(groups.filter((g) => g.name === CUSTOM_GROUP).length, 1);
    assert.deepEqual(
      groupsOf({}).filter((g) => g.name === CUSTOM_GROUP),
      [],
    );
    const recordsOnly = groupsOf({ recordingRules: [FAILED_RATIO] }).at(-1);
    assert.equal(recordsOnly?.name, CUSTOM_GROUP);
    assert.deepEqual(
      recordsOnly?.rules.map((r) => (isAlertRule(r) ? r.alert : r.record)),
      [FAILED_RATIO.record],
    );
  });

  it("uses the default runbook base URL when `runbookBaseUrl` is unset", () => {
    const custom = groupsOf({ runbookBaseUrl: undefined, alertRules: [CHECKOUT_FAILING] }).at(-1);
    const alert = custom?.rules.find(isAlertRule);
    assert.equal(
      alert?.annotations.runbook_url,
      "https://runbooks.example.com/monitoring/checkout-failing.md",
    );
  });
});

describe("user rules: validation names the key, the value and what is allowed", () => {
  const alert = (fields: Record<string, unknown>) => ({ ...CHECKOUT_FAILING, ...fields });
  const slo = (fields: Record<string, unknown>) => ({
    name: "api",
    objective: 99.9,
    selector: 'job="api"',
    ...fields,
  });

  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      "invalid PromQL in an alert",
      { alertRules: [alert({ expr: "rate(http_requests_total[5m] > 1" })] },
      /`alertRules\[0\]\.expr`: got "rate\(http_requests_total\[5m\] > 1" — is not valid PromQL \(syntax error at \d+: /,
    ],
    [
      "invalid PromQL in a recording rule",
      { recordingRules: [{ ...FAILED_RATIO, expr: "sum by job (up)" }] },
      /`recordingRules\[0\]\.expr`: got "sum by job \(up\)" — is not valid PromQL \(syntax error at \d+: /,
    ],
    [
      "severity `none` (only the built-in Watchdog may use it)",
      { alertRules: [alert({ severity: "none" })] },
      /`alertRules\[0\]\.severity`: got "none" — must be one of critical, warning, info\./,
    ],
    [
      "a missing severity",
      { alertRules: [alert({ severity: undefined })] },
      /`alertRules\[0\]\.severity` is required — must be one of critical, warning, info\./,
    ],
    [
      "severity set as a label",
      { alertRules: [alert({ labels: { severity: "critical" } })] },
      /`alertRules\[0\]\.labels`: got \{"severity":"critical"\} — set `severity` with the `severity` field\./,
    ],
    [
      "the name of a built-in alert",
      { alertRules: [alert({ alert: "InstanceDown" })] },
      /`alertRules\[0\]\.alert`: got "InstanceDown" — a built-in alert has that name; choose another name\./,
    ],
    [
      "the name of an SLO alert",
      { alertRules: [alert({ alert: "SLOErrorBudgetBurnFast" })] },
      /`alertRules\[0\]\.alert`: got "SLOErrorBudgetBurnFast" — a built-in alert has that name; choose another name\./,
    ],
    [
      "two user alerts of one name",
      { alertRules: [alert({}), alert({ severity: "critical" })] },
      /`alertRules\[1\]\.alert`: got "CheckoutFailing" — alert names must be unique\./,
    ],
    [
      "a `for` that is not a duration",
      { alertRules: [alert({ for: "10 minutes" })] },
      /`alertRules\[0\]\.for`: got "10 minutes" — must be a positive Prometheus duration such as `30s`, `15m`/,
    ],
    [
      "recording rule reusing a built-in record name",
      { recordingRules: [{ ...FAILED_RATIO, record: "instance:node_num_cpu:sum" }] },
      /`recordingRules\[0\]\.record`: got "instance:node_num_cpu:sum" — built-in records and the `slo:` prefix are reserved/,
    ],
    [
      "recording rule in the SLO namespace",
      { recordingRules: [{ ...FAILED_RATIO, record: "slo:sli_error:ratio_rate5m" }] },
      /`recordingRules\[0\]\.record`: got "slo:sli_error:ratio_rate5m" — built-in records and the `slo:` prefix are reserved/,
    ],
    [
      "a record name that is not a metric name",
      { recordingRules: [{ ...FAILED_RATIO, record: "job:http-requests:rate5m" }] },
      /`recordingRules\[0\]\.record`: got "job:http-requests:rate5m" — must be a Prometheus metric name, by convention `level:metric:operations`\./,
    ],
    [
      "an SLO objective of 100%",
      { slos: [slo({ objective: 100 })] },
      /`slos\[0\]\.objective`: got 100 — must be below 100 \(a 100% objective leaves no error budget\)\./,
    ],
    [
      "an SLO objective of 0",
      { slos: [slo({ objective: 0 })] },
      /`slos\[0\]\.objective`: got 0 — must be a percentage above 0, e\.g\. 99\.9\./,
    ],
    [
      "an SLO objective given as a string",
      { slos: [slo({ objective: "99.9" })] },
      /`slos\[0\]\.objective`: got "99\.9" — Invalid input: expected number, received string\./,
    ],
    [
      "an SLO selector without quotes",
      { slos: [slo({ selector: "job=api" })] },
      /`slos\[0\]\.selector`: got "job=api" — must be PromQL label matchers such as `job="api"` \(`http_requests_total\{job=api\}` does not parse\)\./,
    ],
    [
      "an SLO error selector without quotes (named, not blamed on `selector`)",
      { slos: [slo({ errorSelector: "code=5xx" })] },
      /`slos\[0\]\.errorSelector`: got "code=5xx" — must be PromQL label matchers such as `code=~"5\.\."` \(`http_requests_total\{code=5xx\}` does not parse\)\./,
    ],
    [
      "two SLOs of one name",
      { slos: [slo({}), slo({ selector: 'job="api-v2"' })] },
      /`slos\[1\]\.name`: got "api" — SLO names must be unique\./,
    ],
    [
      "a typo in an SLO field",
      { slos: [{ name: "api", objectve: 99.9, selector: 'job="api"' }] },
      /`slos\[0\]`: unknown field `objectve` — did you mean `objective`\? Allowed: name, service, objective, metric, selector, errorSelector\./,
    ],
  ];
  for (const [title, overrides, expected] of cases) {
    it(title, () => {
      assert.match(problems(overrides), expected);
    });
  }

  it("a missing required field is named, not a crash", () => {
    const message = problems({ slos: [{ name: "api", objectve: 99.9, selector: 'job="api"' }] });
    assert.match(message, /`slos\[0\]\.objective` is required \(expected number\)\./);
    assert.match(message, /\(2 problems\)/);
  });

  it("reports bad rules before any resource is registered", async () => {
    const message = await programError("dev", {
      config: { alertRules: [alert({ expr: "up ==" })] },
    });
    assert.match(message, /`alertRules\[0\]\.expr`: got "up ==" — is not valid PromQL/);
    assert.equal(registeredCount(), 0);
  });
});
