/**
 * Values of kube-prometheus-stack (`CHARTS.kubePrometheusStack`): the operator, Prometheus,
 * Alertmanager, node-exporter and kube-state-metrics, with Grafana from grafana.ts. The chart's
 * rules that duplicate the shared library, and the targets EKS does not expose, are off.
 */
import { SCRAPE_JOBS } from "../../../catalog/names";
import type { Settings } from "../../../settings/settings";
import { NAMESPACES, RELEASES, SECRET_NAMES, SERVICE_ACCOUNTS } from "../types";
import { checkRetentionFitsVolume } from "./checks";
import { grafanaValues } from "./grafana";
import { digestImage, shaImage } from "./images";
import { ingressTls, ingressUrl } from "./ingress";
import { RESOURCES, sizedResources } from "./podResources";
import { jobRelabeling } from "./relabeling";
import type { HelmValues } from "./types";

export interface KubePrometheusStackContext {
  /** The encrypted gp3 StorageClass every PVC uses. */
  readonly storageClassName: string;
  /** Present when `remoteWrite` is on: the AMP workspace's remote-write URL and Prometheus' IAM role. */
  readonly remoteWrite?: {
    readonly url: string;
    readonly roleArn: string;
    readonly region: string;
  };
}

/**
 * Chart rule groups turned off. Our own library (PrometheusRule objects) covers Prometheus,
 * Alertmanager, node and target-down alerts, and the chart's versions of those select the jobs
 * `<release>-prometheus`, `<release>-alertmanager` and `node-exporter`, which we rename to the
 * shared `SCRAPE_JOBS` names, so they would be dead or duplicate (two Watchdogs, TargetDown next to
 * ServiceDown). etcd, scheduler, controller-manager and kube-proxy are not scrapeable on EKS
 * (PITFALLS 7): their `*Down` alerts would fire forever.
 */
export const DISABLED_DEFAULT_RULE_GROUPS = [
  "alertmanager",
  "etcd",
  "general",
  "kubeControllerManager",
  "kubeProxy",
  "kubeSchedulerAlerting",
  "kubeSchedulerRecording",
  "network",
  "node",
  "nodeExporterAlerting",
  "nodeExporterRecording",
  "prometheus",
] as const;

/** Single chart alerts that duplicate one of ours (KubeNodeNotReady = our NodeNotReady). */
export const DISABLED_DEFAULT_ALERTS = ["KubeNodeNotReady"] as const;

/** The container port name kube-prometheus-stack gives Prometheus and Alertmanager (`portName`). */
const WEB_PORT = "http-web";

/** A PodDisruptionBudget that keeps all but one replica; none for a single replica (it would block every drain). */
function podDisruptionBudget(replicas: number): HelmValues {
  return replicas > 1 ? { enabled: true, minAvailable: replicas - 1 } : { enabled: false };
}

/** A `volumeClaimTemplate` for one ReadWriteOnce volume on the stack's StorageClass. */
function volumeClaimTemplate(storageClassName: string, size: string): HelmValues {
  return {
    spec: {
      storageClassName,
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: size } },
    },
  };
}

/**
 * Values for kube-prometheus-stack (chart `CHARTS.kubePrometheusStack`), released as
 * `RELEASES.kubePrometheusStack` into `NAMESPACES.monitoring`. Throws when `retentionSize` does
 * not fit the Prometheus volume (`checkRetentionFitsVolume`), or when `ctx.remoteWrite` disagrees
 * with the `remoteWrite` setting.
 */
