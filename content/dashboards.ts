/**
 * The product's Grafana dashboards, built with the Grafana Foundation SDK.
 *
 * Pure module: no Pulumi imports, no I/O. Provisioning code writes each `DashboardFile.model` as
 * `fileName` into Grafana's dashboards directory. Datasources are referenced by the fixed UIDs in
 * `DATASOURCE_UIDS`, scrape jobs by the `job` label values in `SCRAPE_JOBS` and SLO series by the
 * recording-rule names in `SLO_RECORDS`.
 */
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import * as common from "@grafana/grafana-foundation-sdk/common";
import {
  DashboardBuilder,
  DashboardCursorSync,
  MappingType,
  QueryVariableBuilder,
  RowBuilder,
  TextBoxVariableBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  VariableRefresh,
  VariableSort,
} from "@grafana/grafana-foundation-sdk/dashboard";
import type {
  Dashboard,
  Panel,
  RowPanel,
  Threshold,
  ValueMapping,
  VariableModel,
} from "@grafana/grafana-foundation-sdk/dashboard";
import * as logs from "@grafana/grafana-foundation-sdk/logs";
import * as loki from "@grafana/grafana-foundation-sdk/loki";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import * as units from "@grafana/grafana-foundation-sdk/units";
import { DATASOURCE_UIDS, IGNORED_FSTYPES, SCRAPE_JOBS } from "../catalog/names";
import { BURN_RATES, SLO_ALERTS, SLO_PERIOD, SLO_RECORDS } from "./slo";

export interface DashboardFile {
  /** Grafana dashboard uid (stable, kebab-case, <= 40 chars). */
  readonly uid: string;
  readonly title: string;
  /** File name used when provisioning, e.g. "node-overview.json". */
  readonly fileName: string;
  /** The dashboard model as plain JSON-serialisable object (the result of .build()). */
  readonly model: object;
}

/** Tags every dashboard of the stack carries, so they can be found and filtered together. */
export const DASHBOARD_TAGS: readonly string[] = ["monitoring-stack"];

const PROMETHEUS_DS: common.DataSourceRef = { type: "prometheus", uid: DATASOURCE_UIDS.prometheus };
const LOKI_DS: common.DataSourceRef = { type: "loki", uid: DATASOURCE_UIDS.loki };

/** Grafana picks a window of at least four scrape intervals, so `rate()` never sees one sample. */
const RATE_WINDOW = "$__rate_interval";
/** Loki's step-aligned range for log-volume metrics. */
const LOG_WINDOW = "$__auto";

// ---------------------------------------------------------------------------------------------
// Query helpers
// ---------------------------------------------------------------------------------------------

/** One query of a panel: the expression, its legend, and how its series are drawn. */
interface Series {
  readonly expr: string;
  readonly legend: string;
  /** Drawn below the x axis (e.g. transmit under receive). */
  readonly mirrored?: boolean;
  /** Drawn as a dashed, unfilled reference line (e.g. a capacity or the CPU count). */
  readonly reference?: boolean;
}

/** Returns a function that renders `metric{<base matchers>, <extra matchers>}`. */
function selectorFor(...base: string[]): (metric: string, ...extra: string[]) => string {
  return (metric, ...extra) => `${metric}{${[...base, ...extra].join(", ")}}`;
}

/** `rate(<selector>[$__rate_interval])`. */
function rate(selector: string): string {
  return `rate(${selector}[${RATE_WINDOW}])`;
}

/** `increase(<selector>[$__rate_interval])`, for rare events where a count reads better than a rate. */
function increase(selector: string): string {
  return `increase(${selector}[${RATE_WINDOW}])`;
}

/** Regex matcher that excludes every listed value, e.g. `fstype!~"tmpfs|overlay"`. */
function notMatching(label: string, values: readonly string[]): string {
  return `${label}!~"${values.join("|")}"`;
}

/** Query refIds A, B, C … in the order the queries are listed. */
function refId(index: number): string {
  return String.fromCharCode("A".charCodeAt(0) + index);
}

function promTarget(series: Series, index: number, instant = false): prometheus.DataqueryBuilder {
  const target = new prometheus.DataqueryBuilder()
    .refId(refId(index))
    .datasource(PROMETHEUS_DS)
    .editorMode(prometheus.QueryEditorMode.Code)
    .expr(series.expr)
    .legendFormat(series.legend);
  return instant ? target.instant() : target.range();
}

function lokiTarget(series: Series, index: number): loki.DataqueryBuilder {
  return new loki.DataqueryBuilder()
    .refId(refId(index))
    .datasource(LOKI_DS)
    .editorMode(loki.QueryEditorMode.Code)
    .queryType(loki.LokiQueryType.Range)
    .expr(series.expr)
    .legendFormat(series.legend);
}

// ---------------------------------------------------------------------------------------------
// Panel helpers
// ---------------------------------------------------------------------------------------------

/** What every panel has, whatever its visualisation. */
interface PanelBase {
  readonly title: string;
  readonly description: string;
  /** Grid columns out of 24 (default 12). */
  readonly width?: number;
  /** Grid rows (default 8). */
  readonly height?: number;
}

