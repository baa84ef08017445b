/**
 * alertmanager.yml as content/alertmanager.ts builds it: grouping, timings, receivers and inhibition
 * (amtool's view of the routing: test/content/alertmanager.tools.test.ts).
 */
import * as assert from "node:assert/strict";
import { alertmanagerConfig, RECEIVERS } from "../../content/alertmanager";
import { ALL_RECEIVERS_CONFIG, TEST_SECRETS } from "../support/harness";
import { settingsFor } from "../support/renderedFiles";

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
