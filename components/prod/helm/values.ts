/**
 * Helm values of the `prod` (EKS) stack: kube-prometheus-stack, Loki and Alloy, built from
 * `Settings` by pure functions (no Pulumi imports, plain objects).
 *
 * Helm ignores unknown keys silently, so `test/components/prod/helm/values.test.ts` checks every key path set here
 * against the charts' upstream values.yaml. Chart versions: `CHARTS` in `catalog/versions.ts`.
 */
import { renderAlloy, type AlloyBlock, AlloyRef } from "../../../content/alloy";
import { grafanaDatasources } from "../../../content/grafana";
import {
  GRAFANA_DASHBOARD_LABEL,
  GRAFANA_DASHBOARD_LABEL_VALUE,
  GRAFANA_FOLDER_ANNOTATION,
} from "../../../content/kubernetes";
import { lokiConfig } from "../../../content/loki";
import { PORTS, SCRAPE_JOBS } from "../../../catalog/names";
import type { Settings } from "../../../settings/settings";
import { type PodRequest, quantityBytes, sizeBytes } from "../../../sizing/sizing";
import { NAMESPACES, RELEASES, SECRET_NAMES, SERVICE_ACCOUNTS } from "../types";

/** A value Helm accepts: JSON data. */
export type HelmValue =
  string | number | boolean | null | readonly HelmValue[] | { readonly [key: string]: HelmValue };

/** A chart's values (the top level is always a map). */
export type HelmValues = { readonly [key: string]: HelmValue };

// ---------------------------------------------------------------------------------------------
// Names and endpoints the charts create (for datasources, Alloy, port-forward commands)
// ---------------------------------------------------------------------------------------------

/**
 * Key names of the Grafana admin Secret (`SECRET_NAMES.grafanaAdmin`): `admin.userKey` and
 * `admin.passwordKey` of the grafana chart (its defaults). The Secret must hold both keys.
 */
export const GRAFANA_ADMIN_KEYS = { user: "admin-user", password: "admin-password" } as const;

/**
 * Where the operator mounts the receivers Secret listed in `alertmanagerSpec.secrets`
 * (`/etc/alertmanager/secrets/<secret name>`, no trailing '/'): the routing builder's `secretsDir`.
 */
export function alertmanagerSecretsDir(): string {
  return `/etc/alertmanager/secrets/${SECRET_NAMES.alertmanagerReceivers}`;
}

/** In-cluster DNS suffix of a Service in the monitoring namespace (EKS uses `cluster.local`). */
const MONITORING_SVC = `${NAMESPACES.monitoring}.svc.cluster.local`;

/**
 * Services the charts create in the monitoring namespace, with their ports. kube-prometheus-stack
 * names objects `<fullnameOverride>-<component>` (we set `fullnameOverride` to the release name);
 * the grafana subchart uses `<release>-grafana` and listens on 80. Loki's Service depends on the
 * mode: the single binary's `loki` (3100), or the `loki-gateway` nginx (80) in front of the
 * read/write targets in simple-scalable mode.
 */
export function chartServices(settings: Settings): {
  readonly prometheus: { readonly name: string; readonly port: number };
  readonly alertmanager: { readonly name: string; readonly port: number };
  readonly grafana: { readonly name: string; readonly port: number };
  readonly loki: { readonly name: string; readonly port: number };
} {
  const kps = RELEASES.kubePrometheusStack;
  return {
    prometheus: { name: `${kps}-prometheus`, port: PORTS.prometheus },
    alertmanager: { name: `${kps}-alertmanager`, port: PORTS.alertmanager },
    grafana: { name: `${kps}-grafana`, port: 80 },
    loki:
      settings.k8s.lokiMode === "singleBinary"
        ? { name: RELEASES.loki, port: PORTS.loki }
        : { name: `${RELEASES.loki}-gateway`, port: 80 },
  };
}

/** In-cluster base URLs (no trailing '/') of Prometheus, Alertmanager and Loki. */
export function inClusterUrls(settings: Settings): {
  readonly prometheus: string;
  readonly alertmanager: string;
  readonly loki: string;
} {
  const svc = chartServices(settings);
  const url = (s: { name: string; port: number }) =>
    s.port === 80
      ? `http://${s.name}.${MONITORING_SVC}`
      : `http://${s.name}.${MONITORING_SVC}:${s.port}`;
  return {
    prometheus: url(svc.prometheus),
    alertmanager: url(svc.alertmanager),
    loki: url(svc.loki),
  };
}

