/**
 * The Kubernetes objects the prod stack creates directly, next to its Helm releases: namespaces with
 * Pod Security labels, the Secrets the charts read, the shared rules and dashboards, application
 * ServiceMonitors and the NetworkPolicies of the `monitoring` namespace.
 *
 * Every manifest comes from a pure builder (plain objects, validated in tests with
 * `kubernetes-models`); `monitoringObjects` only turns them into resources.
 *
 * PodDisruptionBudgets are not created here: kube-prometheus-stack 88.5.3 creates them for
 * Prometheus and Alertmanager (`prometheus.podDisruptionBudget`, `alertmanager.podDisruptionBudget`,
 * enabled in the chart values), and loki 18.11.0 creates one for the single binary by default
 * (`singleBinary.podDisruptionBudget.enabled: true`) and for each simple-scalable target.
 */
import * as pulumi from "@pulumi/pulumi";
import { CustomResource } from "@pulumi/kubernetes/apiextensions/customResource";
import { ConfigMap } from "@pulumi/kubernetes/core/v1/configMap";
import { Namespace } from "@pulumi/kubernetes/core/v1/namespace";
import { Secret } from "@pulumi/kubernetes/core/v1/secret";
import { NetworkPolicy } from "@pulumi/kubernetes/networking/v1/networkPolicy";
import type { Provider } from "@pulumi/kubernetes/provider";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import type {
  INetworkPolicy,
  INetworkPolicyPeer,
  INetworkPolicyPort,
  INetworkPolicyIngressRule,
} from "kubernetes-models/networking.k8s.io/v1";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { alertmanagerSecretFiles, renderAlertmanagerConfig } from "../../content/alertmanager";
import { buildDashboards } from "../../content/dashboards";
import { dashboardConfigMaps, prometheusRuleObjects } from "../../content/kubernetes";
import { PORTS } from "../../catalog/names";
import { stackRuleGroups } from "../../content/ruleSet";
import type { ServiceMonitorConfig } from "../../settings/schema";
import type { K8sSettings, Settings } from "../../settings/settings";
import { NAMESPACES, RELEASES, SECRET_NAMES, type K8sPartOptions } from "./types";

/** Labels on every object this module creates. */
export const COMMON_LABELS: Readonly<Record<string, string>> = {
  "app.kubernetes.io/part-of": "monitoring-stack",
  "app.kubernetes.io/managed-by": "pulumi",
};

/**
 * Key names of the Grafana admin Secret: the grafana chart's `admin.existingSecret` reads them
 * through `admin.userKey` and `admin.passwordKey`.
 */
export const GRAFANA_ADMIN_KEYS = { user: "admin-user", password: "admin-password" } as const;

/** Key of the Alertmanager config Secret (`alertmanagerSpec.configSecret` must hold this key). */
export const ALERTMANAGER_CONFIG_KEY = "alertmanager.yaml";

/**
 * Where the operator mounts the receivers Secret when it is listed in `alertmanagerSpec.secrets`
 * (`/etc/alertmanager/secrets/<secret name>`): the usual `alertmanagerSecretsDir`.
 */
export const OPERATOR_ALERTMANAGER_SECRETS_DIR = `/etc/alertmanager/secrets/${SECRET_NAMES.alertmanagerReceivers}`;

/** Name prefix of the PrometheusRule objects: one per rule group, `<prefix>-<group>`. */
export const PROMETHEUS_RULE_PREFIX = "monitoring-stack";

/** Grafana folder of the shared dashboards (the same folder the Docker and ECS targets use). */
export const DASHBOARD_FOLDER = "Monitoring stack";

/** Namespace of the ingress controller when none is given. */
export const DEFAULT_INGRESS_NAMESPACE = "ingress-nginx";

/** Label every namespace carries since Kubernetes 1.22 (set by the API server, immutable). */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** Pod Security admission label keys. */
export const PSA = {
  enforce: "pod-security.kubernetes.io/enforce",
  warn: "pod-security.kubernetes.io/warn",
  audit: "pod-security.kubernetes.io/audit",
} as const;

/**
 * Pod labels the charts set, used as NetworkPolicy selectors (selector labels only: the charts
 * never change them on upgrade because workload selectors are immutable).
 * - prometheus, alertmanager: set by prometheus-operator on the pods it creates; the chart's own
 *   NetworkPolicy templates select the same labels.
 * - grafana: `grafana.selectorLabels` of the grafana subchart (assumes no `grafana.nameOverride`).
 * - loki: `loki.selectorLabels` of the loki chart; matches every Loki pod (single binary or
 *   read/write/backend, gateway, canary, memcached caches); assumes no `nameOverride`.
 * - alloy: the alloy chart's selector label (assumes no `nameOverride`).
 * - operator: the operator Deployment's selector, `app: <chart name>-operator` and
 *   `release: <release>` (assumes no `nameOverride`; `fullnameOverride` does not change it).
 */
