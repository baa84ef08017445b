/** Builds Grafana provisioning: datasources for Prometheus, Loki and Alertmanager, and a dashboard provider. */
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

/** A file provider that loads every dashboard JSON in `dashboardsDir` into one folder, read-only. */
export function renderGrafanaDashboardProvider(dashboardsDir: string): string {
  return stringify({
    apiVersion: 1,
    providers: [
      {
        name: "monitoring-stack",
        folder: "Monitoring stack",
        type: "file",
        disableDeletion: true,
        allowUiUpdates: false,
        updateIntervalSeconds: 60,
        options: { path: dashboardsDir, foldersFromFilesStructure: false },
      },
    ],
  });
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
    "GF_USERS_ALLOW_SIGN_UP=false",
    "GF_AUTH_ANONYMOUS_ENABLED=false",
    "GF_ANALYTICS_REPORTING_ENABLED=false",
    "GF_ANALYTICS_CHECK_FOR_UPDATES=false",
    "GF_SECURITY_DISABLE_GRAVATAR=true",
  ];
}
