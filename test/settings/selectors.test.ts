/** SLO matchers checked as one vector selector (settings/selectors.ts). */
import assert from "node:assert/strict";
import { ruleExpressionProblem, vectorSelectorProblem } from "../../settings/selectors";

describe("settings (settings/selectors.ts)", () => {
  it("accepts the matchers of one selector", () => {
    for (const matchers of [
      'job="api"',
      'job="api", code=~"5..", method!~"HEAD|OPTIONS"',
      '"job"="a"',
    ])
      assert.equal(vectorSelectorProblem("http_requests_total", matchers), undefined, matchers);
  });

  it("refuses matchers that close the braces and make another expression", () => {
    assert.equal(
      vectorSelectorProblem("http_requests_total", 'job="a"} or vector(1) or up{a="b"'),
      '`http_requests_total{job="a"} or vector(1) or up{a="b"}` is not one vector selector (it parses as BinaryExpr)',
    );
    assert.match(
      vectorSelectorProblem("m", 'job="a"} offset 5m or m{') ?? "",
      /is not one vector selector \(it parses as BinaryExpr\)/,
    );
    assert.match(vectorSelectorProblem("m", 'job="a"}[5m') ?? "", /parses as MatrixSelector/);
  });

  it("refuses what does not parse, and a second metric name", () => {
    assert.equal(vectorSelectorProblem("m", "job=api"), "`m{job=api}` does not parse");
    assert.equal(
      vectorSelectorProblem("m", '__name__="up"'),
      "the metric name is `m`: a `__name__` matcher would set it twice",
    );
  });
});

describe("settings (settings/selectors.ts): rule expressions", () => {
  it("accepts what evaluates to an instant vector or a scalar", () => {
    for (const expr of ["up == 0", "rate(up[5m])", "(sum(up) offset 1h)", "1", "vector(1) @ end()"])
      assert.equal(ruleExpressionProblem(expr), undefined, expr);
  });

  it("refuses ranges and strings, which fail every evaluation", () => {
    assert.equal(
      ruleExpressionProblem("up[5m]"),
      "returns a range vector, and a rule needs an instant vector or a scalar (wrap the range in a function such as `rate(…)` or `max_over_time(…)`)",
    );
    assert.match(ruleExpressionProblem("(up[5m] offset 1h)") ?? "", /range vector/);
    assert.match(ruleExpressionProblem("rate(up[5m])[30m:1m]") ?? "", /range vector/);
    assert.equal(
      ruleExpressionProblem('"down"'),
      "returns a string, and a rule needs an instant vector or a scalar",
    );
  });
});
