/**
 * Alertmanager routing checked by real amtool (`amtool config routes test`) on the alertmanager.yml
 * content/alertmanager.ts renders (the config as data: test/content/alertmanager.test.ts).
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { RECEIVERS, renderAlertmanagerConfig } from "../../content/alertmanager";
import { ALL_RECEIVERS_CONFIG, TEST_SECRETS } from "../support/harness";
import { settingsFor } from "../support/renderedFiles";
import { runTool, writeTempFiles } from "../support/tools";

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
