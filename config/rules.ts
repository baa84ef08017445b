/**
 * The Prometheus alerting and recording rule library, as plain data.
 *
 * Rules are declared once in `RULE_TABLE` (one row per rule, built with the `alert()` and
 * `record()` helpers); `buildRuleGroups()` fills in per-stack details (runbook links) and
 * `renderRuleFile()` turns the result into a Prometheus rule file. Pure: no Pulumi imports.
 *
 * To add a rule: append a row to the right group (or add a group) and add a matching promtool
 * unit-test case in `test/rules.test.ts` — the suite fails for any alert or record without one.
 */
import { stringify } from "yaml";
import { IGNORED_FSTYPES, SCRAPE_JOBS } from "./ports";

export type Severity = "critical" | "warning" | "info";

export const SEVERITIES: readonly Severity[] = ["critical", "warning", "info"];

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: { readonly severity: Severity } & Readonly<Record<string, string>>;
  readonly annotations: {
    readonly summary: string;
    readonly description: string;
    readonly runbook_url: string;
  };
}

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface RuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly (AlertRule | RecordingRule)[];
}

export interface RuleOptions {
  /** Base URL for runbook links; each alert gets `${runbookBaseUrl}/${kebab-case alert name}` (no double slashes). */
  readonly runbookBaseUrl: string;
}

export function isAlertRule(r: AlertRule | RecordingRule): r is AlertRule {
  return "alert" in r;
}

/**
 * `HostHighCpuUsage` -> `host-high-cpu-usage`, `WillFillIn24Hours` -> `will-fill-in-24-hours`,
 * `DiskIOUtilisation` -> `disk-io-utilisation`. Adjacent acronyms stay together (`TSDBWAL` -> `tsdbwal`).
 */
