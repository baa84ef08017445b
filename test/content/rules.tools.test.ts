/**
 * Every built-in alert and recording rule proven on real promtool: one generated `promtool test rules`
 * case per alert path and record, all run in one promtool process (the rules as data are tested in
 * test/content/rules.test.ts).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { stringify } from "yaml";
import { SCRAPE_JOBS } from "../../catalog/names";
import {
  type AlertRule,
  BUILT_IN_JOBS,
  type RecordingRule,
  type RuleGroup,
  WATCHDOG_ALERT,
  isAlertRule,
  renderRuleFile,
  toKebabCase,
} from "../../content/rules";
import { alerts, BASE, groups, records, rules } from "../support/ruleLibrary";
import { passedFiles, requireTool, runTool, writeTempFiles } from "../support/tools";

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
  /** Which path of the expression this case exercises, when an alert has several (`or`, `absent`). */
  readonly variant?: string;
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
  /** Eval times at which nothing fires (condition false, or `for` not yet elapsed); empty only for the Watchdog. */
  readonly silentAt: readonly string[];
}

interface RecordCase {
  readonly record: string;
  readonly input: readonly InputSeries[];
  readonly at: string;
  readonly samples: readonly { readonly labels: string; readonly value: number }[];
}

const TEST_FILE = "rules.test.yml";

/** One rule file per group, `<group>.yml`, as the stack deploys them. */
const GROUP_FILES: Readonly<Record<string, string>> = Object.fromEntries(
  groups.map((g) => [`${g.name}.yml`, renderRuleFile([g])]),
);

const ruleName = (r: AlertRule | RecordingRule): string => (isAlertRule(r) ? r.alert : r.record);

/**
 * The groups a case loads, in evaluation order: the rule's own group plus the groups recording
 * the series its expression reads. Loading only these keeps each promtool run small.
 */
function groupsFor(name: string): RuleGroup[] {
  const rule = rules.find((r) => ruleName(r) === name);
  if (rule === undefined) return [];
  return groups.filter((g) =>
    g.rules.some((r) => r === rule || (!isAlertRule(r) && rule.expr.includes(r.record))),
  );
}

function promtoolTestFile(name: string, test: object): string {
  const used = groupsFor(name);
  return stringify(
    {
      rule_files: used.map((g) => `${g.name}.yml`),
      // promtool evaluates groups in an unspecified order unless told.
      group_eval_order: used.map((g) => g.name),
      evaluation_interval: "1m",
      tests: [{ interval: "1m", ...test }],
    },
    { lineWidth: 0 },
  );
}

function alertTest(c: AlertCase): string {
  return promtoolTestFile(c.alert, {
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
              runbook_url: `${BASE}/${c.fires.runbook}.md`,
            },
          },
        ],
      },
      ...c.silentAt.map((at) => ({ eval_time: at, alertname: c.alert, exp_alerts: [] })),
    ],
  });
}

