/**
 * The "Alertmanager overview" dashboard: alerts received, notifications sent and failed per
 * integration, silences, cluster.
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { SCRAPE_JOBS } from "../../catalog/names";
import {
  type DashboardFile,
  PROMETHEUS_DS,
  selectorFor,
  rate,
  AT_LEAST_ONE_STEPS,
  promGraph,
  promStat,
  okFailedMapping,
  queryVariable,
  assemble,
} from "./panels";

export function alertmanagerOverview(): DashboardFile {
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
