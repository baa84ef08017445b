/**
 * Contracts between the parts of the prod (EKS + Helm) stack, and the names both the Helm values
 * and the objects the stack creates use. Each part creates its resources as children of the
 * `EksStack` component (`PartOptions`, components/parts.ts); every Kubernetes resource uses the
 * one explicit provider.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { HELM_RELEASES } from "../../catalog/resourceNames";

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
export const RELEASES = HELM_RELEASES;

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

/**
 * Key names of the Grafana admin Secret (`SECRET_NAMES.grafanaAdmin`): the grafana chart's
 * `admin.existingSecret` reads them through `admin.userKey` and `admin.passwordKey` (set to these,
 * the chart's defaults). The Secret must hold both keys.
 */
export const GRAFANA_ADMIN_KEYS = { user: "admin-user", password: "admin-password" } as const;

/** Key of the Alertmanager config Secret (`alertmanagerSpec.configSecret` must hold this key). */
export const ALERTMANAGER_CONFIG_KEY = "alertmanager.yaml";

/**
 * Where the operator mounts the receivers Secret listed in `alertmanagerSpec.secrets`
 * (`/etc/alertmanager/secrets/<secret name>`, no trailing '/'): the routing builder's `secretsDir`,
 * which the `*_file` fields of alertmanager.yaml point into.
 */
export const ALERTMANAGER_SECRETS_DIR = `/etc/alertmanager/secrets/${SECRET_NAMES.alertmanagerReceivers}`;

/** Labels on every object the stack creates directly (not through a chart). */
export const COMMON_LABELS: Readonly<Record<string, string>> = {
  "app.kubernetes.io/part-of": "monitoring-stack",
  "app.kubernetes.io/managed-by": "pulumi",
};
