/**
 * The health check as a command (`healthcheck/run.ts`, with `probe.ts`): fakes for HTTP, Pulumi and
 * kubectl.
 */
import * as assert from "node:assert/strict";
import type { RunningForward, StartPortForwards } from "../../healthcheck/portForward";
import { type HttpGet, runChecks } from "../../healthcheck/probe";
import { type Deps, main } from "../../healthcheck/run";
import { exitCode } from "../../healthcheck/table";
import { planChecks } from "../../healthcheck/verdicts";
import { ok, PROD_OUTPUTS, URL_ARGS, URLS } from "../support/healthcheck";

/** Healthy answers for every probe path. */
const healthy: HttpGet = (url) => {
  const { pathname } = new URL(url);
  const bodies: Record<string, string> = {
    "/-/ready": "Ready.",
    "/api/v1/targets": JSON.stringify({
      data: { activeTargets: [{ labels: { job: "node", instance: "n:9100" }, health: "up" }] },
    }),
    "/api/health": '{"database":"ok","version":"12.1.0"}',
    "/ready": "ready",
    "/metrics": 'node_exporter_build_info{version="1.5.0"} 1\n',
  };
  const body = bodies[pathname];
  return Promise.resolve(body === undefined ? { status: 404, body: "" } : ok(body));
};

function fakeDeps(overrides: Partial<Deps> = {}): Deps & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    get: healthy,
    stackOutputs: () => ({ status: 0, stdout: JSON.stringify(PROD_OUTPUTS), stderr: "" }),
    startPortForwards: () => Promise.reject(new Error("no port-forward expected")),
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    ...overrides,
    out,
    err,
  };
}

describe("health check: the command", () => {
  it("probes the given URLs and exits 0 when all pass", async () => {
    const probed: string[] = [];
    const deps = fakeDeps({
      get: (url, timeoutMs) => {
        probed.push(url);
        return healthy(url, timeoutMs);
      },
      stackOutputs: () => assert.fail("no stack given"),
    });
    assert.equal(await main([...URL_ARGS, "--node-exporter", "http://n:9100"], deps), 0);
    assert.equal(probed.length, 6);
    assert.match(deps.out.join(""), /Health check of the given URLs/);
    assert.match(deps.out.join(""), /All 6 checks passed\./);
  });

  it("reads the stack's outputs and exits 1 naming what failed", async () => {
    const asked: string[] = [];
    const deps = fakeDeps({
      stackOutputs: (stack) => {
        asked.push(stack);
        const outputs = {
          ...PROD_OUTPUTS,
          prometheusUrl: URLS.prometheus,
          alertmanagerUrl: URLS.alertmanager,
          lokiUrl: `${URLS.loki}/`,
        };
        return { status: 0, stdout: JSON.stringify(outputs), stderr: "" };
      },
      get: (url, t) =>
        url.startsWith(URLS.loki)
          ? Promise.resolve({ status: 503, body: "Ingester not ready" })
          : healthy(url, t),
    });
    assert.equal(await main(["acme/monitoring-stack/staging"], deps), 1);
    assert.deepEqual(asked, ["acme/monitoring-stack/staging"]);
    assert.match(
      deps.out.join(""),
      /loki +http:\/\/loki:3100\/ready +FAIL +HTTP 503: Ingester not ready/,
    );
  });

  it("refuses port-forward outputs without --port-forward and says what to run (exit 2)", async () => {
    const deps = fakeDeps();
    assert.equal(await main(["prod"], deps), 2);
    assert.equal(deps.out.join(""), "");
    assert.match(
      deps.err.join(""),
      /^healthcheck: the outputs of `prod` for prometheus, alertmanager, loki/,
    );
  });

  it("runs the port-forwards for the check and stops them even when a probe fails", async () => {
    const stopped: number[] = [];
    let started: string[] = [];
    const startPortForwards: StartPortForwards = (forwards) => {
      started = forwards.map((f) => f.command);
      return Promise.resolve(
        forwards.map((forward, i): RunningForward => ({
          forward,
          pid: 100 + i,
          stop: () => {
            stopped.push(100 + i);
            return Promise.resolve();
          },
        })),
      );
    };
    const probed: string[] = [];
    const deps = fakeDeps({
      startPortForwards,
      get: (url, t) => {
        probed.push(url);
        return url.includes(":9093")
          ? Promise.reject(Object.assign(new Error("timeout"), { name: "TimeoutError" }))
          : healthy(url, t);
      },
    });
    assert.equal(await main(["prod", "--port-forward", "--timeout", "1"], deps), 1);
    assert.deepEqual(started, [
      PROD_OUTPUTS.prometheusUrl,
      PROD_OUTPUTS.alertmanagerUrl,
      PROD_OUTPUTS.lokiUrl,
    ]);
    assert.deepEqual(stopped.sort(), [100, 101, 102]);
    assert.ok(probed.includes("http://127.0.0.1:3100/ready"));
    assert.ok(probed.includes("https://grafana.example.com/api/health"));
    assert.match(
      deps.out.join(""),
      /alertmanager +http:\/\/127\.0\.0\.1:9093\/-\/ready +FAIL +no answer within 1 s/,
    );
  });

  it("exits 2 with the reason when pulumi is missing or the arguments are wrong; 0 for --help", async () => {
    const enoent = Object.assign(new Error("spawnSync pulumi ENOENT"), { code: "ENOENT" });
    const missing = fakeDeps({
      stackOutputs: () => ({ status: null, stdout: "", stderr: "", error: enoent }),
    });
    assert.equal(await main(["staging"], missing), 2);
    assert.match(missing.err.join(""), /^healthcheck: the Pulumi CLI \(`pulumi`\) is not on PATH/);
    const wrong = fakeDeps();
    assert.equal(await main(["--nope"], wrong), 2);
    assert.match(wrong.err.join(""), /unknown option `--nope`/);
    const help = fakeDeps();
    assert.equal(await main(["--help"], help), 0);
    assert.match(help.out.join(""), /^Post-deploy health check/);
  });

  it("retries failing probes until they pass when asked to wait", async () => {
    let calls = 0;
    const flaky: HttpGet = (url, t) =>
      ++calls <= 2 ? Promise.resolve({ status: 503, body: "starting" }) : healthy(url, t);
    const retries: string[][] = [];
    const checks = planChecks({ loki: URLS.loki });
    const results = await runChecks(checks, {
      get: flaky,
      timeoutMs: 1000,
      waitMs: 5000,
      retryMs: 10,
      onRetry: (failing) => retries.push(failing.map((f) => f.detail)),
    });
    assert.equal(exitCode(results), 0);
    assert.deepEqual(retries, [["HTTP 503: starting"], ["HTTP 503: starting"]]);
    let rounds = 0;
    const down: HttpGet = () => {
      rounds++;
      return Promise.resolve({ status: 503, body: "starting" });
    };
    const once = await runChecks(checks, { get: down, timeoutMs: 1000, waitMs: 0, retryMs: 10 });
    assert.deepEqual([rounds, exitCode(once)], [1, 1]);
  });
});
