/**
 * Ingress NetworkPolicies of the monitoring namespace: deny by default, then open exactly the paths
 * the stack uses (scrapes, Grafana's datasources, alerts, Alloy's pushes, the ingress controller
 * to the exposed UIs, the API server to the operator's webhook).
 */
import type {
  INetworkPolicy,
  INetworkPolicyIngressRule,
  INetworkPolicyPeer,
  INetworkPolicyPort,
} from "kubernetes-models/networking.k8s.io/v1";
import { PORTS } from "../../../catalog/names";
import type { K8sSettings } from "../../../settings/settings";
import { COMMON_LABELS, RELEASES } from "../types";

/** Namespace of the ingress controller when none is given. */
export const DEFAULT_INGRESS_NAMESPACE = "ingress-nginx";

/** Label every namespace carries since Kubernetes 1.22 (set by the API server, immutable). */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

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
