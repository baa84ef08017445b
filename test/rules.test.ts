import assert from "node:assert/strict";
import * as fs from "node:fs";
import { parse, stringify } from "yaml";
import { SCRAPE_JOBS } from "../config/ports";
import {
  type AlertRule,
  type RecordingRule,
  type RuleGroup,
  SEVERITIES,
  buildRuleGroups,
  isAlertRule,
  renderRuleFile,
  toKebabCase,
} from "../config/rules";
import { promqlErrors } from "../config/promql";
import { requireTool, runTool, writeTempFiles } from "./tools";

const BASE = "https://runbooks.example.com/alerts";

const groups: RuleGroup[] = buildRuleGroups({ runbookBaseUrl: BASE });
const rules = groups.flatMap((g) => g.rules);
const alerts: AlertRule[] = rules.filter(isAlertRule);
const records: RecordingRule[] = rules.filter((r): r is RecordingRule => !isAlertRule(r));

/** Prometheus duration syntax (model.ParseDuration): units in descending order, integers only. */
const PROM_DURATION = /^(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/;
function isPrometheusDuration(value: string): boolean {
  return value !== "" && PROM_DURATION.test(value) && !/^0+[a-z]+$/.test(value);
}

// ---------------------------------------------------------------------------------------------
// promtool unit-test model (rendered to YAML with `yaml`, never templated by hand).
// ---------------------------------------------------------------------------------------------

interface InputSeries {
  readonly series: string;
  readonly values: string;
}

/** `metric{a="1", b="2"}` from a name and labels. */
function series(
  metric: string,
  labels: Readonly<Record<string, string>>,
  values: string,
): InputSeries {
  const body = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(", ");
  return { series: `${metric}{${body}}`, values };
}

interface AlertCase {
  readonly alert: string;
  readonly input: readonly InputSeries[];
  /** An eval time at which exactly this one alert is firing. */
  readonly fires: {
    readonly at: string;
    /** The complete label set of the alert. */
    readonly labels: Readonly<Record<string, string>>;
    readonly summary: string;
    readonly description: string;
    /** Last path segment of the runbook link. */
    readonly runbook: string;
  };
  /** Eval times at which nothing fires (condition false, or `for` not yet elapsed). */
  readonly silentAt: readonly string[];
}

interface RecordCase {
  readonly record: string;
  readonly input: readonly InputSeries[];
  readonly at: string;
  readonly samples: readonly { readonly labels: string; readonly value: number }[];
}

const RULE_FILE = "rules.yml";
const TEST_FILE = "rules.test.yml";

function promtoolTestFile(test: object): string {
  return stringify(
    { rule_files: [RULE_FILE], evaluation_interval: "1m", tests: [{ interval: "1m", ...test }] },
    { lineWidth: 0 },
  );
}

function alertTest(c: AlertCase): string {
  return promtoolTestFile({
    input_series: c.input,
    alert_rule_test: [
      {
        eval_time: c.fires.at,
        alertname: c.alert,
        exp_alerts: [
          {
            exp_labels: c.fires.labels,
            exp_annotations: {
              summary: c.fires.summary,
              description: c.fires.description,
              runbook_url: `${BASE}/${c.fires.runbook}`,
            },
          },
        ],
      },
      ...c.silentAt.map((at) => ({ eval_time: at, alertname: c.alert, exp_alerts: [] })),
    ],
  });
}

function recordTest(c: RecordCase): string {
  return promtoolTestFile({
    input_series: c.input,
    promql_expr_test: [{ expr: c.record, eval_time: c.at, exp_samples: c.samples }],
  });
}

// ---------------------------------------------------------------------------------------------
// Fixtures: instances and label sets shared by the cases.
// ---------------------------------------------------------------------------------------------

const NODE = SCRAPE_JOBS.node;
const PROMETHEUS = SCRAPE_JOBS.prometheus;
const ALERTMANAGER = SCRAPE_JOBS.alertmanager;
const HOST_A = "host-a:9100";
const HOST_B = "host-b:9100";
const PROM_0 = "prometheus-0:9090";
const PROM_1 = "prometheus-1:9090";
const AM_0 = "alertmanager-0:9093";
const AM_1 = "alertmanager-1:9093";
const AM_URL = "http://alertmanager:9093/api/v2/alerts";

const hostA = { instance: HOST_A, job: NODE };
const hostB = { instance: HOST_B, job: NODE };
const prom0 = { instance: PROM_0, job: PROMETHEUS };
const prom1 = { instance: PROM_1, job: PROMETHEUS };
const am0 = { instance: AM_0, job: ALERTMANAGER };
const am1 = { instance: AM_1, job: ALERTMANAGER };

const ROOT_FS = {
  device: "/dev/sda1",
  fstype: "ext4",
  instance: HOST_A,
  job: NODE,
  mountpoint: "/",
};
const CDROM_FS = {
  device: "/dev/sr0",
  fstype: "iso9660",
  instance: HOST_A,
  job: NODE,
  mountpoint: "/media/cdrom",
};
const TMP_FS = {
  device: "tmpfs",
  fstype: "tmpfs",
  instance: HOST_A,
  job: NODE,
  mountpoint: "/run",
};
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** avail/size/readonly series of one filesystem. */
function filesystem(
  labels: Readonly<Record<string, string>>,
  avail: string,
  size: number,
  readonly: 0 | 1,
  samples: number,
): InputSeries[] {
  return [
    series("node_filesystem_avail_bytes", labels, avail),
    series("node_filesystem_size_bytes", labels, `${size}x${samples}`),
    series("node_filesystem_readonly", labels, `${readonly}x${samples}`),
  ];
}

/** Idle-mode CPU counters of `count` cores, plus a busy user-mode counter that rules must ignore. */
function idleCpus(labels: Readonly<Record<string, string>>, count: number, values: string) {
  return [
    ...Array.from({ length: count }, (_, cpu) =>
      series("node_cpu_seconds_total", { cpu: String(cpu), ...labels, mode: "idle" }, values),
    ),
    series("node_cpu_seconds_total", { cpu: "0", ...labels, mode: "user" }, "0+59x60"),
  ];
}

// ---------------------------------------------------------------------------------------------
// One case per alert. Each "fires" expectation is the complete label set and the exact
// rendered annotations; `silentAt` covers both "condition false" and "`for` not elapsed".
// ---------------------------------------------------------------------------------------------

const ALERT_CASES: readonly AlertCase[] = [
  // --- targets -------------------------------------------------------------------------------
  {
    alert: "InstanceDown",
    input: [
      series("up", hostA, "1x5 0x15"), // down from 6m
      series("up", hostB, "1x21"),
      series("up", { instance: "grafana:3000", job: SCRAPE_JOBS.grafana }, "0x21"), // not core
    ],
    fires: {
      at: "12m",
      labels: { alertname: "InstanceDown", severity: "critical", ...hostA },
      summary: "Instance host-a:9100 of job node is down",
      description:
        "host-a:9100 (job node) has failed every scrape for more than 5 minutes. " +
        "Hosts and the alerting pipeline depend on this target.",
      runbook: "instance-down",
    },
    silentAt: ["5m", "10m"],
  },
  {
    alert: "TargetDown",
    input: [
      series("up", { instance: "grafana:3000", job: SCRAPE_JOBS.grafana }, "1x5 0x15"),
      series("up", { instance: "loki:3100", job: SCRAPE_JOBS.loki }, "1x21"),
      series("up", hostA, "0x21"), // core job: InstanceDown's business
    ],
    fires: {
      at: "12m",
      labels: {
        alertname: "TargetDown",
        severity: "warning",
        instance: "grafana:3000",
        job: SCRAPE_JOBS.grafana,
      },
      summary: "Target grafana:3000 of job grafana is down",
      description: "grafana:3000 (job grafana) has failed every scrape for more than 5 minutes.",
      runbook: "target-down",
    },
    silentAt: ["5m", "10m"],
  },
  // --- node ----------------------------------------------------------------------------------
  {
    alert: "HostHighCpuUsage",
    input: [
      // host-a: idle 60s/min until 10m, then 3s/min (95% busy); the 5m rate crosses 90% at 15m.
      ...idleCpus(hostA, 2, "0+60x10 603+3x30"),
      // host-b: one core pegged, one idle = 50% busy on average: silent.
      series("node_cpu_seconds_total", { cpu: "0", ...hostB, mode: "idle" }, "0x40"),
      series("node_cpu_seconds_total", { cpu: "1", ...hostB, mode: "idle" }, "0+60x40"),
    ],
    fires: {
      at: "31m",
      labels: { alertname: "HostHighCpuUsage", severity: "warning", ...hostA },
      summary: "High CPU usage on host-a:9100",
      description:
        "CPU on host-a:9100 has been 95% busy (averaged over all cores) for more than 15 minutes.",
      runbook: "host-high-cpu-usage",
    },
    silentAt: ["14m", "25m"],
  },
  {
    alert: "HostHighMemoryUsage",
    input: [
      series("node_memory_MemTotal_bytes", hostA, "16000000000x40"),
      series("node_memory_MemAvailable_bytes", hostA, "8000000000x10 1000000000x30"),
      series("node_memory_MemTotal_bytes", hostB, "16000000000x40"),
      series("node_memory_MemAvailable_bytes", hostB, "8000000000x40"),
    ],
    fires: {
      at: "27m",
      labels: { alertname: "HostHighMemoryUsage", severity: "warning", ...hostA },
      summary: "High memory usage on host-a:9100",
      description:
        "93.75% of the memory of host-a:9100 has been in use (1 - MemAvailable / MemTotal) " +
        "for more than 15 minutes.",
      runbook: "host-high-memory-usage",
    },
    silentAt: ["10m", "20m"],
  },
  {
    alert: "HostFilesystemAlmostFull",
    input: [
      ...filesystem(ROOT_FS, "50000000000x5 5000000000x20", 100000000000, 0, 25),
      ...filesystem(CDROM_FS, "0x25", 700000000, 1, 25), // full but read-only
      ...filesystem(TMP_FS, "0x25", 100000000, 0, 25), // full but not a real filesystem
    ],
    fires: {
      at: "12m",
      labels: { alertname: "HostFilesystemAlmostFull", severity: "critical", ...ROOT_FS },
      summary: "Filesystem / on host-a:9100 is almost full",
      description: "Filesystem / (/dev/sda1) on host-a:9100 has only 5% space left.",
      runbook: "host-filesystem-almost-full",
    },
    silentAt: ["5m", "10m"],
  },
  {
    alert: "HostFilesystemLowSpace",
    input: [
      ...filesystem(ROOT_FS, "50000000000x5 15000000000x25", 100000000000, 0, 30),
      ...filesystem(CDROM_FS, "0x30", 700000000, 1, 30),
      ...filesystem(TMP_FS, "0x30", 100000000, 0, 30),
    ],
    fires: {
      at: "22m",
      labels: { alertname: "HostFilesystemLowSpace", severity: "warning", ...ROOT_FS },
      summary: "Filesystem / on host-a:9100 is low on space",
      description: "Filesystem / (/dev/sda1) on host-a:9100 has only 15% space left.",
      runbook: "host-filesystem-low-space",
    },
    silentAt: ["5m", "15m"],
  },
  {
    alert: "HostDiskWillFillIn24Hours",
    input: [
      // 30 GiB of 100 GiB left, losing 30 MiB/min (~42 GiB/day): fills within a day.
      ...filesystem(ROOT_FS, `${30 * GiB}-${30 * MiB}x120`, 100 * GiB, 0, 120),
      // Same space, losing 1 MiB/min: will not fill within a day.
      ...filesystem(
        { ...ROOT_FS, device: "/dev/sdb1", fstype: "xfs", mountpoint: "/data" },
        `${30 * GiB}-${MiB}x120`,
        100 * GiB,
        0,
        120,
      ),
      // Losing 100 MiB/min but still above 40% free: not yet worth a page.
      ...filesystem(
        { ...ROOT_FS, device: "/dev/sdc1", fstype: "xfs", mountpoint: "/backup" },
        `${80 * GiB}-${100 * MiB}x120`,
        100 * GiB,
        0,
        120,
      ),
    ],
    fires: {
      // Active from 1m (predict_linear needs two samples), firing from 61m; at 65m avail is
      // 30 GiB - 65 * 30 MiB = 28.0957 GiB.
      at: "65m",
      labels: { alertname: "HostDiskWillFillIn24Hours", severity: "warning", ...ROOT_FS },
      summary: "Filesystem / on host-a:9100 will fill within 24 hours",
      description:
        "Filesystem / (/dev/sda1) on host-a:9100 has 28.1GiB left and, at the rate of the last " +
        "6 hours, will be full within 24 hours.",
      runbook: "host-disk-will-fill-in-24-hours",
    },
    silentAt: ["0m", "30m"],
  },
  {
    alert: "HostHighDiskIOUtilisation",
    input: [
      series("node_disk_io_time_seconds_total", { device: "sda", ...hostA }, "0+57x40"),
      series("node_disk_io_time_seconds_total", { device: "sdb", ...hostA }, "0+6x40"),
    ],
    fires: {
      // The 5m rate reaches 0.95 once the window is full (5m), firing from 20m.
      at: "25m",
      labels: {
        alertname: "HostHighDiskIOUtilisation",
        severity: "warning",
        device: "sda",
        ...hostA,
      },
      summary: "Disk sda on host-a:9100 is saturated",
      description:
        "Disk sda on host-a:9100 has been busy 95% of the time for more than 15 minutes.",
      runbook: "host-high-disk-io-utilisation",
    },
    silentAt: ["4m", "15m"],
  },
  {
    alert: "HostHighLoad",
    input: [
      ...idleCpus(hostA, 4, "0+1x40"),
      series("node_load15", hostA, "2x10 9x30"), // 9 / 4 CPUs = 2.25 from 11m
      ...idleCpus(hostB, 4, "0+1x40"),
      series("node_load15", hostB, "6x40"), // 1.5 per CPU
    ],
    fires: {
      at: "27m",
      labels: { alertname: "HostHighLoad", severity: "warning", ...hostA },
      summary: "High load on host-a:9100",
      description:
        "The 15-minute load average of host-a:9100 has been 2.25 per CPU (above 2) " +
        "for more than 15 minutes.",
      runbook: "host-high-load",
    },
    silentAt: ["10m", "20m"],
  },
  {
    alert: "HostClockSkew",
    input: [
      series("node_timex_offset_seconds", hostA, "0x5 -0.1x20"),
      series("node_timex_offset_seconds", hostB, "0.001x25"),
    ],
    fires: {
      at: "17m",
      labels: { alertname: "HostClockSkew", severity: "warning", ...hostA },
      summary: "Clock skew on host-a:9100",
      description:
        "The clock of host-a:9100 has been off by 100ms for more than 10 minutes; check NTP.",
      runbook: "host-clock-skew",
    },
    silentAt: ["5m", "12m"],
  },
  // --- prometheus ----------------------------------------------------------------------------
  {
    alert: "PrometheusConfigReloadFailed",
    input: [
      series("prometheus_config_last_reload_successful", prom0, "1x5 0x20"),
      series("prometheus_config_last_reload_successful", prom1, "1x25"),
    ],
    fires: {
      at: "17m",
      labels: { alertname: "PrometheusConfigReloadFailed", severity: "warning", ...prom0 },
      summary: "Prometheus prometheus-0:9090 failed to reload its configuration",
      description:
        "Configuration reloads of Prometheus prometheus-0:9090 have been failing for more than " +
        "10 minutes; it keeps running the previous configuration.",
      runbook: "prometheus-config-reload-failed",
    },
    silentAt: ["5m", "12m"],
  },
  {
    alert: "PrometheusRuleEvaluationFailures",
    input: [
      series(
        "prometheus_rule_evaluation_failures_total",
        { ...prom0, rule_group: "/etc/prometheus/rules.yml;node" },
        "0x10 1+1x29",
      ),
      series(
        "prometheus_rule_evaluation_failures_total",
        { ...prom0, rule_group: "/etc/prometheus/rules.yml;targets" },
        "0x40",
      ),
    ],
    fires: {
      at: "27m",
      labels: {
        alertname: "PrometheusRuleEvaluationFailures",
        severity: "critical",
        ...prom0,
        rule_group: "/etc/prometheus/rules.yml;node",
      },
      summary: "Prometheus prometheus-0:9090 is failing rule evaluations",
      description:
        "Prometheus prometheus-0:9090 failed 5 rule evaluations in group " +
        "/etc/prometheus/rules.yml;node over the last 5 minutes; alerts from it may be missed.",
      runbook: "prometheus-rule-evaluation-failures",
    },
    silentAt: ["10m", "20m"],
  },
  {
    alert: "PrometheusNotificationsDropped",
    input: [
      series("prometheus_notifications_dropped_total", prom0, "0x10 1+1x29"),
      series("prometheus_notifications_dropped_total", prom1, "0x40"),
    ],
    fires: {
      at: "17m",
      labels: { alertname: "PrometheusNotificationsDropped", severity: "warning", ...prom0 },
      summary: "Prometheus prometheus-0:9090 is dropping alert notifications",
      description:
        "Prometheus prometheus-0:9090 dropped 5 alert notifications over the last 5 minutes.",
      runbook: "prometheus-notifications-dropped",
    },
    silentAt: ["10m", "14m"],
  },
  {
    alert: "PrometheusErrorSendingAlertsToAlertmanager",
    input: [
      series(
        "prometheus_notifications_errors_total",
        { ...prom0, alertmanager: AM_URL },
        "0x10 1+1x29",
      ),
      series("prometheus_notifications_sent_total", { ...prom0, alertmanager: AM_URL }, "0+10x40"),
      series("prometheus_notifications_errors_total", { ...prom1, alertmanager: AM_URL }, "0x40"),
      series("prometheus_notifications_sent_total", { ...prom1, alertmanager: AM_URL }, "0+10x40"),
    ],
    fires: {
      at: "27m",
      labels: {
        alertname: "PrometheusErrorSendingAlertsToAlertmanager",
        severity: "warning",
        alertmanager: AM_URL,
        ...prom0,
      },
      summary: "Prometheus prometheus-0:9090 has errors sending alerts",
      description:
        "10% of the alerts sent by Prometheus prometheus-0:9090 to " +
        "http://alertmanager:9093/api/v2/alerts failed over the last 5 minutes.",
      runbook: "prometheus-error-sending-alerts-to-alertmanager",
    },
    silentAt: ["10m", "20m"],
  },
  {
    alert: "PrometheusAlertmanagerNotConnected",
    input: [
      series("prometheus_notifications_alertmanagers_discovered", prom0, "1x5 0x20"),
      series("prometheus_notifications_alertmanagers_discovered", prom1, "1x25"),
    ],
    fires: {
      at: "17m",
      labels: { alertname: "PrometheusAlertmanagerNotConnected", severity: "critical", ...prom0 },
      summary: "Prometheus prometheus-0:9090 is not connected to any Alertmanager",
      description:
        "Prometheus prometheus-0:9090 has discovered no Alertmanager for more than 10 minutes; " +
        "no alert notifications are delivered.",
      runbook: "prometheus-alertmanager-not-connected",
    },
    silentAt: ["5m", "12m"],
  },
  {
    alert: "PrometheusTSDBCompactionsFailing",
    input: [
      // One failure a minute from 61m: active from 61m, firing from 5h1m.
      series("prometheus_tsdb_compactions_failed_total", prom0, "0x60 1+1x260"),
      series("prometheus_tsdb_compactions_failed_total", prom1, "0x320"),
    ],
    fires: {
      at: "5h5m",
      labels: { alertname: "PrometheusTSDBCompactionsFailing", severity: "warning", ...prom0 },
      summary: "Prometheus prometheus-0:9090 has failing TSDB compactions",
      description:
        "Prometheus prometheus-0:9090 failed 180 TSDB compactions over the last 3 hours and has " +
        "kept failing for more than 4 hours.",
      runbook: "prometheus-tsdb-compactions-failing",
    },
    silentAt: ["1h", "3h"],
  },
  {
    alert: "PrometheusTSDBWALCorruptions",
    input: [
      series("prometheus_tsdb_wal_corruptions_total", prom0, "0x10 1x30"),
      series("prometheus_tsdb_wal_corruptions_total", prom1, "0x40"),
    ],
    fires: {
      at: "12m",
      labels: { alertname: "PrometheusTSDBWALCorruptions", severity: "warning", ...prom0 },
      summary: "Prometheus prometheus-0:9090 detected WAL corruptions",
      description:
        "Prometheus prometheus-0:9090 detected 1 write-ahead-log corruption(s) over the last " +
        "3 hours; recent samples may have been lost.",
      runbook: "prometheus-tsdbwal-corruptions",
    },
    silentAt: ["10m"],
  },
  // --- alertmanager --------------------------------------------------------------------------
  {
    alert: "AlertmanagerConfigReloadFailed",
    input: [
      series("alertmanager_config_last_reload_successful", am0, "1x5 0x20"),
      series("alertmanager_config_last_reload_successful", am1, "1x25"),
    ],
    fires: {
      at: "17m",
      labels: { alertname: "AlertmanagerConfigReloadFailed", severity: "critical", ...am0 },
      summary: "Alertmanager alertmanager-0:9093 failed to reload its configuration",
      description:
        "Configuration reloads of Alertmanager alertmanager-0:9093 have been failing for more " +
        "than 10 minutes; it keeps routing with the previous configuration.",
      runbook: "alertmanager-config-reload-failed",
    },
    silentAt: ["5m", "12m"],
  },
  {
    alert: "AlertmanagerNotificationsFailing",
    input: [
      series(
        "alertmanager_notifications_failed_total",
        { ...am0, integration: "slack", reason: "clientError" },
        "0x10 2+2x29",
      ),
      series(
        "alertmanager_notifications_failed_total",
        { ...am0, integration: "slack", reason: "serverError" },
        "0x40",
      ),
      series("alertmanager_notifications_total", { ...am0, integration: "slack" }, "0+10x40"),
      series(
        "alertmanager_notifications_failed_total",
        { ...am0, integration: "webhook", reason: "other" },
        "0x40",
      ),
      series("alertmanager_notifications_total", { ...am0, integration: "webhook" }, "0+10x40"),
    ],
    fires: {
      at: "17m",
      labels: {
        alertname: "AlertmanagerNotificationsFailing",
        severity: "warning",
        ...am0,
        integration: "slack",
      },
      summary: "Alertmanager alertmanager-0:9093 is failing to send slack notifications",
      description:
        "20% of the slack notifications sent by Alertmanager alertmanager-0:9093 failed over the " +
        "last 5 minutes.",
      runbook: "alertmanager-notifications-failing",
    },
    silentAt: ["10m", "14m"],
  },
];

const RECORD_CASES: readonly RecordCase[] = [
  {
    record: "instance:node_num_cpu:sum",
    input: [
      ...idleCpus(hostA, 2, "0+60x10"),
      ...idleCpus(hostB, 4, "0+60x10"),
      // Another job exposing the same metric is not counted.
      series(
        "node_cpu_seconds_total",
        { cpu: "0", instance: "alloy:12345", job: SCRAPE_JOBS.alloy, mode: "idle" },
        "0+60x10",
      ),
    ],
    at: "5m",
    samples: [
      { labels: `instance:node_num_cpu:sum{instance="${HOST_A}", job="${NODE}"}`, value: 2 },
      { labels: `instance:node_num_cpu:sum{instance="${HOST_B}", job="${NODE}"}`, value: 4 },
    ],
  },
  {
    record: "instance:node_cpu_utilisation:rate5m",
    input: [
      // Core 0 idle 50%, core 1 idle 75%: busy 1 - 0.625 = 0.375.
      series("node_cpu_seconds_total", { cpu: "0", ...hostA, mode: "idle" }, "0+30x10"),
      series("node_cpu_seconds_total", { cpu: "1", ...hostA, mode: "idle" }, "0+45x10"),
      series("node_cpu_seconds_total", { cpu: "0", ...hostA, mode: "user" }, "0+30x10"),
    ],
    at: "10m",
    samples: [
      {
        labels: `instance:node_cpu_utilisation:rate5m{instance="${HOST_A}", job="${NODE}"}`,
        value: 0.375,
      },
    ],
  },
  {
    record: "instance:node_memory_utilisation:ratio",
    input: [
      series("node_memory_MemAvailable_bytes", hostA, "4000000000x10"),
      series("node_memory_MemTotal_bytes", hostA, "16000000000x10"),
    ],
    at: "5m",
    samples: [
      {
        labels: `instance:node_memory_utilisation:ratio{instance="${HOST_A}", job="${NODE}"}`,
        value: 0.75,
      },
    ],
  },
  {
    record: "instance:node_filesystem_avail:ratio",
    input: [
      ...filesystem(ROOT_FS, "25000000000x10", 100000000000, 0, 10),
      ...filesystem(TMP_FS, "0x10", 100000000, 0, 10), // pseudo filesystem: no sample
      ...filesystem({ ...TMP_FS, device: "overlay", fstype: "overlay" }, "0x10", 1000, 0, 10),
    ],
    at: "5m",
    samples: [
      {
        labels:
          `instance:node_filesystem_avail:ratio{device="/dev/sda1", fstype="ext4", ` +
          `instance="${HOST_A}", job="${NODE}", mountpoint="/"}`,
        value: 0.25,
      },
    ],
  },
];

// ---------------------------------------------------------------------------------------------

describe("rules: library data", () => {
  it("every expression (alerts and records) parses as PromQL", () => {
    for (const rule of rules) {
      const name = isAlertRule(rule) ? rule.alert : rule.record;
      assert.deepEqual(promqlErrors(rule.expr), [], `${name}: ${rule.expr}`);
    }
  });

  it("the PromQL check reports a broken expression", () => {
    assert.notDeepEqual(promqlErrors('rate(node_cpu_seconds_total{job="node"}[5m]'), []);
    assert.notDeepEqual(promqlErrors("up == == 0"), []);
  });

  it("has the expected groups, recording rules first so alerts see fresh values", () => {
    assert.deepEqual(
      groups.map((g) => g.name),
      ["node-recording", "targets", "node", "prometheus", "alertmanager"],
    );
    const groupOf = new Map<string, number>();
    groups.forEach((g, i) => g.rules.forEach((r) => !isAlertRule(r) && groupOf.set(r.record, i)));
    groups.forEach((g, i) => {
      for (const a of g.rules.filter(isAlertRule)) {
        for (const [recorded, at] of groupOf) {
          if (a.expr.includes(recorded)) {
            assert.ok(at < i, `${a.alert} uses ${recorded} recorded in a later group`);
          }
        }
      }
    });
  });

  it("alert and record names are unique and well formed", () => {
    const alertNames = alerts.map((a) => a.alert);
    assert.equal(new Set(alertNames).size, alertNames.length, "duplicate alert name");
    for (const name of alertNames) assert.match(name, /^[A-Z][A-Za-z0-9]+$/);
    const recordNames = records.map((r) => r.record);
    assert.equal(new Set(recordNames).size, recordNames.length, "duplicate record name");
    // Prometheus naming convention level:metric:operations.
    for (const name of recordNames) assert.match(name, /^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$/);
  });

  it("every alert has a valid severity, summary, description and runbook link", () => {
    for (const a of alerts) {
      assert.ok(
        SEVERITIES.includes(a.labels.severity),
        `${a.alert}: severity ${a.labels.severity}`,
      );
      assert.ok(["critical", "warning", "info"].includes(a.labels.severity));
      assert.ok(a.annotations.summary.trim() !== "", `${a.alert}: empty summary`);
      assert.ok(a.annotations.description.trim() !== "", `${a.alert}: empty description`);
      assert.equal(a.annotations.runbook_url, `${BASE}/${toKebabCase(a.alert)}`);
    }
  });

  it("`for` durations are valid Prometheus durations", () => {
    for (const bad of ["", "5", "1.5h", "5 m", "m5", "0m", "5m1h"]) {
      assert.equal(isPrometheusDuration(bad), false, `accepted ${JSON.stringify(bad)}`);
    }
    for (const a of alerts) {
      if (a.for !== undefined) assert.ok(isPrometheusDuration(a.for), `${a.alert}: for ${a.for}`);
    }
  });

  it("job selectors only name SCRAPE_JOBS", () => {
    const known = new Set<string>(Object.values(SCRAPE_JOBS));
    for (const rule of rules) {
      for (const m of rule.expr.matchAll(/\bjob\s*(?:=|!=|=~|!~)\s*"([^"]*)"/g)) {
        for (const jobName of m[1].split("|")) {
          assert.ok(known.has(jobName), `unknown job ${jobName} in ${rule.expr}`);
        }
      }
    }
  });

  it("kebab-cases alert names for runbook links", () => {
    const expected: Record<string, string> = {
      InstanceDown: "instance-down",
      HostHighCpuUsage: "host-high-cpu-usage",
      HostDiskWillFillIn24Hours: "host-disk-will-fill-in-24-hours",
      HostHighDiskIOUtilisation: "host-high-disk-io-utilisation",
      PrometheusTSDBCompactionsFailing: "prometheus-tsdb-compactions-failing",
    };
    for (const [name, slug] of Object.entries(expected)) assert.equal(toKebabCase(name), slug);
  });

  it("handles trailing slashes on the runbook base URL and rejects an empty one", () => {
    for (const base of [`${BASE}/`, `${BASE}//`]) {
      for (const a of buildRuleGroups({ runbookBaseUrl: base }).flatMap((g) => g.rules)) {
        if (!isAlertRule(a)) continue;
        assert.equal(a.annotations.runbook_url, `${BASE}/${toKebabCase(a.alert)}`);
        assert.ok(!a.annotations.runbook_url.slice("https://".length).includes("//"));
      }
    }
    assert.throws(() => buildRuleGroups({ runbookBaseUrl: "" }), /runbookBaseUrl/);
  });

  it("renders a rule file that round-trips through YAML without nulls", () => {
    const text = renderRuleFile(groups);
    assert.deepEqual(parse(text), { groups });
    assert.doesNotMatch(text, /\bnull\b|undefined/);
    const wal = alerts.find((a) => a.alert === "PrometheusTSDBWALCorruptions");
    assert.ok(wal !== undefined && !("for" in wal), "an alert without `for` renders no `for` key");
  });
});

