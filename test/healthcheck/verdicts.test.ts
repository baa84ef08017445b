/** The health check's probes and verdicts (`healthcheck/verdicts.ts`). */
import * as assert from "node:assert/strict";
import {
  describeRequestError,
  judgeGrafana,
  judgeLoki,
  judgeNodeExporter,
  judgeReady,
  judgeTargets,
  planChecks,
} from "../../healthcheck/verdicts";
import { ok, URLS } from "../support/healthcheck";

describe("health check: verdicts and table", () => {
  it("judges /-/ready, Grafana's health, Loki's readiness and node-exporter's metrics", () => {
    assert.deepEqual(judgeReady(ok("Prometheus Server is Ready.\n")), {
      ok: true,
      detail: "Prometheus Server is Ready.",
    });
    assert.deepEqual(judgeReady({ status: 503, body: "Service Unavailable" }), {
      ok: false,
      detail: "HTTP 503: Service Unavailable",
    });
    assert.deepEqual(judgeGrafana(ok('{"commit":"abc","database":"ok","version":"12.1.0"}')), {
      ok: true,
      detail: "database ok, v12.1.0",
    });
    assert.deepEqual(judgeGrafana(ok('{"database":"failing"}')), {
      ok: false,
      detail: 'database: "failing"',
    });
    assert.equal(judgeGrafana(ok("<html>login</html>")).ok, false);
    assert.deepEqual(judgeLoki(ok("ready\n")), { ok: true, detail: "ready" });
    assert.deepEqual(
      judgeLoki({ status: 503, body: "Ingester not ready: waiting for 15s after being ready" }),
      { ok: false, detail: "HTTP 503: Ingester not ready: waiting for 15s after being ready" },
    );
    const metrics =
      '# HELP node_exporter_build_info A metric\nnode_exporter_build_info{branch="debian/sid",goversion="go1.19",revision="1.5.0",version="1.5.0"} 1\n';
    assert.deepEqual(judgeNodeExporter(ok(metrics)), { ok: true, detail: "v1.5.0" });
    assert.deepEqual(judgeNodeExporter(ok("up 1\n")), {
      ok: false,
      detail: "no node_exporter_build_info in /metrics",
    });
  });

  it("passes the targets only when every active target is up, naming the others", () => {
    const target = (job: string, instance: string, health: string, lastError = "") => ({
      labels: { job, instance },
      health,
      lastError,
    });
    const answer = (targets: unknown[]) =>
      ok(JSON.stringify({ status: "success", data: { activeTargets: targets } }));
    assert.deepEqual(
      judgeTargets(answer([target("prometheus", "p:9090", "up"), target("node", "n:9100", "up")])),
      { ok: true, detail: "2/2 up" },
    );
    const refused = 'Get "http://n:9100/metrics": dial tcp n:9100: connect: connection refused';
    const verdict = judgeTargets(
      answer([
        target("prometheus", "p:9090", "up"),
        target("node", "n:9100", "down", refused),
        target("loki", "l:3100", "unknown"),
      ]),
    );
    assert.equal(verdict.ok, false);
    assert.equal(verdict.detail, "1/3 up; down: node n:9100; not scraped yet: loki l:3100");
    assert.deepEqual(verdict.more, [
      `node n:9100 is down: ${refused}`,
      'loki l:3100 has not been scraped yet (health "unknown")',
    ]);
    assert.deepEqual(judgeTargets(answer([])), { ok: false, detail: "no active targets" });
    assert.equal(judgeTargets(ok("not json")).ok, false);
  });

  it("plans the probes in order, node-exporter only when given", () => {
    const plan = (urls: Parameters<typeof planChecks>[0]) =>
      planChecks(urls).map((c) => [c.name, c.url]);
    assert.deepEqual(plan(URLS), [
      ["prometheus", "http://prom:9090/-/ready"],
      ["prometheus targets", "http://prom:9090/api/v1/targets?state=active"],
      ["alertmanager", "http://am:9093/-/ready"],
      ["grafana", "https://grafana.example.com/api/health"],
      ["loki", "http://loki:3100/ready"],
    ]);
    assert.deepEqual(plan({ ...URLS, nodeExporter: "http://n:9100" }).at(-1), [
      "node-exporter",
      "http://n:9100/metrics",
    ]);
  });

  it("turns request failures into actionable words", () => {
    const timeout = Object.assign(new Error("timed out"), { name: "TimeoutError" });
    assert.equal(describeRequestError(timeout, "http://x:1", 5000), "no answer within 5 s");
    const cause = (code: string) =>
      Object.assign(new TypeError("fetch failed"), { cause: { code, message: code } });
    assert.equal(
      describeRequestError(cause("ECONNREFUSED"), "http://127.0.0.1:9100/metrics", 1),
      "connection refused by 127.0.0.1:9100",
    );
    assert.match(
      describeRequestError(cause("ENOTFOUND"), "http://prometheus.mon.local:9090/-/ready", 1),
      /cannot resolve prometheus\.mon\.local:9090 \(a VPC- or cluster-internal name\?/,
    );
    const bad = Object.assign(new TypeError("fetch failed"), { cause: { message: "bad port" } });
    assert.equal(describeRequestError(bad, "http://x:1", 1), "fetch failed: bad port");
  });
});
