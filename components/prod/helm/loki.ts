/**
 * Values of the Loki chart (`CHARTS.loki`, grafana-community): one single binary on a PVC, or
 * simple-scalable read/write/backend targets on S3, with the Docker/ECS schema and retention.
 */
import { lokiConfig } from "../../../content/loki";
import { SCRAPE_JOBS } from "../../../catalog/names";
import type { Settings } from "../../../settings/settings";
import { SERVICE_ACCOUNTS } from "../types";
import { digestImage } from "./images";
import {
  LOKI_GATEWAY_REPLICAS,
  LOKI_SCALABLE_REPLICAS,
  RESOURCES,
  sizedResources,
} from "./podResources";
import { jobRelabeling } from "./relabeling";
import { inClusterUrls } from "./services";
import type { HelmValue, HelmValues } from "./types";

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
      ? { enabled: true, replicas: LOKI_GATEWAY_REPLICAS, resources: RESOURCES.lokiGateway }
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
