/** What an SLO setting means (settings/slo.ts): its defaults, the shipped SLO, the SLI expression. */
import assert from "node:assert/strict";
import { promqlErrors } from "../../settings/promql";
import { DEFAULT_SLOS, errorRatioExpr, SLO_SPEC_DEFAULTS, sloSpecOf } from "../../settings/slo";

describe("settings (settings/slo.ts)", () => {
  it("fills an entry's optional fields: service from the name, metric and errors from the defaults", () => {
    assert.deepEqual(sloSpecOf({ name: "api", objective: 99.5, selector: 'job="api"' }), {
      name: "api",
      service: "api",
      objective: 99.5,
      metric: "http_requests_total",
      selector: 'job="api"',
      errorSelector: 'code=~"5.."',
    });
    const full = {
      name: "web",
      service: "frontend",
      objective: 99,
      metric: "nginx_http_requests_total",
      selector: 'job="web"',
      errorSelector: 'status=~"5..|429"',
    };
    assert.deepEqual(sloSpecOf(full), full);
  });

  it("ships one SLO on this Prometheus' query API, with the default error selector", () => {
    assert.equal(DEFAULT_SLOS.length, 1);
    assert.equal(DEFAULT_SLOS[0].errorSelector, SLO_SPEC_DEFAULTS.errorSelector);
    assert.match(DEFAULT_SLOS[0].selector, /^job="prometheus", handler=~"\/api\/v1\/\.\+"$/);
  });

  it("defines the SLI as errors over requests, with no errors as 0 and no requests as nothing", () => {
    const expr = errorRatioExpr(
      sloSpecOf({ name: "api", objective: 99.9, selector: 'job="api"' }),
      "5m",
    );
    assert.equal(
      expr,
      '(sum(rate(http_requests_total{job="api", code=~"5.."}[5m])) or vector(0)) / (sum(rate(http_requests_total{job="api"}[5m])) > 0)',
    );
    assert.deepEqual(promqlErrors(expr), []);
    for (const slo of DEFAULT_SLOS) assert.deepEqual(promqlErrors(errorRatioExpr(slo, "30d")), []);
  });
});
