/**
 * Builds `alertmanager.yml` from settings. Secrets never enter the text: receivers point at files
 * (`*_file` fields) that each target fills from its own secret mechanism.
 */
import type * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import type { AlertingSettings } from "./settings";

/** The secret files Alertmanager reads, by the settings field that supplies them. */
export const ALERTMANAGER_SECRET_FILES = {
  slackWebhookUrl: "slack-webhook-url",
  pagerdutyRoutingKey: "pagerduty-routing-key",
  smtpPassword: "smtp-password",
} as const;

export type AlertmanagerSecret = keyof typeof ALERTMANAGER_SECRET_FILES;

export const RECEIVERS = {
  null: "null",
  pagerduty: "pagerduty-critical",
  slack: "slack-warning",
  email: "email-all",
} as const;

export const GROUP_BY = ["alertname", "cluster", "service"] as const;

export interface AlertmanagerConfigInput {
  readonly alerting: AlertingSettings;
  /** Directory inside the container where the secret files are mounted. */
  readonly secretsDir: string;
}

function receivers(input: AlertmanagerConfigInput): Record<string, unknown>[] {
  const { alerting, secretsDir } = input;
  const file = (s: AlertmanagerSecret) => `${secretsDir}/${ALERTMANAGER_SECRET_FILES[s]}`;
  const list: Record<string, unknown>[] = [{ name: RECEIVERS.null }];
  if (alerting.pagerduty !== undefined) {
    list.push({
      name: RECEIVERS.pagerduty,
      pagerduty_configs: [
        {
          routing_key_file: file("pagerdutyRoutingKey"),
          send_resolved: true,
          severity: "critical",
          description: '{{ template "pagerduty.default.description" . }}',
        },
      ],
    });
  }
  if (alerting.slack !== undefined) {
    list.push({
      name: RECEIVERS.slack,
      slack_configs: [
        {
          api_url_file: file("slackWebhookUrl"),
          channel: alerting.slack.channel,
          send_resolved: true,
          title:
            "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.cluster }})",
          text: "{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook_url }}\n{{ end }}",
        },
      ],
    });
  }
  if (alerting.email !== undefined) {
    const email = alerting.email;
    list.push({
      name: RECEIVERS.email,
      email_configs: [
        {
          to: email.to.join(", "),
          from: email.from,
          smarthost: email.smarthost,
          require_tls: email.requireTls,
          send_resolved: true,
          ...(email.username === undefined ? {} : { auth_username: email.username }),
          ...(email.password === undefined ? {} : { auth_password_file: file("smtpPassword") }),
        },
      ],
    });
  }
  return list;
}

function routes(alerting: AlertingSettings): Record<string, unknown>[] {
  // Severity routes `continue` so the catch-all e-mail route still sees every alert.
  const list: Record<string, unknown>[] = [
    { receiver: RECEIVERS.null, matchers: ['alertname="Watchdog"'] },
  ];
  if (alerting.pagerduty !== undefined) {
    list.push({ receiver: RECEIVERS.pagerduty, matchers: ['severity="critical"'], continue: true });
  }
  if (alerting.slack !== undefined) {
    list.push({ receiver: RECEIVERS.slack, matchers: ['severity="warning"'], continue: true });
  }
  if (alerting.email !== undefined) list.push({ receiver: RECEIVERS.email });
  return list;
}

/** The config as a plain object. */
export function alertmanagerConfig(input: AlertmanagerConfigInput): Record<string, unknown> {
  return {
    route: {
      receiver: RECEIVERS.null,
      group_by: [...GROUP_BY],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "4h",
      routes: routes(input.alerting),
    },
    inhibit_rules: [
      {
        source_matchers: ['severity="critical"'],
        target_matchers: ['severity="warning"'],
        equal: ["alertname", "cluster", "instance"],
      },
    ],
    receivers: receivers(input),
  };
}

/** `alertmanager.yml` text; contains no secret values. */
export function renderAlertmanagerConfig(input: AlertmanagerConfigInput): string {
  return stringify(alertmanagerConfig(input), { lineWidth: 0 });
}

/** The secret files a target must deliver next to the config: file name → secret value. */
export function alertmanagerSecretFiles(
  alerting: AlertingSettings,
): Record<string, pulumi.Output<string>> {
  const files: Record<string, pulumi.Output<string>> = {};
  if (alerting.slack !== undefined)
    files[ALERTMANAGER_SECRET_FILES.slackWebhookUrl] = alerting.slack.webhookUrl;
  if (alerting.pagerduty !== undefined) {
    files[ALERTMANAGER_SECRET_FILES.pagerdutyRoutingKey] = alerting.pagerduty.routingKey;
  }
  if (alerting.email?.password !== undefined)
    files[ALERTMANAGER_SECRET_FILES.smtpPassword] = alerting.email.password;
  return files;
}
