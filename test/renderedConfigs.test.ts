/**
 * Every rendered config file of every environment, checked by the real tools (promtool, amtool) and
 * by structural assertions where no tool is available (Loki, Alloy).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { alertmanagerConfig, RECEIVERS, renderAlertmanagerConfig } from "../config/alertmanager";
import { AlloyRef, renderAlloy } from "../config/alloy";
import { dockerNetwork, PATHS, renderFiles, RenderedFiles } from "../config/files";
import { lokiConfig } from "../config/loki";
import { HOST_RELABEL } from "../config/prometheus";
import { parseSettings, Settings } from "../config/settings";
import { LOCAL_HOSTS, DOCKER_SOCKET } from "../components/localContainers";
import { ALL_RECEIVERS_CONFIG, settingsInput, TEST_SECRETS } from "./harness";
import { runTool, writeTempFiles } from "./tools";

function settingsFor(
  stack: string,
  secrets: Record<string, string> = { grafanaAdminPassword: TEST_SECRETS.grafanaAdminPassword },
  overrides = {},
): Settings {
  return parseSettings(settingsInput(stack, overrides, secrets));
}

const render = (s: Settings): RenderedFiles =>
  renderFiles(s, dockerNetwork(LOCAL_HOSTS, `unix://${DOCKER_SOCKET}`));

/** Writes a component's files under a temp root, keeping their absolute layout. */
function materialise(files: Readonly<Record<string, string>>): string {
  return writeTempFiles(
    Object.fromEntries(Object.entries(files).map(([p, c]) => [p.replace(/^\//, ""), c])),
  );
}

const STACKS = ["dev", "staging", "prod"] as const;

describe("rendered configs, validated by the real tools", () => {
  for (const stack of STACKS) {
    describe(`${stack}`, () => {
      // Every receiver configured, so every receiver block is validated.
      const settings = settingsFor(
        stack,
        { ...TEST_SECRETS },
        stack === "dev"
          ? ALL_RECEIVERS_CONFIG
          : { heartbeatUrl: ALL_RECEIVERS_CONFIG.heartbeatUrl },
      );
      const files = render(settings);

      it("prometheus.yml and every rule file pass `promtool check config`", () => {
        const root = materialise(files.prometheus);
        const configPath = path.join(root, PATHS.prometheusConfig);
        const config = parse(fs.readFileSync(configPath, "utf8")) as { rule_files: string[] };
        config.rule_files = [path.join(root, PATHS.prometheusRulesDir, "*.yml")];
        fs.writeFileSync(configPath, stringify(config));
        const result = runTool("promtool", ["check", "config", configPath]);
        assert.equal(result.status, 0, result.output);
        assert.match(result.output, /SUCCESS: \d+ rule files found/);
        const ruleFiles = Object.keys(files.prometheus).filter((f) =>
          f.startsWith(`${PATHS.prometheusRulesDir}/`),
        );
        assert.match(result.output, new RegExp(`SUCCESS: ${ruleFiles.length} rule files found`));
      });

      it("every rule file passes `promtool check rules`", () => {
        const root = materialise(files.prometheus);
        const ruleFiles = Object.keys(files.prometheus)
          .filter((f) => f.startsWith(`${PATHS.prometheusRulesDir}/`))
          .map((f) => path.join(root, f));
        const result = runTool("promtool", ["check", "rules", ...ruleFiles]);
        assert.equal(result.status, 0, result.output);
      });

      it("alertmanager.yml passes `amtool check-config` and holds no secret", () => {
        const root = materialise(files.alertmanager);
        const text = fs.readFileSync(path.join(root, PATHS.alertmanagerConfig), "utf8");
        for (const secret of Object.values(TEST_SECRETS)) assert.ok(!text.includes(secret));
        const result = runTool("amtool", [
          "check-config",
          path.join(root, PATHS.alertmanagerConfig),
        ]);
        assert.equal(result.status, 0, result.output);
      });
    });
  }

  it("promtool rejects a broken config (the check can fail)", () => {
    const dir = writeTempFiles({
      "prometheus.yml": stringify({ global: { scrape_interval: "15x" } }),
    });
    assert.notEqual(
      runTool("promtool", ["check", "config", path.join(dir, "prometheus.yml")]).status,
      0,
    );
  });

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
  function routesFor(secrets: Record<string, string>, overrides: Record<string, unknown> = {}) {
    const s = settingsFor(
      "dev",
      { grafanaAdminPassword: TEST_SECRETS.grafanaAdminPassword, ...secrets },
      overrides,
    );
    const dir = writeTempFiles({
      "alertmanager.yml": renderAlertmanagerConfig({
        alerting: s.alerting,
        secretsDir: "/secrets",
      }),
    });
    /** The receivers an alert with these labels reaches, in order. */
    return (...labels: string[]) => {
      const result = runTool("amtool", [
        "config",
        "routes",
        "test",
        `--config.file=${path.join(dir, "alertmanager.yml")}`,
        ...labels,
      ]);
      assert.equal(result.status, 0, result.output);
      return result.stdout.trim();
    };
  }
  const everything = () => routesFor({ ...TEST_SECRETS }, ALL_RECEIVERS_CONFIG);

  it("sends critical to PagerDuty, warning to Slack and everything to e-mail when all are configured", () => {
    const route = everything();
    assert.equal(
      route("severity=critical", "alertname=InstanceDown", "job=node"),
      `${RECEIVERS.pagerduty},${RECEIVERS.email}`,
    );
    assert.equal(
      route("severity=critical", "alertname=SLOErrorBudgetBurnFast", "slo=api", "service=api"),
      `${RECEIVERS.pagerduty},${RECEIVERS.email}`,
    );
    assert.equal(
      route("severity=warning", "alertname=HostHighLoad"),
      `${RECEIVERS.slack},${RECEIVERS.email}`,
    );
    assert.equal(route("severity=info", "alertname=Something"), RECEIVERS.email);
    assert.equal(route("alertname=NoSeverityLabel"), RECEIVERS.email);
  });

  it("sends the Watchdog only to the heartbeat receiver, whatever its labels", () => {
    const route = everything();
    assert.equal(route("severity=none", "alertname=Watchdog"), RECEIVERS.heartbeat);
    // Even a mislabelled Watchdog never pages or e-mails.
    assert.equal(route("severity=critical", "alertname=Watchdog"), RECEIVERS.heartbeat);
  });

  it("sends the Watchdog to the null receiver when no heartbeat URL is configured", () => {
    const secrets: Record<string, string> = { ...TEST_SECRETS };
    delete secrets.heartbeatToken;
    const route = routesFor(secrets, { smtp: ALL_RECEIVERS_CONFIG.smtp });
    assert.equal(
      route("severity=critical", "alertname=InstanceDown"),
      `${RECEIVERS.pagerduty},${RECEIVERS.email}`,
    );
    assert.equal(route("severity=none", "alertname=Watchdog"), RECEIVERS.null);
  });

  it("routes to the null receiver when no secret is configured", () => {
    const route = routesFor({});
    assert.equal(route("severity=critical", "alertname=InstanceDown"), RECEIVERS.null);
    assert.equal(route("severity=warning", "alertname=HostHighLoad"), RECEIVERS.null);
    assert.equal(route("severity=none", "alertname=Watchdog"), RECEIVERS.null);
  });

  it("routes only severities whose receiver is configured", () => {
    const route = routesFor({ slackWebhookUrl: TEST_SECRETS.slackWebhookUrl });
    assert.equal(route("severity=critical", "alertname=InstanceDown"), RECEIVERS.null);
    assert.equal(route("severity=warning", "alertname=HostHighLoad"), RECEIVERS.slack);
    const pager = routesFor({ pagerdutyRoutingKey: TEST_SECRETS.pagerdutyRoutingKey });
    assert.equal(pager("severity=critical", "alertname=InstanceDown"), RECEIVERS.pagerduty);
    assert.equal(pager("severity=warning", "alertname=HostHighLoad"), RECEIVERS.null);
  });

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
