/**
 * Every rendered config file of every environment by structural assertions: Prometheus' labels and
 * jobs, Alertmanager's routes and receivers, Loki and Alloy. The real tools (promtool, amtool) check
 * the same files in test/content/files.tools.test.ts.
 */
import * as assert from "node:assert/strict";
import { parse } from "yaml";
import { alertmanagerConfig, RECEIVERS } from "../../content/alertmanager";
import { AlloyRef, renderAlloy } from "../../content/alloy";
import { dockerNetwork, PATHS, renderFiles, RenderedFiles } from "../../content/files";
import { lokiConfig } from "../../content/loki";
import { HOST_RELABEL } from "../../content/prometheus";
import { parseSettings, Settings } from "../../settings/settings";
import { LOCAL_HOSTS, DOCKER_SOCKET } from "../../components/dev/containers";
import { ALL_RECEIVERS_CONFIG, settingsInput, TEST_SECRETS } from "../support/harness";

function settingsFor(
  stack: string,
  secrets: Record<string, string> = { grafanaAdminPassword: TEST_SECRETS.grafanaAdminPassword },
  overrides = {},
): Settings {
  return parseSettings(settingsInput(stack, overrides, secrets));
}

const render = (s: Settings): RenderedFiles =>
  renderFiles(s, dockerNetwork(LOCAL_HOSTS, `unix://${DOCKER_SOCKET}`));

describe("rendered configs, validated by the real tools", () => {
  it("prometheus.yml carries the stack's external labels and user scrape jobs", () => {
    const s = settingsFor(
      "dev",
      { grafanaAdminPassword: TEST_SECRETS.grafanaAdminPassword },
      {
        scrapeTargets: [
          {
            job: "api",
            targets: ["api:8080"],
            metricsPath: "/internal/metrics",
            scheme: "https",
            scrapeInterval: "30s",
            labels: { team: "core" },
          },
        ],
      },
    );
    const config = parse(render(s).prometheus[PATHS.prometheusConfig]) as {
      global: Record<string, unknown>;
      scrape_configs: Record<string, unknown>[];
    };
    assert.deepEqual(config.global, {
      scrape_interval: "15s",
      evaluation_interval: "15s",
      external_labels: { cluster: "local", environment: "dev" },
    });
    assert.deepEqual(config.scrape_configs.at(-1), {
      job_name: "api",
      scrape_interval: "30s",
      metrics_path: "/internal/metrics",
      scheme: "https",
      static_configs: [{ targets: ["api:8080"], labels: { team: "core" } }],
      relabel_configs: [HOST_RELABEL],
    });
    for (const job of config.scrape_configs)
      assert.deepEqual(job.relabel_configs, [HOST_RELABEL], `job ${String(job.job_name)}`);
    const prod = parse(
      render(
        settingsFor(
          "prod",
          { ...TEST_SECRETS },
          { heartbeatUrl: ALL_RECEIVERS_CONFIG.heartbeatUrl },
        ),
      ).prometheus[PATHS.prometheusConfig],
    ) as { global: { external_labels: unknown } };
    assert.deepEqual(prod.global.external_labels, {
      region: "eu-west-1",
      cluster: "prod-eu-west-1",
      environment: "prod",
    });
  });
});

