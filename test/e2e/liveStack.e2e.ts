/**
 * Live end-to-end test: the real Prometheus, Alertmanager and node-exporter from Debian, run on
 * 127.0.0.1 with exactly the files and flags the `dev` stack gives its containers
 * (`localContainers()`), and a local receiver standing in for PagerDuty and the heartbeat service.
 *
 * What is changed to run outside Docker, and nothing else:
 *   - host:port pairs (container names and published ports) → 127.0.0.1 and free ports;
 *   - absolute paths inside the containers → a temporary directory (configs, data, secret files),
 *     and node-exporter's `/host/*` bind mounts → the host paths Docker would mount there;
 *   - `--web.listen-address` is added so each binary listens on its free port.
 * Intervals, `for:` durations, group timings and `--rules.alert.resend-delay` are the shipped ones.
 * Grafana, Loki and Alloy are not packaged for Debian: small stand-ins serve `/metrics` on their
 * ports so their scrape jobs run unchanged.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type ContainerSpec, LOCAL_HOSTS, localContainers } from "../../components/dev/containers";
import { PORTS, SCRAPE_JOBS } from "../../catalog/names";
import { RECEIVERS } from "../../content/alertmanager";
import { parseSettings } from "../../settings/parse";
import type { Settings } from "../../settings/settings";
import { errorBudget, SLO_RECORDS } from "../../content/slo";
import { DEFAULT_SLOS } from "../../settings/slo";
import { promiseOf, settingsInput, TEST_SECRETS } from "../support/harness";
import { requireTool } from "../support/tools";
import { freePorts, type Service, start, stop, stopAll, waitFor } from "./processes";
import { type Received, type Receiver, startMetricsStub, startReceiver } from "./receiver";

type Component = keyof typeof PORTS;
const COMPONENTS = Object.keys(PORTS) as Component[];
const REAL = ["nodeExporter", "alertmanager", "prometheus"] as const;
const STAND_INS = ["grafana", "loki", "alloy"] as const;
const BINARIES: Record<(typeof REAL)[number], Parameters<typeof requireTool>[0]> = {
  nodeExporter: "prometheus-node-exporter",
  alertmanager: "prometheus-alertmanager",
  prometheus: "prometheus",
};

/** Time-to-detect target for a dead host (the seeds promise 5 minutes; we aim for 2). */
const DETECT_LIMIT_S = 120;

// ---------------------------------------------------------------------------------------------
// Mapping the container world onto this machine.
// ---------------------------------------------------------------------------------------------

export interface Localisation {
  readonly hostPorts: ReadonlyMap<string, string>;
  readonly paths: ReadonlyMap<string, string>;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** One pass over the text, so a replaced value is never replaced again. */
export function localise(text: string, loc: Localisation): string {
  const hostPorts = [...loc.hostPorts.keys()].sort((a, b) => b.length - a.length);
  const paths = [...loc.paths.keys()].sort((a, b) => b.length - a.length);
  const withHosts = text.replace(
    new RegExp(hostPorts.map(escape).join("|"), "g"),
    (m) => loc.hostPorts.get(m) ?? m,
  );
  // A container path starts a value: at the start, or after `=`, space, quote, `:` or `[`.
  return withHosts.replace(
    new RegExp(`(^|[=\\s"':\\[])(${paths.map(escape).join("|")})(?=$|[/\\s"',\\]*])`, "gm"),
    (_m, before: string, p: string) => `${before}${loc.paths.get(p) ?? p}`,
  );
}

function localisation(
  settings: Settings,
  specs: readonly ContainerSpec[],
  ports: Readonly<Record<Component, number>>,
  root: string,
): Localisation {
  const hostPorts = new Map<string, string>();
  for (const c of COMPONENTS) {
    const local = `127.0.0.1:${ports[c]}`;
    hostPorts.set(`${LOCAL_HOSTS[c]}:${PORTS[c]}`, local);
    hostPorts.set(`${settings.local.bindAddress}:${settings.local.hostPorts[c]}`, local);
  }
  hostPorts.set(`localhost:${PORTS.prometheus}`, `127.0.0.1:${ports.prometheus}`);
  // Container paths live under the temp root; bind mounts point at the host paths they mount.
  const paths = new Map<string, string>([["/etc", path.join(root, "etc")]]);
  for (const spec of specs) {
    if (spec.dataVolume !== undefined)
      paths.set(spec.dataVolume.path, path.join(root, spec.dataVolume.path));
    for (const mount of spec.hostMounts) paths.set(mount.target, mount.source);
  }
  return { hostPorts, paths };
}

/** Measurements and diagnostics go to stdout, indented under the mocha test titles. */
function report(text: string): void {
  process.stdout.write(`${text}\n`);
}

// ---------------------------------------------------------------------------------------------
// Small HTTP helpers.
// ---------------------------------------------------------------------------------------------

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

async function postJson<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`POST ${url}: HTTP ${response.status} ${await response.text()}`);
  const text = await response.text();
  return (text === "" ? {} : JSON.parse(text)) as T;
}

