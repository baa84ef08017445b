/** Prod (EKS) namespace objects: the recorded resources, validated with kubernetes-models, and the pure builders. */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/kubernetes/provider";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type {
  INetworkPolicy,
  INetworkPolicyIngressRule,
  INetworkPolicyPeer,
} from "kubernetes-models/networking.k8s.io/v1";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Secret } from "kubernetes-models/v1/Secret";
import { parse } from "yaml";
import { ALERTMANAGER_SECRET_FILES, renderAlertmanagerConfig } from "../../../content/alertmanager";
import { buildDashboards } from "../../../content/dashboards";
import { GRAFANA_DASHBOARD_LABEL, GRAFANA_FOLDER_ANNOTATION } from "../../../content/kubernetes";
import { isAlertRule } from "../../../content/rules";
import { stackRuleGroups } from "../../../content/ruleSet";
import type { ServiceMonitorConfig } from "../../../settings/fields";
import { parseSettings } from "../../../settings/parse";
import type { Settings } from "../../../settings/settings";
import { DASHBOARD_FOLDER } from "../../../content/grafana";
import { monitoringManifests } from "../../../components/prod/manifests/monitoringManifests";
import {
  DEFAULT_INGRESS_NAMESPACE,
  NETWORK_POLICY_NAMES,
  POD_SELECTORS,
} from "../../../components/prod/manifests/networkPolicies";
import {
  monitoringBaseObjects,
  monitoringCustomResources,
  monitoringObjects,
  type MonitoringObjects,
  type MonitoringObjectsInput,
} from "../../../components/prod/objects";
import {
  ALERTMANAGER_CONFIG_KEY,
  ALERTMANAGER_SECRETS_DIR,
  GRAFANA_ADMIN_KEYS,
  NAMESPACES,
  SECRET_NAMES,
} from "../../../components/prod/types";
import {
  ALL_RECEIVERS_CONFIG,
  isSecretWrapper,
  plaintextOccurrences,
  promiseOf,
  type RecordedResource,
  recordResources,
  reveal,
  settingsInput,
  TEST_SECRETS,
} from "../../support/harness";

const T = {
  provider: "pulumi:providers:kubernetes",
  namespace: "kubernetes:core/v1:Namespace",
  secret: "kubernetes:core/v1:Secret",
  configMap: "kubernetes:core/v1:ConfigMap",
  networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  prometheusRule: "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
  serviceMonitor: "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
} as const;

/** The kubernetes-models class that validates each recorded type. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  [T.namespace]: Namespace,
  [T.secret]: Secret,
  [T.configMap]: ConfigMap,
  [T.networkPolicy]: NetworkPolicy,
  [T.prometheusRule]: PrometheusRule,
  [T.serviceMonitor]: ServiceMonitor,
};

const PREFIX = "prod-eu-west-1";
const MONITORS: ServiceMonitorConfig[] = [
  {
    name: "trino",
    namespace: "data-platform",
    selector: { app: "trino" },
    port: "metrics",
    interval: "30s",
  },
  {
    name: "superset",
    namespace: "data-platform",
    selector: { app: "superset", tier: "web" },
    port: "http",
    path: "/api/metrics",
  },
  {
    name: "postgresql",
    namespace: "databases",
    selector: { "app.kubernetes.io/name": "postgresql" },
    port: "http-metrics",
  },
];
const INGRESS = { className: "nginx", grafanaHost: "grafana.example.com" };

/** Pod labels the charts really set (selector labels plus a few others), to probe the policies. */
const POD_LABELS = {
  prometheus: {
    "app.kubernetes.io/name": "prometheus",
    "app.kubernetes.io/instance": "kps-prometheus",
    "app.kubernetes.io/managed-by": "prometheus-operator",
    prometheus: "kps-prometheus",
    "operator.prometheus.io/name": "kps-prometheus",
  },
  alertmanager: {
    "app.kubernetes.io/name": "alertmanager",
    "app.kubernetes.io/instance": "kps-alertmanager",
    alertmanager: "kps-alertmanager",
  },
  grafana: { "app.kubernetes.io/name": "grafana", "app.kubernetes.io/instance": "kps" },
  lokiSingleBinary: {
    "app.kubernetes.io/name": "loki",
    "app.kubernetes.io/instance": "loki",
    "app.kubernetes.io/component": "single-binary",
  },
  lokiGateway: {
    "app.kubernetes.io/name": "loki",
    "app.kubernetes.io/instance": "loki",
    "app.kubernetes.io/component": "gateway",
  },
  operator: {
    app: "kube-prometheus-stack-operator",
    release: "kps",
    "app.kubernetes.io/name": "kube-prometheus-stack-prometheus-operator",
  },
  kubeStateMetrics: {
    "app.kubernetes.io/name": "kube-state-metrics",
    "app.kubernetes.io/instance": "kps",
  },
} as const;