/** The builder methods shared by every SDK panel builder (they are unrelated classes). */
interface CommonPanelBuilder {
  title(title: string): this;
  description(description: string): this;
  datasource(datasource: common.DataSourceRef): this;
  span(width: number): this;
  height(height: number): this;
  targets(targets: cog.Builder<cog.Dataquery>[]): this;
}

function configure<B extends CommonPanelBuilder>(
  builder: B,
  base: PanelBase,
  datasource: common.DataSourceRef,
  targets: cog.Builder<cog.Dataquery>[],
): B {
  return builder
    .title(base.title)
    .description(base.description)
    .datasource(datasource)
    .span(base.width ?? 12)
    .height(base.height ?? 8)
    .targets(targets);
}

function thresholds(steps: readonly Threshold[]): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps([...steps]);
}

/** Informational values: never coloured as good or bad. */
const NEUTRAL_STEPS: readonly Threshold[] = [{ value: null, color: "text" }];
/** Green until 80 %, orange until 90 %, red above: the usual saturation thresholds. */
const SATURATION_STEPS: readonly Threshold[] = [
  { value: null, color: "green" },
  { value: 80, color: "orange" },
  { value: 90, color: "red" },
];
/** Any non-zero value is a problem (down targets, corruptions). */
const ZERO_IS_GOOD_STEPS: readonly Threshold[] = [
  { value: null, color: "green" },
  { value: 1, color: "red" },
];
/** Fewer than one is a problem (e.g. no Alertmanager discovered). */
const AT_LEAST_ONE_STEPS: readonly Threshold[] = [
  { value: null, color: "red" },
  { value: 1, color: "green" },
];

interface GraphSpec extends PanelBase {
  readonly unit: string;
  readonly series: readonly Series[];
  readonly min?: number;
  readonly max?: number;
  /** Drawn as dashed threshold lines. */
  readonly steps?: readonly Threshold[];
  /** Stacked bars instead of lines (event counts such as log volume). */
  readonly stackedBars?: boolean;
}

function graphPanel(
  spec: GraphSpec,
  datasource: common.DataSourceRef,
  target: (series: Series, index: number) => cog.Builder<cog.Dataquery>,
): timeseries.PanelBuilder {
  const panel = configure(
    new timeseries.PanelBuilder(),
    spec,
    datasource,
    spec.series.map((series, index) => target(series, index)),
  )
    .unit(spec.unit)
    .lineWidth(1)
    .fillOpacity(10)
    .showPoints(common.VisibilityMode.Never)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.Table)
        .placement(common.LegendPlacement.Bottom)
        .calcs(["mean", "max", "lastNotNull"]),
    )
    .tooltip(
      new common.VizTooltipOptionsBuilder()
        .mode(common.TooltipDisplayMode.Multi)
        .sort(common.SortOrder.Descending),
    );
  if (spec.min !== undefined) panel.min(spec.min);
  if (spec.max !== undefined) panel.max(spec.max);
  if (spec.steps !== undefined) {
    panel
      .thresholds(thresholds(spec.steps))
      .thresholdsStyle(
        new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed),
      );
  }
  if (spec.stackedBars) {
    panel
      .drawStyle(common.GraphDrawStyle.Bars)
      .fillOpacity(80)
      .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  }
  spec.series.forEach((series, index) => {
    if (series.mirrored) {
      panel.overrideByQuery(refId(index), [{ id: "custom.transform", value: "negative-Y" }]);
    }
    if (series.reference) {
      panel.overrideByQuery(refId(index), [
        { id: "custom.lineStyle", value: { fill: "dash", dash: [10, 10] } },
        { id: "custom.fillOpacity", value: 0 },
      ]);
    }
  });
  return panel;
}

/** A time series panel of Prometheus queries. */
function promGraph(spec: GraphSpec): timeseries.PanelBuilder {
  return graphPanel(spec, PROMETHEUS_DS, (series, index) => promTarget(series, index));
}

/** A time series panel of LogQL metric queries. */
function lokiGraph(spec: GraphSpec): timeseries.PanelBuilder {
  return graphPanel(spec, LOKI_DS, lokiTarget);
}

interface StatSpec extends PanelBase {
  readonly unit: string;
  readonly expr: string;
  readonly legend?: string;
  readonly steps?: readonly Threshold[];
  readonly mappings?: ValueMapping[];
  readonly noValue?: string;
  /** Digits after the decimal point (default: Grafana picks from the value). */
  readonly decimals?: number;
}

/** A single-value panel fed by an instant Prometheus query. */
function promStat(spec: StatSpec): stat.PanelBuilder {
  const panel = configure(
    new stat.PanelBuilder(),
    { width: 4, height: 4, ...spec },
    PROMETHEUS_DS,
    [promTarget({ expr: spec.expr, legend: spec.legend ?? "" }, 0, true)],
  )
    .unit(spec.unit)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false))
    .graphMode(common.BigValueGraphMode.None)
    .colorMode(common.BigValueColorMode.Value)
    .textMode(common.BigValueTextMode.Auto)
    .thresholds(thresholds(spec.steps ?? NEUTRAL_STEPS));
  if (spec.mappings !== undefined) panel.mappings(spec.mappings);
  if (spec.noValue !== undefined) panel.noValue(spec.noValue);
  if (spec.decimals !== undefined) panel.decimals(spec.decimals);
  return panel;
}

