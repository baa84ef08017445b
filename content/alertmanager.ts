/**
 * Builds `alertmanager.yml` from settings. Secrets never enter the text: receivers point at files
 * (`*_file` fields) that each target fills from its own secret mechanism.
 */
import type * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { HOST_LABEL, WATCHDOG_ALERT } from "./rules";
import type { AlertingSettings } from "../settings/settings";

/** The secret files Alertmanager reads, by the settings field that supplies them. */
export const ALERTMANAGER_SECRET_FILES = {
  slackWebhookUrl: "slack-webhook-url",
  pagerdutyRoutingKey: "pagerduty-routing-key",
  smtpPassword: "smtp-password",
  heartbeatToken: "heartbeat-token",
} as const;

export type AlertmanagerSecret = keyof typeof ALERTMANAGER_SECRET_FILES;

export const RECEIVERS = {
  null: "null",
  pagerduty: "pagerduty-critical",
  slack: "slack-warning",
  email: "email-all",
  heartbeat: "heartbeat",
} as const;

/**
 * Timings. The root route batches for 30 s; critical alerts wait only 10 s so a dead host pages in
 * under two minutes; the Watchdog repeats every minute so a heartbeat service sees a steady pulse.
 */
export const TIMINGS = {
  root: { group_wait: "30s", group_interval: "5m", repeat_interval: "4h" },
  critical: { group_wait: "10s", repeat_interval: "1h" },
  heartbeat: { group_wait: "0s", group_interval: "1m", repeat_interval: "1m" },
} as const;

export const GROUP_BY = ["alertname", "cluster", "service"] as const;

/**
 * Inhibitions. Alertmanager never lets an alert inhibit itself, and a missing label counts as empty,
 * so the Watchdog (no `host`, no `node`) is never silenced by them.
 */
export const INHIBIT_RULES = [
  // The critical version of an alert hides its warning/info version for the same instance.
  {
    source_matchers: ['severity="critical"'],
    target_matchers: ['severity=~"warning|info"'],
    equal: ["alertname", "cluster", "instance"],
  },
  // Node down: when a host's node-exporter is unreachable, the host is treated as down and every
  // other alert from that host (same `host` label, set by the scrape config) is held back.
  {
    source_matchers: ['alertname="InstanceDown"', 'job="node"', `${HOST_LABEL}=~".+"`],
    target_matchers: [`alertname!="${WATCHDOG_ALERT}"`],
    equal: ["cluster", HOST_LABEL],
  },
  // Kubernetes: a NotReady node hides the alerts of the pods and volumes on it.
  {
    source_matchers: ['alertname="NodeNotReady"'],
    target_matchers: [`alertname!="${WATCHDOG_ALERT}"`],
    equal: ["cluster", "node"],
  },
] as const;

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
          url: alerting.pagerduty.url,
          routing_key_file: file("pagerdutyRoutingKey"),
          send_resolved: true,
          severity: "critical",
          description: '{{ template "pagerduty.default.description" . }}',
          // Added to Alertmanager's default details (firing, resolved, num_firing, num_resolved).
          details: {
            alertname: "{{ .CommonLabels.alertname }}",
            cluster: "{{ .CommonLabels.cluster }}",
            environment: "{{ .CommonLabels.environment }}",
            job: "{{ .CommonLabels.job }}",
            instance: "{{ .CommonLabels.instance }}",
            service: "{{ .CommonLabels.service }}",
            runbook_url: "{{ .CommonAnnotations.runbook_url }}",
          },
        },
      ],
    });
  }
  if (alerting.heartbeat !== undefined) {
    list.push({
      name: RECEIVERS.heartbeat,
      webhook_configs: [
        {
          url: alerting.heartbeat.url,
          send_resolved: false,
          ...(alerting.heartbeat.token === undefined
            ? {}
            : {
                http_config: {
                  authorization: { type: "Bearer", credentials_file: file("heartbeatToken") },
                },
              }),
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
  // The Watchdog stops here: it must never page or e-mail anyone.
  const list: Record<string, unknown>[] = [
    {
      receiver: alerting.heartbeat === undefined ? RECEIVERS.null : RECEIVERS.heartbeat,
      matchers: [`alertname="${WATCHDOG_ALERT}"`],
      ...TIMINGS.heartbeat,
    },
  ];
  if (alerting.pagerduty !== undefined) {
    list.push({
      receiver: RECEIVERS.pagerduty,
      matchers: ['severity="critical"'],
      continue: true,
      ...TIMINGS.critical,
    });
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
      ...TIMINGS.root,
      routes: routes(input.alerting),
    },
    inhibit_rules: INHIBIT_RULES.map((r) => ({ ...r })),
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
  if (alerting.heartbeat?.token !== undefined)
    files[ALERTMANAGER_SECRET_FILES.heartbeatToken] = alerting.heartbeat.token;
  return files;
}