/** Loki's push endpoint, for Alloy (which runs in the agents namespace). */
export function lokiPushUrl(settings: Settings): string {
  return `${inClusterUrls(settings).loki}/loki/api/v1/push`;
}

// ---------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------

type Resources = {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
};

const res = (reqCpu: string, reqMem: string, limCpu: string, limMem: string): Resources => ({
  requests: { cpu: reqCpu, memory: reqMem },
  limits: { cpu: limCpu, memory: limMem },
});

/**
 * Requests and limits from a derived need (sizing/sizing.ts): the need is the request; the limit
 * allows bursts (compaction, heavy queries) of half as much memory again and twice the CPU, at
 * least one core. `cpu` in Fargate units (1024 = 1 vCPU).
 */
export function sizedResources(need: {
  readonly cpu: number;
  readonly memoryMiB: number;
}): Resources {
  const millis = Math.ceil((need.cpu * 1000) / 1024);
  return res(
    `${millis}m`,
    `${need.memoryMiB}Mi`,
    `${Math.max(1000, 2 * millis)}m`,
    `${Math.ceil((need.memoryMiB * 1.5) / 64) * 64}Mi`,
  );
}

/**
 * Requests and limits of the containers whose needs do not grow with the workload (Prometheus
 * and single-binary Loki are sized from `capacity` by `sizedResources`), sized for the default node group
 * (3 × m6i.xlarge, 4 vCPU / 16 GiB): with single-binary Loki all requests together (about 2.5 vCPU
 * and 7 GiB) fit on one node, leaving room for a node's loss or for simple-scalable Loki.
 */
export const RESOURCES = {
  alertmanager: res("50m", "64Mi", "200m", "256Mi"),
  grafana: res("100m", "256Mi", "500m", "512Mi"),
  /** Each of Grafana's dashboard and datasource sidecars. */
  grafanaSidecar: res("20m", "64Mi", "100m", "128Mi"),
  operator: res("100m", "128Mi", "500m", "256Mi"),
  /** The config-reloader sidecar of every Prometheus and Alertmanager pod. */
  configReloader: res("10m", "32Mi", "100m", "64Mi"),
  /** The operator's admission-webhook certificate Jobs (Helm hooks). */
  webhookJob: res("10m", "32Mi", "100m", "64Mi"),
  kubeStateMetrics: res("50m", "128Mi", "250m", "256Mi"),
  nodeExporter: res("50m", "32Mi", "250m", "64Mi"),
  /** Each read, write and backend replica in simple-scalable mode. */
  lokiScalable: res("250m", "512Mi", "1", "2Gi"),
  lokiGateway: res("50m", "64Mi", "200m", "128Mi"),
  alloy: res("100m", "128Mi", "500m", "512Mi"),
  alloyConfigReloader: res("10m", "50Mi", "100m", "100Mi"),
} as const satisfies Record<string, Resources>;

/** A chart image split the way charts take it. */
export interface ImageParts {
  readonly registry: string;
  readonly repository: string;
  /** Absent for a digest-only reference. */
  readonly tag?: string;
  /** Hex digest without the `sha256:` prefix; absent for a tag-only reference. */
  readonly sha256?: string;
}

/**
 * Splits `registry/repository:tag` or `…@sha256:<hex>` (the forms `imageOverrides` allows). A
 * reference without a registry host is a Docker Hub one (`docker.io`, `library/` for single names).
 */
export function parseImage(ref: string): ImageParts {
  const at = ref.indexOf("@sha256:");
  const name = at >= 0 ? ref.slice(0, at) : ref;
  const sha256 = at >= 0 ? ref.slice(at + "@sha256:".length) : undefined;
  const colon = name.lastIndexOf(":");
  const hasTag = colon > name.lastIndexOf("/");
  const path = hasTag ? name.slice(0, colon) : name;
  const tag = hasTag ? name.slice(colon + 1) : undefined;
  if (tag === undefined && sha256 === undefined) {
    throw new Error(`image ${JSON.stringify(ref)} has neither a tag nor a digest; pin one`);
  }
  const [first, ...rest] = path.split("/");
  const isHost =
    rest.length > 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  const registry = isHost ? first : "docker.io";
  const repository = isHost ? rest.join("/") : rest.length === 0 ? `library/${first}` : path;
  return {
    registry,
    repository,
    ...(tag === undefined ? {} : { tag }),
    ...(sha256 === undefined ? {} : { sha256 }),
  };
}

