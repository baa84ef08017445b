/**
 * Every rendered config file of every environment checked by the real tools: promtool for Prometheus
 * and its rules, amtool for Alertmanager's config and routing (the configs as data:
 * test/content/files.test.ts).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { RECEIVERS, renderAlertmanagerConfig } from "../../content/alertmanager";
import { dockerNetwork, PATHS, renderFiles, RenderedFiles } from "../../content/files";
import { parseSettings, Settings } from "../../settings/settings";
import { LOCAL_HOSTS, DOCKER_SOCKET } from "../../components/dev/containers";
import { ALL_RECEIVERS_CONFIG, settingsInput, TEST_SECRETS } from "../support/harness";
import { runTool, writeTempFiles } from "../support/tools";

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
});

describe("alertmanager routing (amtool config routes test)", () => {
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
});