export const POD_SELECTORS = {
  prometheus: { "app.kubernetes.io/name": "prometheus" },
  alertmanager: { "app.kubernetes.io/name": "alertmanager" },
  grafana: { "app.kubernetes.io/name": "grafana" },
  loki: { "app.kubernetes.io/name": "loki" },
  alloy: { "app.kubernetes.io/name": "alloy" },
  operator: { app: "kube-prometheus-stack-operator", release: RELEASES.kubePrometheusStack },
} as const satisfies Record<string, Readonly<Record<string, string>>>;

/** Container ports the NetworkPolicies open (policies match pod ports, not Service ports). */
export const POLICY_PORTS = {
  prometheus: PORTS.prometheus,
  alertmanager: PORTS.alertmanager,
  /** Alertmanager cluster gossip (`mesh-tcp`/`mesh-udp`), TCP and UDP. */
  alertmanagerMesh: 9094,
  grafana: PORTS.grafana,
  loki: PORTS.loki,
  /** The loki chart's nginx gateway (`gateway.containerPort`). */
  lokiGateway: 8080,
  /** The operator's TLS port (`prometheusOperator.tls.internalPort`): webhooks and metrics. */
  operatorWebhook: 10250,
} as const;

/** Names of the NetworkPolicies in the monitoring namespace. */
export const NETWORK_POLICY_NAMES = {
  defaultDeny: "default-deny-ingress",
  scrape: "allow-prometheus-scrape",
  prometheus: "prometheus-ingress",
  alertmanager: "alertmanager-ingress",
  grafana: "grafana-ingress",
  loki: "loki-ingress",
  operatorWebhook: "operator-webhook-ingress",
} as const;

// ---------------------------------------------------------------------------------------------
// Pure builders
// ---------------------------------------------------------------------------------------------

/** The two namespaces, with Pod Security admission labels. */
export function namespaceManifests(): { monitoring: INamespace; agents: INamespace } {
  const namespace = (name: string, psa: Record<string, string>): INamespace => ({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name, labels: { ...COMMON_LABELS, ...psa } },
  });
  return {
    // The stack's own pods run as non-root: enforce baseline, and report anything short of
    // restricted (warnings on apply, audit log entries) so it gets fixed in the chart values.
    monitoring: namespace(NAMESPACES.monitoring, {
      [PSA.enforce]: "baseline",
      [PSA.warn]: "restricted",
      [PSA.audit]: "restricted",
    }),
    // node-exporter (host network, PID and root filesystem) and Alloy (host log paths) are
    // privileged by nature; they get their own namespace so `monitoring` stays baseline.
    agents: namespace(NAMESPACES.agents, { [PSA.enforce]: "privileged" }),
  };
}

/** Which UIs the ingress controller serves, from the `ingress` setting. */
export interface ExposedUis {
  readonly grafana: boolean;
  readonly prometheus: boolean;
  readonly alertmanager: boolean;
}

/** The UIs an `ingress` setting exposes: Grafana always, Prometheus and Alertmanager by host. */
export function exposedUis(ingress: K8sSettings["ingress"]): ExposedUis {
  return {
    grafana: ingress !== undefined,
    prometheus: ingress?.prometheusHost !== undefined,
    alertmanager: ingress?.alertmanagerHost !== undefined,
  };
}

export interface NetworkPolicyOptions {
  /** Namespace the policies protect: the stack's own. */
  readonly namespace: string;
  /** Namespace of Alloy, which pushes logs to Loki. */
  readonly agentsNamespace: string;
  /**
   * Namespace of the ingress controller that serves the exposed UIs.
   * @default DEFAULT_INGRESS_NAMESPACE ("ingress-nginx")
   */
  readonly ingressNamespace?: string;
  /** Which UIs the ingress controller may reach. */
  readonly exposed: ExposedUis;
}

const tcp = (port: number): INetworkPolicyPort => ({ port, protocol: "TCP" });
const pods = (matchLabels: Readonly<Record<string, string>>): INetworkPolicyPeer => ({
  podSelector: { matchLabels: { ...matchLabels } },
});
const namespacePeer = (name: string): INetworkPolicyPeer => ({
  namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: name } },
});

