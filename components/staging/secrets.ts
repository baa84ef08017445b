/**
 * Secrets Manager copies of the Pulumi config secrets that are set, for ECS to inject into tasks.
 * The values stay secret Outputs from `requireSecret` into `SecretVersion.secretString`.
 */
import * as pulumi from "@pulumi/pulumi";
import { Secret } from "@pulumi/aws/secretsmanager/secret";
import { SecretVersion } from "@pulumi/aws/secretsmanager/secretVersion";
import type { ConfigKey } from "../../settings/schema";
import { stagingNames } from "../../catalog/resourceNames";
import type { Settings } from "../../settings/settings";
import type { SecretArns } from "./types";
import type { PartOptions } from "../parts";

/** Every secret config key (a test keeps this equal to the secret keys of `CONFIG_KEYS`). */
export const SECRET_CONFIG_KEYS = [
  "grafanaAdminPassword",
  "slackWebhookUrl",
  "pagerdutyRoutingKey",
  "smtpPassword",
  "heartbeatToken",
] as const satisfies readonly ConfigKey[];
export type SecretConfigKey = (typeof SECRET_CONFIG_KEYS)[number];

/** The secret values the stack's settings carry, keyed by config key; unset ones are absent. */
export function configuredSecrets(
  settings: Settings,
): Partial<Record<SecretConfigKey, pulumi.Output<string>>> {
  const { alerting } = settings;
  const values: Record<SecretConfigKey, pulumi.Output<string> | undefined> = {
    grafanaAdminPassword: settings.grafana.adminPassword,
    slackWebhookUrl: alerting.slack?.webhookUrl,
    pagerdutyRoutingKey: alerting.pagerduty?.routingKey,
    smtpPassword: alerting.email?.password,
    heartbeatToken: alerting.heartbeat?.token,
  };
  return Object.fromEntries(
    SECRET_CONFIG_KEYS.flatMap((k) => (values[k] === undefined ? [] : [[k, values[k]]])),
  );
}

/**
 * One secret (named `<prefix>/<config key>`) with its current value for every configured secret.
 * Returns the secret ARNs keyed by config key; each ARN waits for the value to be stored.
 */
export function secrets(settings: Settings, opts: PartOptions): SecretArns {
  const { parent, prefix, tags } = opts;
  const arns: Record<string, pulumi.Output<string>> = {};
  for (const [key, value] of Object.entries(configuredSecrets(settings))) {
    const name = `${prefix}-${key}`;
    const secret = new Secret(
      name,
      {
        name: stagingNames(prefix).secret(key),
        description: `Pulumi config secret \`${key}\` of stack ${settings.stack}.`,
        recoveryWindowInDays: 7,
        tags: { ...tags, Name: `${prefix}/${key}` },
      },
      { parent },
    );
    const version = new SecretVersion(
      `${name}-value`,
      { secretId: secret.id, secretString: value },
      { parent },
    );
    arns[key] = pulumi.all([secret.arn, version.id]).apply(([arn]) => arn);
  }
  return arns;
}
