/**
 * The Grafana dashboards as data (content/dashboards/; the Alertmanager and SLO dashboards have
 * their own files beside this one): files, panels, datasources, PromQL and LogQL parsed by their
 * grammars, variables (queries evaluated by real promtool: test/content/dashboards/index.tools.test.ts).
 */
import assert from "node:assert/strict";
import { buildDashboards, dashboardQueries } from "../../../content/dashboards";
import { DATASOURCE_UIDS, SCRAPE_JOBS } from "../../../catalog/names";
import { logqlErrors } from "../../support/logql";
import { promqlErrors } from "../../../settings/promql";
import { SLO_PERIOD } from "../../../content/slo";
import {
  allPanels,
  dashboardLookup,
  type ModelJson,
  modelOf,
  selectorsIn,
  substitute,
} from "../../support/dashboards";

/** Datasource type → the only uid a panel of that type may use. */
const EXPECTED_UID: Record<string, string> = {
  prometheus: DATASOURCE_UIDS.prometheus,
  loki: DATASOURCE_UIDS.loki,
};

/** One matcher-safe literal per variable of a dashboard (the queries use them inside strings). */
function placeholderValues(model: ModelJson): Record<string, string> {
  return Object.fromEntries((model.templating.list ?? []).map((v) => [v.name, "value"]));
}