type Labels = Readonly<Record<string, string>>;

/** Prod settings with every receiver on (the prod file's smtp plus all test secrets). */
function prodSettings(overrides: Record<string, unknown> = {}): Settings {
  return parseSettings(
    settingsInput(
      "prod",
      { heartbeatUrl: ALL_RECEIVERS_CONFIG.heartbeatUrl, serviceMonitors: MONITORS, ...overrides },
      { ...TEST_SECRETS },
    ),
  );
}

interface Run {
  readonly resources: RecordedResource[];
  readonly objects: MonitoringObjects;
  readonly provider: Provider;
  readonly settings: Settings;
}

/** Runs `monitoringObjects` under the mocks as the prod stack. */
async function run(
  overrides: Record<string, unknown> = {},
  input: Partial<Omit<MonitoringObjectsInput, "settings" | "provider">> = {},
): Promise<Run> {
  let result: Omit<Run, "resources"> | undefined;
  const resources = await recordResources((parent) => {
    const settings = prodSettings(overrides);
    const provider = new Provider("test", { kubeconfig: "fake" });
    const objects = monitoringObjects(
      {
        settings,
        provider,
        alertmanagerSecretsDir: ALERTMANAGER_SECRETS_DIR,
        ...input,
      },
      { parent, prefix: PREFIX, tags: {} },
    );
    result = { objects, provider, settings };
  }, "prod");
  assert.ok(result);
  return { resources, ...result };
}

const ofType = (r: Run, type: string): RecordedResource[] =>
  r.resources.filter((x) => x.type === type);

function byName(r: Run, type: string, name: string): RecordedResource {
  const found = ofType(r, type).filter(
    (x) => (x.inputs.metadata as { name?: string } | undefined)?.name === name,
  );
  assert.equal(found.length, 1, `exactly one ${type} named ${name}`);
  return found[0];
}

/** Whether a NetworkPolicy's podSelector selects a pod with `labels` (matchLabels only). */
function selects(policy: INetworkPolicy, labels: Labels): boolean {
  const selector = policy.spec?.podSelector ?? {};
  assert.equal(selector.matchExpressions, undefined, "the policies use matchLabels only");
  return Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

/** Every ingress rule of every policy that selects a pod with `labels`. */
function rulesFor(
  policies: readonly INetworkPolicy[],
  labels: Labels,
): INetworkPolicyIngressRule[] {
  return policies.filter((p) => selects(p, labels)).flatMap((p) => p.spec?.ingress ?? []);
}

/** The sources allowed to reach a pod, as sorted JSON (a rule without `from` is "anywhere"). */
function peersOf(policies: readonly INetworkPolicy[], labels: Labels): string[] {
  return rulesFor(policies, labels)
    .flatMap((rule) =>
      rule.from === undefined || rule.from.length === 0
        ? ["anywhere"]
        : rule.from.map((peer) => JSON.stringify(peer)),
    )
    .sort();
}

const podPeer = (matchLabels: Labels): INetworkPolicyPeer => ({ podSelector: { matchLabels } });
const namespacePeer = (name: string): INetworkPolicyPeer => ({
  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } },
});
const sortedJson = (peers: INetworkPolicyPeer[]): string[] =>
  [...new Set(peers.map((p) => JSON.stringify(p)))].sort();

function policiesOf(r: Run): INetworkPolicy[] {
  return ofType(r, T.networkPolicy).map((x) => reveal(x.inputs) as INetworkPolicy);
}

