/**
 * The Prometheus alerting and recording rule library, as plain data.
 *
 * Rules are declared once in `RULE_TABLE` (one row per rule, built with the `alert()` and
 * `record()` helpers); `buildRuleGroups()` fills in per-stack details (runbook links) and
 * `renderRuleFile()` turns the result into a Prometheus rule file. Pure: no Pulumi imports.
 *
 * To add a rule: append a row to the right group (or add a group) and add a matching promtool
 * unit-test case in `test/content/rules.test.ts` — the suite fails for any alert or record without one.
 */
import { stringify } from "yaml";
import { IGNORED_FSTYPES, SCRAPE_JOBS } from "../catalog/names";

/** `none` is reserved for the Watchdog heartbeat: it is routed by name, never by severity. */
export type Severity = "critical" | "warning" | "info" | "none";

export const SEVERITIES: readonly Severity[] = ["critical", "warning", "info", "none"];

/** Severities a normal alert may have (everything but the heartbeat's `none`). */
export type RoutedSeverity = Exclude<Severity, "none">;

/** The always-firing dead-man's-switch alert; Alertmanager routes it by this name. */
export const WATCHDOG_ALERT = "Watchdog";

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
  /** Base URL for runbook links; each alert gets `${runbookBaseUrl}/${kebab-case alert name}.md` (no double slashes), the file name in docs/runbooks/. */
  readonly runbookBaseUrl: string;
  /**
   * `job` label values of the built-in jobs the target runs (default: all). Alerts about a component
   * that is not deployed (e.g. `AlloyDown` on Fargate) are left out instead of firing forever.
   */
  readonly jobs?: readonly string[];
}

export function isAlertRule(r: AlertRule | RecordingRule): r is AlertRule {
  return "alert" in r;
}

/** Product names written in mixed case that must stay one word in links (`PostgreSQL`, not `postgre-sql`). */
const KEBAB_WORDS: readonly string[] = ["PostgreSQL"];

/**
 * `HostHighCpuUsage` -> `host-high-cpu-usage`, `WillFillIn24Hours` -> `will-fill-in-24-hours`,
 * `DiskIOUtilisation` -> `disk-io-utilisation`. Adjacent acronyms stay together (`TSDBWAL` -> `tsdbwal`);
 * `KEBAB_WORDS` stay whole (`PostgreSQLDown` -> `postgresql-down`).
 */