function recordTest(c: RecordCase): string {
  return promtoolTestFile(c.record, {
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

// Kubernetes, services and Passenger: label sets as the exporters' series carry them after scraping.
const KSM = { instance: "kube-state-metrics:8080", job: "kube-state-metrics" };
const NODE_1 = "ip-10-0-1-1.ec2.internal";
const NODE_2 = "ip-10-0-1-2.ec2.internal";
const CERT_MANAGER = {
  instance: "cert-manager:9402",
  issuer_group: "cert-manager.io",
  issuer_kind: "ClusterIssuer",
  issuer_name: "letsencrypt",
  job: "cert-manager",
};
const PROBE = { instance: "https://shop.example.com", job: "blackbox" };
const DAY = 86400;

/** monitus re-exposes the Passenger instance name as `instance`; Prometheus keeps it as `exported_instance`. */
const PASSENGER_JOB = "passenger";
const web1 = { exported_instance: "ChsBkRTF", instance: "web-1:10254", job: PASSENGER_JOB };
const web2 = { exported_instance: "Xk2bq9Lm", instance: "web-2:10254", job: PASSENGER_JOB };
const APP = "/srv/shop (production)";
const KiB = 1024;

/** One `passenger_process_memory` series per pid (values in KiB, as passenger-status reports them). */
function passengerProcesses(
  target: Readonly<Record<string, string>>,
  supergroup: string,
  pids: readonly number[],
  values: string,
): InputSeries[] {
  return pids.map((pid) =>
    series("passenger_process_memory", { ...target, pid: String(pid), supergroup }, values),
  );
}

/** The `up` series of every built-in job, all failing: none of them is ServiceDown's business. */
function builtInJobsDown(): InputSeries[] {
  return BUILT_IN_JOBS.map((jobName) =>
    series("up", { instance: `${jobName}-0:1234`, job: jobName }, "0x30"),
  );
}

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

/**
 * The two cases of a `<Component>Down` alert: a target reporting `up == 0`, and the job losing
 * all its targets (the `absent` path, as when ECS DNS discovery drops a dead task).
 */
function componentDownCases(c: {
  alert: string;
  jobName: string;
  instance: string;
  severity: string;
  forMinutes: number;
  summary: string;
  onUp: string;
  onAbsent: string;
  runbook: string;
}): AlertCase[] {
  const target = { instance: c.instance, job: c.jobName };
  const other = series("up", { instance: "other:1234", job: "postgres" }, "1x40");
  // Both paths turn true at 6m, so the alert fires from 6m + `for`.
  const firesAt = `${6 + c.forMinutes + 1}m`;
  const silentAt = ["5m", `${5 + c.forMinutes}m`];
  return [
    {
      alert: c.alert,
      variant: "a target reports up == 0",
      input: [series("up", target, "1x5 0x30"), other],
      fires: {
        at: firesAt,
        labels: { alertname: c.alert, severity: c.severity, ...target },
        summary: c.summary,
        description: c.onUp,
        runbook: c.runbook,
      },
      silentAt,
    },
    {
      alert: c.alert,
      variant: "the job has no targets",
      // The target disappears at 6m (a stale marker, as when discovery drops it).
      input: [series("up", target, "1x5 stale"), other],
      fires: {
        at: firesAt,
        labels: { alertname: c.alert, severity: c.severity, job: c.jobName },
        summary: c.summary,
        description: c.onAbsent,
        runbook: c.runbook,
      },
      silentAt,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// One case per alert, and one per path where an expression has several (`or`, `absent`). Each
// "fires" expectation is the complete label set and the exact rendered annotations; `silentAt`
// covers both "condition false" and "`for` not elapsed".
// ---------------------------------------------------------------------------------------------

const ALERT_CASES: readonly AlertCase[] = [
  // --- targets -------------------------------------------------------------------------------
  {
    alert: "InstanceDown",
    input: [
      series("up", hostA, "1x5 0x15"), // down from 6m: pending at 6m, firing from 7m
      series("up", hostB, "1x21"),
      series("up", { instance: "grafana:3000", job: SCRAPE_JOBS.grafana }, "0x21"), // not core
      series("up", { instance: "db-1:9187", job: "postgres" }, "0x21"), // user job
    ],
    fires: {
      at: "8m",
      labels: { alertname: "InstanceDown", severity: "critical", ...hostA },
      summary: "Instance host-a:9100 of job node is down",
      description:
        "host-a:9100 (job node) has failed every scrape for more than 1 minute. " +
        "Hosts and the alerting pipeline depend on this target.",
      runbook: "instance-down",
    },
    silentAt: ["5m", "6m"],
  },
  {
    alert: "ServiceDown",
    input: [
      series("up", { instance: "db-1:9187", job: "postgres" }, "1x5 0x25"), // firing from 8m
      series("up", { instance: "db-2:9187", job: "postgres" }, "1x30"),
      ...builtInJobsDown(),
    ],
    fires: {
      at: "9m",
      labels: {
        alertname: "ServiceDown",
        severity: "critical",
        instance: "db-1:9187",
        job: "postgres",
      },
      summary: "postgres target db-1:9187 is down",
      description:
        "db-1:9187 (job postgres) has failed every scrape for more than 2 minutes: the service or " +
        "its exporter is down or unreachable.",
      runbook: "service-down",
    },
    silentAt: ["5m", "7m"],
  },
  ...componentDownCases({
    alert: "LokiDown",
    jobName: SCRAPE_JOBS.loki,
    instance: "loki:3100",
    severity: "warning",
    forMinutes: 5,
    summary: "Loki is down",
    onUp:
      "Loki target loki:3100 has failed every scrape for more than 5 minutes. Logs are not stored " +
      "(Alloy retries and then drops them) and log queries fail.",
    onAbsent:
      "Job loki has had no targets at all (service discovery finds no Loki) for more than 5 minutes. " +
      "Logs are not stored (Alloy retries and then drops them) and log queries fail.",
    runbook: "loki-down",
  }),
  ...componentDownCases({
    alert: "GrafanaDown",
    jobName: SCRAPE_JOBS.grafana,
    instance: "grafana:3000",
    severity: "warning",
    forMinutes: 5,
    summary: "Grafana is down",
    onUp:
      "Grafana target grafana:3000 has failed every scrape for more than 5 minutes. Dashboards are " +
      "unavailable; alerting does not depend on Grafana.",
    onAbsent:
      "Job grafana has had no targets at all (service discovery finds no Grafana) for more than " +
      "5 minutes. Dashboards are unavailable; alerting does not depend on Grafana.",
    runbook: "grafana-down",
  }),
  ...componentDownCases({
    alert: "AlloyDown",
    jobName: SCRAPE_JOBS.alloy,
    instance: "alloy:12345",
    severity: "warning",
    forMinutes: 10,
    summary: "Alloy is down",
    onUp:
      "Alloy target alloy:12345 has failed every scrape for more than 10 minutes. Container logs " +
      "are not shipped to Loki until it is back.",
    onAbsent:
      "Job alloy has had no targets at all (service discovery finds no Alloy) for more than " +
      "10 minutes. Container logs are not shipped to Loki until it is back.",
    runbook: "alloy-down",
  }),
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
  {
    alert: "HostMemoryPressure",
    input: [
      // host-a: 100 major faults/s until 10m, then 1500/s; the 5m rate passes 1000/s at 14m.
      series("node_vmstat_pgmajfault", hostA, "0+6000x10 150000+90000x30"),
      series("node_vmstat_pgmajfault", hostB, "0+6000x40"),
    ],
    fires: {
      at: "31m",
      labels: { alertname: "HostMemoryPressure", severity: "warning", ...hostA },
      summary: "Memory pressure on host-a:9100",
      description:
        "host-a:9100 has had 1.5k major page faults per second for more than 15 minutes: pages are " +
        "read back from disk because memory is short.",
      runbook: "host-memory-pressure",
    },
    silentAt: ["13m", "28m"],
  },
  {
    alert: "HostOomKillDetected",
    input: [
      series("node_vmstat_oom_kill", hostA, "0x10 1x20"), // one kill between 10m and 11m
      series("node_vmstat_oom_kill", hostB, "3x30"), // old kills, before the window
    ],
    fires: {
      at: "12m",
      labels: { alertname: "HostOomKillDetected", severity: "warning", ...hostA },
      summary: "OOM kill on host-a:9100",
      description:
        "The kernel of host-a:9100 killed 1 process(es) for lack of memory in the last 5 minutes.",
      runbook: "host-oom-kill-detected",
    },
    silentAt: ["10m", "17m"],
  },
  ...(["receive", "transmit"] as const).map((direction): AlertCase => {
    const name = direction === "receive" ? "HostNetworkReceiveErrors" : "HostNetworkTransmitErrors";
    const eth0 = { device: "eth0", ...hostA };
    return {
      alert: name,
      input: [
        // eth0: 100 packets/s, 2 of them errors from 10m (2%); the 5m ratio passes 1% at 13m.
        series(`node_network_${direction}_packets_total`, eth0, "0+6000x40"),
        series(`node_network_${direction}_errs_total`, eth0, "0x10 120+120x29"),
        // eth1: 0.5% errors, under the threshold.
        series(`node_network_${direction}_packets_total`, { ...eth0, device: "eth1" }, "0+6000x40"),
        series(`node_network_${direction}_errs_total`, { ...eth0, device: "eth1" }, "0+30x40"),
        // Loopback is never counted, whatever it reports.
        series(`node_network_${direction}_packets_total`, { ...eth0, device: "lo" }, "0+60x40"),
        series(`node_network_${direction}_errs_total`, { ...eth0, device: "lo" }, "0+60x40"),
      ],
      fires: {
        at: "30m",
        labels: { alertname: name, severity: "warning", ...eth0 },
        summary: `${direction === "receive" ? "Receive" : "Transmit"} errors on eth0 of host-a:9100`,
        description:
          direction === "receive"
            ? "2% of the packets received on eth0 of host-a:9100 have been errors for more than " +
              "15 minutes; check the cable, NIC or driver."
            : "2% of the packets sent on eth0 of host-a:9100 have failed for more than 15 minutes; " +
              "check the cable, NIC or driver.",
        runbook: toKebabCase(name),
      },
      silentAt: ["12m", "27m"],
    };
  }),
  // --- kubernetes ----------------------------------------------------------------------------
  {
    alert: "NodeNotReady",
    input: [
      ...(["true", "false", "unknown"] as const).map((status) =>
        series(
          "kube_node_status_condition",
          { ...KSM, condition: "Ready", node: NODE_1, status },
          status === "true" ? "1x5 0x20" : status === "false" ? "0x5 1x20" : "0x25",
        ),
      ),
      series(
        "kube_node_status_condition",
        { ...KSM, condition: "Ready", node: NODE_2, status: "true" },
        "1x25",
      ),
      // Another condition being 0 is healthy.
      series(
        "kube_node_status_condition",
        { ...KSM, condition: "MemoryPressure", node: NODE_2, status: "true" },
        "0x25",
      ),
    ],
    fires: {
      at: "12m",
      labels: {
        alertname: "NodeNotReady",
        severity: "critical",
        ...KSM,
        condition: "Ready",
        node: NODE_1,
        status: "true",
      },
      summary: `Kubernetes node ${NODE_1} is not ready`,
      description:
        `Node ${NODE_1} has not been Ready for more than 5 minutes; its pods are unreachable or ` +
        "being evicted.",
      runbook: "node-not-ready",
    },
    silentAt: ["5m", "10m"],
  },
  {
    alert: "HighCPUUsage",
    input: [
      // Two 2-core nodes; memory allocatable must not count as cores.
      ...[NODE_1, NODE_2].flatMap((node) => [
        series(
          "kube_node_status_allocatable",
          { ...KSM, node, resource: "cpu", unit: "core" },
          "2x40",
        ),
        series(
          "kube_node_status_allocatable",
          { ...KSM, node, resource: "memory", unit: "byte" },
          `${8 * GiB}x40`,
        ),
      ]),
      // api: 0.5 core until 10m, then 1.8 cores; worker: 1.5 cores. 3.3 of 4 cores = 82.5% from 15m.
      series(
        "container_cpu_usage_seconds_total",
        { container: "api", namespace: "shop", node: NODE_1, pod: "api-0" },
        "0+30x10 408+108x30",
      ),
      series(
        "container_cpu_usage_seconds_total",
        { container: "worker", namespace: "shop", node: NODE_2, pod: "worker-0" },
        "0+90x40",
      ),
      // The pod-level cgroup (container="") repeats its containers' usage: not counted twice.
      series(
        "container_cpu_usage_seconds_total",
        { container: "", namespace: "shop", node: NODE_1, pod: "api-0" },
        "0+30x10 408+108x30",
      ),
    ],
    fires: {
      at: "27m",
      labels: { alertname: "HighCPUUsage", severity: "warning" },
      summary: "Cluster CPU usage is high",
      description:
        "Containers have used 82.5% of the cluster's allocatable CPU (threshold 80%) for more than " +
        "10 minutes.",
      runbook: "high-cpu-usage",
    },
    silentAt: ["14m", "24m"],
  },
  {
    alert: "HighMemoryUsage",
    input: [
      // Two nodes with 4 GiB allocatable each; cpu allocatable must not count as bytes.
      ...[NODE_1, NODE_2].flatMap((node) => [
        series(
          "kube_node_status_allocatable",
          { ...KSM, node, resource: "memory", unit: "byte" },
          `${4 * GiB}x30`,
        ),
        series(
          "kube_node_status_allocatable",
          { ...KSM, node, resource: "cpu", unit: "core" },
          "2x30",
        ),
      ]),
      // api grows from 3 GiB to 6 GiB at 11m; worker 1 GiB: 7 of 8 GiB = 87.5%.
      series(
        "container_memory_working_set_bytes",
        { container: "api", namespace: "shop", node: NODE_1, pod: "api-0" },
        `${3 * GiB}x10 ${6 * GiB}x20`,
      ),
      series(
        "container_memory_working_set_bytes",
        { container: "worker", namespace: "shop", node: NODE_2, pod: "worker-0" },
        `${1 * GiB}x30`,
      ),
      series(
        "container_memory_working_set_bytes",
        { container: "", namespace: "shop", node: NODE_1, pod: "api-0" },
        `${3 * GiB}x10 ${6 * GiB}x20`,
      ),
    ],
    fires: {
      at: "22m",
      labels: { alertname: "HighMemoryUsage", severity: "warning" },
      summary: "Cluster memory usage is high",
      description:
        "The working set of all containers has been 87.5% of the cluster's allocatable memory " +
        "(threshold 80%) for more than 10 minutes.",
      runbook: "high-memory-usage",
    },
    silentAt: ["10m", "20m"],
  },
  {
    alert: "PersistentVolumeNearFull",
    input: (() => {
      const kubelet = { instance: NODE_1, job: "kubelet", node: NODE_1 };
      const db = { ...kubelet, namespace: "monitoring", persistentvolumeclaim: "prometheus-db" };
      const logs = { ...kubelet, namespace: "shop", persistentvolumeclaim: "logs" };
      return [
        series("kubelet_volume_stats_capacity_bytes", db, `${10 * GiB}x25`),
        series("kubelet_volume_stats_used_bytes", db, `${5 * GiB}x5 ${9 * GiB}x20`),
        series("kubelet_volume_stats_capacity_bytes", logs, `${10 * GiB}x25`),
        series("kubelet_volume_stats_used_bytes", logs, `${8 * GiB}x25`), // 80%: under
      ];
    })(),
    fires: {
      at: "12m",
      labels: {
        alertname: "PersistentVolumeNearFull",
        severity: "warning",
        instance: NODE_1,
        job: "kubelet",
        namespace: "monitoring",
        node: NODE_1,
        persistentvolumeclaim: "prometheus-db",
      },
      summary: "Volume prometheus-db in monitoring is nearly full",
      description:
        "PersistentVolumeClaim prometheus-db in namespace monitoring is 90% full (threshold 85%).",
      runbook: "persistent-volume-near-full",
    },
    silentAt: ["5m", "10m"],
  },
  // --- services ------------------------------------------------------------------------------
  {
    alert: "CertificateExpiringSoon",
    variant: "cert-manager",
    input: [
      // Expires at 7 days + 10 minutes: under 7 days left from 11m, firing from 71m.
      series(
        "certmanager_certificate_expiration_timestamp_seconds",
        { ...CERT_MANAGER, name: "shop-tls", namespace: "shop" },
        `${7 * DAY + 600}x90`,
      ),
      series(
        "certmanager_certificate_expiration_timestamp_seconds",
        { ...CERT_MANAGER, name: "api-tls", namespace: "shop" },
        `${90 * DAY}x90`,
      ),
      // Never issued: cert-manager reports 0, which is neither "soon" nor "expired".
      series(
        "certmanager_certificate_expiration_timestamp_seconds",
        { ...CERT_MANAGER, name: "new-tls", namespace: "shop" },
        "0x90",
      ),
    ],
    fires: {
      at: "75m",
      labels: {
        alertname: "CertificateExpiringSoon",
        severity: "warning",
        ...CERT_MANAGER,
        name: "shop-tls",
        namespace: "shop",
      },
      summary: "Certificate shop/shop-tls expires soon",
      description:
        "Certificate shop/shop-tls expires in 6d 22h 55m 0s. cert-manager should have renewed it " +
        "long ago: check the Certificate's events and its issuer.",
      runbook: "certificate-expiring-soon",
    },
    silentAt: ["10m", "70m"],
  },
  {
    alert: "CertificateExpiringSoon",
    variant: "blackbox probe",
    input: [
      series("probe_ssl_earliest_cert_expiry", PROBE, `${7 * DAY + 600}x90`),
      series(
        "probe_ssl_earliest_cert_expiry",
        { ...PROBE, instance: "https://api.example.com" },
        `${90 * DAY}x90`,
      ),
    ],
    fires: {
      at: "75m",
      labels: { alertname: "CertificateExpiringSoon", severity: "warning", ...PROBE },
      summary: "The TLS certificate of https://shop.example.com expires soon",
      description:
        "The TLS certificate of https://shop.example.com expires in 6d 22h 55m 0s. Renew and deploy " +
        "the certificate of this endpoint.",
      runbook: "certificate-expiring-soon",
    },
    silentAt: ["10m", "70m"],
  },
  {
    alert: "CertificateExpired",
    variant: "cert-manager",
    input: [
      // Expires at 10m; no `for`.
      series(
        "certmanager_certificate_expiration_timestamp_seconds",
        { ...CERT_MANAGER, name: "shop-tls", namespace: "shop" },
        "600x20",
      ),
      series(
        "certmanager_certificate_expiration_timestamp_seconds",
        { ...CERT_MANAGER, name: "new-tls", namespace: "shop" },
        "0x20",
      ),
    ],
    fires: {
      at: "12m",
      labels: {
        alertname: "CertificateExpired",
        severity: "critical",
        ...CERT_MANAGER,
        name: "shop-tls",
        namespace: "shop",
      },
      summary: "Certificate shop/shop-tls has expired",
      description:
        "Certificate shop/shop-tls expired 2m 0s ago; clients that verify it refuse to connect.",
      runbook: "certificate-expired",
    },
    silentAt: ["0m", "9m"],
  },
  {
    alert: "CertificateExpired",
    variant: "blackbox probe",
    input: [
      series("probe_ssl_earliest_cert_expiry", PROBE, "600x20"),
      series(
        "probe_ssl_earliest_cert_expiry",
        { ...PROBE, instance: "https://api.example.com" },
        `${90 * DAY}x20`,
      ),
    ],
    fires: {
      at: "12m",
      labels: { alertname: "CertificateExpired", severity: "critical", ...PROBE },
      summary: "The TLS certificate of https://shop.example.com has expired",
      description:
        "The TLS certificate of https://shop.example.com expired 2m 0s ago; clients that verify it " +
        "refuse to connect.",
      runbook: "certificate-expired",
    },
    silentAt: ["0m", "9m"],
  },
  {
    alert: "PostgreSQLDown",
    input: [
      series("pg_up", { instance: "db-1:9187", job: "postgres" }, "1x5 0x10"),
      series("pg_up", { instance: "db-2:9187", job: "postgres" }, "1x15"),
    ],
    fires: {
      at: "8m",
      labels: {
        alertname: "PostgreSQLDown",
        severity: "critical",
        instance: "db-1:9187",
        job: "postgres",
      },
      summary: "PostgreSQL behind db-1:9187 is unreachable",
      description:
        "postgres_exporter db-1:9187 (job postgres) is running but has not been able to connect to " +
        "its PostgreSQL server for more than 1 minute.",
      runbook: "postgresql-down",
    },
    silentAt: ["5m", "6m"],
  },
  {
    alert: "VaultSealed",
    input: [
      series("vault_core_unsealed", { instance: "vault-0:8200", job: "vault" }, "1x5 0x10"),
      series("vault_core_unsealed", { instance: "vault-1:8200", job: "vault" }, "1x15"),
    ],
    fires: {
      at: "8m",
      labels: {
        alertname: "VaultSealed",
        severity: "critical",
        instance: "vault-0:8200",
        job: "vault",
      },
      summary: "Vault vault-0:8200 is sealed",
      description:
        "Vault vault-0:8200 has been sealed for more than 1 minute and serves no secrets until it is " +
        "unsealed (unseal keys, or auto-unseal).",
      runbook: "vault-sealed",
    },
    silentAt: ["5m", "6m"],
  },
  // --- passenger -----------------------------------------------------------------------------
  {
    alert: "PassengerHighWaitQueue",
    input: [
      series("passenger_get_wait_list_size", web1, "0x5 8x10"),
      series("passenger_get_wait_list_size", web2, "5x15"), // at the threshold: fine
    ],
    fires: {
      at: "9m",
      labels: { alertname: "PassengerHighWaitQueue", severity: "warning", ...web1 },
      summary: "Requests are queueing in Passenger on web-1:10254",
      description:
        "8 requests have been waiting for a free Passenger process on web-1:10254 for more than " +
        "2 minutes; the pool is too small or the app is slow.",
      runbook: "passenger-high-wait-queue",
    },
    silentAt: ["5m", "7m"],
  },
  // Both ways of knowing the machine: a `host` label from the scrape config, or `instance`.
  ...[
    {
      variant: "host derived from instance",
      node: (host: string) => ({ instance: `${host}:9100`, job: NODE }),
      passenger: (host: string) => ({ instance: `${host}:10254`, job: PASSENGER_JOB }),
    },
    {
      // The instances name the machine differently; only the `host` label joins them.
      variant: "host label set by the scrape config",
      node: (host: string) => ({ host, instance: `${host}.internal:9100`, job: NODE }),
      passenger: (host: string) => ({
        host,
        instance: host === "web-1" ? "10.0.1.5:10254" : "10.0.1.6:10254",
        job: PASSENGER_JOB,
      }),
    },
  ].map(({ variant, node, passenger }): AlertCase => {
    const web1Target = { ...passenger("web-1"), exported_instance: web1.exported_instance };
    const web2Target = { ...passenger("web-2"), exported_instance: web2.exported_instance };
    return {
      alert: "PassengerHighMemoryUsage",
      variant,
      input: [
        series("node_memory_MemTotal_bytes", node("web-1"), `${8 * GiB}x25`),
        series("node_memory_MemTotal_bytes", node("web-2"), `${64 * GiB}x25`),
        // web-1: four workers grow from 512 MiB to 1.75 GiB each at 6m: 7 of 8 GiB = 87.5%.
        ...passengerProcesses(
          web1Target,
          APP,
          [101, 102, 103, 104],
          `${(512 * MiB) / KiB}x5 ${(1.75 * GiB) / KiB}x20`,
        ),
        ...passengerProcesses(
          web1Target,
          "/srv/admin (production)",
          [201],
          `${(512 * MiB) / KiB}x25`,
        ),
        // web-2: the same 7 GiB is only 11% of a 64 GiB host.
        ...passengerProcesses(web2Target, APP, [301, 302, 303, 304], `${(1.75 * GiB) / KiB}x25`),
      ],
      fires: {
        at: "12m",
        labels: {
          alertname: "PassengerHighMemoryUsage",
          severity: "warning",
          host: "web-1",
          instance: web1Target.instance,
          job: PASSENGER_JOB,
          supergroup: APP,
        },
        summary: `Passenger app ${APP} uses most of the memory of web-1`,
        description:
          `The Passenger processes of ${APP} on web-1 have used 87.5% of the host's memory for ` +
          "more than 5 minutes (threshold 80%); the host is close to swapping or OOM kills.",
        runbook: "passenger-high-memory-usage",
      },
      silentAt: ["5m", "10m"],
    };
  }),
  {
    alert: "PassengerProcessDown",
    input: [
      series("passenger_process_count", web1, "5x5 1x10"), // only the exporter's own process left
      series("passenger_process_count", web2, "2x15"), // exporter + one app process
    ],
    fires: {
      at: "8m",
      labels: { alertname: "PassengerProcessDown", severity: "critical", ...web1 },
      summary: "No Passenger application process on web-1:10254",
      description:
        "Passenger on web-1:10254 has run only 1 process(es), the exporter's own included, for more " +
        "than 1 minute: the application is not serving requests.",
      runbook: "passenger-process-down",
    },
    silentAt: ["5m", "6m"],
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
    alert: "PrometheusTargetSyncFailure",
    input: [
      // One failed sync at 41m; the 30m window holds it from 41m to 70m.
      series(
        "prometheus_target_sync_failed_total",
        { ...prom0, scrape_job: "kubernetes-pods" },
        "0x40 1x40",
      ),
      series("prometheus_target_sync_failed_total", { ...prom0, scrape_job: "node" }, "0x80"),
    ],
    fires: {
      at: "50m",
      labels: {
        alertname: "PrometheusTargetSyncFailure",
        severity: "critical",
        ...prom0,
        scrape_job: "kubernetes-pods",
      },
      summary: "Prometheus prometheus-0:9090 cannot sync targets of kubernetes-pods",
      description:
        "Prometheus prometheus-0:9090 failed to sync the targets of scrape job kubernetes-pods " +
        "1 time(s) over the last 30 minutes because of an invalid configuration; those targets are " +
        "not scraped.",
      runbook: "prometheus-target-sync-failure",
    },
    silentAt: ["40m", "44m"],
  },
  {
    alert: "PrometheusScrapeSampleLimitHit",
    input: [
      series("prometheus_target_scrapes_exceeded_sample_limit_total", prom0, "0x10 1+1x30"),
      series("prometheus_target_scrapes_exceeded_sample_limit_total", prom1, "0x40"),
    ],
    fires: {
      at: "27m",
      labels: { alertname: "PrometheusScrapeSampleLimitHit", severity: "warning", ...prom0 },
      summary: "Prometheus prometheus-0:9090 rejects scrapes over their sample limit",
      description:
        "Prometheus prometheus-0:9090 rejected 5 scrapes over the last 5 minutes because the target " +
        "exposed more samples than its sample_limit; the data of those scrapes is lost.",
      runbook: "prometheus-scrape-sample-limit-hit",
    },
    silentAt: ["10m", "25m"],
  },
  {
    alert: "PrometheusNotificationQueueRunningFull",
    input: [
      // Capacity 10000; from 10m the queue grows by 300 a minute, so in 30 minutes it holds 9000 more.
      series("prometheus_notifications_queue_capacity", prom0, "10000x40"),
      series("prometheus_notifications_queue_length", prom0, "0x10 300+300x30"),
      series("prometheus_notifications_queue_capacity", prom1, "10000x40"),
      series("prometheus_notifications_queue_length", prom1, "50x40"),
    ],
    fires: {
      // Predicted 6600 + 9000 = 15600 at 32m.
      at: "32m",
      labels: {
        alertname: "PrometheusNotificationQueueRunningFull",
        severity: "warning",
        ...prom0,
      },
      summary: "The alert notification queue of Prometheus prometheus-0:9090 is filling up",
      description:
        "At the rate of the last 5 minutes the notification queue of Prometheus prometheus-0:9090 " +
        "will hold 15.6k alerts in 30 minutes, more than its capacity; alerts will then be dropped.",
      runbook: "prometheus-notification-queue-running-full",
    },
    silentAt: ["14m", "29m"],
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
  // --- meta ----------------------------------------------------------------------------------
  {
    alert: WATCHDOG_ALERT,
    input: [],
    fires: {
      at: "10m",
      labels: { alertname: WATCHDOG_ALERT, severity: "none" },
      summary: "Alerting pipeline heartbeat (always firing)",
      description:
        "This alert always fires: it is the dead-man's switch of the alerting pipeline. Alertmanager " +
        "routes it to a heartbeat receiver, which raises an alarm when it stops arriving, because " +
        "then Prometheus, its rule evaluation or Alertmanager is broken.",
      runbook: "watchdog",
    },
    silentAt: [], // never silent, by design
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
// All cases run in one `promtool test rules` call (one process instead of one per case); each
// case still gets its own test, and a failing case is re-run alone for a message of its own.
// ---------------------------------------------------------------------------------------------

/** One generated promtool test file. */
interface PromtoolCase {
  readonly title: string;
  readonly file: string;
  readonly text: string;
}

function caseFile(kind: string, index: number, name: string): string {
  return `${kind}-${String(index).padStart(2, "0")}-${name.replace(/[^A-Za-z0-9_-]+/g, "_")}.test.yml`;
}

const PROMTOOL_CASES: readonly PromtoolCase[] = [
  ...ALERT_CASES.map((c, i) => ({
    title: `alert ${c.alert}${c.variant === undefined ? "" : ` (${c.variant})`}`,
    file: caseFile("alert", i, c.alert),
    text: alertTest(c),
  })),
  ...RECORD_CASES.map((c, i) => ({
    title: `record ${c.record}`,
    file: caseFile("record", i, c.record),
    text: recordTest(c),
  })),
];

describe("rules: promtool", function () {
  const dirs: string[] = [];
  let batch: { readonly dir: string; readonly status: number; readonly passed: Set<string> };

  /** Runs `promtool test rules` on a generated test file next to the rendered rule file. */
  function promtoolTest(testFile: string) {
    const dir = writeTempFiles({ ...GROUP_FILES, [TEST_FILE]: testFile });
    dirs.push(dir);
    return runTool("promtool", ["test", "rules", TEST_FILE], dir);
  }

  /** Runs `promtool test rules` once over many cases. */
  function promtoolBatch(cases: readonly PromtoolCase[]) {
    const dir = writeTempFiles({
      ...GROUP_FILES,
      ...Object.fromEntries(cases.map((c) => [c.file, c.text])),
    });
    dirs.push(dir);
    const result = runTool("promtool", ["test", "rules", ...cases.map((c) => c.file)], dir);
    return { dir, status: result.status, passed: passedFiles(result.stdout) };
  }

  before(() => {
    requireTool("promtool");
    batch = promtoolBatch(PROMTOOL_CASES);
  });

  after(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("`promtool check rules` accepts every rendered rule file", () => {
    const dir = writeTempFiles({ ...GROUP_FILES });
    dirs.push(dir);
    const result = runTool("promtool", ["check", "rules", ...Object.keys(GROUP_FILES)], dir);
    assert.equal(result.status, 0, result.output);
    const found = [...result.output.matchAll(/SUCCESS: (\d+) rules found/g)].map((m) =>
      Number(m[1]),
    );
    assert.equal(found.length, groups.length, result.output);
    assert.equal(
      found.reduce((a, b) => a + b, 0),
      rules.length,
    );
  });

  it("has a unit test for every alert and every recording rule", () => {
    const caseNames = [...new Set(ALERT_CASES.map((c) => c.alert))].sort();
    assert.deepEqual(caseNames, alerts.map((a) => a.alert).sort());
    assert.deepEqual(RECORD_CASES.map((c) => c.record).sort(), records.map((r) => r.record).sort());
    const titles = PROMTOOL_CASES.map((c) => c.title);
    assert.equal(
      new Set(titles).size,
      titles.length,
      "two cases of one alert need distinct variants",
    );
    for (const c of ALERT_CASES) {
      const rule = alerts.find((a) => a.alert === c.alert);
      assert.equal(c.fires.labels.alertname, c.alert);
      assert.equal(c.fires.labels.severity, rule?.labels.severity, `${c.alert}: severity`);
      if (c.alert !== WATCHDOG_ALERT)
        assert.ok(c.silentAt.length > 0, `${c.alert}: no silent case`);
    }
  });

  it("has a case for each path of an `or`/`absent` expression", () => {
    for (const a of alerts.filter((r) => /\bor\b|absent\(/.test(r.expr))) {
      const variants = ALERT_CASES.filter((c) => c.alert === a.alert);
      assert.ok(variants.length >= 2, `${a.alert}: ${variants.length} case(s) for ${a.expr}`);
    }
  });

  it("the batched promtool run agrees with its exit status", () => {
    assert.equal(batch.status === 0, batch.passed.size === PROMTOOL_CASES.length);
  });

  for (const c of PROMTOOL_CASES) {
    const what = c.title.startsWith("alert")
      ? "fires with exact labels/annotations and stays silent otherwise"
      : "computes the exact value";
    it(`${c.title} ${what}`, () => {
      if (batch.passed.has(c.file)) return;
      const alone = runTool("promtool", ["test", "rules", c.file], batch.dir);
      assert.fail(`${c.title}: promtool test rules ${c.file} failed\n${alone.output}`);
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

    // In a batch, only the wrong case is reported as not passed.
    const [good1, good2] = PROMTOOL_CASES;
    const wrong = { title: "wrong", file: "wrong.test.yml", text: alertTest(wrongSeverity) };
    const mixed = promtoolBatch([good1, wrong, good2]);
    assert.notEqual(mixed.status, 0);
    assert.deepEqual([...mixed.passed].sort(), [good1.file, good2.file].sort());
  });
});