export function toKebabCase(name: string): string {
  return name
    .replace(/([a-z])([A-Z0-9])/g, "$1-$2")
    .replace(/([0-9])([A-Za-z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .toLowerCase();
}

/** The runbook link of an alert: base URL (trailing slashes dropped) + kebab-case alert name. */
export function runbookUrl(runbookBaseUrl: string, alertName: string): string {
  return `${runbookBaseUrl.replace(/\/+$/, "")}/${toKebabCase(alertName)}`;
}

// ---------------------------------------------------------------------------------------------
// Selectors shared by the rules. Job names always come from SCRAPE_JOBS.
// ---------------------------------------------------------------------------------------------

const job = (name: string): string => `job="${name}"`;

/** Jobs whose loss is critical: the hosts themselves and the alerting pipeline. */
export const CORE_JOBS: readonly string[] = [
  SCRAPE_JOBS.node,
  SCRAPE_JOBS.prometheus,
  SCRAPE_JOBS.alertmanager,
];
const CORE_JOBS_RE = CORE_JOBS.join("|");

const NODE = job(SCRAPE_JOBS.node);
const PROMETHEUS = job(SCRAPE_JOBS.prometheus);
const ALERTMANAGER = job(SCRAPE_JOBS.alertmanager);

/** Real (on-disk) filesystems of the node job. */
const REAL_FS = `${NODE}, fstype!~"${IGNORED_FSTYPES.join("|")}"`;

// ---------------------------------------------------------------------------------------------
// Row helpers: the table below reads as "name, expr, options".
// ---------------------------------------------------------------------------------------------

interface AlertOptions {
  readonly for?: string;
  readonly severity: Severity;
  readonly summary: string;
  readonly description: string;
  /** Extra static labels (severity is always set from `severity`). */
  readonly labels?: Readonly<Record<string, string>>;
}

interface AlertRow extends AlertOptions {
  readonly kind: "alert";
  readonly alert: string;
  readonly expr: string;
}

interface RecordRow {
  readonly kind: "record";
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

interface GroupRow {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly (AlertRow | RecordRow)[];
}

function alert(name: string, expr: string, options: AlertOptions): AlertRow {
  return { kind: "alert", alert: name, expr, ...options };
}

function record(name: string, expr: string, labels?: Readonly<Record<string, string>>): RecordRow {
  return { kind: "record", record: name, expr, labels };
}

// ---------------------------------------------------------------------------------------------
// The rule table.
// ---------------------------------------------------------------------------------------------

/** Names of the recording rules, so alerts reference them without repeating strings. */
export const RECORDS = {
  numCpu: "instance:node_num_cpu:sum",
  cpuUtilisation: "instance:node_cpu_utilisation:rate5m",
  memoryUtilisation: "instance:node_memory_utilisation:ratio",
  filesystemAvail: "instance:node_filesystem_avail:ratio",
} as const;

const RULE_TABLE: readonly GroupRow[] = [
  {
    // Evaluated first so alerts in later groups see this evaluation's values.
    name: "node-recording",
    rules: [
      record(
        RECORDS.numCpu,
        `count without (cpu, mode) (node_cpu_seconds_total{${NODE}, mode="idle"})`,
      ),
      record(
        RECORDS.cpuUtilisation,
        `1 - avg without (cpu, mode) (rate(node_cpu_seconds_total{${NODE}, mode="idle"}[5m]))`,
      ),
      record(
        RECORDS.memoryUtilisation,
        `1 - node_memory_MemAvailable_bytes{${NODE}} / node_memory_MemTotal_bytes{${NODE}}`,
      ),
      record(
        RECORDS.filesystemAvail,
        `node_filesystem_avail_bytes{${REAL_FS}} / node_filesystem_size_bytes{${REAL_FS}}`,
      ),
    ],
  },
  {
    name: "targets",
    rules: [
      alert("InstanceDown", `up{job=~"${CORE_JOBS_RE}"} == 0`, {
        for: "5m",
        severity: "critical",
        summary: "Instance {{ $labels.instance }} of job {{ $labels.job }} is down",
        description:
          "{{ $labels.instance }} (job {{ $labels.job }}) has failed every scrape for more than 5 minutes. " +
          "Hosts and the alerting pipeline depend on this target.",
      }),
      alert("TargetDown", `up{job!~"${CORE_JOBS_RE}"} == 0`, {
        for: "5m",
        severity: "warning",
        summary: "Target {{ $labels.instance }} of job {{ $labels.job }} is down",
        description:
          "{{ $labels.instance }} (job {{ $labels.job }}) has failed every scrape for more than 5 minutes.",
      }),
    ],
  },
  {
    name: "node",
    rules: [
      alert("HostHighCpuUsage", `${RECORDS.cpuUtilisation}{${NODE}} > 0.9`, {
        for: "15m",
        severity: "warning",
        summary: "High CPU usage on {{ $labels.instance }}",
        description:
          "CPU on {{ $labels.instance }} has been {{ $value | humanizePercentage }} busy " +
          "(averaged over all cores) for more than 15 minutes.",
      }),
      alert("HostHighMemoryUsage", `${RECORDS.memoryUtilisation}{${NODE}} > 0.9`, {
        for: "15m",
        severity: "warning",
        summary: "High memory usage on {{ $labels.instance }}",
        description:
          "{{ $value | humanizePercentage }} of the memory of {{ $labels.instance }} has been in use " +
          "(1 - MemAvailable / MemTotal) for more than 15 minutes.",
      }),
      alert(
        "HostFilesystemAlmostFull",
        `${RECORDS.filesystemAvail}{${NODE}} < 0.1 and node_filesystem_readonly{${NODE}} == 0`,
        {
          for: "5m",
          severity: "critical",
          summary: "Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} is almost full",
          description:
            "Filesystem {{ $labels.mountpoint }} ({{ $labels.device }}) on {{ $labels.instance }} " +
            "has only {{ $value | humanizePercentage }} space left.",
        },
      ),
      alert(
        "HostFilesystemLowSpace",
        `${RECORDS.filesystemAvail}{${NODE}} < 0.2 and node_filesystem_readonly{${NODE}} == 0`,
        {
          for: "15m",
          severity: "warning",
          summary: "Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} is low on space",
          description:
            "Filesystem {{ $labels.mountpoint }} ({{ $labels.device }}) on {{ $labels.instance }} " +
            "has only {{ $value | humanizePercentage }} space left.",
        },
      ),
      alert(
        "HostDiskWillFillIn24Hours",
        `node_filesystem_avail_bytes{${REAL_FS}}` +
          ` and ${RECORDS.filesystemAvail}{${NODE}} < 0.4` +
          ` and predict_linear(node_filesystem_avail_bytes{${REAL_FS}}[6h], 24 * 3600) < 0` +
          ` and node_filesystem_readonly{${NODE}} == 0`,
        {
          for: "1h",
          severity: "warning",
          summary:
            "Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} will fill within 24 hours",
          description:
            "Filesystem {{ $labels.mountpoint }} ({{ $labels.device }}) on {{ $labels.instance }} " +
            "has {{ $value | humanize1024 }}B left and, at the rate of the last 6 hours, " +
            "will be full within 24 hours.",
        },
      ),
      alert(
        "HostHighDiskIOUtilisation",
        `rate(node_disk_io_time_seconds_total{${NODE}}[5m]) > 0.9`,
        {
          for: "15m",
          severity: "warning",
          summary: "Disk {{ $labels.device }} on {{ $labels.instance }} is saturated",
          description:
            "Disk {{ $labels.device }} on {{ $labels.instance }} has been busy " +
            "{{ $value | humanizePercentage }} of the time for more than 15 minutes.",
        },
      ),
      alert("HostHighLoad", `node_load15{${NODE}} / ${RECORDS.numCpu}{${NODE}} > 2`, {
        for: "15m",
        severity: "warning",
        summary: "High load on {{ $labels.instance }}",
        description:
          'The 15-minute load average of {{ $labels.instance }} has been {{ printf "%.2f" $value }} per CPU ' +
          "(above 2) for more than 15 minutes.",
      }),
      alert("HostClockSkew", `abs(node_timex_offset_seconds{${NODE}}) > 0.05`, {
        for: "10m",
        severity: "warning",
        summary: "Clock skew on {{ $labels.instance }}",
        description:
          "The clock of {{ $labels.instance }} has been off by {{ $value | humanizeDuration }} " +
          "for more than 10 minutes; check NTP.",
      }),
    ],
  },
  {
    name: "prometheus",
    rules: [
      alert(
        "PrometheusConfigReloadFailed",
        `prometheus_config_last_reload_successful{${PROMETHEUS}} == 0`,
        {
          for: "10m",
          severity: "warning",
          summary: "Prometheus {{ $labels.instance }} failed to reload its configuration",
          description:
            "Configuration reloads of Prometheus {{ $labels.instance }} have been failing for more than 10 minutes; " +
            "it keeps running the previous configuration.",
        },
      ),
      alert(
        "PrometheusRuleEvaluationFailures",
        `increase(prometheus_rule_evaluation_failures_total{${PROMETHEUS}}[5m]) > 0`,
        {
          for: "15m",
          severity: "critical",
          summary: "Prometheus {{ $labels.instance }} is failing rule evaluations",
          description:
            "Prometheus {{ $labels.instance }} failed {{ $value | humanize }} rule evaluations in group " +
            "{{ $labels.rule_group }} over the last 5 minutes; alerts from it may be missed.",
        },
      ),
      alert(
        "PrometheusNotificationsDropped",
        `increase(prometheus_notifications_dropped_total{${PROMETHEUS}}[5m]) > 0`,
        {
          for: "5m",
          severity: "warning",
          summary: "Prometheus {{ $labels.instance }} is dropping alert notifications",
          description:
            "Prometheus {{ $labels.instance }} dropped {{ $value | humanize }} alert notifications " +
            "over the last 5 minutes.",
        },
      ),
      alert(
        "PrometheusErrorSendingAlertsToAlertmanager",
        `rate(prometheus_notifications_errors_total{${PROMETHEUS}}[5m])` +
          ` / rate(prometheus_notifications_sent_total{${PROMETHEUS}}[5m]) > 0.01`,
        {
          for: "15m",
          severity: "warning",
          summary: "Prometheus {{ $labels.instance }} has errors sending alerts",
          description:
            "{{ $value | humanizePercentage }} of the alerts sent by Prometheus {{ $labels.instance }} " +
            "to {{ $labels.alertmanager }} failed over the last 5 minutes.",
        },
      ),
      alert(
        "PrometheusAlertmanagerNotConnected",
        `prometheus_notifications_alertmanagers_discovered{${PROMETHEUS}} < 1`,
        {
          for: "10m",
          severity: "critical",
          summary: "Prometheus {{ $labels.instance }} is not connected to any Alertmanager",
          description:
            "Prometheus {{ $labels.instance }} has discovered no Alertmanager for more than 10 minutes; " +
            "no alert notifications are delivered.",
        },
      ),
      alert(
        "PrometheusTSDBCompactionsFailing",
        `increase(prometheus_tsdb_compactions_failed_total{${PROMETHEUS}}[3h]) > 0`,
        {
          for: "4h",
          severity: "warning",
          summary: "Prometheus {{ $labels.instance }} has failing TSDB compactions",
          description:
            "Prometheus {{ $labels.instance }} failed {{ $value | humanize }} TSDB compactions " +
            "over the last 3 hours and has kept failing for more than 4 hours.",
        },
      ),
      alert(
        "PrometheusTSDBWALCorruptions",
        `increase(prometheus_tsdb_wal_corruptions_total{${PROMETHEUS}}[3h]) > 0`,
        {
          severity: "warning",
          summary: "Prometheus {{ $labels.instance }} detected WAL corruptions",
          description:
            "Prometheus {{ $labels.instance }} detected {{ $value | humanize }} write-ahead-log corruption(s) " +
            "over the last 3 hours; recent samples may have been lost.",
        },
      ),
    ],
  },
  {
    name: "alertmanager",
    rules: [
      alert(
        "AlertmanagerConfigReloadFailed",
        `alertmanager_config_last_reload_successful{${ALERTMANAGER}} == 0`,
        {
          for: "10m",
          severity: "critical",
          summary: "Alertmanager {{ $labels.instance }} failed to reload its configuration",
          description:
            "Configuration reloads of Alertmanager {{ $labels.instance }} have been failing for more than 10 minutes; " +
            "it keeps routing with the previous configuration.",
        },
      ),
      alert(
        "AlertmanagerNotificationsFailing",
        `sum without (reason) (rate(alertmanager_notifications_failed_total{${ALERTMANAGER}}[5m]))` +
          ` / rate(alertmanager_notifications_total{${ALERTMANAGER}}[5m]) > 0.01`,
        {
          for: "5m",
          severity: "warning",
          summary:
            "Alertmanager {{ $labels.instance }} is failing to send {{ $labels.integration }} notifications",
          description:
            "{{ $value | humanizePercentage }} of the {{ $labels.integration }} notifications sent by " +
            "Alertmanager {{ $labels.instance }} failed over the last 5 minutes.",
        },
      ),
    ],
  },
];

/** The rule groups of the stack, in evaluation-file order, with runbook links filled in. */
export function buildRuleGroups(opts: RuleOptions): RuleGroup[] {
  if (opts.runbookBaseUrl.trim() === "") {
    throw new Error("RuleOptions.runbookBaseUrl must not be empty");
  }
  return RULE_TABLE.map((group) => ({
    name: group.name,
    ...(group.interval === undefined ? {} : { interval: group.interval }),
    rules: group.rules.map((row): AlertRule | RecordingRule => {
      if (row.kind === "record") {
        return {
          record: row.record,
          expr: row.expr,
          ...(row.labels === undefined ? {} : { labels: { ...row.labels } }),
        };
      }
      return {
        alert: row.alert,
        expr: row.expr,
        ...(row.for === undefined ? {} : { for: row.for }),
        labels: { ...row.labels, severity: row.severity },
        annotations: {
          summary: row.summary,
          description: row.description,
          runbook_url: runbookUrl(opts.runbookBaseUrl, row.alert),
        },
      };
    }),
  }));
}

/** Renders groups as a Prometheus rule file (a `groups:` YAML document). */
export function renderRuleFile(groups: readonly RuleGroup[]): string {
  return stringify({ groups }, { lineWidth: 0 });
}
