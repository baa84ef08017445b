/** Dashboard JSON types and helpers the dashboard tests share (test/content/dashboards/). */
import assert from "node:assert/strict";
import type * as LezerPromql from "@prometheus-io/lezer-promql" with {
  "resolution-mode": "import",
};
import type { DashboardFile } from "../../content/dashboards";

export interface DatasourceJson {
  readonly type?: string;
  readonly uid?: string;
}

export interface TargetJson {
  readonly refId?: string;
  readonly expr?: string;
  readonly datasource?: DatasourceJson;
}

export interface PanelJson {
  readonly id?: number;
  readonly type: string;
  readonly title?: string;
  readonly datasource?: DatasourceJson;
  readonly targets?: TargetJson[];
  readonly gridPos?: { x: number; y: number; w: number; h: number };
  readonly panels?: PanelJson[];
  readonly repeat?: string;
  readonly fieldConfig?: {
    defaults?: {
      unit?: string;
      decimals?: number;
      thresholds?: { steps: { value: number | null; color: string }[] };
    };
  };
}

export interface VariableJson {
  readonly type: string;
  readonly name: string;
  readonly query?: unknown;
  readonly datasource?: DatasourceJson;
  readonly multi?: boolean;
  readonly includeAll?: boolean;
  readonly allValue?: string;
}

export interface ModelJson {
  readonly uid: string;
  readonly title: string;
  readonly tags: string[];
  readonly refresh: string;
  readonly time: { from: string; to: string };
  readonly panels: PanelJson[];
  readonly templating: { list?: VariableJson[] };
}

/** Grafana's interval macros; each expands to a duration, so "5m" stands in for them. */
const INTERVAL_MACROS = /\$__(rate_interval|interval|auto|range)\b/g;

/**
 * Replaces Grafana's interval macros with a duration and each named variable (`$name`, `${name}`,
 * `${name:format}`) with its value. Anything else starting with `$` is left for the caller to
 * detect: a query may only use the macros listed here and the variables its dashboard defines.
 */
export function substitute(expr: string, values: Readonly<Record<string, string>> = {}): string {
  return Object.entries(values).reduce(
    (out, [name, value]) =>
      out.replace(new RegExp(`\\$(\\{${name}(:[a-z]+)?\\}|${name}\\b)`, "g"), value),
    expr.replace(INTERVAL_MACROS, "5m"),
  );
}

export function modelOf(file: DashboardFile): ModelJson {
  return file.model as ModelJson;
}

/** Every panel, with the children of (collapsed) rows flattened in. */
export function allPanels(file: DashboardFile): PanelJson[] {
  return modelOf(file).panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/** Lookups into a set of dashboards that fail the test with a clear message when something is missing. */
export function dashboardLookup(dashboards: readonly DashboardFile[]): {
  byUid: (uid: string) => DashboardFile;
  panelOf: (uid: string, title: string) => PanelJson;
  exprsOf: (uid: string, title: string) => string[];
  variableOf: (uid: string, name: string) => VariableJson;
} {
  const byUid = (uid: string): DashboardFile => {
    const found = dashboards.find((dashboard) => dashboard.uid === uid);
    assert.ok(found, `dashboard ${uid} is missing`);
    return found;
  };
  const panelOf = (uid: string, title: string): PanelJson => {
    const found = allPanels(byUid(uid)).find((panel) => panel.title === title);
    assert.ok(found, `panel "${title}" is missing from ${uid}`);
    return found;
  };
  const exprsOf = (uid: string, title: string): string[] =>
    (panelOf(uid, title).targets ?? []).map((target) => target.expr ?? "");
  const variableOf = (uid: string, name: string): VariableJson => {
    const found = (modelOf(byUid(uid)).templating.list ?? []).find((v) => v.name === name);
    assert.ok(found, `variable ${name} is missing from ${uid}`);
    return found;
  };
  return { byUid, panelOf, exprsOf, variableOf };
}

// The grammar ships CommonJS for `require` but ESM-only typings (see settings/promql.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser: promqlParser } = require("@prometheus-io/lezer-promql") as typeof LezerPromql;

export interface SelectorJson {
  /** The selector as written, e.g. `up{job="node", instance=~"$instance"}`. */
  readonly text: string;
  readonly metric: string;
  /** Matchers normalised to `label<op>"value"`. */
  readonly matchers: string[];
}

/**
 * Every vector selector of a PromQL query, found by the Prometheus grammar (so bare metric names
 * count too). Only interval macros are substituted: variables inside matcher strings stay visible.
 */
export function selectorsIn(expr: string): SelectorJson[] {
  const source = substitute(expr);
  const text = (node: { from: number; to: number } | null): string =>
    node === null ? "" : source.slice(node.from, node.to);
  const selectors: SelectorJson[] = [];
  promqlParser.parse(source).iterate({
    enter: (node) => {
      if (node.name !== "VectorSelector") return;
      const matchers: string[] = [];
      node.node
        .getChild("LabelMatchers")
        ?.cursor()
        .iterate((m) => {
          if (!m.name.endsWith("LabelMatcher")) return undefined;
          const parts = ["LabelName", "MatchOp", "StringLiteral"].map((part) =>
            text(m.node.getChild(part)),
          );
          matchers.push(parts.join(""));
          return false;
        });
      selectors.push({
        text: text(node),
        metric: text(node.node.getChild("Identifier")),
        matchers,
      });
    },
  });
  return selectors;
}