export function kubePrometheusStackValues(
  settings: Settings,
  ctx: KubePrometheusStackContext,
): HelmValues {
  const k8s = settings.k8s;
  const prom = settings.prometheus;
  checkRetentionFitsVolume(settings);
  if (k8s.remoteWrite !== (ctx.remoteWrite !== undefined)) {
    throw new Error(
      k8s.remoteWrite
        ? "`remoteWrite` is on but no AMP workspace (url, role, region) was passed to kubePrometheusStackValues"
        : "an AMP workspace was passed to kubePrometheusStackValues but `remoteWrite` is off",
    );
  }
  const ingress = k8s.ingress;
  const images = settings.images;

  const uiIngress = (
    host: string | undefined,
    component: string,
  ): { ingress: HelmValues; externalUrl?: string } => {
    if (ingress === undefined || host === undefined) return { ingress: { enabled: false } };
    const tls = ingressTls(ingress, host, component);
    return {
      ingress: {
        enabled: true,
        ingressClassName: ingress.className,
        annotations: tls.annotations,
        hosts: [host],
        tls: tls.tls,
      },
      externalUrl: `${ingressUrl(ingress, host)}/`,
    };
  };
  const prometheusUi = uiIngress(ingress?.prometheusHost, "prometheus");
  const alertmanagerUi = uiIngress(ingress?.alertmanagerHost, "alertmanager");

  // The chart's default (runAsNonRoot, uid 1000, gid/fsGroup 2000), pinned so a chart bump cannot drop it.
  const operatorPodSecurity = {
    runAsGroup: 2000,
    runAsNonRoot: true,
    runAsUser: 1000,
    fsGroup: 2000,
    seccompProfile: { type: "RuntimeDefault" },
  };
  // PVCs outlive the StatefulSets (also the StatefulSet default, stated for the reader).
  const keepVolumes = { whenDeleted: "Retain", whenScaled: "Retain" };

  return {
    // Object names `kps-prometheus`, `kps-alertmanager`, `kps-operator` (the contract's service account).
    fullnameOverride: RELEASES.kubePrometheusStack,
    crds: { enabled: true },
    // The admission webhooks keep the chart default: a self-signed certificate created and patched
    // in by the chart's hook Jobs, which helm.v3.Release runs (PITFALLS 10).
    prometheusOperator: {
      resources: RESOURCES.operator,
      prometheusConfigReloader: { resources: RESOURCES.configReloader },
      admissionWebhooks: { patch: { resources: RESOURCES.webhookJob } },
    },

    defaultRules: {
      create: true,
      rules: Object.fromEntries(DISABLED_DEFAULT_RULE_GROUPS.map((group) => [group, false])),
      disabled: Object.fromEntries(DISABLED_DEFAULT_ALERTS.map((alert) => [alert, true])),
    },

    // EKS manages the control plane: etcd, the scheduler and the controller manager are not
    // reachable (PITFALLS 7). EKS's kube-proxy add-on binds its metrics to 127.0.0.1:10249, so it
    // cannot be scraped either without editing the add-on's configuration.
    kubeEtcd: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeControllerManager: { enabled: false },
    kubeProxy: { enabled: false },

    prometheus: {
      serviceAccount: {
        create: true,
        name: SERVICE_ACCOUNTS.prometheus.name,
        // IRSA: the AMP role, only with remote write.
        ...(ctx.remoteWrite === undefined
          ? {}
          : { annotations: { "eks.amazonaws.com/role-arn": ctx.remoteWrite.roleArn } }),
      },
      podDisruptionBudget: podDisruptionBudget(k8s.prometheusReplicas),
      serviceMonitor: { relabelings: jobRelabeling(SCRAPE_JOBS.prometheus, WEB_PORT) },
      ingress: prometheusUi.ingress,
      prometheusSpec: {
        image: shaImage(images.prometheus),
        replicas: k8s.prometheusReplicas,
        retention: prom.retentionTime,
        retentionSize: prom.retentionSize,
        scrapeInterval: prom.scrapeInterval,
        evaluationInterval: prom.evaluationInterval,
        externalLabels: { ...prom.externalLabels },
        // The operator's default, stated: replicas differ only in this label (dropped on alerts).
        replicaExternalLabelName: "prometheus_replica",
        ...(prometheusUi.externalUrl === undefined
          ? {}
          : { externalUrl: prometheusUi.externalUrl }),
        enableAdminAPI: false,
        podAntiAffinity: "hard",
        podAntiAffinityTopologyKey: "kubernetes.io/hostname",
        resources: sizedResources(settings.sizing.prometheus),
        securityContext: operatorPodSecurity,
        storageSpec: {
          volumeClaimTemplate: volumeClaimTemplate(ctx.storageClassName, k8s.storage.prometheus),
        },
        persistentVolumeClaimRetentionPolicy: keepVolumes,
        // Select every rule, ServiceMonitor, PodMonitor, Probe and ScrapeConfig in every
        // namespace, not only those labelled with the release (PITFALLS 8).
        ruleSelectorNilUsesHelmValues: false,
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        probeSelectorNilUsesHelmValues: false,
        scrapeConfigSelectorNilUsesHelmValues: false,
        remoteWrite:
          ctx.remoteWrite === undefined
            ? []
            : [
                {
                  url: ctx.remoteWrite.url,
                  // Signed with the IRSA credentials of the service account.
                  sigv4: { region: ctx.remoteWrite.region },
                  // Amazon Managed Service for Prometheus' recommended queue settings.
                  queueConfig: { maxSamplesPerSend: 1000, maxShards: 200, capacity: 2500 },
                },
              ],
      },
    },

    alertmanager: {
      podDisruptionBudget: podDisruptionBudget(k8s.alertmanagerReplicas),
      serviceMonitor: { relabelings: jobRelabeling(SCRAPE_JOBS.alertmanager, WEB_PORT) },
      ingress: alertmanagerUi.ingress,
      alertmanagerSpec: {
        image: shaImage(images.alertmanager),
        replicas: k8s.alertmanagerReplicas,
        // The configuration comes from our Secret (built by the shared routing builder, key
        // `ALERTMANAGER_CONFIG_KEY`); the chart renders no config Secret of its own.
        useExistingSecret: true,
        configSecret: SECRET_NAMES.alertmanagerConfig,
        // Receiver credentials, mounted at `ALERTMANAGER_SECRETS_DIR` for the `*_file` fields.
        secrets: [SECRET_NAMES.alertmanagerReceivers],
        ...(alertmanagerUi.externalUrl === undefined
          ? {}
          : { externalUrl: alertmanagerUi.externalUrl }),
        podAntiAffinity: "hard",
        podAntiAffinityTopologyKey: "kubernetes.io/hostname",
        resources: RESOURCES.alertmanager,
        securityContext: operatorPodSecurity,
        storage: {
          volumeClaimTemplate: volumeClaimTemplate(ctx.storageClassName, k8s.storage.alertmanager),
        },
        persistentVolumeClaimRetentionPolicy: keepVolumes,
      },
    },

    grafana: grafanaValues(settings, ctx.storageClassName),

    // Host agents run in the privileged namespace (host network, PID and root filesystem).
    "prometheus-node-exporter": {
      namespaceOverride: NAMESPACES.agents,
      // IMAGES pins plain (non-distroless) tags.
      image: { ...digestImage(images.nodeExporter), distroless: false },
      resources: RESOURCES.nodeExporter,
      prometheus: { monitor: { relabelings: jobRelabeling(SCRAPE_JOBS.node) } },
    },
    // The chart's "Node Exporter / Nodes" dashboards select `job="node-exporter"`, which we rename
    // to `node`; the shared node dashboard replaces them. (These flags only gate dashboards.)
    nodeExporter: {
      operatingSystems: {
        linux: { enabled: false },
        aix: { enabled: false },
        darwin: { enabled: false },
      },
    },
    // Image: the chart default (kube-state-metrics is not in IMAGES; it follows the chart).
    "kube-state-metrics": { resources: RESOURCES.kubeStateMetrics },
  };
}