/**
 * Ingress NetworkPolicies of the monitoring namespace (seed 002 hardening). Everything is denied
 * unless a policy below allows it; egress is not restricted.
 *
 * Not affected by these policies: kubelet probes (traffic from the pod's own node is always
 * allowed) and `kubectl port-forward` (it enters the pod's network namespace through the kubelet).
 * On EKS they are enforced only when the VPC CNI runs with `enableNetworkPolicy: "true"`.
 */
export function networkPolicyManifests(opts: NetworkPolicyOptions): INetworkPolicy[] {
  const ingressNamespace = opts.ingressNamespace ?? DEFAULT_INGRESS_NAMESPACE;
  const fromIngress = namespacePeer(ingressNamespace);
  const policy = (
    name: string,
    podSelector: Readonly<Record<string, string>>,
    ingress: INetworkPolicyIngressRule[],
  ): INetworkPolicy => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name, namespace: opts.namespace, labels: { ...COMMON_LABELS } },
    spec: {
      podSelector: Object.keys(podSelector).length === 0 ? {} : { matchLabels: { ...podSelector } },
      policyTypes: ["Ingress"],
      ingress,
    },
  });
  const policies: INetworkPolicy[] = [
    // Selects every pod and allows nothing: the baseline the policies below open up.
    policy(NETWORK_POLICY_NAMES.defaultDeny, {}, []),
    // Prometheus scrapes every pod of the namespace, on whatever metrics port the chart uses
    // (Prometheus' own replicas and config reloaders, Alertmanager, Grafana, kube-state-metrics,
    // the operator, Loki and its caches). This is also how Prometheus reaches its peers.
    policy(NETWORK_POLICY_NAMES.scrape, {}, [{ from: [pods(POD_SELECTORS.prometheus)] }]),
    // Prometheus' API and UI: Grafana's datasource, and the ingress only when Prometheus is exposed.
    // The operator is not a client: it manages Prometheus through the API server only.
    policy(NETWORK_POLICY_NAMES.prometheus, POD_SELECTORS.prometheus, [
      {
        from: [pods(POD_SELECTORS.grafana), ...(opts.exposed.prometheus ? [fromIngress] : [])],
        ports: [tcp(POLICY_PORTS.prometheus)],
      },
    ]),
    policy(NETWORK_POLICY_NAMES.alertmanager, POD_SELECTORS.alertmanager, [
      // Alerts from Prometheus, Grafana's Alertmanager datasource, the ingress when exposed.
      {
        from: [
          pods(POD_SELECTORS.prometheus),
          pods(POD_SELECTORS.grafana),
          ...(opts.exposed.alertmanager ? [fromIngress] : []),
        ],
        ports: [tcp(POLICY_PORTS.alertmanager)],
      },
      // Cluster gossip between the replicas (memberlist uses both TCP and UDP).
      {
        from: [pods(POD_SELECTORS.alertmanager)],
        ports: [
          tcp(POLICY_PORTS.alertmanagerMesh),
          { port: POLICY_PORTS.alertmanagerMesh, protocol: "UDP" },
        ],
      },
    ]),
    policy(NETWORK_POLICY_NAMES.loki, POD_SELECTORS.loki, [
      // Queries from Grafana and pushes from Alloy, to Loki directly or through its gateway.
      {
        from: [
          pods(POD_SELECTORS.grafana),
          {
            // Alloy pods in the agents namespace (both selectors in one peer: AND).
            namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: opts.agentsNamespace } },
            podSelector: { matchLabels: { ...POD_SELECTORS.alloy } },
          },
        ],
        ports: [tcp(POLICY_PORTS.loki), tcp(POLICY_PORTS.lokiGateway)],
      },
      // Loki's own traffic: gateway to Loki, memberlist ring, gRPC between targets, caches.
      // (Loki's ruler is not a client of Alertmanager here; add it there if it ever sends alerts.)
      { from: [pods(POD_SELECTORS.loki)] },
    ]),
    // The operator's admission webhook (validates PrometheusRules) is called by the Kubernetes API
    // server. On EKS the control plane reaches the pod from ENIs outside the pod network, which no
    // pod or namespace selector can match, so the webhook port is open to every source. The port is
    // TLS-only and serves just the webhooks and the operator's metrics (Prometheus' scrape included).
    policy(NETWORK_POLICY_NAMES.operatorWebhook, POD_SELECTORS.operator, [
      { ports: [tcp(POLICY_PORTS.operatorWebhook)] },
    ]),
  ];
  if (opts.exposed.grafana) {
    // Grafana's UI through the ingress controller (Grafana's scrape comes from the scrape policy).
    policies.push(
      policy(NETWORK_POLICY_NAMES.grafana, POD_SELECTORS.grafana, [
        { from: [fromIngress], ports: [tcp(POLICY_PORTS.grafana)] },
      ]),
    );
  }
  return policies;
}

