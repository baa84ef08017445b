/** settings/promql.ts: PromQL syntax errors found by the upstream grammar, with where they are. */
import assert from "node:assert/strict";
import { promqlErrors } from "../../settings/promql";

describe("PromQL syntax check (settings/promql.ts)", () => {
  it("finds nothing in valid expressions, including rule-style aggregations and offsets", () => {
    for (const expr of [
      "up",
      'sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m]))',
      "histogram_quantile(0.99, sum by (le) (rate(prometheus_http_request_duration_seconds_bucket[5m])))",
      "node_load1 offset 1h > on (instance) group_left count by (instance) (node_cpu_seconds_total)",
    ]) {
      assert.deepEqual(promqlErrors(expr), [], expr);
    }
  });

  it("reports each error with its offset and the text around it", () => {
    // The unclosed bracket: the grammar's error node starts where the range should have closed.
    const errors = promqlErrors("rate(http_requests_total[5m] > 1");
    assert.ok(errors.length > 0);
    assert.match(errors[0], /^\d+: "/);
    const offset = Number(errors[0].split(":")[0]);
    assert.ok(offset >= "rate(http_requests_total".length, errors[0]);
  });

  it("refuses what only looks like PromQL", () => {
    assert.notDeepEqual(promqlErrors("sum by job (up)"), []);
    assert.notDeepEqual(promqlErrors('up{job="a"'), []);
    assert.notDeepEqual(promqlErrors("rate(up[5m]"), []);
  });
});
