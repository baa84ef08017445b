/**
 * Renders every monitoring file a target that runs the binaries itself (Docker, ECS) needs, from one
 * settings object and the target's view of the network. Pure; secrets are not involved.
 */
import { renderAlertmanagerConfig } from "./alertmanager";
import { alloyDockerPipeline, renderAlloy } from "./alloy";
import { buildDashboards } from "./dashboards";
import { renderGrafanaDashboardProvider, renderGrafanaDatasources } from "./grafana";
import { renderLokiConfig } from "./loki";
import { BuiltInJob, Discovery, renderPrometheusConfig } from "./prometheus";
import { PORTS } from "../catalog/names";
import { renderRuleFile } from "./rules";
import { stackRuleGroups } from "./ruleSet";
import type { Settings } from "../settings/settings";

/** Paths inside the containers, shared by every target. */
export const PATHS = {
  prometheusConfig: "/etc/prometheus/prometheus.yml",
  prometheusRulesDir: "/etc/prometheus/rules",
  prometheusData: "/prometheus",
  alertmanagerConfig: "/etc/alertmanager/alertmanager.yml",
  alertmanagerSecretsDir: "/etc/alertmanager/secrets",
  alertmanagerData: "/alertmanager",
  grafanaDatasources: "/etc/grafana/provisioning/datasources/datasources.yaml",
  grafanaDashboardProvider: "/etc/grafana/provisioning/dashboards/monitoring-stack.yaml",
  grafanaDashboardsDir: "/etc/grafana/dashboards",
  grafanaAdminPassword: "/run/secrets/grafana-admin-password",
  grafanaData: "/var/lib/grafana",
  lokiConfig: "/etc/loki/loki.yaml",
  lokiData: "/loki",
  alloyConfig: "/etc/alloy/config.alloy",
  alloyData: "/var/lib/alloy/data",
} as const;

/** Host names under which the components reach each other on a target's network. */
export type ServiceHosts = Readonly<Record<keyof typeof PORTS, string>>;

/** A target's view of the network: what the rendered files point at. */
export interface TargetNetwork {
  /** Host names the components use to reach each other (datasources, push URLs). */
  readonly hosts: ServiceHosts;
  /** How Prometheus finds each built-in job; a job without an entry is not deployed. */
  readonly discovery: Readonly<Partial<Record<BuiltInJob, Discovery>>>;
  /** How Prometheus finds its Alertmanagers. */
  readonly alertmanagers: Discovery;
  /** Docker endpoint Alloy reads container logs from; no Alloy config without it. */
  readonly dockerHost?: string;
}

export interface RenderedFiles {
  readonly prometheus: Readonly<Record<string, string>>;
  readonly alertmanager: Readonly<Record<string, string>>;
  readonly grafana: Readonly<Record<string, string>>;
  readonly loki: Readonly<Record<string, string>>;
  /** Empty where Alloy is not deployed. */
  readonly alloy: Readonly<Record<string, string>>;
}

const url = (host: string, port: number) => `http://${host}:${port}`;

/** A Docker network: every component one container reachable by its host name (static targets). */
export function dockerNetwork(hosts: ServiceHosts, dockerHost: string): TargetNetwork {
  const stat = (c: keyof typeof PORTS): Discovery => ({
    kind: "static",
    targets: [`${hosts[c]}:${PORTS[c]}`],
  });
  return {
    hosts,
    discovery: {
      prometheus: { kind: "static", targets: [`localhost:${PORTS.prometheus}`] },
      alertmanager: stat("alertmanager"),
      grafana: stat("grafana"),
      loki: stat("loki"),
      alloy: stat("alloy"),
      node: stat("nodeExporter"),
    },
    alertmanagers: stat("alertmanager"),
    dockerHost,
  };
}

/** Every config file by component, keyed by absolute path inside the container. */
export function renderFiles(settings: Settings, target: TargetNetwork): RenderedFiles {
  const hosts = target.hosts;
  const groups = stackRuleGroups(settings);
  const rules = Object.fromEntries(
    groups.map((g) => [`${PATHS.prometheusRulesDir}/${g.name}.yml`, renderRuleFile([g])]),
  );
  const dashboards = Object.fromEntries(
    buildDashboards().map((d) => [
      `${PATHS.grafanaDashboardsDir}/${d.fileName}`,
      `${JSON.stringify(d.model, null, 2)}\n`,
    ]),
  );
  return {
    prometheus: {
      [PATHS.prometheusConfig]: renderPrometheusConfig({
        prometheus: settings.prometheus,
        discovery: target.discovery,
        alertmanagers: target.alertmanagers,
        extraTargets: settings.scrapeTargets,
        ruleFilesGlob: `${PATHS.prometheusRulesDir}/*.yml`,
      }),
      ...rules,
    },
    alertmanager: {
      [PATHS.alertmanagerConfig]: renderAlertmanagerConfig({
        alerting: settings.alerting,
        secretsDir: PATHS.alertmanagerSecretsDir,
      }),
    },
    grafana: {
      [PATHS.grafanaDatasources]: renderGrafanaDatasources(
        {
          prometheusUrl: url(hosts.prometheus, PORTS.prometheus),
          lokiUrl: url(hosts.loki, PORTS.loki),
          alertmanagerUrl: url(hosts.alertmanager, PORTS.alertmanager),
        },
        settings.prometheus.scrapeInterval,
      ),
      [PATHS.grafanaDashboardProvider]: renderGrafanaDashboardProvider(PATHS.grafanaDashboardsDir),
      ...dashboards,
    },
    loki: {
      [PATHS.lokiConfig]: renderLokiConfig({
        retentionPeriod: settings.loki.retentionPeriod,
        dataDir: PATHS.lokiData,
        alertmanagerUrl: url(hosts.alertmanager, PORTS.alertmanager),
      }),
    },
    alloy:
      target.dockerHost === undefined
        ? {}
        : {
            [PATHS.alloyConfig]: renderAlloy(
              alloyDockerPipeline({
                dockerHost: target.dockerHost,
                lokiPushUrl: `${url(hosts.loki, PORTS.loki)}/loki/api/v1/push`,
                externalLabels: settings.prometheus.externalLabels,
              }),
            ),
          },
  };
}
