/** The `dev` program end to end against mocks: every container, image, port, volume and upload. */
import * as assert from "node:assert/strict";
import { parse } from "yaml";
import { IMAGES } from "../../../catalog/versions";
import { PORTS } from "../../../catalog/names";
import {
  isSecretWrapper,
  plaintextOccurrences,
  programError,
  ProgramRun,
  RecordedResource,
  registeredCount,
  resourcesOfType,
  reveal,
  sharedRun,
  TEST_SECRETS,
  ALL_RECEIVERS_CONFIG,
} from "../../support/harness";

const CONTAINER = "docker:index/container:Container";
const IMAGE = "docker:index/remoteImage:RemoteImage";
const VOLUME = "docker:index/volume:Volume";
const NETWORK = "docker:index/network:Network";

interface Upload {
  file: string;
  content: string;
  owner?: string;
  permissions?: string;
}

function container(run: ProgramRun, alias: string): RecordedResource {
  const found = resourcesOfType(run, CONTAINER).find((c) => c.name === `monitoring-${alias}`);
  assert.ok(found, `container ${alias} not registered`);
  return found;
}

/** The sorted `name` inputs of every resource of a type. */
function namesOf(run: ProgramRun, type: string): unknown[] {
  return resourcesOfType(run, type)
    .map((r) => r.inputs.name)
    .sort();
}

function uploads(c: RecordedResource): Upload[] {
  return reveal(c.inputs.uploads) as Upload[];
}

function upload(c: RecordedResource, file: string): Upload {
  const found = uploads(c).find((u) => u.file === file);
  assert.ok(
    found,
    `${c.name} has no upload ${file}; it has ${uploads(c)
      .map((u) => u.file)
      .join(", ")}`,
  );
  return found;
}