/** Maps 1/0 to a coloured "OK"/"Failed" text. */
function okFailedMapping(): ValueMapping[] {
  return [
    {
      type: MappingType.ValueToText,
      options: {
        "0": { text: "Failed", color: "red", index: 0 },
        "1": { text: "OK", color: "green", index: 1 },
      },
    },
  ];
}

/** A multi-value query variable with an "All" option, refreshed when the time range changes. */
function queryVariable(
  name: string,
  datasource: common.DataSourceRef,
  query: string,
  allValue?: string,
): QueryVariableBuilder {
  const variable = new QueryVariableBuilder(name)
    .label(name.charAt(0).toUpperCase() + name.slice(1))
    .datasource(datasource)
    .query(query)
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .current({ selected: true, text: ["All"], value: ["$__all"] });
  return allValue === undefined ? variable : variable.allValue(allValue);
}

// ---------------------------------------------------------------------------------------------
// Dashboard assembly
// ---------------------------------------------------------------------------------------------

/** Panels under one (expanded) row; a section without a title has no row header. */
interface Section {
  readonly title?: string;
  /** Name of a multi-value variable: Grafana repeats the row (and its panels) once per value. */
  readonly repeat?: string;
  readonly panels: readonly cog.Builder<Panel>[];
}

interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly variables: readonly cog.Builder<VariableModel>[];
  readonly sections: readonly Section[];
}

function isRow(panel: Panel | RowPanel): panel is RowPanel {
  return panel.type === "row";
}

/** Gives every panel and row a unique, stable id (the SDK leaves them unset). */
function numberPanels(model: Dashboard): void {
  let id = 0;
  for (const panel of model.panels ?? []) {
    panel.id = ++id;
    if (isRow(panel)) {
      for (const child of panel.panels) child.id = ++id;
    }
  }
}

function assemble(spec: DashboardSpec): DashboardFile {
  const builder = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([...DASHBOARD_TAGS])
    .refresh("30s")
    .time({ from: "now-6h", to: "now" })
    .timezone("browser")
    .tooltip(DashboardCursorSync.Crosshair);
  for (const variable of spec.variables) builder.withVariable(variable);
  for (const section of spec.sections) {
    if (section.repeat !== undefined && section.title === undefined) {
      throw new Error(`${spec.uid}: only a section with a title (a row) can repeat`);
    }
    if (section.title !== undefined) {
      const row = new RowBuilder(section.title);
      builder.withRow(section.repeat === undefined ? row : row.repeat(section.repeat));
    }
    for (const panel of section.panels) builder.withPanel(panel);
  }
  // A JSON round trip drops the SDK's marker methods and leaves a plain, serialisable object.
  const model = JSON.parse(JSON.stringify(builder.build())) as Dashboard;
  numberPanels(model);
  return { uid: spec.uid, title: spec.title, fileName: `${spec.uid}.json`, model };
}

// ---------------------------------------------------------------------------------------------
// Node overview (node_exporter)
// ---------------------------------------------------------------------------------------------

/** Pseudo and container filesystems whose usage says nothing about disk space. */
/** Virtual block devices. */
const IGNORED_DISKS = ["loop[0-9]+", "ram[0-9]+", "fd[0-9]+", "sr[0-9]+"];
/** Loopback and container-bridge interfaces. */
const IGNORED_NICS = ["lo", "veth.*", "docker.*", "br-.*"];

