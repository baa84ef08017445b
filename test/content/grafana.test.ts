/**
 * content/grafana.ts: the datasources and dashboard provider Grafana is provisioned with, and the
 * hardening settings as `GF_*` environment variables.
 */
import * as assert from "node:assert/strict";
import { parse } from "yaml";
import {
  grafanaDatasources,
  grafanaEnvironment,
  grafanaIniEnvironment,
  renderGrafanaDashboardProvider,
  renderGrafanaDatasources,
} from "../../content/grafana";

const ENDPOINTS = {
  prometheusUrl: "http://prometheus:9090",
  lokiUrl: "http://loki:3100",
  alertmanagerUrl: "http://alertmanager:9093",
};

describe("grafana provisioning", () => {
  it("provisions Prometheus (default), Loki and Alertmanager under fixed UIDs, read-only, pruning others", () => {
    assert.deepEqual(grafanaDatasources(ENDPOINTS, "30s"), {
      apiVersion: 1,
      prune: true,
      datasources: [
        {
          name: "Prometheus",
          uid: "prometheus",
          type: "prometheus",
          access: "proxy",
          url: "http://prometheus:9090",
          isDefault: true,
          editable: false,
          jsonData: { httpMethod: "POST", timeInterval: "30s" },
        },
        {
          name: "Loki",
          uid: "loki",
          type: "loki",
          access: "proxy",
          url: "http://loki:3100",
          editable: false,
          jsonData: { maxLines: 1000 },
        },
        {
          name: "Alertmanager",
          uid: "alertmanager",
          type: "alertmanager",
          access: "proxy",
          url: "http://alertmanager:9093",
          editable: false,
          jsonData: { implementation: "prometheus", handleGrafanaManagedAlerts: false },
        },
      ],
    });
  });

  it("renders the datasources as YAML of the same object", () => {
    assert.deepEqual(
      parse(renderGrafanaDatasources(ENDPOINTS, "15s")),
      grafanaDatasources(ENDPOINTS, "15s"),
    );
  });

  it("loads every dashboard file of one directory into the `Monitoring stack` folder, read-only", () => {
    assert.deepEqual(parse(renderGrafanaDashboardProvider("/var/lib/dashboards")), {
      apiVersion: 1,
      providers: [
        {
          name: "monitoring-stack",
          folder: "Monitoring stack",
          type: "file",
          disableDeletion: true,
          allowUiUpdates: false,
          updateIntervalSeconds: 60,
          options: { path: "/var/lib/dashboards", foldersFromFilesStructure: false },
        },
      ],
    });
  });
});

describe("grafana settings as environment variables", () => {
  it("maps section and key to GF_<SECTION>_<KEY>, upper case, `.` and `-` as `_`", () => {
    assert.deepEqual(
      grafanaIniEnvironment({
        "auth.anonymous": { enabled: false },
        "date-formats": { "full-date": "YYYY-MM-DD", interval_hour: 3 },
      }),
      [
        "GF_AUTH_ANONYMOUS_ENABLED=false",
        "GF_DATE_FORMATS_FULL_DATE=YYYY-MM-DD",
        "GF_DATE_FORMATS_INTERVAL_HOUR=3",
      ],
    );
    assert.deepEqual(grafanaIniEnvironment({}), []);
  });

  it("sets the admin user, the password file, the root URL and every hardening setting", () => {
    assert.deepEqual(
      grafanaEnvironment({
        adminUser: "admin",
        adminPasswordFile: "/run/secrets/grafana-admin-password",
        rootUrl: "http://127.0.0.1:3000",
      }),
      [
        "GF_SECURITY_ADMIN_USER=admin",
        "GF_SECURITY_ADMIN_PASSWORD__FILE=/run/secrets/grafana-admin-password",
        "GF_SERVER_ROOT_URL=http://127.0.0.1:3000",
        "GF_USERS_ALLOW_SIGN_UP=false",
        "GF_AUTH_ANONYMOUS_ENABLED=false",
        "GF_ANALYTICS_REPORTING_ENABLED=false",
        "GF_ANALYTICS_CHECK_FOR_UPDATES=false",
        "GF_SECURITY_DISABLE_GRAVATAR=true",
      ],
    );
  });
});
