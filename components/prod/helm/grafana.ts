/**
 * Values of the grafana subchart of kube-prometheus-stack (its `grafana:` key): one Grafana on a
 * volume, its admin login from our Secret, the shared datasources and hardening, dashboards from
 * the sidecar.
 */
import { GRAFANA_HARDENING, grafanaDatasources } from "../../../content/grafana";
import {
  GRAFANA_DASHBOARD_LABEL,
  GRAFANA_DASHBOARD_LABEL_VALUE,
  GRAFANA_FOLDER_ANNOTATION,
} from "../../../content/kubernetes";
import { PORTS, SCRAPE_JOBS } from "../../../catalog/names";
import type { Settings } from "../../../settings/settings";
import { GRAFANA_ADMIN_KEYS, NAMESPACES, SECRET_NAMES } from "../types";
import { shaImage } from "./images";
import { ingressTls, ingressUrl } from "./ingress";
import { RESOURCES } from "./podResources";
import { jobRelabeling } from "./relabeling";
import { inClusterUrls } from "./services";
import type { HelmValue, HelmValues } from "./types";

/** The `grafana:` values of kube-prometheus-stack; its PVC uses `storageClassName`. */
export function grafanaValues(settings: Settings, storageClassName: string): HelmValues {
  const ingress = settings.k8s.ingress;
  const urls = inClusterUrls(settings);
  const tls =
    ingress === undefined ? undefined : ingressTls(ingress, ingress.grafanaHost, "grafana");
  const rootUrl =
    ingress === undefined
      ? // Reached through `kubectl port-forward svc/kps-grafana 3000:80`.
        `http://localhost:${PORTS.grafana}/`
      : `${ingressUrl(ingress, ingress.grafanaHost)}/`;

  return {
    image: shaImage(settings.images.grafana),
    // SQLite on a ReadWriteOnce volume: one writer, and the old pod must stop before the new one
    // mounts the volume (PITFALLS 2).
    replicas: 1,
    deploymentStrategy: { type: "Recreate" },
    // The admin login lives only in our Secret; Grafana reads it on the first start (PITFALLS 12).
    admin: {
      existingSecret: SECRET_NAMES.grafanaAdmin,
      userKey: GRAFANA_ADMIN_KEYS.user,
      passwordKey: GRAFANA_ADMIN_KEYS.password,
    },
    persistence: {
      enabled: true,
      type: "pvc",
      storageClassName,
      accessModes: ["ReadWriteOnce"],
      size: settings.k8s.storage.grafana,
    },
    // The chart's root `chown` init container is not needed: fsGroup 472 makes the EBS volume
    // writable, and a root container falls short of the restricted Pod Security level.
    initChownData: { enabled: false },
    resources: RESOURCES.grafana,
    // The same hardening as the Docker and ECS targets, which get it as `GF_*` variables.
    "grafana.ini": { server: { root_url: rootUrl }, ...GRAFANA_HARDENING },
    ingress:
      ingress === undefined || tls === undefined
        ? { enabled: false }
        : {
            enabled: true,
            ingressClassName: ingress.className,
            annotations: tls.annotations,
            hosts: [ingress.grafanaHost],
            path: "/",
            tls: tls.tls,
          },
    serviceMonitor: { enabled: true, relabelings: jobRelabeling(SCRAPE_JOBS.grafana) },
    defaultDashboardsEnabled: true,
    sidecar: {
      resources: RESOURCES.grafanaSidecar,
      dashboards: {
        enabled: true,
        label: GRAFANA_DASHBOARD_LABEL,
        labelValue: GRAFANA_DASHBOARD_LABEL_VALUE,
        searchNamespace: NAMESPACES.monitoring,
        folderAnnotation: GRAFANA_FOLDER_ANNOTATION,
        provider: { foldersFromFilesStructure: true, allowUiUpdates: false, disableDelete: true },
      },
      // The datasources are the shared ones (`grafanaDatasources`: the same names, uids and
      // settings as dev and staging), in `additionalDataSources`; the chart's own Prometheus and
      // Alertmanager entries are off so that no second datasource claims those uids.
      datasources: {
        enabled: true,
        defaultDatasourceEnabled: false,
        alertmanager: { enabled: false },
      },
    },
    additionalDataSources: grafanaDatasources(
      { prometheusUrl: urls.prometheus, lokiUrl: urls.loki, alertmanagerUrl: urls.alertmanager },
      settings.prometheus.scrapeInterval,
    ).datasources as HelmValue[],
    prune: true,
  };
}
