/**
 * Contracts between the parts of the prod (EKS + Helm) stack. Each part creates its resources as
 * children of the `EksStack` component; every Kubernetes resource uses the one explicit provider.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

export interface K8sPartOptions {
  /** The `EksStack` component. */
  readonly parent: pulumi.Resource;
  /** Name prefix: the stack's `clusterName`, e.g. `prod-eu-west-1`. */
  readonly prefix: string;
  /** AWS tags for every taggable AWS resource. */
  readonly tags: Readonly<Record<string, string>>;
}

/** IAM role for a Kubernetes service account (IRSA). */
export interface ServiceAccountRole {
  readonly roleArn: pulumi.Output<string>;
}

export interface Cluster {
  /** The one explicit provider every Kubernetes resource and Helm release uses. */
  readonly provider: k8s.Provider;
  readonly name: pulumi.Output<string>;
  /** Create mode only: the generated kubeconfig (a secret Output). */
  readonly kubeconfig?: pulumi.Output<string>;
  /** The encrypted gp3 StorageClass with `reclaimPolicy: Retain` every PVC uses. */
  readonly storageClassName: pulumi.Output<string>;
  readonly region: pulumi.Output<string>;
  /** Present when `remoteWrite` is on: the AMP workspace and the role of Prometheus' service account. */
  readonly remoteWrite?: {
    readonly url: pulumi.Output<string>;
    readonly workspaceArn: pulumi.Output<string>;
    readonly role: ServiceAccountRole;
  };
  /** Present when `lokiMode` is `simpleScalable`: Loki's S3 bucket and service-account role. */
  readonly lokiStorage?: {
    readonly bucket: pulumi.Output<string>;
    readonly role: ServiceAccountRole;
  };
}

/** Namespaces: the stack's own, and a privileged one for host agents (node-exporter, Alloy). */
export const NAMESPACES = { monitoring: "monitoring", agents: "monitoring-agents" } as const;

/** Helm release names (also the prefix of the charts' object names). */
export const RELEASES = {
  kubePrometheusStack: "kps",
  loki: "loki",
  alloy: "alloy",
} as const;

/** Service accounts the IRSA roles trust (namespace/name). */
export const SERVICE_ACCOUNTS = {
  prometheus: { namespace: NAMESPACES.monitoring, name: "kps-prometheus" },
  loki: { namespace: NAMESPACES.monitoring, name: "loki" },
} as const;

/** Kubernetes Secrets the program creates from Pulumi config (secrets only in Secrets). */
export const SECRET_NAMES = {
  grafanaAdmin: "grafana-admin",
  alertmanagerConfig: "alertmanager-config",
  alertmanagerReceivers: "alertmanager-receivers",
} as const;
