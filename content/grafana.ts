/**
 * Grafana for every environment: provisioning (datasources for Prometheus, Loki and Alertmanager, a
 * dashboard provider and its folder) and the hardening settings, once, as `grafana.ini` data.
 */
import { stringify } from "yaml";
import { DATASOURCE_UIDS } from "../catalog/names";

export interface GrafanaEndpoints {
  readonly prometheusUrl: string;
  readonly lokiUrl: string;
  readonly alertmanagerUrl: string;
}

export function grafanaDatasources(
  endpoints: GrafanaEndpoints,
  scrapeInterval: string,
): Record<string, unknown> {
  return {
    apiVersion: 1,
    prune: true,
    datasources: [
      {
        name: "Prometheus",
        uid: DATASOURCE_UIDS.prometheus,
        type: "prometheus",
        access: "proxy",
        url: endpoints.prometheusUrl,
        isDefault: true,
        editable: false,
        jsonData: { httpMethod: "POST", timeInterval: scrapeInterval },
      },
      {
        name: "Loki",
        uid: DATASOURCE_UIDS.loki,
        type: "loki",
        access: "proxy",
        url: endpoints.lokiUrl,
        editable: false,
        jsonData: { maxLines: 1000 },
      },
      {
        name: "Alertmanager",
        uid: DATASOURCE_UIDS.alertmanager,
        type: "alertmanager",
        access: "proxy",
        url: endpoints.alertmanagerUrl,
        editable: false,
        jsonData: { implementation: "prometheus", handleGrafanaManagedAlerts: false },
      },
    ],
  };
}

export function renderGrafanaDatasources(
  endpoints: GrafanaEndpoints,
  scrapeInterval: string,
): string {
  return stringify(grafanaDatasources(endpoints, scrapeInterval), { lineWidth: 0 });
}

/** Grafana folder of the shared dashboards, in every environment. */
export const DASHBOARD_FOLDER = "Monitoring stack";

/** A file provider that loads every dashboard JSON in `dashboardsDir` into one folder, read-only. */
export function renderGrafanaDashboardProvider(dashboardsDir: string): string {
  return stringify({
    apiVersion: 1,
    providers: [
      {
        name: "monitoring-stack",
        folder: DASHBOARD_FOLDER,
        type: "file",
        disableDeletion: true,
        allowUiUpdates: false,
        updateIntervalSeconds: 60,
        options: { path: dashboardsDir, foldersFromFilesStructure: false },
      },
    ],
  });
}

/** A section of Grafana's ini configuration: key → value. */
export type GrafanaIniSection = Readonly<Record<string, string | number | boolean>>;

/**
 * Grafana settings every environment applies, in the shape of `grafana.ini` (section → key →
 * value): no self sign-up, no anonymous access, no phoning home, no Gravatar requests. Docker and
 * ECS get them as `GF_*` variables (`grafanaEnvironment`), prod as the chart's `grafana.ini`.
 */
export const GRAFANA_HARDENING = {
  users: { allow_sign_up: false },
  "auth.anonymous": { enabled: false },
  analytics: { reporting_enabled: false, check_for_updates: false },
  security: { disable_gravatar: true },
} as const satisfies Readonly<Record<string, GrafanaIniSection>>;

/**
 * `grafana.ini` settings as Grafana's environment overrides, `GF_<SECTION>_<KEY>=<value>`: upper
 * case, with the section's `.` and `-` as `_` (Grafana's documented mapping).
 */
export function grafanaIniEnvironment(ini: Readonly<Record<string, GrafanaIniSection>>): string[] {
  const name = (part: string) => part.toUpperCase().replace(/[.-]/g, "_");
  return Object.entries(ini).flatMap(([section, keys]) =>
    Object.entries(keys).map(([key, value]) => `GF_${name(section)}_${name(key)}=${String(value)}`),
  );
}

/** Non-secret Grafana settings as `GF_*` environment variables (the password comes from a file). */
export function grafanaEnvironment(opts: {
  adminUser: string;
  adminPasswordFile: string;
  rootUrl: string;
}): string[] {
  return [
    `GF_SECURITY_ADMIN_USER=${opts.adminUser}`,
    `GF_SECURITY_ADMIN_PASSWORD__FILE=${opts.adminPasswordFile}`,
    `GF_SERVER_ROOT_URL=${opts.rootUrl}`,
    ...grafanaIniEnvironment(GRAFANA_HARDENING),
  ];
}