/**
 * kube-prometheus-stack's and the grafana chart's image keys (`sha` is the bare hex digest). Both
 * keys are always set so that the chart's default tag (e.g. Prometheus' `-distroless` one) never
 * mixes with an override.
 */
function shaImage(ref: string): HelmValues {
  const image = parseImage(ref);
  return {
    registry: image.registry,
    repository: image.repository,
    tag: image.tag ?? "",
    sha: image.sha256 ?? "",
  };
}

/** Image keys of charts that take `digest: sha256:<hex>` (node-exporter, Loki, Alloy). */
function digestImage(ref: string): HelmValues {
  const image = parseImage(ref);
  return {
    registry: image.registry,
    repository: image.repository,
    ...(image.tag === undefined ? {} : { tag: image.tag }),
    ...(image.sha256 === undefined ? {} : { digest: `sha256:${image.sha256}` }),
  };
}

/**
 * ServiceMonitor relabeling that sets `job` to the stack's job name (`SCRAPE_JOBS`): the shared
 * rules and dashboards select on it in every environment. With `port`, only that endpoint is
 * renamed (the operator sets `endpoint` to the port name before user relabelings run), so the
 * config-reloader endpoint of the same ServiceMonitor keeps its own job.
 */
function jobRelabeling(job: string, port?: string): HelmValue[] {
  return [
    {
      action: "replace",
      ...(port === undefined ? {} : { sourceLabels: ["endpoint"], regex: port }),
      targetLabel: "job",
      replacement: job,
    },
  ];
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

/** Millicores of a CPU quantity (`500m`, `2`). */
function cpuMillis(q: string): number {
  return q.endsWith("m") ? Number(q.slice(0, -1)) : Number(q) * 1000;
}

/** MiB of a memory quantity (`64Mi`, `2Gi`). */
function memoryMiB(q: string): number {
  return quantityBytes(q) / 1024 ** 2;
}

/**
 * Every pod the prod charts run, with its containers' summed requests: what the node group must
 * hold (checked by `nodeGroupWarnings`). Mirrors the values builders; a test ties the two.
 */
export function podRequests(settings: Settings): PodRequest[] {
  const k8s = settings.k8s;
  const pod = (
    name: string,
    replicas: PodRequest["replicas"],
    ...containers: Resources[]
  ): PodRequest => ({
    name,
    replicas,
    cpuMillis: containers.reduce((sum, c) => sum + cpuMillis(c.requests.cpu), 0),
    memoryMiB: containers.reduce((sum, c) => sum + memoryMiB(c.requests.memory), 0),
  });
  const scalable = k8s.lokiMode === "simpleScalable";
  return [
    pod(
      "prometheus",
      k8s.prometheusReplicas,
      sizedResources(settings.sizing.prometheus),
      RESOURCES.configReloader,
    ),
    pod("alertmanager", k8s.alertmanagerReplicas, RESOURCES.alertmanager, RESOURCES.configReloader),
    pod("grafana", 1, RESOURCES.grafana, RESOURCES.grafanaSidecar, RESOURCES.grafanaSidecar),
    pod("prometheus-operator", 1, RESOURCES.operator),
    pod("kube-state-metrics", 1, RESOURCES.kubeStateMetrics),
    pod("node-exporter", "perNode", RESOURCES.nodeExporter),
    pod("alloy", "perNode", RESOURCES.alloy, RESOURCES.alloyConfigReloader),
    ...(scalable
      ? [
          pod("loki-write", LOKI_SCALABLE_REPLICAS, RESOURCES.lokiScalable),
          pod("loki-read", LOKI_SCALABLE_REPLICAS, RESOURCES.lokiScalable),
          pod("loki-backend", LOKI_SCALABLE_REPLICAS, RESOURCES.lokiScalable),
          pod("loki-gateway", 2, RESOURCES.lokiGateway),
        ]
      : [pod("loki", 1, sizedResources(settings.sizing.loki))]),
  ];
}

/** Share of the Prometheus volume `retentionSize` may use; the rest absorbs compaction and WAL bursts. */
export const MAX_RETENTION_SHARE = 0.9;

/** A PodDisruptionBudget that keeps all but one replica; none for a single replica (it would block every drain). */
function podDisruptionBudget(replicas: number): HelmValues {
  return replicas > 1 ? { enabled: true, minAvailable: replicas - 1 } : { enabled: false };
}

/** TLS and cert-manager settings of one chart ingress for `host`. */
function ingressTls(
  ingress: NonNullable<Settings["k8s"]["ingress"]>,
  host: string,
  component: string,
): { annotations: HelmValues; tls: HelmValue[]; scheme: "https" | "http" } {
  if (ingress.clusterIssuer !== undefined) {
    return {
      annotations: { "cert-manager.io/cluster-issuer": ingress.clusterIssuer },
      // cert-manager's ingress-shim issues a certificate into this Secret.
      tls: [{ secretName: `${component}-tls`, hosts: [host] }],
      scheme: "https",
    };
  }
  if (ingress.tlsSecretName !== undefined) {
    return {
      annotations: {},
      tls: [{ secretName: ingress.tlsSecretName, hosts: [host] }],
      scheme: "https",
    };
  }
  return { annotations: {}, tls: [], scheme: "http" };
}

// ---------------------------------------------------------------------------------------------
// kube-prometheus-stack
// ---------------------------------------------------------------------------------------------

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

/**
 * Values for kube-prometheus-stack (chart `CHARTS.kubePrometheusStack`), released as
 * `RELEASES.kubePrometheusStack` into `NAMESPACES.monitoring`. Throws when `retentionSize` does
 * not fit the Prometheus volume, or when `ctx.remoteWrite` disagrees with the `remoteWrite` setting.
 */
export function kubePrometheusStackValues(
  settings: Settings,
  ctx: KubePrometheusStackContext,
): HelmValues {
  const k8s = settings.k8s;
  const prom = settings.prometheus;
  const retention = sizeBytes(prom.retentionSize);
  const volume = quantityBytes(k8s.storage.prometheus);
  if (retention > volume * MAX_RETENTION_SHARE) {
    throw new Error(
      `\`retentionSize\` (${prom.retentionSize}) does not fit the Prometheus volume ` +
        `\`prometheusStorageSize\` (${k8s.storage.prometheus}): Prometheus counts GB as GiB and needs ` +
        `headroom for compaction; keep retentionSize at most ${MAX_RETENTION_SHARE * 100}% of the volume.`,
    );
  }
  if (k8s.remoteWrite !== (ctx.remoteWrite !== undefined)) {
    throw new Error(
      k8s.remoteWrite
        ? "`remoteWrite` is on but no AMP workspace (url, role, region) was passed to kubePrometheusStackValues"
        : "an AMP workspace was passed to kubePrometheusStackValues but `remoteWrite` is off",
    );
  }
  const ingress = k8s.ingress;
  const urls = inClusterUrls(settings);
  const images = settings.images;

  const grafanaTls =
    ingress === undefined ? undefined : ingressTls(ingress, ingress.grafanaHost, "grafana");
  const grafanaRootUrl =
    ingress === undefined || grafanaTls === undefined
      ? // Reached through `kubectl port-forward svc/kps-grafana 3000:80`.
        `http://localhost:${PORTS.grafana}/`
      : `${grafanaTls.scheme}://${ingress.grafanaHost}/`;

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
      externalUrl: `${tls.scheme}://${host}/`,
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
        // `alertmanager.yaml`); the chart renders no config Secret of its own.
        useExistingSecret: true,
        configSecret: SECRET_NAMES.alertmanagerConfig,
        // Receiver credentials, mounted at `alertmanagerSecretsDir()` for the `*_file` fields.
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

    grafana: {
      image: shaImage(images.grafana),
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
        storageClassName: ctx.storageClassName,
        accessModes: ["ReadWriteOnce"],
        size: k8s.storage.grafana,
      },
      // The chart's root `chown` init container is not needed: fsGroup 472 makes the EBS volume
      // writable, and a root container falls short of the restricted Pod Security level.
      initChownData: { enabled: false },
      resources: RESOURCES.grafana,
      "grafana.ini": {
        server: { root_url: grafanaRootUrl },
        // The same hardening as the Docker and ECS targets (`grafanaEnvironment`).
        users: { allow_sign_up: false },
        "auth.anonymous": { enabled: false },
        analytics: { reporting_enabled: false, check_for_updates: false },
        security: { disable_gravatar: true },
      },
      ingress:
        ingress === undefined || grafanaTls === undefined
          ? { enabled: false }
          : {
              enabled: true,
              ingressClassName: ingress.className,
              annotations: grafanaTls.annotations,
              hosts: [ingress.grafanaHost],
              path: "/",
              tls: grafanaTls.tls,
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
        prom.scrapeInterval,
      ).datasources as HelmValue[],
      prune: true,
    },

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

// ---------------------------------------------------------------------------------------------
// Loki
// ---------------------------------------------------------------------------------------------

export interface LokiContext {
  /** The encrypted gp3 StorageClass every PVC uses. */
  readonly storageClassName: string;
  /** Simple-scalable mode only: the bucket the stack created and Loki's IAM role (IRSA). */
  readonly s3?: { readonly bucket: string; readonly region: string; readonly roleArn: string };
}

/** Where the Loki chart keeps its data inside the pods (`loki.commonConfig.path_prefix`). */
const LOKI_DATA_DIR = "/var/loki";

/** The chart's non-root defaults (uid/gid 10001), pinned. */
const LOKI_POD_SECURITY = {
  fsGroup: 10001,
  fsGroupChangePolicy: "OnRootMismatch",
  runAsGroup: 10001,
  runAsNonRoot: true,
  runAsUser: 10001,
  seccompProfile: { type: "RuntimeDefault" },
};
const LOKI_CONTAINER_SECURITY = {
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
  allowPrivilegeEscalation: false,
  seccompProfile: { type: "RuntimeDefault" },
};

/** Replicas of each read, write and backend target in simple-scalable mode (a ring of 3). */
export const LOKI_SCALABLE_REPLICAS = 3;

/**
 * Values for the Loki chart (`CHARTS.loki`, grafana-community), released as `RELEASES.loki` into
 * `NAMESPACES.monitoring`. `singleBinary`: one Loki on a PVC (filesystem store); `simpleScalable`:
 * read/write/backend targets on S3 behind the chart's gateway. Schema and retention are the same
 * as the Docker/ECS config (`lokiConfig`). Throws when `ctx.s3` disagrees with `lokiMode`.
 */
export function lokiValues(settings: Settings, ctx: LokiContext): HelmValues {
  const k8s = settings.k8s;
  const scalable = k8s.lokiMode === "simpleScalable";
  if (scalable !== (ctx.s3 !== undefined)) {
    throw new Error(
      scalable
        ? "`lokiMode` is `simpleScalable` but no S3 bucket (bucket, region, role) was passed to lokiValues"
        : "an S3 bucket was passed to lokiValues but `lokiMode` is `singleBinary`",
    );
  }
  const store = ctx.s3 === undefined ? "filesystem" : "s3";
  // The Docker/ECS Loki config: its v13/tsdb schema, limits and compactor retention.
  const shared = lokiConfig({
    retentionPeriod: settings.loki.retentionPeriod,
    dataDir: LOKI_DATA_DIR,
    alertmanagerUrl: inClusterUrls(settings).alertmanager,
  }) as {
    schema_config: { configs: { [key: string]: HelmValue }[] };
    limits_config: { [key: string]: HelmValue };
    compactor: { [key: string]: HelmValue };
  };
  const volume = {
    storageClass: ctx.storageClassName,
    accessModes: ["ReadWriteOnce"],
    size: k8s.storage.loki,
    // Keep the PVCs when a StatefulSet is deleted (the backend's chart default deletes them).
    enableStatefulSetAutoDeletePVC: false,
  };
  const scalableTarget = (withVolume: boolean): HelmValues => ({
    replicas: scalable ? LOKI_SCALABLE_REPLICAS : 0,
    ...(scalable ? { resources: RESOURCES.lokiScalable } : {}),
    // The read/write/backend targets switch their claims on with `volumeClaimsEnabled`.
    ...(scalable && withVolume ? { persistence: { volumeClaimsEnabled: true, ...volume } } : {}),
  });

  return {
    // Monolithic is the chart's name for the single binary ("SingleBinary" is its deprecated
    // alias); SimpleScalable is deprecated upstream (removed in Loki 4) but still supported.
    deploymentMode: scalable ? "SimpleScalable" : "Monolithic",
    loki: {
      image: digestImage(settings.images.loki),
      // One tenant, as in dev and staging (no X-Scope-OrgID header needed).
      auth_enabled: false,
      podSecurityContext: LOKI_POD_SECURITY,
      containerSecurityContext: LOKI_CONTAINER_SECURITY,
      commonConfig: { replication_factor: scalable ? LOKI_SCALABLE_REPLICAS : 1 },
      storage:
        ctx.s3 === undefined
          ? { type: "filesystem" }
          : {
              type: "s3",
              // One bucket: chunks and index live under the tenant and `index/` prefixes, ruler
              // objects under `rules/`, so they never collide.
              bucketNames: { chunks: ctx.s3.bucket, ruler: ctx.s3.bucket },
              // No keys: the AWS SDK takes the IRSA web identity of the service account.
              s3: { region: ctx.s3.region },
            },
      schemaConfig: {
        configs: shared.schema_config.configs.map((c) => ({ ...c, object_store: store })),
      },
      limits_config: shared.limits_config,
      compactor: { ...shared.compactor, delete_request_store: store },
      analytics: { reporting_enabled: false },
    },
    serviceAccount: {
      create: true,
      name: SERVICE_ACCOUNTS.loki.name,
      ...(ctx.s3 === undefined
        ? {}
        : { annotations: { "eks.amazonaws.com/role-arn": ctx.s3.roleArn } }),
    },
    singleBinary: scalable
      ? { replicas: 0 }
      : {
          replicas: 1,
          resources: sizedResources(settings.sizing.loki),
          persistence: { enabled: true, ...volume },
        },
    write: scalableTarget(true),
    read: scalableTarget(false),
    backend: scalableTarget(true),
    // The single binary serves push and query on one Service; the gateway (nginx) is only needed
    // to route between the read and write targets.
    gateway: scalable
      ? { enabled: true, replicas: 2, resources: RESOURCES.lokiGateway }
      : { enabled: false },
    // Off on a small install: the canary DaemonSet writes synthetic logs on every node (and the
    // Helm test needs it); MinIO is deprecated in the chart and we use S3 or a PVC; the memcached
    // chunk and results caches request about 11 GiB between them (1.2 × 8192 + 1024 MB), most of
    // a 16 GiB node, for little gain at our log volume.
    lokiCanary: { enabled: false },
    test: { enabled: false },
    minio: { enabled: false },
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    // We ship no Loki rules; the rules sidecar would need cluster-wide read access to Secrets.
    sidecar: { rules: { enabled: false } },
    // Scraped as job `loki` (the shared rules' name), not the chart's `<namespace>/<service>`.
    monitoring: {
      serviceMonitor: {
        enabled: true,
        jobPrefix: "",
        relabelings: jobRelabeling(SCRAPE_JOBS.loki),
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Alloy
// ---------------------------------------------------------------------------------------------

/** Where the kubelet writes container logs: `<ns>_<pod>_<uid>/<container>/<restart>.log`. */
export const POD_LOGS_DIR = "/var/log/pods";

/** Host directory (hostPath) holding Alloy's data, so read positions survive pod restarts. */
export const ALLOY_DATA_DIR = "/var/lib/alloy";

export interface AlloyPodLogsInput {
  /** Loki push endpoint, e.g. `lokiPushUrl(settings)`. */
  readonly lokiPushUrl: string;
  /** Labels added to every log line (the same `cluster`/`environment` as metrics). */
  readonly externalLabels: Readonly<Record<string, string>>;
}

const fromPath = (target: string, group: number): AlloyBlock => ({
  name: "rule",
  attrs: {
    source_labels: ["__path__"],
    // Namespaces and pod names cannot contain '_' (DNS-1123), so the split is unambiguous.
    regex: `${POD_LOGS_DIR}/([^_/]+)_([^_/]+)_[^/]+/([^/]+)/[^/]+\\.log`,
    target_label: target,
    replacement: `$${group}`,
  },
});

/**
 * The pipeline for a Kubernetes node (Alloy as a DaemonSet): tail the node's pod log files, take
 * `namespace`, `pod` and `container` from the kubelet's path layout, parse the CRI line format and
 * push to Loki. It needs no Kubernetes API access: each Alloy reads only its own node's files.
 */
export function alloyPodLogsPipeline(input: AlloyPodLogsInput): AlloyBlock[] {
  return [
    { name: "logging", attrs: { level: "info", format: "logfmt" } },
    {
      name: "local.file_match",
      label: "pod_logs",
      attrs: { path_targets: [{ __path__: `${POD_LOGS_DIR}/*/*/*.log` }] },
    },
    {
      name: "discovery.relabel",
      label: "pod_logs",
      attrs: { targets: new AlloyRef("local.file_match.pod_logs.targets") },
      blocks: [fromPath("namespace", 1), fromPath("pod", 2), fromPath("container", 3)],
    },
    {
      name: "loki.source.file",
      label: "pod_logs",
      attrs: {
        targets: new AlloyRef("discovery.relabel.pod_logs.output"),
        forward_to: [new AlloyRef("loki.process.pod_logs.receiver")],
      },
    },
    {
      name: "loki.process",
      label: "pod_logs",
      attrs: { forward_to: [new AlloyRef("loki.write.default.receiver")] },
      blocks: [
        // containerd's `<time> <stream> <P|F> <line>`: timestamp, stream, and joined partial lines.
        { name: "stage.cri" },
        { name: "stage.labels", attrs: { values: { stream: "" } } },
        // loki.source.file labels every line with its file; one stream per file is too many.
        { name: "stage.label_drop", attrs: { values: ["filename"] } },
      ],
    },
    {
      name: "loki.write",
      label: "default",
      attrs: { external_labels: { ...input.externalLabels } },
      blocks: [{ name: "endpoint", attrs: { url: input.lokiPushUrl } }],
    },
  ];
}

/**
 * Values for the Alloy chart (`CHARTS.alloy`), released as `RELEASES.alloy` into
 * `NAMESPACES.agents` (privileged: it mounts the host's `/var/log`). Throws when the rendered
 * config contains `{{` (the chart passes `alloy.configMap.content` through Helm's `tpl`).
 */
export function alloyValues(settings: Settings, ctx: { readonly lokiPushUrl: string }): HelmValues {
  const content = renderAlloy(
    alloyPodLogsPipeline({
      lokiPushUrl: ctx.lokiPushUrl,
      externalLabels: settings.prometheus.externalLabels,
    }),
  );
  if (content.includes("{{")) {
    throw new Error(
      "the Alloy config contains `{{`, which the chart's `tpl` would evaluate; remove it from `externalLabels`",
    );
  }
  const dataVolume = "alloy-data";
  return {
    image: digestImage(settings.images.alloy),
    alloy: {
      configMap: { create: true, content },
      listenPort: PORTS.alloy,
      storagePath: `${ALLOY_DATA_DIR}/data`,
      enableReporting: false,
      mounts: {
        varlog: true,
        extra: [{ name: dataVolume, mountPath: ALLOY_DATA_DIR }],
      },
      // Root to read the kubelet's 0640 root-owned log files (as their owner: no capabilities).
      securityContext: {
        runAsUser: 0,
        runAsGroup: 0,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      },
      resources: RESOURCES.alloy,
    },
    configReloader: {
      resources: RESOURCES.alloyConfigReloader,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 65534,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      },
    },
    controller: {
      type: "daemonset",
      // Logs of every node, including tainted ones.
      tolerations: [{ operator: "Exists", effect: "NoSchedule" }],
      volumes: {
        extra: [
          { name: dataVolume, hostPath: { path: ALLOY_DATA_DIR, type: "DirectoryOrCreate" } },
        ],
      },
    },
    // The pipeline reads files only: no Kubernetes API access, so no ClusterRole (the chart's
    // would grant a privileged host agent cluster-wide read on Secrets) and no token.
    rbac: { create: false },
    serviceAccount: { create: true, automountServiceAccountToken: false },
    // The PodLogs CRD serves `loki.source.podlogs`, which we do not use.
    crds: { create: false },
    serviceMonitor: { enabled: true, relabelings: jobRelabeling(SCRAPE_JOBS.alloy) },
  };
}