export interface ServiceMonitorOptions {
  /** Namespace the ServiceMonitors live in (Prometheus selects it). */
  readonly namespace: string;
  /**
   * Labels on every ServiceMonitor.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Kubernetes object names (DNS-1123 subdomain). */
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * One `monitoring.coreos.com/v1` ServiceMonitor per `serviceMonitors` entry, named
 * `<app namespace>-<name>` in `opts.namespace`, selecting the Services of the entry's namespace.
 * `path` and `interval` are set only when configured (the operator's `/metrics` and Prometheus'
 * global scrape interval apply otherwise). Throws when two entries would get the same name.
 */
export function serviceMonitorManifests(
  monitors: readonly ServiceMonitorConfig[],
  opts: ServiceMonitorOptions,
): IServiceMonitor[] {
  const seen = new Map<string, number>();
  return monitors.map((m, i): IServiceMonitor => {
    const name = `${m.namespace}-${m.name}`;
    if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
      throw new pulumi.InputPropertyError({
        propertyPath: `serviceMonitors[${i}]`,
        reason: `\`serviceMonitors[${i}]\`: the ServiceMonitor name ${JSON.stringify(name)} (namespace-name) is not a valid Kubernetes name; shorten \`name\` or \`namespace\`.`,
      });
    }
    const other = seen.get(name);
    if (other !== undefined) {
      throw new pulumi.InputPropertyError({
        propertyPath: `serviceMonitors[${i}]`,
        reason: `\`serviceMonitors[${i}]\` and \`serviceMonitors[${other}]\` would both create the ServiceMonitor ${JSON.stringify(name)} (namespace-name); rename one of them.`,
      });
    }
    seen.set(name, i);
    return {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "ServiceMonitor",
      metadata: { name, namespace: opts.namespace, labels: { ...(opts.labels ?? {}) } },
      spec: {
        namespaceSelector: { matchNames: [m.namespace] },
        selector: { matchLabels: { ...m.selector } },
        endpoints: [
          {
            port: m.port,
            ...(m.path === undefined ? {} : { path: m.path }),
            ...(m.interval === undefined ? {} : { interval: m.interval }),
          },
        ],
      },
    };
  });
}

/** The Secrets' contents before they are wrapped as secrets: name → key → value. */
export interface SecretContents {
  readonly grafanaAdmin: Readonly<Record<string, pulumi.Input<string>>>;
  readonly alertmanagerConfig: Readonly<Record<string, string>>;
  readonly alertmanagerReceivers: Readonly<Record<string, pulumi.Output<string>>>;
}

/**
 * What each Secret holds. The Alertmanager config contains no secret values (its receivers read
 * `*_file` paths under `alertmanagerSecretsDir`); the receivers Secret has one key per file and
 * may be empty, so the operator's mount of it never fails.
 */
export function secretContents(settings: Settings, alertmanagerSecretsDir: string): SecretContents {
  return {
    // Grafana applies the admin password only on its first start against an empty database: to
    // rotate it later, change it in Grafana (`grafana cli admin reset-admin-password`) as well.
    grafanaAdmin: {
      [GRAFANA_ADMIN_KEYS.user]: settings.grafana.adminUser,
      [GRAFANA_ADMIN_KEYS.password]: settings.grafana.adminPassword,
    },
    alertmanagerConfig: {
      [ALERTMANAGER_CONFIG_KEY]: renderAlertmanagerConfig({
        alerting: settings.alerting,
        secretsDir: alertmanagerSecretsDir,
      }),
    },
    alertmanagerReceivers: alertmanagerSecretFiles(settings.alerting),
  };
}

// ---------------------------------------------------------------------------------------------
// Every manifest, built and validated before any resource
// ---------------------------------------------------------------------------------------------

/** What the manifests depend on. */
export interface MonitoringManifestInput {
  readonly settings: Settings;
  /**
   * Directory Alertmanager reads the receivers' secret files from, where the chart mounts the
   * receivers Secret (with `alertmanagerSpec.secrets`: `OPERATOR_ALERTMANAGER_SECRETS_DIR`).
   */
  readonly alertmanagerSecretsDir: string;
  /**
   * Namespace of the ingress controller allowed to reach the exposed UIs.
   * @default DEFAULT_INGRESS_NAMESPACE ("ingress-nginx")
   */
  readonly ingressNamespace?: string;
}

