/** What the prod Secrets hold (components/prod/manifests/secrets.ts); their resources: objects.test.ts. */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import {
  ALERTMANAGER_SECRET_FILES,
  renderAlertmanagerConfig,
} from "../../../../content/alertmanager";
import { secretContents } from "../../../../components/prod/manifests/secrets";
import {
  ALERTMANAGER_CONFIG_KEY,
  ALERTMANAGER_SECRETS_DIR,
  GRAFANA_ADMIN_KEYS,
} from "../../../../components/prod/types";
import { parseSettings } from "../../../../settings/parse";
import {
  ALL_RECEIVERS_CONFIG,
  promiseOf,
  settingsInput,
  TEST_SECRETS,
} from "../../../support/harness";

describe("prod manifests: Secret contents", () => {
  const settings = parseSettings(
    settingsInput("prod", { heartbeatUrl: ALL_RECEIVERS_CONFIG.heartbeatUrl }, { ...TEST_SECRETS }),
  );

  it("keys the Grafana admin login the way the chart's `admin.existingSecret` reads it", async () => {
    const { grafanaAdmin } = secretContents(settings, ALERTMANAGER_SECRETS_DIR);
    assert.deepEqual(
      Object.keys(grafanaAdmin).sort(),
      [GRAFANA_ADMIN_KEYS.user, GRAFANA_ADMIN_KEYS.password].sort(),
    );
    assert.equal(grafanaAdmin[GRAFANA_ADMIN_KEYS.user], settings.grafana.adminUser);
    assert.equal(
      await promiseOf(pulumi.output(grafanaAdmin[GRAFANA_ADMIN_KEYS.password])),
      TEST_SECRETS.grafanaAdminPassword,
    );
  });

  it("holds alertmanager.yaml under the chart's key, rendered for the given secrets directory", () => {
    const { alertmanagerConfig } = secretContents(settings, "/secrets");
    assert.deepEqual(alertmanagerConfig, {
      [ALERTMANAGER_CONFIG_KEY]: renderAlertmanagerConfig({
        alerting: settings.alerting,
        secretsDir: "/secrets",
      }),
    });
  });

  it("has one receivers key per secret file", () => {
    const { alertmanagerReceivers } = secretContents(settings, ALERTMANAGER_SECRETS_DIR);
    assert.deepEqual(
      Object.keys(alertmanagerReceivers).sort(),
      Object.values(ALERTMANAGER_SECRET_FILES).sort(),
    );
  });
});