/** Every `*_file` value anywhere in a parsed YAML document. */
function fileFields(v: unknown, at = ""): { at: string; value: string }[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => fileFields(x, `${at}[${i}]`));
  if (typeof v === "object" && v !== null) {
    return Object.entries(v).flatMap(([k, x]) =>
      k.endsWith("_file") && typeof x === "string"
        ? [{ at: `${at}.${k}`, value: x }]
        : fileFields(x, `${at}.${k}`),
    );
  }
  return [];
}

describe("k8s objects: what monitoringObjects registers", () => {
  let r: Run;
  before(async () => {
    r = await run();
  });

  it("creates exactly the expected objects, all of which validate with kubernetes-models", () => {
    // GIVEN prod settings with three ServiceMonitors and no ingress
    // THEN every recorded Kubernetes object validates as its kind
    for (const res of r.resources.filter((x) => x.type !== T.provider)) {
      const Model = MODELS[res.type];
      assert.ok(Model, `unexpected resource type ${res.type} (${res.name})`);
      assert.doesNotThrow(
        () => new Model(reveal(res.inputs) as never).validate(),
        `${res.type} ${res.name}`,
      );
    }
    // AND the counts by kind follow from the settings and the shared builders
    const counts = Object.fromEntries(
      Object.values(T).map((type) => [type, ofType(r, type).length]),
    );
    assert.deepEqual(counts, {
      [T.provider]: 1,
      [T.namespace]: 2,
      [T.secret]: 3,
      [T.configMap]: buildDashboards().length,
      [T.networkPolicy]: 6,
      [T.prometheusRule]: stackRuleGroups(r.settings).length,
      [T.serviceMonitor]: MONITORS.length,
    });
  });

  it("gives every resource the parent and the explicit provider", async () => {
    const o = r.objects;
    const all: pulumi.CustomResource[] = [
      o.namespaces.monitoring,
      o.namespaces.agents,
      ...Object.values(o.secrets),
      ...o.dashboards,
      ...o.networkPolicies,
      ...o.prometheusRules,
      ...o.serviceMonitors,
    ];
    assert.equal(all.length, r.resources.length - 1);
    for (const res of all) {
      const urn = await promiseOf(res.urn);
      assert.match(urn, /::test:index:Parent\$kubernetes:/, urn);
      assert.match(urn, new RegExp(`::${PREFIX}-`), urn);
      assert.equal(res.getProvider("kubernetes:core/v1:Namespace"), r.provider, urn);
    }
  });

  it("labels the namespaces for Pod Security admission", () => {
    const monitoring = byName(r, T.namespace, NAMESPACES.monitoring);
    assert.deepEqual((monitoring.inputs.metadata as { labels: Labels }).labels, {
      "app.kubernetes.io/managed-by": "pulumi",
      "app.kubernetes.io/part-of": "monitoring-stack",
      "pod-security.kubernetes.io/enforce": "baseline",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/audit": "restricted",
    });
    const agents = byName(r, T.namespace, NAMESPACES.agents);
    assert.deepEqual((agents.inputs.metadata as { labels: Labels }).labels, {
      "app.kubernetes.io/managed-by": "pulumi",
      "app.kubernetes.io/part-of": "monitoring-stack",
      "pod-security.kubernetes.io/enforce": "privileged",
    });
  });

  it("keeps every Secret's data secret and no secret value in plaintext anywhere", () => {
    const secrets = ofType(r, T.secret);
    assert.deepEqual(
      secrets.map((s) => (s.inputs.metadata as { name: string }).name).sort(),
      Object.values(SECRET_NAMES).sort(),
    );
    for (const s of secrets) {
      assert.equal(s.inputs.type, "Opaque", s.name);
      assert.ok(isSecretWrapper(s.inputs.stringData), `${s.name}: stringData must be secret`);
      assert.equal(s.inputs.data, undefined, `${s.name}: stringData only`);
      assert.equal((s.inputs.metadata as { namespace: string }).namespace, NAMESPACES.monitoring);
    }
    for (const [key, value] of Object.entries(TEST_SECRETS)) {
      const leaks = r.resources.flatMap((res) =>
        plaintextOccurrences(res.inputs, value).map((at) => `${res.name}: ${at}`),
      );
      assert.deepEqual(leaks, [], `${key} appears in plaintext`);
    }
  });

  it("stores the Grafana admin user and password under the keys the chart reads", () => {
    const secret = byName(r, T.secret, SECRET_NAMES.grafanaAdmin);
    assert.deepEqual(GRAFANA_ADMIN_KEYS, { user: "admin-user", password: "admin-password" });
    assert.deepEqual(reveal(secret.inputs.stringData), {
      "admin-user": r.settings.grafana.adminUser,
      "admin-password": TEST_SECRETS.grafanaAdminPassword,
    });
  });

  it("stores one receivers key per secret file, with the secret values", () => {
    const secret = byName(r, T.secret, SECRET_NAMES.alertmanagerReceivers);
    assert.deepEqual(reveal(secret.inputs.stringData), {
      [ALERTMANAGER_SECRET_FILES.slackWebhookUrl]: TEST_SECRETS.slackWebhookUrl,
      [ALERTMANAGER_SECRET_FILES.pagerdutyRoutingKey]: TEST_SECRETS.pagerdutyRoutingKey,
      [ALERTMANAGER_SECRET_FILES.smtpPassword]: TEST_SECRETS.smtpPassword,
      [ALERTMANAGER_SECRET_FILES.heartbeatToken]: TEST_SECRETS.heartbeatToken,
    });
  });

  it("points every *_file field of alertmanager.yaml at the receivers Secret's files", () => {
    const config = byName(r, T.secret, SECRET_NAMES.alertmanagerConfig);
    const data = reveal(config.inputs.stringData) as Record<string, string>;
    assert.deepEqual(Object.keys(data), [ALERTMANAGER_CONFIG_KEY]);
    const text = data[ALERTMANAGER_CONFIG_KEY];
    // The shared routing builder, not a copy.
    assert.equal(
      text,
      renderAlertmanagerConfig({
        alerting: r.settings.alerting,
        secretsDir: ALERTMANAGER_SECRETS_DIR,
      }),
    );
    const files = fileFields(parse(text));
    assert.equal(files.length, 4, "slack, pagerduty, smtp and the heartbeat read secret files");
    for (const f of files) {
      assert.equal(path.posix.dirname(f.value), ALERTMANAGER_SECRETS_DIR, f.at);
    }
    const receivers = byName(r, T.secret, SECRET_NAMES.alertmanagerReceivers);
    assert.deepEqual(
      [...new Set(files.map((f) => path.posix.basename(f.value)))].sort(),
      Object.keys(reveal(receivers.inputs.stringData) as object).sort(),
      "every referenced file is a key of the receivers Secret, and every key is referenced",
    );
  });

  it("creates one PrometheusRule per rule group with every alert exactly once", () => {
    const groups = stackRuleGroups(r.settings);
    const rules = ofType(r, T.prometheusRule).map((x) => x.inputs);
    assert.deepEqual(
      rules.map((x) => (x.metadata as { name: string }).name).sort(),
      groups.map((g) => `monitoring-stack-${g.name}`).sort(),
    );
    for (const rule of rules) {
      const metadata = rule.metadata as { namespace: string; labels: Labels };
      assert.equal(metadata.namespace, NAMESPACES.monitoring);
      assert.equal(metadata.labels.release, "kps");
      assert.equal((rule.spec as { groups: unknown[] }).groups.length, 1);
    }
    const recorded = rules.flatMap((x) =>
      (x.spec as { groups: { rules: { alert?: string }[] }[] }).groups.flatMap((g) =>
        g.rules.flatMap((rr) => (rr.alert === undefined ? [] : [rr.alert])),
      ),
    );
    const expected = groups.flatMap((g) => g.rules.filter(isAlertRule).map((a) => a.alert));
    assert.ok(expected.length > 10);
    assert.deepEqual([...recorded].sort(), [...expected].sort());
    assert.equal(new Set(recorded).size, recorded.length, "no alert twice");
  });

  it("creates one ConfigMap per dashboard, labelled for the Grafana sidecar", () => {
    const dashboards = buildDashboards();
    const maps = ofType(r, T.configMap).map((x) => x.inputs);
    assert.deepEqual(
      maps.map((m) => (m.metadata as { name: string }).name).sort(),
      dashboards.map((d) => `dashboard-${d.uid}`).sort(),
    );
    for (const d of dashboards) {
      const map = byName(r, T.configMap, `dashboard-${d.uid}`).inputs;
      const metadata = map.metadata as {
        namespace: string;
        labels: Labels;
        annotations: Labels;
      };
      assert.equal(metadata.namespace, NAMESPACES.monitoring);
      assert.equal(metadata.labels[GRAFANA_DASHBOARD_LABEL], "1");
      assert.equal(metadata.annotations[GRAFANA_FOLDER_ANNOTATION], DASHBOARD_FOLDER);
      assert.deepEqual(Object.keys(map.data as object), [d.fileName]);
      assert.deepEqual(JSON.parse((map.data as Record<string, string>)[d.fileName]), d.model);
    }
  });

  it("creates the ServiceMonitors of the settings in the monitoring namespace", () => {
    const monitors = ofType(r, T.serviceMonitor).map((x) => x.inputs);
    assert.equal(monitors.length, MONITORS.length);
    for (const m of MONITORS) {
      const recorded = byName(r, T.serviceMonitor, `${m.namespace}-${m.name}`).inputs;
      const metadata = recorded.metadata as { namespace: string; labels: Labels };
      assert.equal(metadata.namespace, NAMESPACES.monitoring);
      assert.equal(metadata.labels.release, "kps");
      const endpoint: Record<string, string> = { port: m.port };
      if (m.path !== undefined) endpoint.path = m.path;
      if (m.interval !== undefined) endpoint.interval = m.interval;
      assert.deepEqual(recorded.spec, {
        namespaceSelector: { matchNames: [m.namespace] },
        selector: { matchLabels: m.selector },
        endpoints: [endpoint],
      });
    }
  });

  it("denies all ingress in the monitoring namespace by default", () => {
    const deny = byName(r, T.networkPolicy, NETWORK_POLICY_NAMES.defaultDeny).inputs;
    assert.deepEqual(deny.spec, { podSelector: {}, policyTypes: ["Ingress"], ingress: [] });
    for (const p of policiesOf(r)) {
      assert.equal(p.metadata?.namespace, NAMESPACES.monitoring);
      assert.deepEqual(p.spec?.policyTypes, ["Ingress"], "egress is not restricted");
    }
  });

  it("lets only Grafana and Prometheus itself reach Prometheus when it is not exposed", () => {
    const policies = policiesOf(r);
    assert.deepEqual(
      peersOf(policies, POD_LABELS.prometheus),
      sortedJson([podPeer(POD_SELECTORS.grafana), podPeer(POD_SELECTORS.prometheus)]),
    );
    // Grafana reaches Prometheus' API port only.
    const grafanaRule = rulesFor(policies, POD_LABELS.prometheus).find((rule) =>
      rule.from?.some((p) => JSON.stringify(p) === JSON.stringify(podPeer(POD_SELECTORS.grafana))),
    );
    assert.deepEqual(grafanaRule?.ports, [{ port: 9090, protocol: "TCP" }]);
  });

  it("lets Alertmanager accept alerts, Grafana and its peers' gossip", () => {
    const policy = byName(r, T.networkPolicy, NETWORK_POLICY_NAMES.alertmanager).inputs;
    assert.deepEqual((policy.spec as INetworkPolicy["spec"])?.ingress, [
      {
        from: [podPeer(POD_SELECTORS.prometheus), podPeer(POD_SELECTORS.grafana)],
        ports: [{ port: 9093, protocol: "TCP" }],
      },
      {
        from: [podPeer(POD_SELECTORS.alertmanager)],
        ports: [
          { port: 9094, protocol: "TCP" },
          { port: 9094, protocol: "UDP" },
        ],
      },
    ]);
    assert.deepEqual(
      peersOf(policiesOf(r), POD_LABELS.alertmanager),
      [
        ...sortedJson([podPeer(POD_SELECTORS.prometheus), podPeer(POD_SELECTORS.grafana)]),
        JSON.stringify(podPeer(POD_SELECTORS.alertmanager)),
        JSON.stringify(podPeer(POD_SELECTORS.prometheus)), // the scrape policy
      ].sort(),
    );
  });

  it("lets Grafana, Alloy in the agents namespace, Prometheus and Loki itself reach Loki", () => {
    const policies = policiesOf(r);
    const alloy: INetworkPolicyPeer = {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": NAMESPACES.agents } },
      podSelector: { matchLabels: POD_SELECTORS.alloy },
    };
    for (const labels of [POD_LABELS.lokiSingleBinary, POD_LABELS.lokiGateway]) {
      assert.deepEqual(
        peersOf(policies, labels),
        [
          JSON.stringify(podPeer(POD_SELECTORS.grafana)),
          JSON.stringify(alloy),
          JSON.stringify(podPeer(POD_SELECTORS.loki)),
          JSON.stringify(podPeer(POD_SELECTORS.prometheus)),
        ].sort(),
      );
    }
    const clients = rulesFor(policies, POD_LABELS.lokiGateway).find((rule) =>
      rule.from?.some((p) => JSON.stringify(p) === JSON.stringify(alloy)),
    );
    assert.deepEqual(clients?.ports, [
      { port: 3100, protocol: "TCP" },
      { port: 8080, protocol: "TCP" },
    ]);
  });

  it("lets the API server reach the operator's webhook port, and only that port from anywhere", () => {
    const policies = policiesOf(r);
    const open = policies.filter((p) =>
      (p.spec?.ingress ?? []).some((rule) => rule.from === undefined),
    );
    assert.deepEqual(
      open.map((p) => p.metadata?.name),
      [NETWORK_POLICY_NAMES.operatorWebhook],
    );
    assert.deepEqual(open[0].spec?.podSelector, { matchLabels: POD_SELECTORS.operator });
    assert.deepEqual(open[0].spec?.ingress, [{ ports: [{ port: 10250, protocol: "TCP" }] }]);
    assert.ok(selects(open[0], POD_LABELS.operator), "selects the chart's operator pod");
    for (const component of [
      "prometheus",
      "alertmanager",
      "grafana",
      "lokiSingleBinary",
    ] as const) {
      assert.ok(!peersOf(policies, POD_LABELS[component]).includes("anywhere"), component);
    }
  });

  it("lets Prometheus scrape kube-state-metrics and the operator, and nothing else reach them", () => {
    const policies = policiesOf(r);
    assert.deepEqual(peersOf(policies, POD_LABELS.kubeStateMetrics), [
      JSON.stringify(podPeer(POD_SELECTORS.prometheus)),
    ]);
    assert.deepEqual(peersOf(policies, POD_LABELS.operator), [
      "anywhere",
      JSON.stringify(podPeer(POD_SELECTORS.prometheus)),
    ]);
  });

  it("opens no UI to the ingress controller when no ingress is configured", () => {
    const policies = policiesOf(r);
    assert.ok(!policies.some((p) => p.metadata?.name === NETWORK_POLICY_NAMES.grafana));
    const json = JSON.stringify(policies);
    assert.ok(!json.includes(DEFAULT_INGRESS_NAMESPACE), "no rule mentions the ingress namespace");
  });
});