/** Every object `monitoringObjects` creates, as plain manifests (Secrets: their contents). */
export interface MonitoringManifests {
  readonly namespaces: { readonly monitoring: INamespace; readonly agents: INamespace };
  readonly secrets: SecretContents;
  readonly prometheusRules: readonly IPrometheusRule[];
  readonly dashboards: readonly IConfigMap[];
  readonly serviceMonitors: readonly IServiceMonitor[];
  readonly networkPolicies: readonly INetworkPolicy[];
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Labels Prometheus selects CRs by when `*SelectorNilUsesHelmValues` is left at true (PITFALLS 8). */
const CR_LABELS = { ...COMMON_LABELS, release: RELEASES.kubePrometheusStack };

/** Pure: every manifest `monitoringObjects` creates; throws (before any resource) on a bad input. */
export function monitoringManifests(input: MonitoringManifestInput): MonitoringManifests {
  const dir = input.alertmanagerSecretsDir;
  if (!dir.startsWith("/") || dir.endsWith("/")) {
    throw new pulumi.InputPropertyError({
      propertyPath: "alertmanagerSecretsDir",
      reason: `\`alertmanagerSecretsDir\` must be an absolute directory path without a trailing '/' (got ${JSON.stringify(dir)}), e.g. ${OPERATOR_ALERTMANAGER_SECRETS_DIR}.`,
    });
  }
  const ingressNamespace = input.ingressNamespace;
  if (
    ingressNamespace !== undefined &&
    (ingressNamespace.length > 63 || !DNS1123_LABEL.test(ingressNamespace))
  ) {
    throw new pulumi.InputPropertyError({
      propertyPath: "ingressNamespace",
      reason: `\`ingressNamespace\` must be a Kubernetes namespace name (got ${JSON.stringify(ingressNamespace)}), e.g. ${DEFAULT_INGRESS_NAMESPACE}.`,
    });
  }
  const { settings } = input;
  const namespace = NAMESPACES.monitoring;
  return {
    namespaces: namespaceManifests(),
    secrets: secretContents(settings, dir),
    prometheusRules: prometheusRuleObjects(stackRuleGroups(settings), {
      namespace,
      name: PROMETHEUS_RULE_PREFIX,
      labels: CR_LABELS,
    }),
    dashboards: dashboardConfigMaps(buildDashboards(), {
      namespace,
      labels: COMMON_LABELS,
      folder: DASHBOARD_FOLDER,
    }),
    serviceMonitors: serviceMonitorManifests(settings.k8s.serviceMonitors, {
      namespace,
      labels: CR_LABELS,
    }),
    networkPolicies: networkPolicyManifests({
      namespace,
      agentsNamespace: NAMESPACES.agents,
      ingressNamespace,
      exposed: exposedUis(settings.k8s.ingress),
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------

/** The objects that need no CRD: what the Helm releases wait for. */
export interface MonitoringBaseObjects {
  readonly namespaces: { readonly monitoring: Namespace; readonly agents: Namespace };
  readonly secrets: Readonly<Record<keyof typeof SECRET_NAMES, Secret>>;
  readonly dashboards: readonly ConfigMap[];
  readonly networkPolicies: readonly NetworkPolicy[];
  /**
   * What the Helm releases must wait for: the namespaces, the Secrets their values reference and
   * the NetworkPolicies (no chart pod starts unprotected, and the API server can reach the
   * operator's admission webhook as soon as the operator runs).
   */
  readonly dependencies: pulumi.Resource[];
}

/** The custom resources: they need the prometheus-operator CRDs. */
export interface MonitoringCustomResources {
  readonly prometheusRules: readonly CustomResource[];
  readonly serviceMonitors: readonly CustomResource[];
}

export type MonitoringObjects = MonitoringBaseObjects & MonitoringCustomResources;

/** Creates the namespaces, Secrets, dashboard ConfigMaps and NetworkPolicies. */
export function monitoringBaseObjects(
  manifests: MonitoringManifests,
  provider: Provider,
  opts: K8sPartOptions,
): MonitoringBaseObjects {
  const { parent, prefix } = opts;
  const base = { parent, provider };
  const monitoring = new Namespace(
    `${prefix}-ns-monitoring`,
    manifests.namespaces.monitoring,
    base,
  );
  const agents = new Namespace(`${prefix}-ns-agents`, manifests.namespaces.agents, base);
  // Pulumi does not order namespaced objects after their namespace by itself.
  const inNamespace = { ...base, dependsOn: [monitoring] };

  const secret = (role: keyof typeof SECRET_NAMES, data: Record<string, pulumi.Input<string>>) =>
    new Secret(
      `${prefix}-secret-${SECRET_NAMES[role]}`,
      {
        metadata: {
          name: SECRET_NAMES[role],
          namespace: NAMESPACES.monitoring,
          labels: { ...COMMON_LABELS },
        },
        type: "Opaque",
        // The whole map is secret, so it stays encrypted in state whatever its values are (the
        // provider SDK marks `stringData` secret too; this does not depend on it).
        stringData: pulumi.secret(data),
      },
      inNamespace,
    );
  const secrets = {
    grafanaAdmin: secret("grafanaAdmin", { ...manifests.secrets.grafanaAdmin }),
    alertmanagerConfig: secret("alertmanagerConfig", { ...manifests.secrets.alertmanagerConfig }),
    alertmanagerReceivers: secret("alertmanagerReceivers", {
      ...manifests.secrets.alertmanagerReceivers,
    }),
  };
  const dashboards = manifests.dashboards.map(
    (m) => new ConfigMap(`${prefix}-${m.metadata?.name ?? ""}`, m, inNamespace),
  );
  const networkPolicies = manifests.networkPolicies.map(
    (m) => new NetworkPolicy(`${prefix}-netpol-${m.metadata?.name ?? ""}`, m, inNamespace),
  );
  return {
    namespaces: { monitoring, agents },
    secrets,
    dashboards,
    networkPolicies,
    dependencies: [monitoring, agents, ...Object.values(secrets), ...networkPolicies],
  };
}

/**
 * Creates the PrometheusRules and ServiceMonitors after `crdsReady` and after `base` (its
 * namespace, and its NetworkPolicies: the operator's webhook validates PrometheusRules).
 * Call it on its own when the CRDs come with the kube-prometheus-stack release, which itself
 * waits for `base.dependencies`.
 */
export function monitoringCustomResources(
  manifests: MonitoringManifests,
  input: {
    readonly provider: Provider;
    readonly base: MonitoringBaseObjects;
    /** What installs the prometheus-operator CRDs. */
    readonly crdsReady: readonly pulumi.Resource[];
  },
  opts: K8sPartOptions,
): MonitoringCustomResources {
  const { parent, prefix } = opts;
  const resourceOpts = {
    parent,
    provider: input.provider,
    dependsOn: [
      input.base.namespaces.monitoring,
      ...input.base.networkPolicies,
      ...input.crdsReady,
    ],
  };
  return {
    prometheusRules: manifests.prometheusRules.map(
      (m) =>
        new CustomResource(`${prefix}-rules-${m.metadata?.name ?? ""}`, { ...m }, resourceOpts),
    ),
    serviceMonitors: manifests.serviceMonitors.map(
      (m) =>
        new CustomResource(
          `${prefix}-servicemonitor-${m.metadata?.name ?? ""}`,
          { ...m },
          resourceOpts,
        ),
    ),
  };
}

/** Inputs of `monitoringObjects`. */
export interface MonitoringObjectsInput extends MonitoringManifestInput {
  /** The one explicit provider of the cluster. */
  readonly provider: Provider;
  /**
   * What installs the prometheus-operator CRDs; the PrometheusRules and ServiceMonitors wait for
   * it. It must not wait for this function's objects (when the CRDs come with the
   * kube-prometheus-stack release, call `monitoringBaseObjects` and `monitoringCustomResources`).
   * @default [] (the CRDs are already installed)
   */
  readonly crdsReady?: readonly pulumi.Resource[];
}

/**
 * Creates the namespaces, Secrets, PrometheusRules, dashboard ConfigMaps, ServiceMonitors and
 * NetworkPolicies of the prod stack. Every manifest is built and validated before any resource.
 */
export function monitoringObjects(
  input: MonitoringObjectsInput,
  opts: K8sPartOptions,
): MonitoringObjects {
  const manifests = monitoringManifests(input);
  const base = monitoringBaseObjects(manifests, input.provider, opts);
  const custom = monitoringCustomResources(
    manifests,
    { provider: input.provider, base, crdsReady: input.crdsReady ?? [] },
    opts,
  );
  return { ...base, ...custom };
}