function nodeOverview(): DashboardFile {
  const node = selectorFor(`job="${SCRAPE_JOBS.node}"`, `instance=~"$instance"`);
  const idleCpu = node("node_cpu_seconds_total", `mode="idle"`);
  const cpuCount = `count by (instance) (${idleCpu})`;
  const fs = (metric: string, ...extra: string[]): string =>
    node(metric, notMatching("fstype", IGNORED_FSTYPES), ...extra);
  const fsUsedPercent = (...extra: string[]): string =>
    `100 * (1 - ${fs("node_filesystem_avail_bytes", ...extra)} / ${fs("node_filesystem_size_bytes", ...extra)})`;
  const disk = (metric: string): string => rate(node(metric, notMatching("device", IGNORED_DISKS)));
  const nic = (metric: string): string => rate(node(metric, notMatching("device", IGNORED_NICS)));
  const memTotal = node("node_memory_MemTotal_bytes");
  const memAvailable = node("node_memory_MemAvailable_bytes");
  /** One value per selected host, four to a row. */
  const nodeStat = (spec: StatSpec): stat.PanelBuilder =>
    promStat({ legend: "{{instance}}", width: 6, ...spec });

  return assemble({
    uid: "node-overview",
    title: "Node overview",
    description:
      "Host resources reported by node_exporter: CPU, memory, filesystems, disks, network.",
    variables: [
      queryVariable(
        "instance",
        PROMETHEUS_DS,
        `label_values(node_uname_info{job="${SCRAPE_JOBS.node}"}, instance)`,
      ),
    ],
    sections: [
      {
        title: "Overview",
        panels: [
          nodeStat({
            title: "Uptime",
            description: "Time since the host booted.",
            unit: units.Seconds,
            expr: `time() - ${node("node_boot_time_seconds")}`,
          }),
          nodeStat({
            title: "CPU cores",
            description: "Logical CPUs seen by the kernel.",
            unit: units.Short,
            expr: cpuCount,
          }),
          nodeStat({
            title: "Memory",
            description: "Physical memory installed.",
            unit: units.BytesIEC,
            expr: memTotal,
          }),
          nodeStat({
            title: "Root filesystem used",
            description:
              "Share of the root filesystem in use (space reserved for root counts as used).",
            unit: units.Percent,
            expr: fsUsedPercent(`mountpoint="/"`),
            steps: SATURATION_STEPS,
          }),
        ],
      },
      {
        title: "CPU",
        panels: [
          promGraph({
            title: "CPU busy",
            description: "Share of CPU time not idle, averaged over all CPUs of the host.",
            unit: units.Percent,
            min: 0,
            max: 100,
            steps: SATURATION_STEPS,
            series: [
              {
                expr: `100 * (1 - sum by (instance) (${rate(idleCpu)}) / ${cpuCount})`,
                legend: "{{instance}}",
              },
            ],
          }),
          promGraph({
            title: "Load average vs CPUs",
            description:
              "Run-queue length; sustained load above the CPU count (dashed) means work is waiting for CPU.",
            unit: units.Short,
            min: 0,
            series: [
              { expr: node("node_load1"), legend: "{{instance}} 1m" },
              { expr: node("node_load5"), legend: "{{instance}} 5m" },
              { expr: node("node_load15"), legend: "{{instance}} 15m" },
              { expr: cpuCount, legend: "{{instance}} CPUs", reference: true },
            ],
          }),
          promGraph({
            title: "CPU time by mode",
            description:
              "Non-idle CPU time per mode; high iowait or steal points at disks or the hypervisor.",
            unit: units.Percent,
            min: 0,
            width: 24,
            series: [
              {
                expr: `100 * sum by (instance, mode) (${rate(node("node_cpu_seconds_total", `mode!="idle"`))}) / on (instance) group_left ${cpuCount}`,
                legend: "{{instance}} {{mode}}",
              },
            ],
          }),
        ],
      },
      {
        title: "Memory",
        panels: [
          promGraph({
            title: "Memory used",
            description:
              "Share of memory not available for new allocations without swapping (MemAvailable).",
            unit: units.Percent,
            min: 0,
            max: 100,
            steps: SATURATION_STEPS,
            series: [{ expr: `100 * (1 - ${memAvailable} / ${memTotal})`, legend: "{{instance}}" }],
          }),
          promGraph({
            title: "Memory and swap",
            description: "Memory in use, total memory (dashed) and swap in use.",
            unit: units.BytesIEC,
            min: 0,
            series: [
              { expr: `${memTotal} - ${memAvailable}`, legend: "{{instance}} used" },
              { expr: memTotal, legend: "{{instance}} total", reference: true },
              {
                expr: `${node("node_memory_SwapTotal_bytes")} - ${node("node_memory_SwapFree_bytes")}`,
                legend: "{{instance}} swap used",
              },
            ],
          }),
        ],
      },
      {
        title: "Filesystems and disks",
        panels: [
          promGraph({
            title: "Filesystem used",
            description:
              "Space used per mountpoint; tmpfs, overlay and other pseudo filesystems excluded.",
            unit: units.Percent,
            min: 0,
            max: 100,
            steps: SATURATION_STEPS,
            width: 24,
            series: [{ expr: fsUsedPercent(), legend: "{{instance}} {{mountpoint}}" }],
          }),
          promGraph({
            title: "Disk I/O utilisation",
            description:
              "Share of time each device was busy with I/O (io_time); near 100 % means saturated.",
            unit: units.PercentUnit,
            min: 0,
            series: [
              { expr: disk("node_disk_io_time_seconds_total"), legend: "{{instance}} {{device}}" },
            ],
          }),
          promGraph({
            title: "Disk throughput",
            description: "Bytes read (up) and written (down) per device.",
            unit: units.BytesPerSecondSI,
            series: [
              { expr: disk("node_disk_read_bytes_total"), legend: "{{instance}} {{device}} read" },
              {
                expr: disk("node_disk_written_bytes_total"),
                legend: "{{instance}} {{device}} written",
                mirrored: true,
              },
            ],
          }),
        ],
      },
      {
        title: "Network",
        panels: [
          promGraph({
            title: "Network traffic",
            description:
              "Bytes received (up) and transmitted (down) per interface; loopback and bridges excluded.",
            unit: units.BytesPerSecondSI,
            series: [
              {
                expr: nic("node_network_receive_bytes_total"),
                legend: "{{instance}} {{device}} receive",
              },
              {
                expr: nic("node_network_transmit_bytes_total"),
                legend: "{{instance}} {{device}} transmit",
                mirrored: true,
              },
            ],
          }),
          promGraph({
            title: "Network errors and drops",
            description: "Packets with errors or dropped, received (up) and transmitted (down).",
            unit: units.PacketsPerSecond,
            series: [
              {
                expr: nic("node_network_receive_errs_total"),
                legend: "{{instance}} {{device}} rx errors",
              },
              {
                expr: nic("node_network_receive_drop_total"),
                legend: "{{instance}} {{device}} rx drops",
              },
              {
                expr: nic("node_network_transmit_errs_total"),
                legend: "{{instance}} {{device}} tx errors",
                mirrored: true,
              },
              {
                expr: nic("node_network_transmit_drop_total"),
                legend: "{{instance}} {{device}} tx drops",
                mirrored: true,
              },
            ],
          }),
        ],
      },
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// Prometheus overview (Prometheus' own metrics)
// ---------------------------------------------------------------------------------------------

function prometheusOverview(): DashboardFile {
  const prom = selectorFor(`job="${SCRAPE_JOBS.prometheus}"`);
  const total = (by: string, expr: string): string => `sum by (${by}) (${expr})`;

  return assemble({
    uid: "prometheus-overview",
    title: "Prometheus overview",
    description:
      "Health of Prometheus itself: targets, ingestion, rules, notifications, TSDB and queries.",
    variables: [],
    sections: [
      {
        title: "Health",
        panels: [
          promStat({
            title: "Targets up",
            description: "Scrape targets whose last scrape succeeded.",
            unit: units.Short,
            expr: "count(up == 1) or vector(0)",
          }),
          promStat({
            title: "Targets down",
            description: "Scrape targets whose last scrape failed; see the table below for which.",
            unit: units.Short,
            expr: "count(up == 0) or vector(0)",
            steps: ZERO_IS_GOOD_STEPS,
          }),
          promStat({
            title: "Config reload",
            description: "Whether the last configuration reload succeeded.",
            unit: units.NoUnit,
            expr: `min(${prom("prometheus_config_last_reload_successful")})`,
            mappings: okFailedMapping(),
          }),
          promStat({
            title: "Head series",
            description: "Active series in the in-memory head block.",
            unit: units.Short,
            expr: `sum(${prom("prometheus_tsdb_head_series")})`,
          }),
          promStat({
            title: "Alertmanagers",
            description: "Alertmanagers Prometheus currently sends alerts to.",
            unit: units.Short,
            expr: `sum(${prom("prometheus_notifications_alertmanagers_discovered")})`,
            steps: AT_LEAST_ONE_STEPS,
          }),
          promStat({
            title: "WAL corruptions",
            description: "Write-ahead-log corruptions detected in the selected time range.",
            unit: units.Short,
            expr: `sum(increase(${prom("prometheus_tsdb_wal_corruptions_total")}[$__range]))`,
            steps: ZERO_IS_GOOD_STEPS,
            noValue: "0",
          }),
        ],
      },
      {
        title: "Scraping and ingestion",
        panels: [
          configure(
            new table.PanelBuilder(),
            {
              title: "Down targets",
              description: "Every target whose last scrape failed.",
            },
            PROMETHEUS_DS,
            [
              promTarget({ expr: "up == 0", legend: "" }, 0, true).format(
                prometheus.PromQueryFormat.Table,
              ),
            ],
          )
            .withTransformation({
              id: "organize",
              options: { excludeByName: { Time: true, Value: true, __name__: true } },
            })
            .noValue("All targets are up"),
          promGraph({
            title: "Scrape duration",
            description: "Slowest scrape per job; it must stay well below the scrape interval.",
            unit: units.Seconds,
            min: 0,
            series: [{ expr: "max by (job) (scrape_duration_seconds)", legend: "{{job}}" }],
          }),
          promGraph({
            title: "Samples ingested",
            description: "Samples appended to the head block per second.",
            unit: units.CountsPerSecond,
            min: 0,
            series: [
              {
                expr: total("instance", rate(prom("prometheus_tsdb_head_samples_appended_total"))),
                legend: "{{instance}}",
              },
            ],
          }),
          promGraph({
            title: "Head series over time",
            description:
              "Active series in the head block; sudden growth means a cardinality explosion.",
            unit: units.Short,
            min: 0,
            series: [{ expr: prom("prometheus_tsdb_head_series"), legend: "{{instance}}" }],
          }),
        ],
      },
      {
        title: "Rules and notifications",
        panels: [
          promGraph({
            title: "Rule evaluation failures",
            description:
              "Failed rule evaluations and skipped (missed) group iterations per rule group.",
            unit: units.CountsPerSecond,
            min: 0,
            series: [
              {
                expr: total("rule_group", rate(prom("prometheus_rule_evaluation_failures_total"))),
                legend: "{{rule_group}} failures",
              },
              {
                expr: total(
                  "rule_group",
                  rate(prom("prometheus_rule_group_iterations_missed_total")),
                ),
                legend: "{{rule_group}} missed",
              },
            ],
          }),
          promGraph({
            title: "Rule evaluation duration",
            description: "Last evaluation time per rule group and the 99th percentile per rule.",
            unit: units.Seconds,
            min: 0,
            series: [
              {
                expr: `max by (rule_group) (${prom("prometheus_rule_group_last_duration_seconds")})`,
                legend: "{{rule_group}}",
              },
              {
                expr: `max(${prom("prometheus_rule_evaluation_duration_seconds", `quantile="0.99"`)})`,
                legend: "p99 per rule",
              },
            ],
          }),
          promGraph({
            title: "Alertmanager notifications",
            description:
              "Alerts sent to each Alertmanager, failed sends (errors) and alerts dropped.",
            unit: units.CountsPerSecond,
            min: 0,
            series: [
              {
                expr: total("alertmanager", rate(prom("prometheus_notifications_sent_total"))),
                legend: "{{alertmanager}} sent",
              },
              {
                expr: total("alertmanager", rate(prom("prometheus_notifications_errors_total"))),
                legend: "{{alertmanager}} errors",
              },
              {
                expr: `sum(${rate(prom("prometheus_notifications_dropped_total"))})`,
                legend: "dropped",
              },
            ],
          }),
          promGraph({
            title: "Notification queue",
            description: "Alerts waiting to be sent; reaching the capacity (dashed) drops alerts.",
            unit: units.Short,
            min: 0,
            series: [
              {
                expr: prom("prometheus_notifications_queue_length"),
                legend: "{{instance}} queued",
              },
              {
                expr: prom("prometheus_notifications_queue_capacity"),
                legend: "{{instance}} capacity",
                reference: true,
              },
            ],
          }),
        ],
      },
      {
        title: "Storage and queries",
        panels: [
          promGraph({
            title: "TSDB storage size",
            description: "Disk used by persisted blocks and by the write-ahead log.",
            unit: units.BytesIEC,
            min: 0,
            series: [
              { expr: prom("prometheus_tsdb_storage_blocks_bytes"), legend: "{{instance}} blocks" },
              { expr: prom("prometheus_tsdb_wal_storage_size_bytes"), legend: "{{instance}} WAL" },
            ],
          }),
          promGraph({
            title: "TSDB problems",
            description:
              "WAL corruptions and failed compactions, block reloads and head truncations.",
            unit: units.Short,
            min: 0,
            series: [
              {
                expr: increase(prom("prometheus_tsdb_wal_corruptions_total")),
                legend: "WAL corruptions",
              },
              {
                expr: increase(prom("prometheus_tsdb_compactions_failed_total")),
                legend: "failed compactions",
              },
              {
                expr: increase(prom("prometheus_tsdb_reloads_failures_total")),
                legend: "failed reloads",
              },
              {
                expr: increase(prom("prometheus_tsdb_head_truncations_failed_total")),
                legend: "failed head truncations",
              },
            ],
          }),
          promGraph({
            title: "Query duration",
            description:
              "99th percentile of PromQL query time, per stage (queue, prepare, evaluate, sort).",
            unit: units.Seconds,
            min: 0,
            width: 24,
            series: [
              {
                expr: `max by (slice) (${prom("prometheus_engine_query_duration_seconds", `quantile="0.99"`)})`,
                legend: "{{slice}}",
              },
            ],
          }),
        ],
      },
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// Logs explorer (Loki)
// ---------------------------------------------------------------------------------------------

function logsExplorer(): DashboardFile {
  const stream = `{container=~"$container"}`;
  const searched = `${stream} |= "$search"`;
  const perContainer = (logQuery: string): string =>
    `sum by (container) (count_over_time(${logQuery} [${LOG_WINDOW}]))`;

  return assemble({
    uid: "logs-explorer",
    title: "Logs explorer",
    description: "Container logs from Loki, with per-container log volume and error-line rate.",
    variables: [
      // Loki rejects selectors that can match the empty string, so "All" must be `.+`, not `.*`.
      queryVariable("container", LOKI_DS, "label_values(container)", ".+"),
      new TextBoxVariableBuilder("search")
        .label("Search")
        .description(
          "Case-sensitive text every shown log line must contain; empty shows all lines.",
        )
        .defaultValue(""),
    ],
    sections: [
      {
        panels: [
          lokiGraph({
            title: "Log volume",
            description: "Log lines per container matching the search.",
            unit: units.Short,
            min: 0,
            stackedBars: true,
            series: [{ expr: perContainer(searched), legend: "{{container}}" }],
          }),
          lokiGraph({
            title: "Error lines",
            description:
              "Log lines per container that look like errors (error, panic, fatal, exception).",
            unit: units.Short,
            min: 0,
            stackedBars: true,
            series: [
              {
                expr: perContainer(`${stream} |~ "(?i)(error|panic|fatal|exception)"`),
                legend: "{{container}}",
              },
            ],
          }),
          configure(
            new logs.PanelBuilder(),
            {
              title: "Logs",
              description: "Newest lines first; expand a line for its labels.",
              width: 24,
              height: 18,
            },
            LOKI_DS,
            [lokiTarget({ expr: searched, legend: "" }, 0).maxLines(1000)],
          )
            .showTime(true)
            .showLabels(false)
            .showCommonLabels(false)
            .wrapLogMessage(true)
            .prettifyLogMessage(false)
            .enableLogDetails(true)
            .sortOrder(common.LogsSortOrder.Descending)
            .dedupStrategy(common.LogsDedupStrategy.None),
        ],
      },
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// Alertmanager overview (Alertmanager's own metrics)
// ---------------------------------------------------------------------------------------------

function alertmanagerOverview(): DashboardFile {
  const am = selectorFor(`job="${SCRAPE_JOBS.alertmanager}"`, `instance=~"$instance"`);
  const perIntegration = (metric: string): string => `sum by (integration) (${rate(am(metric))})`;
  const perInstance = (metric: string): string => `sum by (instance) (${rate(am(metric))})`;

  return assemble({
    uid: "alertmanager-overview",
    title: "Alertmanager overview",
    description:
      "Health of Alertmanager: alerts received and held, notifications per integration, silences and cluster.",
    variables: [
      queryVariable(
        "instance",
        PROMETHEUS_DS,
        `label_values(up{job="${SCRAPE_JOBS.alertmanager}"}, instance)`,
      ),
    ],
    sections: [
      {
        title: "Health",
        panels: [
          promStat({
            title: "Instances up",
            description: "Alertmanager instances whose last scrape succeeded.",
            unit: units.Short,
            expr: `sum(${am("up")})`,
            steps: AT_LEAST_ONE_STEPS,
          }),
          promStat({
            title: "Config reload",
            description: "Whether the last configuration reload succeeded on every instance.",
            unit: units.NoUnit,
            expr: `min(${am("alertmanager_config_last_reload_successful")})`,
            mappings: okFailedMapping(),
          }),
          // Prometheus sends every alert to every Alertmanager, so instances hold the same alerts:
          // `max` counts them once where `sum` would count them once per instance.
          promStat({
            title: "Active alerts",
            description: "Alerts currently firing and neither silenced nor inhibited.",
            unit: units.Short,
            expr: `max(${am("alertmanager_alerts", `state="active"`)})`,
          }),
          promStat({
            title: "Suppressed alerts",
            description: "Firing alerts held back by a silence or an inhibition rule.",
            unit: units.Short,
            expr: `max(${am("alertmanager_alerts", `state="suppressed"`)})`,
          }),
          promStat({
            title: "Active silences",
            description: "Silences currently in effect.",
            unit: units.Short,
            expr: `max(${am("alertmanager_silences", `state="active"`)})`,
          }),
          promStat({
            title: "Cluster members",
            description:
              "Fewest peers any instance sees; below the instance count means the cluster is split.",
            unit: units.Short,
            expr: `min(${am("alertmanager_cluster_members")})`,
            steps: AT_LEAST_ONE_STEPS,
          }),
        ],
      },
      {
        title: "Alerts",
        panels: [
          promGraph({
            title: "Alerts by state",
            description:
              "Alerts held by Alertmanager: active, and suppressed by silences or inhibitions.",
            unit: units.Short,
            min: 0,
            series: [
              { expr: `max by (state) (${am("alertmanager_alerts")})`, legend: "{{state}}" },
            ],
          }),
          promGraph({
            title: "Alerts received from Prometheus",
            description: "Alerts received per instance (up) and alerts rejected as invalid (down).",
            unit: units.CountsPerSecond,
            series: [
              {
                expr: perInstance("alertmanager_alerts_received_total"),
                legend: "{{instance}} received",
              },
              {
                expr: perInstance("alertmanager_alerts_invalid_total"),
                legend: "{{instance}} invalid",
                mirrored: true,
              },
            ],
          }),
        ],
      },
      {
        title: "Notifications",
        panels: [
          promGraph({
            title: "Notifications sent vs failed",
            description:
              "Notification attempts per integration (up) and the attempts that failed (down).",
            unit: units.CountsPerSecond,
            series: [
              {
                expr: perIntegration("alertmanager_notifications_total"),
                legend: "{{integration}} sent",
              },
              {
                expr: perIntegration("alertmanager_notifications_failed_total"),
                legend: "{{integration}} failed",
                mirrored: true,
              },
            ],
          }),
          promGraph({
            title: "Notification latency (p99)",
            description: "99th percentile of the time to deliver a notification, per integration.",
            unit: units.Seconds,
            min: 0,
            series: [
              {
                expr: `histogram_quantile(0.99, sum by (integration, le) (${rate(am("alertmanager_notification_latency_seconds_bucket"))}))`,
                legend: "{{integration}}",
              },
            ],
          }),
        ],
      },
      {
        title: "Silences and cluster",
        panels: [
          promGraph({
            title: "Silences by state",
            description: "Silences that are active, pending (start in the future) or expired.",
            unit: units.Short,
            min: 0,
            series: [
              { expr: `max by (state) (${am("alertmanager_silences")})`, legend: "{{state}}" },
            ],
          }),
          promGraph({
            title: "Cluster members per instance",
            description:
              "Peers each instance sees; instances that disagree are partitioned from each other.",
            unit: units.Short,
            min: 0,
            series: [{ expr: am("alertmanager_cluster_members"), legend: "{{instance}}" }],
          }),
        ],
      },
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// SLO / error budget (reads the SLO recording rules of content/slo.ts)
// ---------------------------------------------------------------------------------------------

/**
 * The fast-burn alert conditions (14.4× over 1 h, 6× over 6 h), slowest factor first: the burn-rate
 * panels show these long windows and colour at these factors, so they read like the alert.
 */
const FAST_BURNS = [...BURN_RATES.fast].sort((a, b) => a.factor - b.factor);
const BURN_RATE_STEPS: readonly Threshold[] = [
  { value: null, color: "green" },
  ...FAST_BURNS.map((burn, i): Threshold => ({
    value: burn.factor,
    color: i === FAST_BURNS.length - 1 ? "red" : "orange",
  })),
];
/** Overspent budget is red, the last quarter orange. */
const BUDGET_REMAINING_STEPS: readonly Threshold[] = [
  { value: null, color: "red" },
  { value: 0, color: "orange" },
  { value: 0.25, color: "green" },
];
/** Grafana custom unit: the value followed by "×" (burn rate is a multiple of the budget rate). */
const TIMES_UNIT = "suffix:×";

function sloErrorBudget(): DashboardFile {
  const slo = selectorFor(`slo=~"$slo"`);
  /** Error ratio over `window` divided by the error budget: 1 spends the budget exactly in the period. */
  const burnRate = (window: string): string =>
    `${slo(SLO_RECORDS.errorRatio(window))} / on (slo, service) ${slo(SLO_RECORDS.errorBudget)}`;
  const sloStat = (spec: StatSpec): stat.PanelBuilder =>
    promStat({ legend: "{{service}}", width: 5, ...spec });

  return assemble({
    uid: "slo-error-budget",
    title: "SLO error budget",
    description: `Objectives, availability and error budget over the ${SLO_PERIOD} SLO period, and how fast the budget burns.`,
    variables: [
      queryVariable("slo", PROMETHEUS_DS, `label_values(${SLO_RECORDS.objective}, slo)`).label(
        "SLO",
      ),
    ],
    sections: [
      {
        title: "SLO $slo",
        repeat: "slo",
        panels: [
          sloStat({
            title: "Objective",
            description: `Share of good events the SLO promises over ${SLO_PERIOD}.`,
            unit: units.PercentUnit,
            decimals: 2,
            width: 4,
            expr: slo(SLO_RECORDS.objective),
          }),
          sloStat({
            title: `Availability (${SLO_PERIOD})`,
            description: `Share of good events over the last ${SLO_PERIOD}.`,
            unit: units.PercentUnit,
            decimals: 3,
            expr: `1 - ${slo(SLO_RECORDS.periodErrorRatio)}`,
          }),
          sloStat({
            title: "Error budget remaining",
            description: `Share of the ${SLO_PERIOD} error budget not yet spent; negative means the SLO is missed.`,
            unit: units.PercentUnit,
            decimals: 1,
            expr: slo(SLO_RECORDS.budgetRemaining),
            steps: BUDGET_REMAINING_STEPS,
          }),
          ...BURN_RATES.fast.map((burn) =>
            sloStat({
              title: `Burn rate (${burn.long})`,
              description:
                `How fast the last ${burn.long} spend the budget; 1× spends it exactly over ` +
                `${SLO_PERIOD}, ${burn.factor}× over ${burn.long} fires ${SLO_ALERTS.fast}.`,
              unit: TIMES_UNIT,
              decimals: 1,
              expr: burnRate(burn.long),
              steps: BURN_RATE_STEPS,
            }),
          ),
          promGraph({
            title: "Burn rate",
            description: `Budget burn rate over the long windows of ${SLO_ALERTS.fast} against its thresholds (dashed).`,
            unit: TIMES_UNIT,
            min: 0,
            steps: BURN_RATE_STEPS,
            width: 24,
            series: BURN_RATES.fast.map((burn) => ({
              expr: burnRate(burn.long),
              legend: `{{service}} ${burn.long}`,
            })),
          }),
          promGraph({
            title: "Error ratio vs budget",
            description:
              "Share of bad events over 5 minutes, 1 hour and 6 hours; above the budget (dashed) the budget shrinks.",
            unit: units.PercentUnit,
            min: 0,
            series: [
              ...(["5m", "1h", "6h"] as const).map((window) => ({
                expr: slo(SLO_RECORDS.errorRatio(window)),
                legend: `{{service}} ${window}`,
              })),
              {
                expr: slo(SLO_RECORDS.errorBudget),
                legend: "{{service}} budget",
                reference: true,
              },
            ],
          }),
          promGraph({
            title: "Error budget remaining over time",
            description: `Share of the ${SLO_PERIOD} error budget left at each point in time.`,
            unit: units.PercentUnit,
            steps: BUDGET_REMAINING_STEPS,
            series: [{ expr: slo(SLO_RECORDS.budgetRemaining), legend: "{{service}}" }],
          }),
        ],
      },
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/** Every dashboard the stack provisions into Grafana. */
export function buildDashboards(): DashboardFile[] {
  return [
    nodeOverview(),
    prometheusOverview(),
    alertmanagerOverview(),
    sloErrorBudget(),
    logsExplorer(),
  ];
}

interface TargetLike {
  readonly expr?: unknown;
  readonly datasource?: { readonly type?: unknown };
}

interface PanelLike {
  readonly title?: unknown;
  readonly datasource?: { readonly type?: unknown };
  readonly targets?: unknown;
  readonly panels?: unknown;
}

/** `value` when it is a string, otherwise "". */
function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/**
 * Every query expression in a dashboard model, tagged with its datasource type ("prometheus" |
 * "loki"). Covers panel targets, including panels nested in collapsed rows; template-variable
 * queries (e.g. `label_values(...)`) are not PromQL/LogQL and are not included.
 */
export function dashboardQueries(
  model: object,
): { datasource: string; expr: string; panel: string }[] {
  const queries: { datasource: string; expr: string; panel: string }[] = [];
  const visit = (panels: unknown): void => {
    if (!Array.isArray(panels)) return;
    for (const panel of panels as PanelLike[]) {
      const targets = Array.isArray(panel.targets) ? (panel.targets as TargetLike[]) : [];
      for (const target of targets) {
        if (typeof target.expr !== "string") continue;
        queries.push({
          datasource: text(target.datasource?.type) || text(panel.datasource?.type),
          expr: target.expr,
          panel: text(panel.title),
        });
      }
      visit(panel.panels);
    }
  };
  visit((model as { panels?: unknown }).panels);
  return queries;
}