describe("k8s objects: ingress and inputs", () => {
  it("lets the ingress namespace reach Grafana only, when only Grafana is exposed", async () => {
    // GIVEN an ingress for Grafana only
    const r = await run({ ingress: INGRESS, allowPlainHttpIngress: true });
    const policies = policiesOf(r);
    // THEN Grafana accepts the ingress namespace on port 3000, Prometheus does not
    const grafana = byName(r, T.networkPolicy, NETWORK_POLICY_NAMES.grafana).inputs;
    assert.deepEqual((grafana.spec as INetworkPolicy["spec"])?.ingress, [
      {
        from: [namespacePeer(DEFAULT_INGRESS_NAMESPACE)],
        ports: [{ port: 3000, protocol: "TCP" }],
      },
    ]);
    assert.deepEqual(
      peersOf(policies, POD_LABELS.grafana),
      [
        JSON.stringify(namespacePeer(DEFAULT_INGRESS_NAMESPACE)),
        JSON.stringify(podPeer(POD_SELECTORS.prometheus)),
      ].sort(),
    );
    assert.deepEqual(
      peersOf(policies, POD_LABELS.prometheus),
      sortedJson([podPeer(POD_SELECTORS.grafana), podPeer(POD_SELECTORS.prometheus)]),
    );
    assert.equal(policies.length, 7);
  });

  it("lets the ingress namespace reach Prometheus and Alertmanager when they are exposed", async () => {
    // GIVEN all three UIs exposed through an ingress controller in the `traefik` namespace
    const r = await run(
      {
        ingress: {
          ...INGRESS,
          prometheusHost: "prometheus.example.com",
          alertmanagerHost: "alertmanager.example.com",
        },
        allowPlainHttpIngress: true,
      },
      { ingressNamespace: "traefik" },
    );
    const policies = policiesOf(r);
    for (const p of policies) new NetworkPolicy(p).validate();
    // THEN Prometheus is reachable from Grafana, itself and that namespace only
    assert.deepEqual(
      peersOf(policies, POD_LABELS.prometheus),
      sortedJson([
        podPeer(POD_SELECTORS.grafana),
        podPeer(POD_SELECTORS.prometheus),
        namespacePeer("traefik"),
      ]),
    );
    const prometheus = byName(r, T.networkPolicy, NETWORK_POLICY_NAMES.prometheus).inputs;
    assert.deepEqual((prometheus.spec as INetworkPolicy["spec"])?.ingress, [
      {
        from: [podPeer(POD_SELECTORS.grafana), namespacePeer("traefik")],
        ports: [{ port: 9090, protocol: "TCP" }],
      },
    ]);
    assert.ok(
      peersOf(policies, POD_LABELS.alertmanager).includes(JSON.stringify(namespacePeer("traefik"))),
    );
    assert.ok(!JSON.stringify(policies).includes(DEFAULT_INGRESS_NAMESPACE));
  });

  it("always creates the receivers Secret, empty when no receiver needs a secret", async () => {
    // GIVEN no Slack, PagerDuty, SMTP or heartbeat token
    let resources: RecordedResource[] = [];
    resources = await recordResources((parent) => {
      const settings = parseSettings(
        settingsInput(
          "prod",
          { smtp: undefined },
          {
            grafanaAdminPassword: TEST_SECRETS.grafanaAdminPassword,
          },
        ),
      );
      monitoringObjects(
        {
          settings,
          provider: new Provider("test", { kubeconfig: "fake" }),
          alertmanagerSecretsDir: "/run/secrets/am",
        },
        { parent, prefix: PREFIX, tags: {} },
      );
    }, "prod");
    const receivers = resources.find(
      (x) =>
        x.type === T.secret &&
        (x.inputs.metadata as { name: string }).name === SECRET_NAMES.alertmanagerReceivers,
    );
    assert.ok(receivers);
    assert.ok(isSecretWrapper(receivers.inputs.stringData));
    assert.deepEqual(reveal(receivers.inputs.stringData), {});
    assert.equal(resources.filter((x) => x.type === T.serviceMonitor).length, 0);
  });

  it("rejects a relative secrets directory and a bad ingress namespace before any resource", async () => {
    const cases: [Partial<MonitoringObjectsInput>, RegExp][] = [
      [
        { alertmanagerSecretsDir: "etc/alertmanager" },
        /`alertmanagerSecretsDir` must be an absolute/,
      ],
      [{ ingressNamespace: "Ingress_NGINX" }, /`ingressNamespace` must be a Kubernetes namespace/],
    ];
    for (const [input, pattern] of cases) {
      let error: unknown;
      const resources = await recordResources((parent) => {
        const settings = prodSettings();
        const provider = new Provider("test", { kubeconfig: "fake" });
        try {
          monitoringObjects(
            {
              settings,
              provider,
              alertmanagerSecretsDir: ALERTMANAGER_SECRETS_DIR,
              ...input,
            },
            { parent, prefix: PREFIX, tags: {} },
          );
        } catch (e) {
          error = e;
        }
      }, "prod");
      assert.ok(pulumi.InputPropertyError.isInstance(error));
      assert.match((error as Error).message, pattern);
      assert.deepEqual(
        resources.map((x) => x.type),
        [T.provider],
        "nothing but the test's provider was registered",
      );
    }
  });

  it("orders namespaced objects after the namespace and custom resources after the CRDs", async () => {
    // GIVEN a parent whose transformation sees the options of every child resource
    const seen: pulumi.ResourceTransformationArgs[] = [];
    let crds: pulumi.Resource | undefined;
    let provider: Provider | undefined;
    let objects: MonitoringObjects | undefined;
    await recordResources((root) => {
      const parent = new pulumi.ComponentResource(
        "test:index:Holder",
        "holder",
        {},
        {
          parent: root,
          transformations: [
            (args) => {
              // (The holder's own transformation runs for the holder too.)
              if (args.type.startsWith("kubernetes:")) seen.push(args);
              return undefined;
            },
          ],
        },
      );
      crds = new pulumi.ComponentResource("test:index:Crds", "crds", {}, { parent: root });
      provider = new Provider("test", { kubeconfig: "fake" });
      objects = monitoringObjects(
        {
          settings: prodSettings(),
          provider,
          alertmanagerSecretsDir: ALERTMANAGER_SECRETS_DIR,
          crdsReady: [crds],
        },
        { parent, prefix: PREFIX, tags: {} },
      );
    }, "prod");
    assert.ok(crds && objects);
    const namespace = objects.namespaces.monitoring;
    const webhook = seen.find(
      (a) =>
        a.type === T.networkPolicy &&
        (a.props.metadata as { name?: string } | undefined)?.name ===
          NETWORK_POLICY_NAMES.operatorWebhook,
    )?.resource;
    assert.ok(webhook);
    const dependsOn = (args: pulumi.ResourceTransformationArgs): unknown[] =>
      (args.opts.dependsOn ?? []) as unknown[];
    assert.equal(seen.length, 2 + 3 + 5 + 6 + 10 + MONITORS.length);
    for (const args of seen) {
      // THEN every child uses the explicit provider
      assert.equal(args.opts.provider, provider, args.name);
      if (args.type === T.namespace) continue;
      // AND every namespaced object waits for the monitoring namespace
      assert.ok(dependsOn(args).includes(namespace), `${args.name} waits for the namespace`);
      const custom = args.type === T.prometheusRule || args.type === T.serviceMonitor;
      // AND the custom resources wait for the CRDs and the webhook's NetworkPolicy; nothing else does
      assert.equal(dependsOn(args).includes(crds), custom, `${args.name} and the CRDs`);
      assert.equal(
        dependsOn(args).includes(webhook),
        custom,
        `${args.name} and the webhook policy`,
      );
    }
  });

  it("creates the custom resources separately when the CRDs come with the chart", async () => {
    // GIVEN the split API (base objects, then the chart, then the custom resources)
    const resources = await recordResources((parent) => {
      const part = { parent, prefix: PREFIX, tags: {} };
      const provider = new Provider("test", { kubeconfig: "fake" });
      const manifests = monitoringManifests({
        settings: prodSettings(),
        alertmanagerSecretsDir: ALERTMANAGER_SECRETS_DIR,
      });
      const base = monitoringBaseObjects(manifests, provider, part);
      const chart = new pulumi.ComponentResource(
        "test:index:Chart",
        "chart",
        {},
        { parent, dependsOn: base.dependencies },
      );
      monitoringCustomResources(manifests, { provider, base, crdsReady: [chart] }, part);
    }, "prod");
    // THEN it registers the same objects as monitoringObjects
    const count = (type: string) => resources.filter((x) => x.type === type).length;
    assert.equal(count(T.prometheusRule), stackRuleGroups(prodSettings()).length);
    assert.equal(count(T.serviceMonitor), MONITORS.length);
    assert.equal(count(T.secret), 3);
    assert.equal(count(T.networkPolicy), 6);
  });
});
