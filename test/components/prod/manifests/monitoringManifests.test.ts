/** Every prod manifest at once (components/prod/manifests/monitoringManifests.ts), without resources. */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { buildDashboards } from "../../../../content/dashboards";
import { DASHBOARD_FOLDER } from "../../../../content/grafana";
import { GRAFANA_FOLDER_ANNOTATION } from "../../../../content/kubernetes";
import { stackRuleGroups } from "../../../../content/ruleSet";
import {
  monitoringManifests,
  PROMETHEUS_RULE_PREFIX,
} from "../../../../components/prod/manifests/monitoringManifests";
import { ALERTMANAGER_SECRETS_DIR, NAMESPACES } from "../../../../components/prod/types";
import { parseSettings } from "../../../../settings/parse";
import { ALL_RECEIVERS_CONFIG, settingsInput, TEST_SECRETS } from "../../../support/harness";

const settings = parseSettings(
  settingsInput("prod", { heartbeatUrl: ALL_RECEIVERS_CONFIG.heartbeatUrl }, { ...TEST_SECRETS }),
);

describe("prod manifests: monitoringManifests", () => {
  it("builds one PrometheusRule per rule group and one ConfigMap per dashboard, in the stack's folder", () => {
    const m = monitoringManifests({ settings, alertmanagerSecretsDir: ALERTMANAGER_SECRETS_DIR });
    assert.deepEqual(
      m.prometheusRules.map((r) => r.metadata?.name).sort(),
      stackRuleGroups(settings)
        .map((g) => `${PROMETHEUS_RULE_PREFIX}-${g.name}`)
        .sort(),
    );
    assert.equal(m.dashboards.length, buildDashboards().length);
    for (const d of m.dashboards) {
      assert.equal(d.metadata?.namespace, NAMESPACES.monitoring);
      assert.equal(d.metadata?.annotations?.[GRAFANA_FOLDER_ANNOTATION], DASHBOARD_FOLDER);
    }
    assert.deepEqual(m.serviceMonitors, []);
  });

  it("refuses a relative or slash-terminated secrets directory and a bad ingress namespace", () => {
    const refused = (input: { alertmanagerSecretsDir: string; ingressNamespace?: string }) => {
      try {
        monitoringManifests({ settings, ...input });
      } catch (e) {
        assert.ok(pulumi.InputPropertyError.isInstance(e));
        return (e as Error).message;
      }
      return "";
    };
    assert.match(
      refused({ alertmanagerSecretsDir: "etc/x" }),
      /`alertmanagerSecretsDir` must be an absolute/,
    );
    assert.match(refused({ alertmanagerSecretsDir: "/etc/x/" }), /without a trailing '\/'/);
    assert.match(
      refused({
        alertmanagerSecretsDir: ALERTMANAGER_SECRETS_DIR,
        ingressNamespace: "x".repeat(64),
      }),
      /`ingressNamespace` must be a Kubernetes namespace/,
    );
    assert.equal(
      refused({ alertmanagerSecretsDir: ALERTMANAGER_SECRETS_DIR, ingressNamespace: "traefik" }),
      "",
    );
  });
});
