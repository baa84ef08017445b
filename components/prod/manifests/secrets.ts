/**
 * What the Secrets the charts read hold: the Grafana admin login, alertmanager.yaml and the
 * receivers' secret files. Secret values stay Pulumi Outputs; the resources are made in objects.ts.
 */
import type * as pulumi from "@pulumi/pulumi";
import { alertmanagerSecretFiles, renderAlertmanagerConfig } from "../../../content/alertmanager";
import type { Settings } from "../../../settings/settings";
import { ALERTMANAGER_CONFIG_KEY, GRAFANA_ADMIN_KEYS } from "../types";

/** The Secrets' contents before they are wrapped as secrets: name → key → value. */
export interface SecretContents {
  readonly grafanaAdmin: Readonly<Record<string, pulumi.Input<string>>>;
  readonly alertmanagerConfig: Readonly<Record<string, string>>;
  readonly alertmanagerReceivers: Readonly<Record<string, pulumi.Output<string>>>;
}

/**
 * What each Secret holds. The Alertmanager config contains no secret values (its receivers read
 * `*_file` paths under `alertmanagerSecretsDir`); the receivers Secret has one key per file and
 * may be empty, so the operator's mount of it never fails.
 */
export function secretContents(settings: Settings, alertmanagerSecretsDir: string): SecretContents {
  return {
    // Grafana applies the admin password only on its first start against an empty database: to
    // rotate it later, change it in Grafana (`grafana cli admin reset-admin-password`) as well.
    grafanaAdmin: {
      [GRAFANA_ADMIN_KEYS.user]: settings.grafana.adminUser,
      [GRAFANA_ADMIN_KEYS.password]: settings.grafana.adminPassword,
    },
    alertmanagerConfig: {
      [ALERTMANAGER_CONFIG_KEY]: renderAlertmanagerConfig({
        alerting: settings.alerting,
        secretsDir: alertmanagerSecretsDir,
      }),
    },
    alertmanagerReceivers: alertmanagerSecretFiles(settings.alerting),
  };
}