describe("rules: promtool", function () {
  const ruleFile = renderRuleFile(groups);
  const dirs: string[] = [];

  /** Runs `promtool test rules` on a generated test file next to the rendered rule file. */
  function promtoolTest(testFile: string) {
    const dir = writeTempFiles({ [RULE_FILE]: ruleFile, [TEST_FILE]: testFile });
    dirs.push(dir);
    return runTool("promtool", ["test", "rules", TEST_FILE], dir);
  }

  before(() => {
    requireTool("promtool");
  });

  after(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("`promtool check rules` accepts the rendered file", () => {
    const dir = writeTempFiles({ [RULE_FILE]: ruleFile });
    dirs.push(dir);
    const result = runTool("promtool", ["check", "rules", RULE_FILE], dir);
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, new RegExp(`SUCCESS: ${rules.length} rules found`));
  });

  it("has a unit test for every alert and every recording rule", () => {
    assert.deepEqual(ALERT_CASES.map((c) => c.alert).sort(), alerts.map((a) => a.alert).sort());
    assert.deepEqual(RECORD_CASES.map((c) => c.record).sort(), records.map((r) => r.record).sort());
    for (const c of ALERT_CASES) {
      const rule = alerts.find((a) => a.alert === c.alert);
      assert.equal(c.fires.labels.alertname, c.alert);
      assert.equal(c.fires.labels.severity, rule?.labels.severity, `${c.alert}: severity`);
      assert.ok(c.silentAt.length > 0, `${c.alert}: no silent case`);
    }
  });

  for (const c of ALERT_CASES) {
    it(`alert ${c.alert} fires with exact labels/annotations and stays silent otherwise`, () => {
      const result = promtoolTest(alertTest(c));
      assert.equal(result.status, 0, result.output);
      assert.match(result.output, /SUCCESS/);
    });
  }

  for (const c of RECORD_CASES) {
    it(`record ${c.record} computes the exact value`, () => {
      const result = promtoolTest(recordTest(c));
      assert.equal(result.status, 0, result.output);
      assert.match(result.output, /SUCCESS/);
    });
  }

  it("the harness fails on a wrong expectation", () => {
    const base = ALERT_CASES[0];
    const wrongSeverity: AlertCase = {
      ...base,
      fires: { ...base.fires, labels: { ...base.fires.labels, severity: "info" } },
    };
    const alertResult = promtoolTest(alertTest(wrongSeverity));
    assert.notEqual(alertResult.status, 0, alertResult.output);
    assert.match(alertResult.output, /FAILED/);
    assert.match(alertResult.output, new RegExp(base.alert));

    const firesEarly: AlertCase = { ...base, silentAt: [base.fires.at] };
    assert.notEqual(promtoolTest(alertTest(firesEarly)).status, 0);

    const rec = RECORD_CASES[1];
    const wrongValue: RecordCase = {
      ...rec,
      samples: rec.samples.map((s) => ({ ...s, value: s.value + 0.01 })),
    };
    const recordResult = promtoolTest(recordTest(wrongValue));
    assert.notEqual(recordResult.status, 0, recordResult.output);
    assert.match(recordResult.output, /FAILED/);
  });
});
