/**
 * The "Prometheus overview" dashboard: Prometheus' own health — targets, ingestion, TSDB, rule
 * evaluation, notifications.
 */
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as units from "@grafana/grafana-foundation-sdk/units";
import { SCRAPE_JOBS } from "../../catalog/names";
import {
  type DashboardFile,
  PROMETHEUS_DS,
  selectorFor,
  rate,
  increase,
  promTarget,
  configure,
  ZERO_IS_GOOD_STEPS,
  AT_LEAST_ONE_STEPS,
  promGraph,
  promStat,
  okFailedMapping,
  assemble,
} from "./panels";

export function prometheusOverview(): DashboardFile {
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
