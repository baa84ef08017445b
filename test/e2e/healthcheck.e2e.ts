/**
 * Live test of the post-deploy health check (`healthcheck/run.ts`, run as a child process exactly as
 * `npm run healthcheck` runs it) against the real Prometheus, Alertmanager and node-exporter from
 * Debian on free 127.0.0.1 ports. Grafana and Loki are not packaged for Debian: small HTTP stand-ins
 * answer `/api/health` and `/ready`. Stand-in `pulumi` and `kubectl` executables on PATH serve the
 * stack outputs and the port-forwards. Every process is stopped by PID, also when a test fails.
 */
import * as assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { requireTool } from "../support/tools";
import { freePorts, type Service, start, stop, stopAll, waitFor } from "./processes";

const ROOT = path.resolve(__dirname, "..", "..");
const CLI = path.join(ROOT, "healthcheck", "run.ts");
const REAL = {
  nodeExporter: "prometheus-node-exporter",
  alertmanager: "prometheus-alertmanager",
  prometheus: "prometheus",
} as const;
type Real = keyof typeof REAL;
const PORT_NAMES = ["prometheus", "alertmanager", "nodeExporter", "grafana", "loki"] as const;
type PortName = (typeof PORT_NAMES)[number];

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const cliChildren = new Set<ChildProcess>();

/** Runs the health check CLI with `args`; resolves with its exit code and output. */
function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--require", "tsx/cjs", CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    cliChildren.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("close", (code) => {
      cliChildren.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The table row of a check, split into its columns. */
function row(run: CliRun, name: string): { url: string; status: string; detail: string } {
  const line = run.stdout
    .split("\n")
    .find((l) => l.startsWith(`${name}  `) && / (OK|FAIL) /.test(l));
  assert.ok(line, `no row for ${name} in:\n${run.stdout}\n${run.stderr}`);
  const [url, status, ...rest] = line
    .slice(name.length)
    .trim()
    .split(/\s{2,}/);
  return { url, status, detail: rest.slice(0, -1).join("  ") };
}