describe("dev stack (Docker) under mocks", () => {
  let run: ProgramRun;
  let full: ProgramRun;
  before(async () => {
    run = await sharedRun("dev");
    full = await sharedRun("dev", {
      secrets: { ...TEST_SECRETS },
      config: ALL_RECEIVERS_CONFIG,
    });
  });

  it("registers one LocalStack with a network, five data volumes, six pinned images and six containers", () => {
    assert.equal(resourcesOfType(run, "monitoring:docker:LocalStack").length, 1);
    assert.deepEqual(
      resourcesOfType(run, NETWORK).map((n) => [n.inputs.name, n.inputs.driver]),
      [["local-monitoring", "bridge"]],
    );
    assert.deepEqual(namesOf(run, VOLUME), [
      "local-alertmanager-data",
      "local-alloy-data",
      "local-grafana-data",
      "local-loki-data",
      "local-prometheus-data",
    ]);
    // Every image but the staging-only config init image.
    const devImages = Object.entries(IMAGES).filter(([name]) => name !== "configInit");
    assert.deepEqual(namesOf(run, IMAGE), devImages.map(([, image]) => image).sort());
    for (const image of resourcesOfType(run, IMAGE)) {
      assert.match(
        String(image.inputs.name),
        /:v?\d+\.\d+\.\d+$/,
        "every image is pinned to an exact version",
      );
    }
    assert.deepEqual(namesOf(run, CONTAINER), [
      "local-alertmanager",
      "local-alloy",
      "local-grafana",
      "local-loki",
      "local-node-exporter",
      "local-prometheus",
    ]);
  });

  it("exports the UI URLs and container names", () => {
    assert.deepEqual(
      {
        grafanaUrl: run.outputs.grafanaUrl,
        prometheusUrl: run.outputs.prometheusUrl,
        alertmanagerUrl: run.outputs.alertmanagerUrl,
        lokiUrl: run.outputs.lokiUrl,
        environment: run.outputs.environment,
      },
      {
        grafanaUrl: "http://127.0.0.1:3000",
        prometheusUrl: "http://127.0.0.1:9090",
        alertmanagerUrl: "http://127.0.0.1:9093",
        lokiUrl: "http://127.0.0.1:3100",
        environment: "dev",
      },
    );
    assert.equal((run.outputs.workloads as string[]).length, 6);
    assert.ok((run.outputs.workloads as string[]).includes("local-grafana"));
  });

  it("publishes every port on 127.0.0.1 only, and on the bindAddress when set", async () => {
    for (const c of resourcesOfType(run, CONTAINER)) {
      const ports = c.inputs.ports as { ip: string; internal: number; external: number }[];
      assert.equal(ports.length, 1, c.name);
      assert.equal(ports[0].ip, "127.0.0.1", c.name);
    }
    assert.deepEqual(container(run, "grafana").inputs.ports, [
      { internal: 3000, external: 3000, ip: "127.0.0.1", protocol: "tcp" },
    ]);
    const open = await sharedRun("dev", {
      config: { bindAddress: "0.0.0.0", hostPorts: { grafana: 3001 } },
    });
    assert.deepEqual(container(open, "grafana").inputs.ports, [
      { internal: 3000, external: 3001, ip: "0.0.0.0", protocol: "tcp" },
    ]);
    assert.equal(open.outputs.grafanaUrl, "http://127.0.0.1:3001");
  });

  it("attaches every container to the network under its short alias, restarts unless stopped, and health-checks it", () => {
    const expectedChecks: Record<string, string[]> = {
      prometheus: ["CMD", "wget", "-q", "--spider", "http://127.0.0.1:9090/-/healthy"],
      alertmanager: ["CMD", "wget", "-q", "--spider", "http://127.0.0.1:9093/-/healthy"],
      grafana: ["CMD", "wget", "-q", "--spider", "http://127.0.0.1:3000/api/health"],
      "node-exporter": ["CMD", "wget", "-q", "--spider", "http://127.0.0.1:9100/metrics"],
      loki: ["CMD", "/usr/bin/loki", "-health"],
    };
    for (const [alias, tests] of Object.entries(expectedChecks)) {
      const c = container(run, alias);
      assert.deepEqual((c.inputs.healthcheck as { tests: string[] }).tests, tests, alias);
    }
    for (const c of resourcesOfType(run, CONTAINER)) {
      assert.equal(c.inputs.restart, "unless-stopped", c.name);
      const net = c.inputs.networksAdvanced as { name: string; aliases: string[] }[];
      assert.equal(net.length, 1);
      assert.equal(net[0].name, "local-monitoring");
      assert.equal(`monitoring-${net[0].aliases[0]}`, c.name);
      assert.match(String(c.inputs.image), /^sha256:/, "containers run the pulled image by ID");
    }
    const alloyCheck = (container(run, "alloy").inputs.healthcheck as { tests: string[] }).tests;
    assert.equal(alloyCheck[1], "bash");
    assert.match(alloyCheck[3], /\/dev\/tcp\/127\.0\.0\.1\/12345/);
  });

  it("starts Prometheus with the lifecycle API and the stack's retention", () => {
    const command = container(run, "prometheus").inputs.command as string[];
    assert.ok(command.includes("--web.enable-lifecycle"));
    assert.ok(command.includes("--storage.tsdb.retention.time=7d"));
    // derived from dev's capacity: 20 000 series / 15 s × 7 d × 2 B + the 384 MiB WAL floor = 1.9 GiB
    assert.ok(command.includes("--storage.tsdb.retention.size=2GB"));
    assert.ok(command.includes("--config.file=/etc/prometheus/prometheus.yml"));
    assert.deepEqual(container(run, "prometheus").inputs.volumes, [
      { volumeName: "local-prometheus-data", containerPath: "/prometheus" },
    ]);
  });

  it("uploads prometheus.yml that scrapes every component through Docker DNS and alerts to Alertmanager", () => {
    const config = parse(
      upload(container(run, "prometheus"), "/etc/prometheus/prometheus.yml").content,
    ) as {
      global: { external_labels: Record<string, string> };
      alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
      rule_files: string[];
    };
    assert.deepEqual(config.global.external_labels, { cluster: "local", environment: "dev" });
    assert.deepEqual(config.alerting.alertmanagers[0].static_configs[0].targets, [
      "alertmanager:9093",
    ]);
    assert.deepEqual(
      Object.fromEntries(
        config.scrape_configs.map((j) => [j.job_name, j.static_configs[0].targets]),
      ),
      {
        prometheus: ["localhost:9090"],
        alertmanager: ["alertmanager:9093"],
        grafana: ["grafana:3000"],
        loki: ["loki:3100"],
        alloy: ["alloy:12345"],
        node: ["node-exporter:9100"],
      },
    );
    assert.deepEqual(config.rule_files, ["/etc/prometheus/rules/*.yml"]);
    const ruleFiles = uploads(container(run, "prometheus")).filter((u) =>
      u.file.startsWith("/etc/prometheus/rules/"),
    );
    assert.ok(ruleFiles.length >= 4, "one rule file per group");
  });

  it("gives node-exporter read-only host mounts and Alloy read-only access to the Docker socket", () => {
    const mounts = container(run, "node-exporter").inputs.mounts as {
      source: string;
      target: string;
      readOnly: boolean;
      type: string;
    }[];
    assert.deepEqual(
      mounts.map((m) => [m.source, m.target, m.readOnly, m.type]),
      [
        ["/proc", "/host/proc", true, "bind"],
        ["/sys", "/host/sys", true, "bind"],
        ["/", "/host/root", true, "bind"],
      ],
    );
    assert.ok(
      (container(run, "node-exporter").inputs.command as string[]).includes(
        "--path.rootfs=/host/root",
      ),
    );
    assert.deepEqual(
      (container(run, "alloy").inputs.mounts as { source: string; readOnly: boolean }[]).map(
        (m) => [m.source, m.readOnly],
      ),
      [["/var/run/docker.sock", true]],
    );
    const alloy = upload(container(run, "alloy"), "/etc/alloy/config.alloy").content;
    assert.match(alloy, /host = "unix:\/\/\/var\/run\/docker\.sock"/);
    assert.match(alloy, /loki\.source\.docker "containers" \{/);
    assert.match(alloy, /url = "http:\/\/loki:3100\/loki\/api\/v1\/push"/);
  });

  it("mounts a rootless Docker socket from `dockerSocket` at the standard path inside Alloy", async () => {
    const rootless = await sharedRun("dev", {
      config: { dockerSocket: "/run/user/1000/docker.sock" },
    });
    assert.deepEqual(
      (container(rootless, "alloy").inputs.mounts as { source: string; target: string }[]).map(
        (m) => [m.source, m.target],
      ),
      [["/run/user/1000/docker.sock", "/var/run/docker.sock"]],
    );
  });

  it("gives Grafana its admin password only as a secret file, never as plaintext or a default", () => {
    const grafana = container(run, "grafana");
    const envs = grafana.inputs.envs as string[];
    assert.ok(envs.includes("GF_SECURITY_ADMIN_USER=admin"));
    assert.ok(
      envs.includes("GF_SECURITY_ADMIN_PASSWORD__FILE=/run/secrets/grafana-admin-password"),
    );
    assert.ok(!envs.some((e) => e.startsWith("GF_SECURITY_ADMIN_PASSWORD=")));
    assert.ok(
      isSecretWrapper(grafana.inputs.uploads),
      "uploads carrying the password are a secret input",
    );
    const secretFile = upload(grafana, "/run/secrets/grafana-admin-password");
    assert.equal(secretFile.content, TEST_SECRETS.grafanaAdminPassword);
    assert.deepEqual([secretFile.owner, secretFile.permissions], ["472", "0400"]);
    const datasources = parse(
      upload(grafana, "/etc/grafana/provisioning/datasources/datasources.yaml").content,
    ) as {
      datasources: { uid: string; url: string }[];
    };
    assert.deepEqual(
      datasources.datasources.map((d) => [d.uid, d.url]),
      [
        ["prometheus", "http://prometheus:9090"],
        ["loki", "http://loki:3100"],
        ["alertmanager", "http://alertmanager:9093"],
      ],
    );
    const dashboards = uploads(grafana).filter((u) =>
      u.file.startsWith("/etc/grafana/dashboards/"),
    );
    assert.deepEqual(dashboards.map((d) => d.file).sort(), [
      "/etc/grafana/dashboards/alertmanager-overview.json",
      "/etc/grafana/dashboards/logs-explorer.json",
      "/etc/grafana/dashboards/node-overview.json",
      "/etc/grafana/dashboards/prometheus-overview.json",
      "/etc/grafana/dashboards/slo-error-budget.json",
    ]);
  });

  it("keeps every test secret out of all non-secret inputs", () => {
    for (const [name, secret] of Object.entries(TEST_SECRETS)) {
      for (const r of full.resources) {
        assert.deepEqual(
          plaintextOccurrences(r.inputs, secret),
          [],
          `${name} leaks in plaintext into ${r.name}`,
        );
      }
    }
  });

  it("the leak scan finds a plaintext secret (it can fail)", () => {
    assert.deepEqual(
      plaintextOccurrences({ envs: [`X=${TEST_SECRETS.smtpPassword}`] }, TEST_SECRETS.smtpPassword),
      ["envs[0]"],
    );
  });

  it("delivers Alertmanager's receiver secrets as 0400 files referenced by *_file fields", () => {
    const am = container(full, "alertmanager");
    const config = upload(am, "/etc/alertmanager/alertmanager.yml").content;
    assert.match(config, /api_url_file: \/etc\/alertmanager\/secrets\/slack-webhook-url/);
    assert.match(config, /routing_key_file: \/etc\/alertmanager\/secrets\/pagerduty-routing-key/);
    assert.match(config, /auth_password_file: \/etc\/alertmanager\/secrets\/smtp-password/);
    assert.match(config, /credentials_file: \/etc\/alertmanager\/secrets\/heartbeat-token/);
    assert.deepEqual(
      uploads(am)
        .filter((u) => u.file.startsWith("/etc/alertmanager/secrets/"))
        .map((u) => [u.file, u.content, u.owner, u.permissions]),
      [
        [
          "/etc/alertmanager/secrets/slack-webhook-url",
          TEST_SECRETS.slackWebhookUrl,
          "65534",
          "0400",
        ],
        [
          "/etc/alertmanager/secrets/pagerduty-routing-key",
          TEST_SECRETS.pagerdutyRoutingKey,
          "65534",
          "0400",
        ],
        ["/etc/alertmanager/secrets/smtp-password", TEST_SECRETS.smtpPassword, "65534", "0400"],
        ["/etc/alertmanager/secrets/heartbeat-token", TEST_SECRETS.heartbeatToken, "65534", "0400"],
      ],
    );
    assert.equal(
      uploads(container(run, "alertmanager")).length,
      1,
      "no secret files without secrets",
    );
  });

  it("rejects bad config before registering any resource", async () => {
    const message = await programError("dev", { config: { retentionTime: "30x" } });
    assert.match(message, /`retentionTime`: got "30x"/);
    assert.equal(registeredCount(), 0);
  });

  it("rejects another environment's settings before registering any resource", async () => {
    const message = await programError("dev", {
      config: { ingress: { className: "nginx", grafanaHost: "g.example.com" }, taskSizes: {} },
    });
    assert.match(message, /\(1 problem\)/);
    assert.match(message, /`ingress` is a prod setting and the dev stack ignores it/);
    assert.equal(registeredCount(), 0);
  });

  it("uses the standard container ports", () => {
    assert.equal(container(run, "loki").inputs.ports instanceof Array, true);
    assert.deepEqual(
      resourcesOfType(run, CONTAINER)
        .map((c) => (c.inputs.ports as { internal: number }[])[0].internal)
        .sort((a, b) => a - b),
      Object.values(PORTS).sort((a, b) => a - b),
    );
  });
});