export function toKebabCase(name: string): string {
  const words = KEBAB_WORDS.reduce(
    (acc, word) => acc.split(word).join(word[0] + word.slice(1).toLowerCase()),
    name,
  );
  return words
    .replace(/([a-z])([A-Z0-9])/g, "$1-$2")
    .replace(/([0-9])([A-Za-z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .toLowerCase();
}

/** The runbook link of an alert: base URL (trailing slashes dropped) + kebab-case alert name + `.md`. */
export function runbookUrl(runbookBaseUrl: string, alertName: string): string {
  return `${runbookBaseUrl.replace(/\/+$/, "")}/${toKebabCase(alertName)}.md`;
}

// ---------------------------------------------------------------------------------------------
// Selectors shared by the rules. Job names always come from SCRAPE_JOBS.
// ---------------------------------------------------------------------------------------------

const job = (name: string): string => `job="${name}"`;

/** `job` label of every scrape job this stack defines itself; any other job is a user scrape job. */
export const BUILT_IN_JOBS: readonly string[] = Object.values(SCRAPE_JOBS);

/** Jobs whose loss is critical: the hosts themselves and the alerting pipeline. */
export const CORE_JOBS: readonly string[] = [
  SCRAPE_JOBS.node,
  SCRAPE_JOBS.prometheus,
  SCRAPE_JOBS.alertmanager,
];

const NODE = job(SCRAPE_JOBS.node);
const PROMETHEUS = job(SCRAPE_JOBS.prometheus);
const ALERTMANAGER = job(SCRAPE_JOBS.alertmanager);

/** Real (on-disk) filesystems of the node job. */
const REAL_FS = `${NODE}, fstype!~"${IGNORED_FSTYPES.join("|")}"`;

/** Network interfaces of the node job, without loopback. */
const NETWORK = `${NODE}, device!="lo"`;

/**
 * Label that names a machine across exporters, so the node-exporter target `web-1:9100` and the
 * Passenger exporter target `web-1:10254` join on `host="web-1"`.
 */
export const HOST_LABEL = "host";

/**
 * `metric{selector}` with a `host` label: the one the target already has (set by the scrape
 * config), else `instance` without its `:port`. The derived value only joins when every exporter
 * of a machine is scraped under the same host name or address.
 */
function withHost(metric: string, selector?: string): string {
  const select = (host: string) =>
    `${metric}{${selector === undefined ? "" : `${selector}, `}${HOST_LABEL}${host}""}`;
  return (
    `(${select("!=")} or ` +
    `label_replace(${select("=")}, "${HOST_LABEL}", "$1", "instance", "(.+?)(?::[0-9]+)?"))`
  );
}

/**
 * passenger-status reports `real_memory` in kilobytes and the monitus exporter (whose metric names
 * the seed's Passenger rules use: `passenger_process_memory{supergroup, pid}`) passes it through
 * unchanged, so its values are KiB, not bytes (a 300 MB Ruby worker reads ~300000).
 */
export const PASSENGER_MEMORY_UNIT_BYTES = 1024;

/**
 * Expiry timestamps of TLS certificates: cert-manager `Certificate`s and the certificates the
 * blackbox exporter sees on probed endpoints. `> 0` drops cert-manager's 0 for certificates that
 * were never issued. (A blackbox probe of an expired certificate usually fails verification and
 * then reports no expiry at all, only `probe_success == 0`, which this library does not alert on.)
 */
const CERT_EXPIRY = [
  "certmanager_certificate_expiration_timestamp_seconds > 0",
  "probe_ssl_earliest_cert_expiry > 0",
];

/** Names the certificate in annotations: cert-manager series carry `namespace`/`name`, probes only `instance`. */
const CERT_SUBJECT =
  "{{ if $labels.name }}Certificate {{ $labels.namespace }}/{{ $labels.name }}" +
  "{{ else }}The TLS certificate of {{ $labels.instance }}{{ end }}";

// ---------------------------------------------------------------------------------------------
// Row helpers: the table below reads as "name, expr, options".
// ---------------------------------------------------------------------------------------------

interface AlertOptions {
  readonly for?: string;
  readonly severity: RoutedSeverity;
  readonly summary: string;
  readonly description: string;
  /** Extra static labels (severity is always set from `severity`). */
  readonly labels?: Readonly<Record<string, string>>;
}

interface AlertRow extends Omit<AlertOptions, "severity"> {
  readonly kind: "alert";
  readonly alert: string;
  readonly expr: string;
  readonly severity: Severity;
  /** The built-in job this alert is about; left out where the job is not deployed. */
  readonly requiresJob?: string;
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

/** `"5m"` -> `"5 minutes"`, `"1h"` -> `"1 hour"`: the `for` of an alert in prose. */
function forText(duration: string): string {
  const m = /^(\d+)([smhd])$/.exec(duration);
  if (m === null) throw new Error(`forText: unsupported duration ${JSON.stringify(duration)}`);
  const unit = { s: "second", m: "minute", h: "hour", d: "day" }[m[2] as "s" | "m" | "h" | "d"];
  return `${m[1]} ${unit}${m[1] === "1" ? "" : "s"}`;
}

/**
 * `<Component>Down` for a built-in job that is not core: fires when a target reports `up == 0`
 * and when the job has no target at all — on ECS, DNS service discovery drops a dead task, so its
 * `up` series disappears instead of turning 0.
 */
function componentDown(
  component: string,
  jobName: string,
  impact: string,
  options: { readonly for: string; readonly severity: RoutedSeverity },
): AlertRow {
  const sel = job(jobName);
  const row = alert(`${component}Down`, `up{${sel}} == 0 or absent(up{${sel}})`, {
    ...options,
    summary: `${component} is down`,
    description:
      `{{ if $labels.instance }}${component} target {{ $labels.instance }} has failed every scrape` +
      `{{ else }}Job ${jobName} has had no targets at all (service discovery finds no ${component})` +
      `{{ end }} for more than ${forText(options.for)}. ${impact}`,
  });
  return { ...row, requiresJob: jobName };
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
    // Listed first. In production each group is its own file and Prometheus evaluates groups
    // independently, so alerts may read these series one evaluation late; every `for` dwarfs that.
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
    // Every job is covered exactly once: core jobs by InstanceDown, the other built-in jobs by
    // their own <Component>Down, user scrape jobs by ServiceDown.
    name: "targets",
    rules: [
      // 1m: with 15s scrapes and evaluations a dead host is reported in under 2 minutes.
      alert("InstanceDown", `up{job=~"${CORE_JOBS.join("|")}"} == 0`, {
        for: "1m",
        severity: "critical",
        summary: "Instance {{ $labels.instance }} of job {{ $labels.job }} is down",
        description:
          "{{ $labels.instance }} (job {{ $labels.job }}) has failed every scrape for more than 1 minute. " +
          "Hosts and the alerting pipeline depend on this target.",
      }),
      alert("ServiceDown", `up{job!~"${BUILT_IN_JOBS.join("|")}"} == 0`, {
        for: "2m",
        severity: "critical",
        summary: "{{ $labels.job }} target {{ $labels.instance }} is down",
        description:
          "{{ $labels.instance }} (job {{ $labels.job }}) has failed every scrape for more than 2 minutes: " +
          "the service or its exporter is down or unreachable.",
      }),
      componentDown(
        "Loki",
        SCRAPE_JOBS.loki,
        "Logs are not stored (Alloy retries and then drops them) and log queries fail.",
        { for: "5m", severity: "warning" },
      ),
      componentDown(
        "Grafana",
        SCRAPE_JOBS.grafana,
        "Dashboards are unavailable; alerting does not depend on Grafana.",
        { for: "5m", severity: "warning" },
      ),
      componentDown(
        "Alloy",
        SCRAPE_JOBS.alloy,
        "Container logs are not shipped to Loki until it is back.",
        { for: "10m", severity: "warning" },
      ),
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
      alert("HostMemoryPressure", `rate(node_vmstat_pgmajfault{${NODE}}[5m]) > 1000`, {
        for: "15m",
        severity: "warning",
        summary: "Memory pressure on {{ $labels.instance }}",
        description:
          "{{ $labels.instance }} has had {{ $value | humanize }} major page faults per second " +
          "for more than 15 minutes: pages are read back from disk because memory is short.",
      }),
      alert("HostOomKillDetected", `increase(node_vmstat_oom_kill{${NODE}}[5m]) > 0`, {
        severity: "warning",
        summary: "OOM kill on {{ $labels.instance }}",
        description:
          "The kernel of {{ $labels.instance }} killed {{ $value | humanize }} process(es) for lack of " +
          "memory in the last 5 minutes.",
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
      alert(
        "HostNetworkReceiveErrors",
        `rate(node_network_receive_errs_total{${NETWORK}}[5m])` +
          ` / rate(node_network_receive_packets_total{${NETWORK}}[5m]) > 0.01`,
        {
          for: "15m",
          severity: "warning",
          summary: "Receive errors on {{ $labels.device }} of {{ $labels.instance }}",
          description:
            "{{ $value | humanizePercentage }} of the packets received on {{ $labels.device }} of " +
            "{{ $labels.instance }} have been errors for more than 15 minutes; check the cable, NIC or driver.",
        },
      ),
      alert(
        "HostNetworkTransmitErrors",
        `rate(node_network_transmit_errs_total{${NETWORK}}[5m])` +
          ` / rate(node_network_transmit_packets_total{${NETWORK}}[5m]) > 0.01`,
        {
          for: "15m",
          severity: "warning",
          summary: "Transmit errors on {{ $labels.device }} of {{ $labels.instance }}",
          description:
            "{{ $value | humanizePercentage }} of the packets sent on {{ $labels.device }} of " +
            "{{ $labels.instance }} have failed for more than 15 minutes; check the cable, NIC or driver.",
        },
      ),
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
    // kube-state-metrics, cAdvisor and kubelet series; their job names depend on the cluster's
    // scrape config, so these rules select on metric names only. Capacity is what the nodes
    // report as allocatable, never a fixed core count or memory size.
    name: "kubernetes",
    rules: [
      alert("NodeNotReady", `kube_node_status_condition{condition="Ready", status="true"} == 0`, {
        for: "5m",
        severity: "critical",
        summary: "Kubernetes node {{ $labels.node }} is not ready",
        description:
          "Node {{ $labels.node }} has not been Ready for more than 5 minutes; its pods are " +
          "unreachable or being evicted.",
      }),
      alert(
        "HighCPUUsage",
        `sum(rate(container_cpu_usage_seconds_total{container!=""}[5m]))` +
          ` / sum(kube_node_status_allocatable{resource="cpu"}) > 0.8`,
        {
          for: "10m",
          severity: "warning",
          summary: "Cluster CPU usage is high",
          description:
            "Containers have used {{ $value | humanizePercentage }} of the cluster's allocatable CPU " +
            "(threshold 80%) for more than 10 minutes.",
        },
      ),
      alert(
        "HighMemoryUsage",
        `sum(container_memory_working_set_bytes{container!=""})` +
          ` / sum(kube_node_status_allocatable{resource="memory"}) > 0.8`,
        {
          for: "10m",
          severity: "warning",
          summary: "Cluster memory usage is high",
          description:
            "The working set of all containers has been {{ $value | humanizePercentage }} of the " +
            "cluster's allocatable memory (threshold 80%) for more than 10 minutes.",
        },
      ),
      alert(
        "PersistentVolumeNearFull",
        "kubelet_volume_stats_used_bytes / kubelet_volume_stats_capacity_bytes > 0.85",
        {
          for: "5m",
          severity: "warning",
          summary:
            "Volume {{ $labels.persistentvolumeclaim }} in {{ $labels.namespace }} is nearly full",
          description:
            "PersistentVolumeClaim {{ $labels.persistentvolumeclaim }} in namespace " +
            "{{ $labels.namespace }} is {{ $value | humanizePercentage }} full (threshold 85%).",
        },
      ),
    ],
  },
  {
    // Exporters of services the stack watches (user scrape jobs); "exporter down" is ServiceDown.
    name: "services",
    rules: [
      alert(
        "CertificateExpiringSoon",
        CERT_EXPIRY.map((expiry) => `(${expiry}) - time() < 7 * 86400 > 0`).join(" or "),
        {
          for: "1h",
          severity: "warning",
          summary: `${CERT_SUBJECT} expires soon`,
          description:
            `${CERT_SUBJECT} expires in {{ $value | humanizeDuration }}. ` +
            "{{ if $labels.name }}cert-manager should have renewed it long ago: check the Certificate's " +
            "events and its issuer.{{ else }}Renew and deploy the certificate of this endpoint.{{ end }}",
        },
      ),
      // Expiry only moves forward, so there is nothing to debounce: fire at once.
      alert(
        "CertificateExpired",
        CERT_EXPIRY.map((expiry) => `time() - (${expiry}) >= 0`).join(" or "),
        {
          severity: "critical",
          summary: `${CERT_SUBJECT} has expired`,
          description:
            `${CERT_SUBJECT} expired {{ $value | humanizeDuration }} ago; ` +
            "clients that verify it refuse to connect.",
        },
      ),
      alert("PostgreSQLDown", "pg_up == 0", {
        for: "1m",
        severity: "critical",
        summary: "PostgreSQL behind {{ $labels.instance }} is unreachable",
        description:
          "postgres_exporter {{ $labels.instance }} (job {{ $labels.job }}) is running but has not " +
          "been able to connect to its PostgreSQL server for more than 1 minute.",
      }),
      alert("VaultSealed", "vault_core_unsealed == 0", {
        for: "1m",
        severity: "critical",
        summary: "Vault {{ $labels.instance }} is sealed",
        description:
          "Vault {{ $labels.instance }} has been sealed for more than 1 minute and serves no secrets " +
          "until it is unsealed (unseal keys, or auto-unseal).",
      }),
    ],
  },
  {
    // Metric names of the monitus Passenger exporter (as in the seed). It exposes its own
    // `instance` label (the Passenger instance name), which Prometheus keeps as `exported_instance`;
    // `instance` is the scrape target.
    name: "passenger",
    rules: [
      alert("PassengerHighWaitQueue", "passenger_get_wait_list_size > 5", {
        for: "2m",
        severity: "warning",
        summary: "Requests are queueing in Passenger on {{ $labels.instance }}",
        description:
          "{{ $value | humanize }} requests have been waiting for a free Passenger process on " +
          "{{ $labels.instance }} for more than 2 minutes; the pool is too small or the app is slow.",
      }),
      alert(
        "PassengerHighMemoryUsage",
        // Per host and application: the app's processes (KiB -> bytes) over the host's memory.
        `sum by (job, instance, ${HOST_LABEL}, supergroup) (${withHost("passenger_process_memory")})` +
          ` * ${PASSENGER_MEMORY_UNIT_BYTES}` +
          ` / on (${HOST_LABEL}) group_left () ${withHost("node_memory_MemTotal_bytes", NODE)}` +
          " > 0.8",
        {
          for: "5m",
          severity: "warning",
          summary:
            "Passenger app {{ $labels.supergroup }} uses most of the memory of {{ $labels.host }}",
          description:
            "The Passenger processes of {{ $labels.supergroup }} on {{ $labels.host }} have used " +
            "{{ $value | humanizePercentage }} of the host's memory for more than 5 minutes " +
            "(threshold 80%); the host is close to swapping or OOM kills.",
        },
      ),
      // monitus runs as a Passenger application itself and `passenger_process_count` counts its
      // own process, so < 2 means that no application process is left.
      alert("PassengerProcessDown", "passenger_process_count < 2", {
        for: "1m",
        severity: "critical",
        summary: "No Passenger application process on {{ $labels.instance }}",
        description:
          "Passenger on {{ $labels.instance }} has run only {{ $value | humanize }} process(es), " +
          "the exporter's own included, for more than 1 minute: the application is not serving requests.",
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
        "PrometheusTargetSyncFailure",
        `increase(prometheus_target_sync_failed_total{${PROMETHEUS}}[30m]) > 0`,
        {
          for: "5m",
          severity: "critical",
          summary:
            "Prometheus {{ $labels.instance }} cannot sync targets of {{ $labels.scrape_job }}",
          description:
            "Prometheus {{ $labels.instance }} failed to sync the targets of scrape job " +
            "{{ $labels.scrape_job }} {{ $value | humanize }} time(s) over the last 30 minutes because " +
            "of an invalid configuration; those targets are not scraped.",
        },
      ),
      alert(
        "PrometheusScrapeSampleLimitHit",
        `increase(prometheus_target_scrapes_exceeded_sample_limit_total{${PROMETHEUS}}[5m]) > 0`,
        {
          for: "15m",
          severity: "warning",
          summary: "Prometheus {{ $labels.instance }} rejects scrapes over their sample limit",
          description:
            "Prometheus {{ $labels.instance }} rejected {{ $value | humanize }} scrapes over the last " +
            "5 minutes because the target exposed more samples than its sample_limit; the data of " +
            "those scrapes is lost.",
        },
      ),
      alert(
        "PrometheusNotificationQueueRunningFull",
        `predict_linear(prometheus_notifications_queue_length{${PROMETHEUS}}[5m], 30 * 60)` +
          ` > min_over_time(prometheus_notifications_queue_capacity{${PROMETHEUS}}[5m])`,
        {
          for: "15m",
          severity: "warning",
          summary:
            "The alert notification queue of Prometheus {{ $labels.instance }} is filling up",
          description:
            "At the rate of the last 5 minutes the notification queue of Prometheus " +
            "{{ $labels.instance }} will hold {{ $value | humanize }} alerts in 30 minutes, more than " +
            "its capacity; alerts will then be dropped.",
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
  {
    name: "meta",
    rules: [
      // The only alert with severity `none`: routed by name, never by severity.
      {
        kind: "alert",
        alert: WATCHDOG_ALERT,
        expr: "vector(1)",
        severity: "none",
        summary: "Alerting pipeline heartbeat (always firing)",
        description:
          "This alert always fires: it is the dead-man's switch of the alerting pipeline. Alertmanager " +
          "routes it to a heartbeat receiver, which raises an alarm when it stops arriving, because " +
          "then Prometheus, its rule evaluation or Alertmanager is broken.",
      },
    ],
  },
];

/**
 * The names every built-in alert and record takes, read from the table (in every environment:
 * nothing is left out), so user rules can be checked against them without rendering the rules.
 */
export const BUILT_IN_RULE_NAMES: {
  readonly alerts: ReadonlySet<string>;
  readonly records: ReadonlySet<string>;
} = {
  alerts: new Set(
    RULE_TABLE.flatMap((g) => g.rules.flatMap((r) => (r.kind === "alert" ? [r.alert] : []))),
  ),
  records: new Set(
    RULE_TABLE.flatMap((g) => g.rules.flatMap((r) => (r.kind === "record" ? [r.record] : []))),
  ),
};

/** The rule groups of the stack, in evaluation-file order, with runbook links filled in. */
export function buildRuleGroups(opts: RuleOptions): RuleGroup[] {
  if (opts.runbookBaseUrl.trim() === "") {
    throw new Error("RuleOptions.runbookBaseUrl must not be empty");
  }
  const deployed = (row: AlertRow | RecordRow) =>
    row.kind === "record" ||
    row.requiresJob === undefined ||
    opts.jobs === undefined ||
    opts.jobs.includes(row.requiresJob);
  return RULE_TABLE.map((group) => ({
    name: group.name,
    ...(group.interval === undefined ? {} : { interval: group.interval }),
    rules: group.rules.filter(deployed).map((row): AlertRule | RecordingRule => {
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