/** An HTTP server answering fixed paths (Grafana's and Loki's health endpoints). */
async function standIn(
  port: number,
  routes: Record<string, { type: string; body: string }>,
): Promise<() => Promise<void>> {
  const server = http.createServer((req, res) => {
    const route = routes[req.url ?? ""];
    if (route === undefined) res.writeHead(404).end();
    else res.writeHead(200, { "content-type": route.type }).end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

/** `kubectl port-forward` stand-in: proxies the local port to the service's real port. */
const FAKE_KUBECTL = `#!${process.execPath}
const fs = require("fs");
const net = require("net");
const args = process.argv.slice(2);
const at = args.indexOf("port-forward");
const resource = args[at + 1];
const [local, remote] = args[at + 2].split(":").map(Number);
const target = JSON.parse(process.env.FAKE_KUBECTL_TARGETS)[resource];
if (target === undefined) {
  process.stderr.write("error: services \\"" + resource.split("/")[1] + "\\" not found\\n");
  process.exit(1);
}
fs.appendFileSync(process.env.FAKE_KUBECTL_PIDS, process.pid + "\\n");
const server = net.createServer((client) => {
  const upstream = net.connect(target, "127.0.0.1");
  client.pipe(upstream).pipe(client);
  client.on("error", () => upstream.destroy());
  upstream.on("error", () => client.destroy());
});
server.listen(local, "127.0.0.1", () =>
  process.stdout.write("Forwarding from 127.0.0.1:" + local + " -> " + remote + "\\n"),
);
process.on("SIGTERM", () => process.exit(0));
`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("health check against the real Prometheus, Alertmanager and node-exporter", function () {
  this.timeout(120_000);

  let root: string;
  let bin: string;
  let ports: Record<PortName, number>;
  let urls: Record<PortName, string>;
  let urlArgs: string[];
  let failed = false;
  const services = new Map<Real, Service>();
  const closers: (() => Promise<void>)[] = [];
  const kubectlPids = () =>
    fs.existsSync(path.join(root, "kubectl.pids"))
      ? fs
          .readFileSync(path.join(root, "kubectl.pids"), "utf8")
          .split("\n")
          .filter(Boolean)
          .map(Number)
      : [];

  before(async () => {
    const binaries = Object.fromEntries(
      Object.entries(REAL).map(([c, tool]) => [c, requireTool(tool)]),
    ) as Record<Real, string>;
    root = fs.mkdtempSync(path.join(os.tmpdir(), "monitoring-healthcheck-e2e-"));
    bin = path.join(root, "bin");
    for (const dir of ["bin", "logs", "prometheus-data", "alertmanager-data"])
      fs.mkdirSync(path.join(root, dir));
    const free = await freePorts(PORT_NAMES.length);
    ports = Object.fromEntries(PORT_NAMES.map((c, i) => [c, free[i]])) as Record<PortName, number>;
    urls = Object.fromEntries(PORT_NAMES.map((c) => [c, `http://127.0.0.1:${ports[c]}`])) as Record<
      PortName,
      string
    >;
    urlArgs = [
      ...["--prometheus", urls.prometheus, "--alertmanager", urls.alertmanager],
      ...["--grafana", urls.grafana, "--loki", urls.loki],
    ];

    // Scrape every second, so a stopped node-exporter shows as down within a few seconds.
    const local = (c: PortName) => `127.0.0.1:${ports[c]}`;
    fs.writeFileSync(
      path.join(root, "prometheus.yml"),
      stringify({
        global: { scrape_interval: "1s", scrape_timeout: "1s", evaluation_interval: "1s" },
        alerting: { alertmanagers: [{ static_configs: [{ targets: [local("alertmanager")] }] }] },
        scrape_configs: [
          { job_name: "prometheus", static_configs: [{ targets: [local("prometheus")] }] },
          { job_name: "node", static_configs: [{ targets: [local("nodeExporter")] }] },
        ],
      }),
    );
    fs.writeFileSync(
      path.join(root, "alertmanager.yml"),
      stringify({ route: { receiver: "null" }, receivers: [{ name: "null" }] }),
    );
    const args: Record<Real, string[]> = {
      nodeExporter: [`--web.listen-address=${local("nodeExporter")}`],
      alertmanager: [
        `--config.file=${path.join(root, "alertmanager.yml")}`,
        `--storage.path=${path.join(root, "alertmanager-data")}`,
        `--web.listen-address=${local("alertmanager")}`,
        "--cluster.listen-address=",
      ],
      prometheus: [
        `--config.file=${path.join(root, "prometheus.yml")}`,
        `--storage.tsdb.path=${path.join(root, "prometheus-data")}`,
        `--web.listen-address=${local("prometheus")}`,
      ],
    };

    closers.push(
      await standIn(ports.grafana, {
        "/api/health": {
          type: "application/json",
          body: '{"commit":"e2e","database":"ok","version":"12.1.0"}',
        },
      }),
      await standIn(ports.loki, { "/ready": { type: "text/plain", body: "ready\n" } }),
    );
    for (const c of Object.keys(REAL) as Real[])
      services.set(c, start(c, binaries[c], args[c], path.join(root, "logs", `${c}.log`)));

    fs.writeFileSync(path.join(bin, "kubectl"), FAKE_KUBECTL, { mode: 0o755 });
  });

  afterEach(function () {
    if (this.currentTest?.state === "failed") failed = true;
  });

  after(async () => {
    for (const child of cliChildren) child.kill("SIGKILL");
    if (root !== undefined)
      for (const pid of kubectlPids().filter(alive)) process.kill(pid, "SIGKILL");
    await stopAll();
    await Promise.all(closers.map((close) => close()));
    if (root === undefined) return;
    if (failed) {
      for (const c of Object.keys(REAL)) {
        const log = path.join(root, "logs", `${c}.log`);
        if (fs.existsSync(log))
          process.stdout.write(
            `--- ${c} log (last 20 lines) ---\n${fs.readFileSync(log, "utf8").split("\n").slice(-20).join("\n")}\n`,
          );
      }
      process.stdout.write(`files kept in ${root}\n`);
    } else fs.rmSync(root, { recursive: true, force: true });
  });

  it("exits 0 with every row OK once all components are ready (--wait)", async () => {
    const run = await runCli([
      ...urlArgs,
      "--node-exporter",
      urls.nodeExporter,
      "--wait",
      "60",
      "--timeout",
      "5",
    ]);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.equal(row(run, "prometheus").url, `${urls.prometheus}/-/ready`);
    for (const name of [
      "prometheus",
      "prometheus targets",
      "alertmanager",
      "grafana",
      "loki",
      "node-exporter",
    ])
      assert.equal(row(run, name).status, "OK", name);
    assert.equal(row(run, "prometheus targets").detail, "2/2 up");
    assert.equal(row(run, "grafana").detail, "database ok, v12.1.0");
    assert.equal(row(run, "node-exporter").detail, "v1.5.0");
    assert.match(run.stdout, /All 6 checks passed\./);
  });

  it("reads the URLs from `pulumi stack output --json` (stand-in pulumi)", async () => {
    const outputs = {
      prometheusUrl: urls.prometheus,
      alertmanagerUrl: urls.alertmanager,
      grafanaUrl: `${urls.grafana}/`,
      lokiUrl: urls.loki,
      workloads: ["prometheus", "alertmanager", "grafana", "loki"],
    };
    fs.writeFileSync(path.join(root, "outputs.json"), JSON.stringify(outputs));
    fs.writeFileSync(
      path.join(bin, "pulumi"),
      `#!/bin/sh\nprintf '%s\\n' "$*" > "${root}/pulumi.args"\ncat "${root}/outputs.json"\n`,
      { mode: 0o755 },
    );
    const run = await runCli(["acme/monitoring-stack/staging"], {
      PATH: `${bin}:${process.env.PATH ?? ""}`,
    });
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.equal(
      fs.readFileSync(path.join(root, "pulumi.args"), "utf8").trim(),
      "stack output --json --non-interactive --stack acme/monitoring-stack/staging",
    );
    assert.match(run.stdout, /^Health check of stack acme\/monitoring-stack\/staging/);
    assert.equal(row(run, "grafana").url, `${urls.grafana}/api/health`);
  });

  it("runs prod's port-forward commands with --port-forward and stops them afterwards", async () => {
    const local = await freePorts(3);
    const forward = (svc: string, localPort: number, remote: number) =>
      `kubectl -n monitoring port-forward svc/${svc} ${localPort}:${remote}`;
    fs.writeFileSync(
      path.join(root, "outputs.json"),
      JSON.stringify({
        grafanaUrl: urls.grafana,
        prometheusUrl: forward("kps-prometheus", local[0], 9090),
        alertmanagerUrl: forward("kps-alertmanager", local[1], 9093),
        lokiUrl: forward("loki", local[2], 3100),
      }),
    );
    const env = {
      PATH: `${bin}:${process.env.PATH ?? ""}`,
      FAKE_KUBECTL_PIDS: path.join(root, "kubectl.pids"),
      FAKE_KUBECTL_TARGETS: JSON.stringify({
        "svc/kps-prometheus": ports.prometheus,
        "svc/kps-alertmanager": ports.alertmanager,
        "svc/loki": ports.loki,
      }),
    };

    const refused = await runCli(["prod"], env);
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /the outputs of `prod` for prometheus, alertmanager, loki are `kubectl port-forward` commands/,
    );
    assert.match(refused.stderr, /add `--port-forward`/);
    assert.deepEqual(kubectlPids(), [], "nothing is started without --port-forward");

    const run = await runCli(["prod", "--port-forward", "--wait", "30"], env);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.equal(row(run, "prometheus").url, `http://127.0.0.1:${local[0]}/-/ready`);
    assert.equal(row(run, "prometheus targets").detail, "2/2 up");
    assert.equal(row(run, "alertmanager").url, `http://127.0.0.1:${local[1]}/-/ready`);
    assert.equal(row(run, "loki").url, `http://127.0.0.1:${local[2]}/ready`);
    assert.match(run.stderr, /running: kubectl -n monitoring port-forward svc\/loki/);
    const pids = kubectlPids();
    assert.equal(pids.length, 3);
    assert.deepEqual(pids.filter(alive), [], "every port-forward is stopped when the check ends");
  });

  it("exits 2 and says how to pass URLs when pulumi is not installed", async () => {
    const empty = fs.mkdtempSync(path.join(root, "empty-path-"));
    const run = await runCli(["staging"], { PATH: empty });
    assert.equal(run.code, 2);
    assert.equal(run.stdout, "");
    assert.match(
      run.stderr,
      /the Pulumi CLI \(`pulumi`\) is not on PATH.*npm run healthcheck -- --prometheus <url> --alertmanager <url> --grafana <url> --loki <url>/,
    );
  });

  it("exits 1 and names the down target after node-exporter stops", async () => {
    const node = services.get("nodeExporter");
    assert.ok(node);
    await stop(node);
    const instance = `127.0.0.1:${ports.nodeExporter}`;
    await waitFor(
      "Prometheus to mark node-exporter down",
      async () => {
        const response = await fetch(`${urls.prometheus}/api/v1/targets?state=active`);
        const body = (await response.json()) as {
          data: { activeTargets: { labels: Record<string, string>; health: string }[] };
        };
        return body.data.activeTargets.some(
          (t) => t.labels.instance === instance && t.health === "down",
        )
          ? true
          : undefined;
      },
      60_000,
    );
    const run = await runCli([...urlArgs, "--node-exporter", urls.nodeExporter]);
    assert.equal(run.code, 1, `${run.stdout}\n${run.stderr}`);
    const targets = row(run, "prometheus targets");
    assert.equal(targets.status, "FAIL");
    assert.equal(targets.detail, `1/2 up; down: node ${instance}`);
    assert.deepEqual(row(run, "node-exporter"), {
      url: `${urls.nodeExporter}/metrics`,
      status: "FAIL",
      detail: `connection refused by ${instance}`,
    });
    for (const name of ["prometheus", "alertmanager", "grafana", "loki"])
      assert.equal(row(run, name).status, "OK", name);
    assert.match(run.stdout, /2 of 6 checks failed:/);
    // Prometheus' last scrape error: refused, or reset when the kill landed mid-scrape.
    assert.match(
      run.stdout,
      new RegExp(`- node ${instance} is down: .*connection (refused|reset by peer)`),
    );
  });
});
