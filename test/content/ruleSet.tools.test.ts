/** User rules on real promtool: the rendered `custom` group is valid and its alerts fire as configured. */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { stringify } from "yaml";
import { renderRuleFile } from "../../content/rules";
import { CUSTOM_GROUP } from "../../content/ruleSet";
import { groupsOf, USER_RULES } from "../support/userRules";
import { requireTool, runTool, writeTempFiles } from "../support/tools";

describe("user rules: promtool", function () {
  this.timeout(20_000);
  const dirs: string[] = [];
  let dir: string;

  before(() => {
    requireTool("promtool");
    const custom = groupsOf(USER_RULES).find((g) => g.name === CUSTOM_GROUP);
    assert.ok(custom !== undefined);
    dir = writeTempFiles({ "custom.yml": renderRuleFile([custom]) });
    dirs.push(dir);
  });

  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("`promtool check rules` accepts the rendered group", () => {
    const result = runTool("promtool", ["check", "rules", "custom.yml"], dir);
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /SUCCESS: 3 rules found/);
  });

  /** A promtool test file: 10% of checkout's and search's requests fail, a queue stops moving. */
  function unitTest(checkoutSeverity: string): string {
    const series = (labels: string, values: string) => ({ series: labels, values });
    return stringify(
      {
        rule_files: ["custom.yml"],
        evaluation_interval: "1m",
        tests: [
          {
            interval: "1m",
            input_series: [
              series('http_requests_total{job="checkout", code="200"}', "0+900x30"),
              series('http_requests_total{job="checkout", code="503"}', "0+100x30"),
              // The same failure rate elsewhere: the alert selects checkout only.
              series('http_requests_total{job="search", code="200"}', "0+900x30"),
              series('http_requests_total{job="search", code="500"}', "0+100x30"),
              series('queue_oldest_message_age_seconds{queue="orders", instance="q-0"}', "0+60x30"),
            ],
            alert_rule_test: [
              // True from 1m on, but pending until `for: 10m` has passed.
              { eval_time: "10m", alertname: "CheckoutFailing", exp_alerts: [] },
              {
                eval_time: "15m",
                alertname: "CheckoutFailing",
                exp_alerts: [
                  {
                    exp_labels: {
                      job: "checkout",
                      team: "payments",
                      area: "shop",
                      severity: checkoutSeverity,
                    },
                    exp_annotations: {
                      summary: "checkout is failing",
                      description: "10% of the requests to checkout fail.",
                      runbook_url: "https://runbooks.example.com/ops/checkout-failing.md",
                    },
                  },
                ],
              },
              { eval_time: "10m", alertname: "QueueStuck", exp_alerts: [] },
              {
                eval_time: "15m",
                alertname: "QueueStuck",
                exp_alerts: [
                  {
                    exp_labels: { queue: "orders", severity: "critical" },
                    exp_annotations: {
                      summary: "Queue orders is stuck",
                      description: "The oldest message in orders is 15m 0s old.",
                      runbook_url: "https://wiki.example.com/runbooks/queue-stuck",
                    },
                  },
                ],
              },
            ],
          },
        ],
      },
      { lineWidth: 0 },
    );
  }

  it("a user alert on a user record fires with the record's and its own labels and annotations", () => {
    fs.writeFileSync(`${dir}/right.test.yml`, unitTest("warning"));
    // The same test expecting the wrong severity must fail: the comparison is real.
    fs.writeFileSync(`${dir}/wrong.test.yml`, unitTest("critical"));
    const right = runTool("promtool", ["test", "rules", "right.test.yml"], dir);
    assert.equal(right.status, 0, right.output);
    const wrong = runTool("promtool", ["test", "rules", "wrong.test.yml"], dir);
    assert.notEqual(wrong.status, 0, wrong.output);
    assert.match(wrong.output, /alertname: CheckoutFailing, time: 15m/);
  });
});