describe("dashboards", () => {
  const dashboards = buildDashboards();
  const { byUid, panelOf, exprsOf, variableOf } = dashboardLookup(dashboards);
  /** Every query of one datasource type, with its dashboard and placeholder variable values. */
  const queriesOf = (datasource: string) =>
    dashboards.flatMap((dashboard) =>
      dashboardQueries(dashboard.model)
        .filter((query) => query.datasource === datasource)
        .map((query) => ({
          ...query,
          uid: dashboard.uid,
          values: placeholderValues(modelOf(dashboard)),
        })),
    );

  describe("files", () => {
    it("provisions exactly the five dashboards, one file each", () => {
      assert.deepEqual(dashboards.map((d) => d.uid).sort(), [
        "alertmanager-overview",
        "logs-explorer",
        "node-overview",
        "prometheus-overview",
        "slo-error-budget",
      ]);
      assert.deepEqual(dashboards.map((d) => d.fileName).sort(), [
        "alertmanager-overview.json",
        "logs-explorer.json",
        "node-overview.json",
        "prometheus-overview.json",
        "slo-error-budget.json",
      ]);
      assert.equal(new Set(dashboards.map((d) => d.uid)).size, dashboards.length);
      assert.equal(new Set(dashboards.map((d) => d.fileName)).size, dashboards.length);
      for (const dashboard of dashboards) {
        assert.match(dashboard.uid, /^[a-z0-9]+(-[a-z0-9]+)*$/);
        assert.ok(dashboard.uid.length <= 40, `${dashboard.uid} is longer than 40 characters`);
        assert.equal(dashboard.fileName, `${dashboard.uid}.json`);
      }
    });

    it("serialises each model to JSON with matching uid, title and common settings", () => {
      for (const dashboard of dashboards) {
        const json = JSON.parse(JSON.stringify(dashboard.model)) as ModelJson;
        assert.deepEqual(
          json,
          dashboard.model,
          `${dashboard.uid} does not survive a JSON round trip`,
        );
        assert.equal(json.uid, dashboard.uid);
        assert.equal(json.title, dashboard.title);
        assert.ok(json.tags.includes("monitoring-stack"), `${dashboard.uid} lacks the stack tag`);
        assert.equal(json.refresh, "30s");
        assert.deepEqual(json.time, { from: "now-6h", to: "now" });
      }
    });

    it("is deterministic, so re-provisioning produces no diff", () => {
      assert.equal(JSON.stringify(buildDashboards()), JSON.stringify(dashboards));
    });

    it("lays panels out on the 24-column grid without overlaps and with unique ids", () => {
      for (const dashboard of dashboards) {
        const panels = allPanels(dashboard);
        const ids = panels.map((panel) => panel.id);
        assert.ok(
          ids.every((id) => typeof id === "number" && id > 0),
          `${dashboard.uid} has a panel without id`,
        );
        assert.equal(new Set(ids).size, ids.length, `${dashboard.uid} has duplicate panel ids`);
        const boxes = panels.map((panel) => {
          assert.ok(panel.gridPos, `${dashboard.uid} "${panel.title}" has no gridPos`);
          return { title: panel.title, ...panel.gridPos };
        });
        for (const box of boxes)
          assert.ok(box.x + box.w <= 24, `"${box.title}" is wider than the grid`);
        boxes.forEach((a, i) =>
          boxes.slice(i + 1).forEach((b) => {
            const overlap =
              a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
            assert.ok(!overlap, `${dashboard.uid}: "${a.title}" overlaps "${b.title}"`);
          }),
        );
      }
    });
  });

  describe("panels and datasources", () => {
    it("points every panel and query at a known datasource uid of the matching type", () => {
      for (const dashboard of dashboards) {
        for (const panel of allPanels(dashboard).filter((p) => p.type !== "row")) {
          const where = `${dashboard.uid} "${panel.title}"`;
          const type = panel.datasource?.type ?? "";
          assert.ok(type in EXPECTED_UID, `${where} has datasource type "${type}"`);
          assert.deepEqual(panel.datasource, { type, uid: EXPECTED_UID[type] }, where);
          for (const target of panel.targets ?? []) {
            assert.deepEqual(
              target.datasource,
              panel.datasource,
              `${where} target ${target.refId}`,
            );
          }
        }
      }
    });

    it("gives every non-row panel at least one query, with unique refIds", () => {
      for (const dashboard of dashboards) {
        for (const panel of allPanels(dashboard).filter((p) => !["row", "text"].includes(p.type))) {
          const where = `${dashboard.uid} "${panel.title}"`;
          const targets = panel.targets ?? [];
          assert.ok(targets.length > 0, `${where} has no targets`);
          assert.ok(
            targets.every((t) => (t.expr ?? "").trim() !== ""),
            `${where} has an empty query`,
          );
          const refIds = targets.map((t) => t.refId);
          assert.ok(
            refIds.every((r) => typeof r === "string"),
            `${where} has a target without refId`,
          );
          assert.equal(new Set(refIds).size, refIds.length, `${where} repeats a refId`);
        }
      }
    });

    it("uses Prometheus for the metric dashboards and Loki for the logs", () => {
      const types = (uid: string): string[] => [
        ...new Set(dashboardQueries(byUid(uid).model).map((q) => q.datasource)),
      ];
      assert.deepEqual(types("node-overview"), ["prometheus"]);
      assert.deepEqual(types("prometheus-overview"), ["prometheus"]);
      assert.deepEqual(types("alertmanager-overview"), ["prometheus"]);
      assert.deepEqual(types("slo-error-budget"), ["prometheus"]);
      assert.deepEqual(types("logs-explorer"), ["loki"]);
    });

    it("sets the units that match what each panel measures", () => {
      const expected: [string, string, string][] = [
        ["node-overview", "CPU busy", "percent"],
        ["node-overview", "Memory used", "percent"],
        ["node-overview", "Filesystem used", "percent"],
        ["node-overview", "Memory", "bytes"],
        ["node-overview", "Disk throughput", "Bps"],
        ["node-overview", "Network traffic", "Bps"],
        ["node-overview", "Uptime", "s"],
        ["prometheus-overview", "Scrape duration", "s"],
        ["prometheus-overview", "Rule evaluation duration", "s"],
        ["prometheus-overview", "Query duration", "s"],
        ["prometheus-overview", "TSDB storage size", "bytes"],
        ["alertmanager-overview", "Notification latency (p99)", "s"],
        ["alertmanager-overview", "Notifications sent vs failed", "cps"],
        ["slo-error-budget", "Objective", "percentunit"],
        ["slo-error-budget", `Availability (${SLO_PERIOD})`, "percentunit"],
        ["slo-error-budget", "Error budget remaining", "percentunit"],
        ["slo-error-budget", "Error ratio vs budget", "percentunit"],
        ["slo-error-budget", "Burn rate (1h)", "suffix:×"],
      ];
      for (const [uid, title, unit] of expected) {
        assert.equal(panelOf(uid, title).fieldConfig?.defaults?.unit, unit, `${uid} "${title}"`);
      }
    });
  });

  describe("PromQL", () => {
    const promQueries = queriesOf("prometheus");

    it("parses every Prometheus query once Grafana variables are substituted", () => {
      assert.ok(promQueries.length >= 60, `only ${promQueries.length} Prometheus queries found`);
      for (const query of promQueries) {
        const expr = substitute(query.expr, query.values);
        assert.doesNotMatch(
          expr,
          /\$/,
          `${query.uid} "${query.panel}" has an unsubstituted variable`,
        );
        assert.deepEqual(promqlErrors(expr), [], `${query.uid} "${query.panel}": ${expr}`);
      }
    });

    it("detects broken PromQL, and needs the variable substitution", () => {
      assert.notDeepEqual(promqlErrors('sum(rate(up{job="node"}[5m])'), []);
      assert.notDeepEqual(promqlErrors("rate(up[$__rate_interval])"), []);
      assert.deepEqual(promqlErrors(substitute("rate(up[$__rate_interval])")), []);
      assert.notDeepEqual(promqlErrors(""), []);
      // A LogQL query in a Prometheus panel is caught too.
      assert.notDeepEqual(promqlErrors('sum(count_over_time({a="b"} |= "x" [5m]))'), []);
    });

    it("filters every node_exporter selector on the node job and the instance variable", () => {
      const queries = dashboardQueries(byUid("node-overview").model);
      for (const query of queries) {
        const selectors = selectorsIn(query.expr);
        assert.ok(selectors.length > 0, `"${query.panel}" selects nothing: ${query.expr}`);
        for (const selector of selectors) {
          assert.ok(
            selector.matchers.includes(`job="${SCRAPE_JOBS.node}"`),
            `"${query.panel}": ${selector.text}`,
          );
          assert.ok(
            selector.matchers.includes('instance=~"$instance"'),
            `"${query.panel}": ${selector.text}`,
          );
        }
      }
      const metrics = queries.map((q) => q.expr).join("\n");
      for (const metric of [
        "node_cpu_seconds_total",
        "node_load1",
        "node_memory_MemAvailable_bytes",
        "node_memory_MemTotal_bytes",
        "node_filesystem_avail_bytes",
        "node_filesystem_size_bytes",
        "node_disk_io_time_seconds_total",
        "node_disk_read_bytes_total",
        "node_disk_written_bytes_total",
        "node_network_receive_bytes_total",
        "node_network_transmit_bytes_total",
        "node_network_receive_errs_total",
        "node_network_transmit_errs_total",
        "node_boot_time_seconds",
      ]) {
        assert.ok(metrics.includes(`${metric}{`), `node overview never queries ${metric}`);
      }
    });

    it("normalises CPU busy by the counted CPUs instead of a hard-coded core count", () => {
      const [expr] = exprsOf("node-overview", "CPU busy");
      assert.match(expr, /mode="idle"/);
      assert.match(
        expr,
        /\/ count by \(instance\) \(node_cpu_seconds_total\{[^}]*mode="idle"[^}]*\}\)/,
      );
      assert.doesNotMatch(expr, /\/\s*\d/, "divides by a literal number");
      const literals = [...new Set(expr.match(/\b\d+(\.\d+)?\b/g) ?? [])].sort();
      assert.deepEqual(literals, ["1", "100"], "only the percentage scaling may be a literal");
      const loadExprs = exprsOf("node-overview", "Load average vs CPUs");
      assert.ok(loadExprs.some((e) => e.startsWith("count by (instance) (node_cpu_seconds_total")));
    });

    it("excludes pseudo filesystems from filesystem usage", () => {
      const [expr] = exprsOf("node-overview", "Filesystem used");
      const fstype = /fstype!~"([^"]*)"/.exec(expr);
      assert.ok(fstype, `no fstype filter in ${expr}`);
      const excluded = fstype[1].split("|");
      for (const fs of ["tmpfs", "overlay", "squashfs"])
        assert.ok(excluded.includes(fs), `${fs} not excluded`);
      assert.match(expr, /node_filesystem_avail_bytes\{[^}]*\} \/ node_filesystem_size_bytes\{/);
    });

    it("has a multi-value instance variable with All, from the node job", () => {
      const instance = variableOf("node-overview", "instance");
      assert.equal(instance.type, "query");
      assert.equal(instance.includeAll, true);
      assert.equal(instance.multi, true);
      assert.deepEqual(instance.datasource, {
        type: "prometheus",
        uid: DATASOURCE_UIDS.prometheus,
      });
      assert.equal(
        instance.query,
        `label_values(node_uname_info{job="${SCRAPE_JOBS.node}"}, instance)`,
      );
      const selector = /^label_values\((.*), instance\)$/.exec(String(instance.query));
      assert.ok(selector);
      assert.deepEqual(promqlErrors(selector[1]), []);
      assert.equal(
        (modelOf(byUid("node-overview")).templating.list ?? []).some(
          (v) => v.name === "datasource",
        ),
        false,
      );
    });

    it("covers Prometheus' own health signals, selected on the prometheus job", () => {
      const queries = dashboardQueries(byUid("prometheus-overview").model);
      const all = queries.map((q) => q.expr).join("\n");
      for (const metric of [
        "up",
        "scrape_duration_seconds",
        "prometheus_tsdb_head_samples_appended_total",
        "prometheus_tsdb_head_series",
        "prometheus_rule_evaluation_failures_total",
        "prometheus_rule_group_last_duration_seconds",
        "prometheus_notifications_sent_total",
        "prometheus_notifications_dropped_total",
        "prometheus_notifications_errors_total",
        "prometheus_config_last_reload_successful",
        "prometheus_tsdb_storage_blocks_bytes",
        "prometheus_tsdb_wal_corruptions_total",
        "prometheus_engine_query_duration_seconds",
      ]) {
        assert.match(
          all,
          new RegExp(`\\b${metric}\\b`),
          `prometheus overview never queries ${metric}`,
        );
      }
      for (const query of queries) {
        for (const selector of selectorsIn(query.expr).filter((s) =>
          s.metric.startsWith("prometheus_"),
        )) {
          assert.ok(
            selector.matchers.includes(`job="${SCRAPE_JOBS.prometheus}"`),
            `"${query.panel}": ${selector.text}`,
          );
        }
      }
      assert.deepEqual(exprsOf("prometheus-overview", "Targets down"), [
        "count(up == 0) or vector(0)",
      ]);
    });
  });

  describe("LogQL", () => {
    const lokiQueries = queriesOf("loki");

    it("parses every Loki query once Grafana variables are substituted", () => {
      assert.equal(lokiQueries.length, 3);
      for (const query of lokiQueries) {
        const expr = substitute(query.expr, query.values);
        assert.doesNotMatch(
          expr,
          /\$/,
          `${query.uid} "${query.panel}" has an unsubstituted variable`,
        );
        assert.deepEqual(logqlErrors(expr), [], `${query.uid} "${query.panel}": ${expr}`);
        assert.ok(
          query.expr.includes('{container=~"$container"}'),
          `"${query.panel}" ignores $container`,
        );
      }
    });

    it("needs the macros substituted: Loki's grammar has no `$__auto` range", () => {
      const [volume] = exprsOf("logs-explorer", "Log volume");
      assert.match(volume, /\[\$__auto\]/);
      assert.notDeepEqual(logqlErrors(volume), []);
      assert.deepEqual(logqlErrors(substitute(volume, { container: "a", search: "b" })), []);
    });

    it("detects malformed LogQL and accepts well-formed LogQL", () => {
      for (const broken of [
        "",
        "{}",
        "{container}",
        "{container=a}",
        '{container=~"a"',
        '{container="a"} |= "x" |',
        '|= "x" {container="a"}',
        'sum(count_over_time({container="a"}[5m])',
        'count_over_time({container="a"})',
        'rate({container="a"}[5x])',
        // PromQL is not LogQL: a Prometheus query in a Loki panel is caught.
        'sum(rate(up{job="node"}[5m]))',
      ]) {
        assert.notDeepEqual(logqlErrors(broken), [], `accepted ${JSON.stringify(broken)}`);
      }
      for (const valid of [
        '{container="a"}',
        'sum(count_over_time({a="b"} |= "x" [5m]))',
        'sum by (c) (count_over_time({c="a"} |= "}" [5m]))',
        '{a="b"} | json | level="error"',
        'topk(3, sum by (a) (rate({a="b"} |~ "(?i)error" [1m])))',
      ]) {
        assert.deepEqual(logqlErrors(valid), [], valid);
      }
    });

    it("shows the container logs and their volume", () => {
      const [logs] = exprsOf("logs-explorer", "Logs");
      assert.equal(panelOf("logs-explorer", "Logs").type, "logs");
      assert.ok(logs.startsWith('{container=~"$container"}'), logs);
      const [volume] = exprsOf("logs-explorer", "Log volume");
      assert.match(
        volume,
        /^sum by \(container\) \(count_over_time\(\{container=~"\$container"\}.*\[\$__auto\]\)\)$/,
      );
    });

    it("has a Loki container variable whose All value is non-empty-matching", () => {
      const container = variableOf("logs-explorer", "container");
      assert.equal(container.type, "query");
      assert.deepEqual(container.datasource, { type: "loki", uid: DATASOURCE_UIDS.loki });
      assert.equal(container.query, "label_values(container)");
      assert.equal(container.includeAll, true);
      // Loki rejects a selector whose only matcher can match "", so All must not be `.*`.
      assert.equal(container.allValue, ".+");
    });
  });

  describe("variables", () => {
    it("uses multi-value variables only in regex matchers, where Grafana's `a|b` expansion works", () => {
      for (const dashboard of dashboards) {
        const multi = (modelOf(dashboard).templating.list ?? []).filter((v) => v.multi);
        for (const { name } of multi) {
          for (const query of dashboardQueries(dashboard.model)) {
            const uses = query.expr.match(new RegExp(`\\$${name}\\b`, "g")) ?? [];
            const inRegex = query.expr.match(new RegExp(`[=!]~"\\$${name}"`, "g")) ?? [];
            assert.equal(
              inRegex.length,
              uses.length,
              `${dashboard.uid} "${query.panel}" uses $${name} outside a regex matcher`,
            );
          }
        }
      }
    });
  });

  describe("dashboardQueries", () => {
    it("walks collapsed rows, falls back to the panel datasource and skips non-expr targets", () => {
      const model = {
        panels: [
          {
            type: "timeseries",
            title: "top",
            datasource: { type: "prometheus", uid: "prometheus" },
            targets: [{ expr: "up" }, { refId: "B" }],
          },
          {
            type: "row",
            title: "collapsed",
            panels: [
              {
                type: "logs",
                title: "nested",
                targets: [{ expr: '{a="b"}', datasource: { type: "loki", uid: "loki" } }],
              },
            ],
          },
        ],
      };
      assert.deepEqual(dashboardQueries(model), [
        { datasource: "prometheus", expr: "up", panel: "top" },
        { datasource: "loki", expr: '{a="b"}', panel: "nested" },
      ]);
      assert.deepEqual(dashboardQueries({}), []);
    });
  });
});