async function ready(url: string): Promise<true | undefined> {
  const response = await fetch(url);
  return response.ok ? true : undefined;
}

interface VectorSample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

interface AmAlert {
  readonly labels: Record<string, string>;
  readonly fingerprint: string;
  readonly status: { readonly state: string; readonly inhibitedBy: string[] };
}

// ---------------------------------------------------------------------------------------------
// The test.
// ---------------------------------------------------------------------------------------------

describe("live stack: real Prometheus, Alertmanager and node-exporter with the dev configuration", function () {
  this.timeout(10 * 60_000);

  let root: string;
  let settings: Settings;
  let ports: Record<Component, number>;
  let receiver: Receiver;
  let stopStandIns: (() => Promise<void>)[] = [];
  const services = new Map<Component, Service>();
  const args = new Map<Component, string[]>();
  let failed = false;
  let startedAt = 0;

  const url = (c: Component, p: string) => `http://127.0.0.1:${ports[c]}${p}`;
  const query = async (expr: string, time?: number) =>
    (
      await getJson<{ data: { result: VectorSample[] } }>(
        url("prometheus", "/api/v1/query?") +
          new URLSearchParams({
            query: expr,
            ...(time === undefined ? {} : { time: String(time) }),
          }).toString(),
      )
    ).data.result;

  function launch(c: (typeof REAL)[number]): Service {
    const service = start(
      c,
      requireTool(BINARIES[c]),
      args.get(c) ?? [],
      path.join(root, "logs", `${c}.log`),
    );
    services.set(c, service);
    return service;
  }

  before(async function () {
    for (const c of REAL) requireTool(BINARIES[c]);
    root = fs.mkdtempSync(path.join(os.tmpdir(), "monitoring-e2e-"));
    fs.mkdirSync(path.join(root, "logs"));
    const free = await freePorts(COMPONENTS.length + 1);
    ports = Object.fromEntries(COMPONENTS.map((c, i) => [c, free[i]])) as Record<Component, number>;
    const receiverPort = free[COMPONENTS.length];

    settings = parseSettings(
      settingsInput(
        "dev",
        {
          heartbeatUrl: `http://127.0.0.1:${receiverPort}/heartbeat`,
          pagerdutyUrl: `http://127.0.0.1:${receiverPort}/v2/enqueue`,
        },
        {
          grafanaAdminPassword: TEST_SECRETS.grafanaAdminPassword,
          pagerdutyRoutingKey: TEST_SECRETS.pagerdutyRoutingKey,
          heartbeatToken: TEST_SECRETS.heartbeatToken,
        },
      ),
    );
    const specs = localContainers(settings);
    const loc = localisation(settings, specs, ports, root);
    for (const c of REAL) {
      const spec = specs.find((s) => s.role === c);
      assert.ok(spec, `no container spec for ${c}`);
      for (const upload of spec.uploads) {
        const content =
          typeof upload.content === "string"
            ? localise(upload.content, loc)
            : await promiseOf(upload.content);
        const file = localise(upload.file, loc);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content, { mode: upload.secret ? 0o400 : 0o644 });
      }
      if (spec.dataVolume !== undefined)
        fs.mkdirSync(localise(spec.dataVolume.path, loc), { recursive: true });
      args.set(c, [
        ...spec.command.map((a) => localise(a, loc)),
        `--web.listen-address=127.0.0.1:${ports[c]}`,
      ]);
    }

    receiver = await startReceiver(receiverPort);
    stopStandIns = await Promise.all(STAND_INS.map((c) => startMetricsStub(ports[c], c)));
    startedAt = performance.now();
    for (const c of REAL) launch(c);
    await waitFor("Prometheus to be ready", () => ready(url("prometheus", "/-/ready")), 60_000);
    await waitFor("Alertmanager to be ready", () => ready(url("alertmanager", "/-/ready")), 60_000);
  });

  afterEach(function () {
    if (this.currentTest?.state === "failed") failed = true;
  });

  after(async () => {
    await stopAll();
    await Promise.all(stopStandIns.map((close) => close()));
    await receiver?.close();
    if (root === undefined) return;
    if (failed) {
      for (const c of REAL) {
        const log = path.join(root, "logs", `${c}.log`);
        if (fs.existsSync(log))
          report(
            `--- ${c} log (last 30 lines) ---\n${fs.readFileSync(log, "utf8").split("\n").slice(-30).join("\n")}`,
          );
      }
      report(`e2e files kept in ${root}`);
    } else {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("changes only host:port pairs and container paths in the dev files and flags", () => {
    // Masking addresses and the temp root on both sides must give identical text.
    const mask = (text: string) =>
      text
        .split(root)
        .join("")
        .replace(/\b[A-Za-z0-9.-]+:\d{2,5}\b/g, "<addr>")
        .replace(/(^|[=\s"'])\/host\/(proc|sys)\b/gm, "$1/$2")
        .replace(/=\/host\/root\b/g, "=/");
    const specs = localContainers(settings);
    let compared = 0;
    for (const c of REAL) {
      const spec = specs.find((s) => s.role === c);
      assert.ok(spec);
      for (const upload of spec.uploads) {
        if (typeof upload.content !== "string") continue;
        const written = fs.readFileSync(path.join(root, upload.file), "utf8");
        assert.equal(mask(written), mask(upload.content), upload.file);
        compared++;
      }
      const flags = args.get(c) ?? [];
      assert.deepEqual(flags.slice(0, -1).map(mask), spec.command.map(mask), `flags of ${c}`);
      assert.equal(flags.at(-1), `--web.listen-address=127.0.0.1:${ports[c]}`);
    }
    assert.ok(compared >= 10, `compared ${compared} files`);
    const promYml = fs.readFileSync(path.join(root, "etc/prometheus/prometheus.yml"), "utf8");
    assert.ok(!promYml.includes(`${LOCAL_HOSTS.alertmanager}:${PORTS.alertmanager}`));
    assert.ok(promYml.includes(`127.0.0.1:${ports.alertmanager}`));
  });

  it("scrapes every target of every built-in job, each labelled with its host", async () => {
    const targets = await waitFor(
      "every target to be up",
      async () => {
        const body = await getJson<{
          data: {
            activeTargets: { labels: Record<string, string>; health: string; lastError: string }[];
          };
        }>(url("prometheus", "/api/v1/targets"));
        const active = body.data.activeTargets;
        return active.length > 0 && active.every((t) => t.health === "up") ? active : undefined;
      },
      90_000,
    );
    assert.deepEqual(targets.map((t) => t.labels.job).sort(), Object.values(SCRAPE_JOBS).sort());
    for (const t of targets)
      assert.equal(t.labels.host, "127.0.0.1", `host label of ${t.labels.job}`);
    const discovered = await query("prometheus_notifications_alertmanagers_discovered");
    assert.equal(discovered[0]?.value[1], "1");
  });

  it("evaluates every rule group without errors, SLO records included", async () => {
    const body = await waitFor(
      "every rule to be evaluated",
      async () => {
        const b = await getJson<{
          data: {
            groups: {
              name: string;
              rules: { name: string; health: string; lastError?: string }[];
            }[];
          };
        }>(url("prometheus", "/api/v1/rules"));
        const rules = b.data.groups.flatMap((g) => g.rules);
        return rules.every((r) => r.health !== "unknown") ? b : undefined;
      },
      60_000,
    );
    const broken = body.data.groups
      .flatMap((g) => g.rules.map((r) => ({ group: g.name, ...r })))
      .filter((r) => r.health !== "ok");
    assert.deepEqual(broken, []);
    const objective = await query(SLO_RECORDS.objective);
    assert.deepEqual(
      objective.map((s) => [s.metric.slo, s.value[1]]),
      DEFAULT_SLOS.map((slo) => [slo.name, String(1 - errorBudget(slo.objective))]),
    );
  });

  it("delivers the always-firing Watchdog to the heartbeat receiver with its bearer token", async () => {
    const beat = await waitFor(
      "the Watchdog heartbeat",
      () => receiver.received.find((r) => r.path === "/heartbeat"),
      // Prometheus sends its first alerts up to `--rules.alert.resend-delay` (1m, not shortened) late
      // when it starts before it has discovered its Alertmanagers.
      120_000,
    );
    report(
      `      first heartbeat ${((beat.at - startedAt) / 1000).toFixed(1)} s after the processes started`,
    );
    assert.equal(beat.authorization, `Bearer ${TEST_SECRETS.heartbeatToken}`);
    const body = beat.body as { receiver: string; alerts: { labels: Record<string, string> }[] };
    assert.equal(body.receiver, RECEIVERS.heartbeat);
    assert.deepEqual(
      body.alerts.map((a) => a.labels),
      [{ alertname: "Watchdog", severity: "none", cluster: "local", environment: "dev" }],
    );
    assert.ok(
      !receiver.received.some(
        (r) => r.path === "/v2/enqueue" && JSON.stringify(r.body).includes("Watchdog"),
      ),
      "the Watchdog must never page",
    );
  });

  it("inhibits the other alerts of a down host, and a warning by its critical twin", async () => {
    // A cluster of its own keeps these probes out of the real alerts' groups.
    const cluster = "e2e-inhibition";
    const endsAt = new Date(Date.now() + 5 * 60_000).toISOString();
    const alert = (labels: Record<string, string>) => ({ labels: { cluster, ...labels }, endsAt });
    const probes = [
      alert({
        alertname: "InstanceDown",
        job: "node",
        host: "db1",
        instance: "db1:9100",
        severity: "critical",
      }),
      alert({
        alertname: "PostgreSQLDown",
        job: "postgresql",
        host: "db1",
        instance: "db1:9187",
        severity: "critical",
      }),
      alert({
        alertname: "PostgreSQLDown",
        job: "postgresql",
        host: "db2",
        instance: "db2:9187",
        severity: "critical",
      }),
      alert({
        alertname: "HostFilesystemAlmostFull",
        host: "db2",
        instance: "db2:9100",
        severity: "critical",
      }),
      alert({
        alertname: "HostFilesystemAlmostFull",
        host: "db2",
        instance: "db2:9100",
        severity: "warning",
      }),
    ];
    await postJson(url("alertmanager", "/api/v2/alerts"), probes);
    const state = await waitFor(
      "the probe alerts to be processed",
      async () => {
        const alerts = await getJson<AmAlert[]>(
          url("alertmanager", `/api/v2/alerts?filter=cluster%3D%22${cluster}%22`),
        );
        return alerts.length === probes.length ? alerts : undefined;
      },
      20_000,
    );
    const inhibited = (labels: Record<string, string>) => {
      const found = state.find((a) => Object.entries(labels).every(([k, v]) => a.labels[k] === v));
      assert.ok(found, JSON.stringify(labels));
      return found.status.inhibitedBy.length > 0;
    };
    assert.equal(inhibited({ alertname: "InstanceDown", host: "db1" }), false);
    assert.equal(inhibited({ alertname: "PostgreSQLDown", host: "db1" }), true, "db1 is down");
    assert.equal(inhibited({ alertname: "PostgreSQLDown", host: "db2" }), false, "db2 is up");
    assert.equal(inhibited({ alertname: "HostFilesystemAlmostFull", severity: "critical" }), false);
    assert.equal(inhibited({ alertname: "HostFilesystemAlmostFull", severity: "warning" }), true);
    // Resolve the probes.
    const now = new Date().toISOString();
    await postJson(
      url("alertmanager", "/api/v2/alerts"),
      probes.map((p) => ({ ...p, endsAt: now })),
    );
  });

  let timeToDetect: number | undefined;

  it(`pages InstanceDown with the host's labels within ${DETECT_LIMIT_S} s of node-exporter stopping`, async () => {
    const node = services.get("nodeExporter");
    assert.ok(node);
    const instance = `127.0.0.1:${ports.nodeExporter}`;
    const stoppedAt = performance.now();
    await stop(node);
    const isPage = (r: Received) => {
      const b = r.body as {
        event_action?: string;
        payload?: { custom_details?: Record<string, string> };
      };
      return (
        r.path === "/v2/enqueue" &&
        b.event_action === "trigger" &&
        b.payload?.custom_details?.alertname === "InstanceDown" &&
        b.payload.custom_details.instance === instance
      );
    };
    const page = await waitFor(
      "InstanceDown at the PagerDuty endpoint",
      () => receiver.received.find(isPage),
      300_000,
      250,
    );
    timeToDetect = (page.at - stoppedAt) / 1000;
    report(
      `      time to detect (node-exporter stopped → InstanceDown paged): ${timeToDetect.toFixed(1)} s`,
    );
    const body = page.body as {
      routing_key: string;
      payload: { severity: string; summary: string; custom_details: Record<string, string> };
    };
    assert.equal(body.routing_key, TEST_SECRETS.pagerdutyRoutingKey);
    assert.equal(body.payload.severity, "critical");
    assert.match(body.payload.summary, /InstanceDown/);
    const d = body.payload.custom_details;
    assert.deepEqual(
      { job: d.job, instance: d.instance, cluster: d.cluster, environment: d.environment },
      { job: SCRAPE_JOBS.node, instance, cluster: "local", environment: "dev" },
    );
    assert.match(d.firing, /host = 127\.0\.0\.1/);
    assert.match(d.runbook_url, /\/instance-down\.md$/);
    assert.ok(timeToDetect < DETECT_LIMIT_S, `took ${timeToDetect.toFixed(1)} s`);
  });

  it("keeps the samples written before a Prometheus restart", async () => {
    const at = Date.now() / 1000 - 10;
    const expr = `count_over_time(up{job="${SCRAPE_JOBS.prometheus}"}[1m])`;
    const before = await query(expr, at);
    assert.equal(before.length, 1);
    assert.ok(Number(before[0].value[1]) >= 3, `samples before restart: ${before[0].value[1]}`);
    const prometheus = services.get("prometheus");
    assert.ok(prometheus);
    assert.equal(await stop(prometheus), "exit 0", "Prometheus shuts down cleanly on SIGTERM");
    launch("prometheus");
    await waitFor(
      "Prometheus to be ready again",
      () => ready(url("prometheus", "/-/ready")),
      60_000,
    );
    assert.deepEqual(await query(expr, at), before);
  });

  it("keeps a silence created before an Alertmanager restart", async () => {
    const now = Date.now();
    const { silenceID } = await postJson<{ silenceID: string }>(
      url("alertmanager", "/api/v2/silences"),
      {
        matchers: [{ name: "alertname", value: "HostHighLoad", isRegex: false, isEqual: true }],
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + 60 * 60_000).toISOString(),
        createdBy: "e2e",
        comment: "survives a restart",
      },
    );
    const alertmanager = services.get("alertmanager");
    assert.ok(alertmanager);
    assert.equal(await stop(alertmanager), "exit 0", "Alertmanager shuts down cleanly on SIGTERM");
    launch("alertmanager");
    await waitFor(
      "Alertmanager to be ready again",
      () => ready(url("alertmanager", "/-/ready")),
      60_000,
    );
    const silence = await getJson<{ id: string; status: { state: string }; comment: string }>(
      url("alertmanager", `/api/v2/silence/${silenceID}`),
    );
    assert.deepEqual(
      [silence.id, silence.status.state, silence.comment],
      [silenceID, "active", "survives a restart"],
    );
  });
});
