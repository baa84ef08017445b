/**
 * What every dashboard is built from, with the Grafana Foundation SDK: the datasource references
 * (fixed UIDs from `DATASOURCE_UIDS`), query and panel helpers, thresholds, template variables and
 * `assemble()`, which lays sections out as rows and numbers the panels. Pure.
 */
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import * as common from "@grafana/grafana-foundation-sdk/common";
import {
  DashboardBuilder,
  DashboardCursorSync,
  MappingType,
  QueryVariableBuilder,
  RowBuilder,
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
import * as loki from "@grafana/grafana-foundation-sdk/loki";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import { DATASOURCE_UIDS } from "../../catalog/names";

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

export const PROMETHEUS_DS: common.DataSourceRef = {
  type: "prometheus",
  uid: DATASOURCE_UIDS.prometheus,
};
export const LOKI_DS: common.DataSourceRef = { type: "loki", uid: DATASOURCE_UIDS.loki };

/** Grafana picks a window of at least four scrape intervals, so `rate()` never sees one sample. */
export const RATE_WINDOW = "$__rate_interval";
/** Loki's step-aligned range for log-volume metrics. */
export const LOG_WINDOW = "$__auto";

// ---------------------------------------------------------------------------------------------
// Query helpers
// ---------------------------------------------------------------------------------------------

/** One query of a panel: the expression, its legend, and how its series are drawn. */
export interface Series {
  readonly expr: string;
  readonly legend: string;
  /** Drawn below the x axis (e.g. transmit under receive). */
  readonly mirrored?: boolean;
  /** Drawn as a dashed, unfilled reference line (e.g. a capacity or the CPU count). */
  readonly reference?: boolean;
}

/** Returns a function that renders `metric{<base matchers>, <extra matchers>}`. */
export function selectorFor(...base: string[]): (metric: string, ...extra: string[]) => string {
  return (metric, ...extra) => `${metric}{${[...base, ...extra].join(", ")}}`;
}

/** `rate(<selector>[$__rate_interval])`. */
export function rate(selector: string): string {
  return `rate(${selector}[${RATE_WINDOW}])`;
}

/** `increase(<selector>[$__rate_interval])`, for rare events where a count reads better than a rate. */
export function increase(selector: string): string {
  return `increase(${selector}[${RATE_WINDOW}])`;
}

/** Regex matcher that excludes every listed value, e.g. `fstype!~"tmpfs|overlay"`. */
export function notMatching(label: string, values: readonly string[]): string {
  return `${label}!~"${values.join("|")}"`;
}

/** Query refIds A, B, C … in the order the queries are listed. */
export function refId(index: number): string {
  return String.fromCharCode("A".charCodeAt(0) + index);
}

export function promTarget(
  series: Series,
  index: number,
  instant = false,
): prometheus.DataqueryBuilder {
  const target = new prometheus.DataqueryBuilder()
    .refId(refId(index))
    .datasource(PROMETHEUS_DS)
    .editorMode(prometheus.QueryEditorMode.Code)
    .expr(series.expr)
    .legendFormat(series.legend);
  return instant ? target.instant() : target.range();
}

export function lokiTarget(series: Series, index: number): loki.DataqueryBuilder {
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
export interface PanelBase {
  readonly title: string;
  readonly description: string;
  /** Grid columns out of 24 (default 12). */
  readonly width?: number;
  /** Grid rows (default 8). */
  readonly height?: number;
}

/** The builder methods shared by every SDK panel builder (they are unrelated classes). */
export interface CommonPanelBuilder {
  title(title: string): this;
  description(description: string): this;
  datasource(datasource: common.DataSourceRef): this;
  span(width: number): this;
  height(height: number): this;
  targets(targets: cog.Builder<cog.Dataquery>[]): this;
}

export function configure<B extends CommonPanelBuilder>(
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

export function thresholds(steps: readonly Threshold[]): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps([...steps]);
}

/** Informational values: never coloured as good or bad. */
export const NEUTRAL_STEPS: readonly Threshold[] = [{ value: null, color: "text" }];
/** Green until 80 %, orange until 90 %, red above: the usual saturation thresholds. */
export const SATURATION_STEPS: readonly Threshold[] = [
  { value: null, color: "green" },
  { value: 80, color: "orange" },
  { value: 90, color: "red" },
];
/** Any non-zero value is a problem (down targets, corruptions). */
export const ZERO_IS_GOOD_STEPS: readonly Threshold[] = [
  { value: null, color: "green" },
  { value: 1, color: "red" },
];
/** Fewer than one is a problem (e.g. no Alertmanager discovered). */
export const AT_LEAST_ONE_STEPS: readonly Threshold[] = [
  { value: null, color: "red" },
  { value: 1, color: "green" },
];

export interface GraphSpec extends PanelBase {
  readonly unit: string;
  readonly series: readonly Series[];
  readonly min?: number;
  readonly max?: number;
  /** Drawn as dashed threshold lines. */
  readonly steps?: readonly Threshold[];
  /** Stacked bars instead of lines (event counts such as log volume). */
  readonly stackedBars?: boolean;
}

export function graphPanel(
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
export function promGraph(spec: GraphSpec): timeseries.PanelBuilder {
  return graphPanel(spec, PROMETHEUS_DS, (series, index) => promTarget(series, index));
}

/** A time series panel of LogQL metric queries. */
export function lokiGraph(spec: GraphSpec): timeseries.PanelBuilder {
  return graphPanel(spec, LOKI_DS, lokiTarget);
}

export interface StatSpec extends PanelBase {
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
export function promStat(spec: StatSpec): stat.PanelBuilder {
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
export function okFailedMapping(): ValueMapping[] {
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
export function queryVariable(
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
export interface Section {
  readonly title?: string;
  /** Name of a multi-value variable: Grafana repeats the row (and its panels) once per value. */
  readonly repeat?: string;
  readonly panels: readonly cog.Builder<Panel>[];
}

export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly variables: readonly cog.Builder<VariableModel>[];
  readonly sections: readonly Section[];
}

export function isRow(panel: Panel | RowPanel): panel is RowPanel {
  return panel.type === "row";
}

/** Gives every panel and row a unique, stable id (the SDK leaves them unset). */
export function numberPanels(model: Dashboard): void {
  let id = 0;
  for (const panel of model.panels ?? []) {
    panel.id = ++id;
    if (isRow(panel)) {
      for (const child of panel.panels) child.id = ++id;
    }
  }
}

export function assemble(spec: DashboardSpec): DashboardFile {
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