describe("alertmanager routing (amtool config routes test)", () => {
  function configFor(secrets: Record<string, string>, overrides: Record<string, unknown> = {}) {
    const s = settingsFor(
      "dev",
      { grafanaAdminPassword: TEST_SECRETS.grafanaAdminPassword, ...secrets },
      overrides,
    );
    return alertmanagerConfig({ alerting: s.alerting, secretsDir: "/secrets" });
  }
  it("groups by alertname/cluster/service, pages critical alerts after 10 s and beats every minute", () => {
    const config = configFor({ ...TEST_SECRETS }, ALL_RECEIVERS_CONFIG) as {
      route: Record<string, unknown> & { routes: Record<string, unknown>[] };
    };
    assert.deepEqual(config.route.group_by, ["alertname", "cluster", "service"]);
    assert.equal(config.route.group_wait, "30s");
    const byReceiver: Record<string, Record<string, unknown>> = Object.fromEntries(
      config.route.routes.map((r) => [String(r.receiver), r]),
    );
    assert.equal(byReceiver[RECEIVERS.pagerduty].group_wait, "10s");
    assert.equal(byReceiver[RECEIVERS.heartbeat].repeat_interval, "1m");
    assert.equal(byReceiver[RECEIVERS.heartbeat].group_interval, "1m");
  });

  it("posts the heartbeat with its token from a file and PagerDuty events to the configured endpoint", () => {
    const config = configFor(
      { ...TEST_SECRETS },
      {
        ...ALL_RECEIVERS_CONFIG,
        pagerdutyUrl: "https://events.eu.pagerduty.com/v2/enqueue",
      },
    ) as { receivers: Record<string, unknown>[] };
    const receiver = (name: string) => config.receivers.find((r) => r.name === name);
    assert.deepEqual(receiver(RECEIVERS.heartbeat), {
      name: RECEIVERS.heartbeat,
      webhook_configs: [
        {
          url: ALL_RECEIVERS_CONFIG.heartbeatUrl,
          send_resolved: false,
          http_config: {
            authorization: { type: "Bearer", credentials_file: "/secrets/heartbeat-token" },
          },
        },
      ],
    });
    const pd = (receiver(RECEIVERS.pagerduty) as { pagerduty_configs: Record<string, unknown>[] })
      .pagerduty_configs[0];
    assert.equal(pd.url, "https://events.eu.pagerduty.com/v2/enqueue");
    assert.equal(pd.routing_key_file, "/secrets/pagerduty-routing-key");
    assert.equal((pd.details as Record<string, string>).instance, "{{ .CommonLabels.instance }}");
  });

  it("inhibits lower severities of the same alert, a down host's alerts and a NotReady node's alerts", () => {
    const config = configFor({ ...TEST_SECRETS }, ALL_RECEIVERS_CONFIG) as {
      inhibit_rules: unknown[];
    };
    assert.deepEqual(config.inhibit_rules, [
      {
        source_matchers: ['severity="critical"'],
        target_matchers: ['severity=~"warning|info"'],
        equal: ["alertname", "cluster", "instance"],
      },
      {
        source_matchers: ['alertname="InstanceDown"', 'job="node"', 'host=~".+"'],
        target_matchers: ['alertname!="Watchdog"'],
        equal: ["cluster", "host"],
      },
      {
        source_matchers: ['alertname="NodeNotReady"'],
        target_matchers: ['alertname!="Watchdog"'],
        equal: ["cluster", "node"],
      },
    ]);
  });
});

describe("Loki and Alloy configs", () => {
  it("Loki 3 uses the tsdb index, schema v13, filesystem storage and retention in hours", () => {
    const config = lokiConfig({
      retentionPeriod: "30d",
      dataDir: "/loki",
      alertmanagerUrl: "http://alertmanager:9093",
    }) as {
      schema_config: { configs: Record<string, unknown>[] };
      limits_config: { retention_period: string };
      compactor: { retention_enabled: boolean; delete_request_store: string };
      common: { storage: { filesystem: { chunks_directory: string } } };
    };
    assert.deepEqual(config.schema_config.configs, [
      {
        from: "2024-04-01",
        store: "tsdb",
        object_store: "filesystem",
        schema: "v13",
        index: { prefix: "index_", period: "24h" },
      },
    ]);
    assert.equal(config.limits_config.retention_period, "720h");
    assert.equal(config.compactor.retention_enabled, true);
    assert.equal(config.compactor.delete_request_store, "filesystem");
    assert.equal(config.common.storage.filesystem.chunks_directory, "/loki/chunks");
  });

  it("dev renders Loki with the stack's 7-day retention", () => {
    const text = render(settingsFor("dev")).loki[PATHS.lokiConfig];
    assert.equal(
      (parse(text) as { limits_config: { retention_period: string } }).limits_config
        .retention_period,
      "168h",
    );
  });

  it("Alloy tails Docker container logs and pushes them to Loki with the stack's labels", () => {
    const text = render(settingsFor("dev")).alloy[PATHS.alloyConfig];
    assert.match(
      text,
      /^discovery\.docker "containers" \{\n {2}host = "unix:\/\/\/var\/run\/docker\.sock"/m,
    );
    assert.match(text, /targets = discovery\.docker\.containers\.targets/);
    assert.match(text, /relabel_rules = discovery\.relabel\.containers\.rules/);
    assert.match(text, /forward_to = \[loki\.write\.default\.receiver\]/);
    assert.match(
      text,
      /external_labels = \{\n {4}cluster = "local",\n {4}environment = "dev",\n {2}\}/,
    );
    assert.match(text, /endpoint \{\n {4}url = "http:\/\/loki:3100\/loki\/api\/v1\/push"\n {2}\}/);
    assert.equal(
      (text.match(/\{/g) ?? []).length,
      (text.match(/\}/g) ?? []).length,
      "balanced braces",
    );
  });

  it("the Alloy printer escapes strings and quotes non-identifier keys", () => {
    assert.equal(
      renderAlloy([
        {
          name: "x",
          label: "a",
          attrs: { s: 'say "hi"\n', m: { "a-b": 1, ok: true }, r: new AlloyRef("y.z.out") },
        },
      ]),
      'x "a" {\n  s = "say \\"hi\\"\\n"\n  m = {\n    "a-b" = 1,\n    ok = true,\n  }\n  r = y.z.out\n}\n',
    );
    assert.throws(() => new AlloyRef("not a ref"), /invalid Alloy reference/);
  });
});
