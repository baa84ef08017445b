/**
 * The prod stack (EKS + Helm) under mocks: the whole program for `Pulumi.prod.yaml`, asserted on the
 * Helm releases, the Kubernetes objects and the wiring between the parts. The cluster part is in
 * test/components/prod/cluster/, the values builders in test/components/prod/helm/, the manifests
 * in test/components/prod/manifests/ and their resources in test/components/prod/objects.test.ts.
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { alloyValues } from "../../../components/prod/helm/alloy";
import { kubePrometheusStackValues } from "../../../components/prod/helm/kubePrometheusStack";
import { lokiValues } from "../../../components/prod/helm/loki";
import { lokiPushUrl } from "../../../components/prod/helm/services";
import { podRequests } from "../../../components/prod/helm/podResources";
import { nodeGroupWarnings } from "../../../sizing/nodes";
import { settingsFor } from "../../support/sizing";
import { parseSettings } from "../../../settings/parse";
import { CHARTS, CHART_REPOSITORIES } from "../../../catalog/versions";
import {
  ALERTMANAGER_SECRETS_DIR,
  NAMESPACES,
  RELEASES,
  SECRET_NAMES,
} from "../../../components/prod/types";
import {
  ALL_RECEIVERS_CONFIG,
  isSecretWrapper,
  loggedWarnings,
  plaintextOccurrences,
  programError,
  type ProgramRun,
  registeredCount,
  resourcesOfType,
  reveal,
  runProgram,
  sharedRun,
  settingsInput,
  TEST_SECRETS,
} from "../../support/harness";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const SECRET = "kubernetes:core/v1:Secret";
const FAKE_KUBECONFIG =
  "apiVersion: v1\nkind: Config\nclusters:\n- name: existing\n  cluster:\n    server: https://k8s.example.com\n";
const config = { heartbeatUrl: ALL_RECEIVERS_CONFIG.heartbeatUrl };

function release(run: ProgramRun, name: string) {
  const r = resourcesOfType(run, RELEASE).find((x) => x.inputs.name === name);
  assert.ok(r, `release ${name}`);
  return reveal(r.inputs) as {
    chart: string;
    version: string;
    namespace: string;
    repositoryOpts: { repo: string };
    values: Record<string, unknown>;
    atomic: boolean;
  };
}

describe("prod stack (EKS + Helm) under mocks", () => {
  let run: ProgramRun;
  let existing: ProgramRun;
  before(async () => {
    run = await sharedRun("prod", { secrets: { ...TEST_SECRETS }, config });
    existing = await sharedRun("prod", {
      secrets: { ...TEST_SECRETS, kubeconfig: FAKE_KUBECONFIG },
      config: { ...config, eksClusterMode: "existing" },
    });
  });

  it("registers one EksStack with the output contract; UIs by port-forward without an ingress", () => {
    assert.equal(resourcesOfType(run, "monitoring:k8s:EksStack").length, 1);
    assert.equal(run.outputs.environment, "prod");
    assert.equal(
      run.outputs.grafanaUrl,
      "kubectl -n monitoring port-forward svc/kps-grafana 3000:80",
    );
    assert.equal(
      run.outputs.prometheusUrl,
      "kubectl -n monitoring port-forward svc/kps-prometheus 9090:9090",
    );
    assert.equal(
      run.outputs.alertmanagerUrl,
      "kubectl -n monitoring port-forward svc/kps-alertmanager 9093:9093",
    );
    assert.equal(run.outputs.lokiUrl, "kubectl -n monitoring port-forward svc/loki 3100:3100");
    assert.deepEqual(run.outputs.workloads, ["kps", "loki", "alloy"]);
    assert.equal(run.outputs.eksClusterName, "prod-eu-west-1");
    assert.match(String(run.outputs.kubeconfig), /aws\n\s+args:\n\s+- eks\n\s+- get-token/);
    assert.equal(
      existing.outputs.kubeconfig,
      undefined,
      "no kubeconfig output for an existing cluster",
    );
  });

  it("reports https:// URLs for an ingress with TLS and http:// for one without", async () => {
    // GIVEN the same hosts behind a cert-manager issuer, and behind no TLS at all (opted in)
    const hosts = {
      className: "nginx",
      grafanaHost: "grafana.example.com",
      prometheusHost: "prometheus.example.com",
    };
    const withTls = await sharedRun("prod", {
      secrets: { ...TEST_SECRETS },
      config: { ...config, ingress: { ...hosts, clusterIssuer: "letsencrypt-prod" } },
    });
    const plain = await sharedRun("prod", {
      secrets: { ...TEST_SECRETS },
      config: { ...config, ingress: hosts, allowPlainHttpIngress: true },
    });
    // THEN the exposed UIs' URLs carry the scheme the ingress serves; Alertmanager has no host
    assert.equal(withTls.outputs.grafanaUrl, "https://grafana.example.com");
    assert.equal(withTls.outputs.prometheusUrl, "https://prometheus.example.com");
    assert.equal(plain.outputs.grafanaUrl, "http://grafana.example.com");
    assert.equal(plain.outputs.prometheusUrl, "http://prometheus.example.com");
    for (const r of [withTls, plain]) {
      assert.equal(
        r.outputs.alertmanagerUrl,
        "kubectl -n monitoring port-forward svc/kps-alertmanager 9093:9093",
      );
    }
  });

  it("installs the three pinned charts with the values the pure builders produce", () => {
    const settings = parseSettings(settingsInput("prod", config, { ...TEST_SECRETS }));
    const kps = release(run, RELEASES.kubePrometheusStack);
    assert.deepEqual(
      [kps.chart, kps.version, kps.namespace, kps.repositoryOpts.repo, kps.atomic],
      [
        "kube-prometheus-stack",
        CHARTS.kubePrometheusStack,
        NAMESPACES.monitoring,
        CHART_REPOSITORIES.kubePrometheusStack,
        true,
      ],
    );
    assert.deepEqual(
      kps.values,
      kubePrometheusStackValues(settings, { storageClassName: "gp3-encrypted" }),
    );
    const loki = release(run, RELEASES.loki);
    assert.deepEqual(
      [loki.chart, loki.version, loki.namespace, loki.repositoryOpts.repo],
      [
        "loki",
        CHARTS.loki,
        NAMESPACES.monitoring,
        "https://grafana-community.github.io/helm-charts",
      ],
    );
    assert.deepEqual(loki.values, lokiValues(settings, { storageClassName: "gp3-encrypted" }));
    const alloy = release(run, RELEASES.alloy);
    assert.deepEqual(
      [alloy.chart, alloy.version, alloy.namespace],
      ["alloy", CHARTS.alloy, NAMESPACES.agents],
    );
    assert.deepEqual(alloy.values, alloyValues(settings, { lokiPushUrl: lokiPushUrl(settings) }));
  });

  it("Prometheus: retention, storage on the encrypted class, HA replicas with anti-affinity, all selectors open", () => {
    const values = release(run, RELEASES.kubePrometheusStack).values as {
      prometheus: { prometheusSpec: Record<string, unknown> };
      alertmanager: { alertmanagerSpec: Record<string, unknown> };
      kubeScheduler: { enabled: boolean };
      kubeControllerManager: { enabled: boolean };
      kubeEtcd: { enabled: boolean };
      grafana: { admin: { existingSecret: string } };
    };
    const spec = values.prometheus.prometheusSpec as Record<string, unknown> & {
      storageSpec: {
        volumeClaimTemplate: {
          spec: { storageClassName: string; resources: { requests: { storage: string } } };
        };
      };
      externalLabels: Record<string, string>;
    };
    assert.deepEqual([spec.retention, spec.retentionSize, spec.replicas], ["30d", "83GB", 2]);
    assert.equal(spec.storageSpec.volumeClaimTemplate.spec.storageClassName, "gp3-encrypted");
    // derived: retentionSize 83GB / 0.8 = 104Gi
    assert.equal(spec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage, "104Gi");
    assert.equal(spec.externalLabels.cluster, "prod-eu-west-1");
    assert.equal(spec.externalLabels.environment, "prod");
    for (const key of [
      "ruleSelectorNilUsesHelmValues",
      "serviceMonitorSelectorNilUsesHelmValues",
      "podMonitorSelectorNilUsesHelmValues",
      "probeSelectorNilUsesHelmValues",
    ]) {
      assert.equal(spec[key], false, key);
    }
    assert.equal(values.alertmanager.alertmanagerSpec.replicas, 3);
    assert.equal(
      values.alertmanager.alertmanagerSpec.configSecret,
      SECRET_NAMES.alertmanagerConfig,
    );
    assert.deepEqual(
      [values.kubeScheduler.enabled, values.kubeControllerManager.enabled, values.kubeEtcd.enabled],
      [false, false, false],
    );
    assert.equal(values.grafana.admin.existingSecret, SECRET_NAMES.grafanaAdmin);
  });

  it("Secrets hold secret data only; no secret value appears in plaintext anywhere", () => {
    const secrets = resourcesOfType(run, SECRET);
    assert.deepEqual(
      secrets.map((s) => (s.inputs.metadata as { name: string }).name).sort(),
      Object.values(SECRET_NAMES).sort(),
    );
    for (const s of secrets)
      assert.ok(isSecretWrapper(s.inputs.stringData), `${s.name} stringData is secret`);
    for (const [name, secret] of Object.entries({ ...TEST_SECRETS })) {
      for (const r of run.resources) {
        assert.deepEqual(
          plaintextOccurrences(r.inputs, secret),
          [],
          `${name} in ${r.type} ${r.name}`,
        );
      }
    }
    for (const r of existing.resources) {
      assert.deepEqual(
        plaintextOccurrences(r.inputs, FAKE_KUBECONFIG),
        [],
        `kubeconfig in ${r.type} ${r.name}`,
      );
    }
    const am = secrets.find(
      (s) => (s.inputs.metadata as { name: string }).name === SECRET_NAMES.alertmanagerConfig,
    );
    const text = (reveal(am?.inputs.stringData) as Record<string, string>)["alertmanager.yaml"];
    const routing = parse(text) as {
      receivers: { name: string; pagerduty_configs?: { routing_key_file: string }[] }[];
    };
    const pd = routing.receivers.find((r) => r.pagerduty_configs !== undefined);
    assert.equal(
      pd?.pagerduty_configs?.[0].routing_key_file,
      `${ALERTMANAGER_SECRETS_DIR}/pagerduty-routing-key`,
    );
  });

  it("ships the shared rules as PrometheusRules and the dashboards as sidecar ConfigMaps", () => {
    const rules = resourcesOfType(run, "kubernetes:monitoring.coreos.com/v1:PrometheusRule");
    assert.equal(rules.length, 10);
    const maps = resourcesOfType(run, "kubernetes:core/v1:ConfigMap");
    assert.equal(maps.length, 5);
    for (const m of maps) {
      assert.equal(
        (m.inputs.metadata as { labels: Record<string, string> }).labels.grafana_dashboard,
        "1",
      );
    }
  });

  it("hardens the namespace: Pod Security labels, default-deny NetworkPolicies, PDBs from the charts", () => {
    const ns = resourcesOfType(run, "kubernetes:core/v1:Namespace").map(
      (n) => n.inputs.metadata as { name: string; labels: Record<string, string> },
    );
    const monitoring = ns.find((n) => n.name === NAMESPACES.monitoring);
    assert.equal(monitoring?.labels["pod-security.kubernetes.io/enforce"], "baseline");
    assert.equal(
      ns.find((n) => n.name === NAMESPACES.agents)?.labels["pod-security.kubernetes.io/enforce"],
      "privileged",
    );
    const policies = resourcesOfType(run, "kubernetes:networking.k8s.io/v1:NetworkPolicy");
    assert.ok(policies.length >= 6);
    assert.ok(
      policies.some((p) => {
        const spec = p.inputs.spec as {
          podSelector: Record<string, unknown>;
          ingress?: unknown[];
          policyTypes: string[];
        };
        return (
          Object.keys(spec.podSelector).length === 0 &&
          spec.policyTypes.includes("Ingress") &&
          (spec.ingress ?? []).length === 0
        );
      }),
      "a default deny for the namespace",
    );
    const values = release(run, RELEASES.kubePrometheusStack).values as {
      prometheus: { podDisruptionBudget: { enabled: boolean } };
      alertmanager: { podDisruptionBudget: { enabled: boolean } };
    };
    assert.equal(values.prometheus.podDisruptionBudget.enabled, true);
    assert.equal(values.alertmanager.podDisruptionBudget.enabled, true);
  });

  it("creates the gp3 encrypted, retained StorageClass in both modes; the EBS CSI add-on only in create mode", () => {
    for (const r of [run, existing]) {
      const sc = resourcesOfType(r, "kubernetes:storage.k8s.io/v1:StorageClass");
      assert.equal(sc.length, 1);
      const i = sc[0].inputs as {
        parameters: Record<string, string>;
        reclaimPolicy: string;
        provisioner: string;
      };
      assert.deepEqual(
        [i.provisioner, i.parameters.type, i.parameters.encrypted, i.reclaimPolicy],
        ["ebs.csi.aws.com", "gp3", "true", "Retain"],
      );
    }
    const addons = (r: ProgramRun) =>
      resourcesOfType(r, "aws:eks/addon:Addon").map((a) => a.inputs.addonName);
    assert.ok(addons(run).includes("aws-ebs-csi-driver"));
    assert.deepEqual(addons(existing), []);
    assert.equal(resourcesOfType(existing, "aws:eks/cluster:Cluster").length, 0);
    const provider = resourcesOfType(existing, "pulumi:providers:kubernetes")[0];
    assert.ok(
      isSecretWrapper(provider.inputs.kubeconfig),
      "the existing cluster's kubeconfig stays secret",
    );
  });

  it("every Kubernetes resource uses the one explicit provider (no ambient kubeconfig)", () => {
    const k8sResources = run.resources.filter((r) => r.type.startsWith("kubernetes:"));
    assert.ok(k8sResources.length > 20);
    assert.equal(resourcesOfType(run, "pulumi:providers:kubernetes").length, 1);
  });

  it("rejects bad prod input before any resource", async () => {
    const cases: [Record<string, unknown>, Record<string, string>, RegExp][] = [
      [
        { eksClusterMode: "existing" },
        {},
        /`eksClusterMode` is `existing` but the secret `kubeconfig` is missing/,
      ],
      [{ prometheusReplicas: 0 }, {}, /`prometheusReplicas`: got 0 — must be at least 1/],
      [
        { nodeGroup: { instanceType: "m6i.xlarge" } },
        {},
        /`nodeGroup\.minSize` is required \(expected number\)/,
      ],
      [
        { prometheusStorageSize: "64GB" },
        {},
        /`prometheusStorageSize`: got "64GB" — must be a Kubernetes size such as `50Gi`/,
      ],
      [
        { nodeGroup: { instanceType: "m6i.xlarge", minSize: 3, desiredSize: 2, maxSize: 5 } },
        {},
        /`nodeGroup`: got min 3, desired 2, max 5 — must satisfy minSize ≤ desiredSize ≤ maxSize/,
      ],
      [
        { eksClusterMode: "existing", remoteWrite: true },
        { kubeconfig: FAKE_KUBECONFIG },
        /`remoteWrite` and `lokiMode: simpleScalable` need IAM roles for service accounts/,
      ],
      [
        // Distinct in the settings, one name in the cluster: caught by the manifest builders.
        {
          serviceMonitors: [
            { name: "c", namespace: "a-b", selector: { app: "x" }, port: "metrics" },
            { name: "b-c", namespace: "a", selector: { app: "y" }, port: "metrics" },
          ],
        },
        {},
        /`serviceMonitors\[1\]` and `serviceMonitors\[0\]` would both create the ServiceMonitor "a-b-c"/,
      ],
      [
        { retentionSize: "60GB", prometheusStorageSize: "64Gi" },
        {},
        /`retentionSize` \(60GB\) does not fit the Prometheus volume `prometheusStorageSize` \(64Gi\)/,
      ],
      // Unsafe combinations, collisions and ignored settings (settings/safety.ts, modeChecks.ts).
      [
        { ingress: { className: "nginx", grafanaHost: "grafana.example.com" } },
        {},
        /`ingress`: got neither `clusterIssuer` nor `tlsSecretName` — the Grafana login .* plain HTTP.*allowPlainHttpIngress true/,
      ],
      [
        {
          ingress: {
            className: "nginx",
            grafanaHost: "ops.example.com",
            prometheusHost: "ops.example.com",
            clusterIssuer: "letsencrypt",
          },
        },
        {},
        /`ingress\.prometheusHost`: got "ops\.example\.com" — `ingress\.grafanaHost` already uses that host/,
      ],
      [
        {
          eksClusterMode: "existing",
          nodeGroup: { instanceType: "m6i.large", minSize: 1, desiredSize: 1, maxSize: 1 },
        },
        { kubeconfig: FAKE_KUBECONFIG },
        /`nodeGroup` is ignored with `eksClusterMode: existing`/,
      ],
      [
        { adminCidrs: ["10.0.0.0/8"] },
        {},
        /`adminCidrs` is a staging setting and the prod stack ignores it/,
      ],
      [
        { externalLabels: { team: "{{ .Release.Name }}" } },
        {},
        /`externalLabels\.team`: got "\{\{ \.Release\.Name \}\}" — the Alloy config would contain `\{\{`/,
      ],
    ];
    for (const [overrides, secrets, pattern] of cases) {
      const message = await programError("prod", {
        secrets: { ...TEST_SECRETS, ...secrets },
        config: { ...config, ...overrides },
      });
      assert.match(message, pattern);
      assert.equal(registeredCount(), 0, JSON.stringify(overrides));
    }
  });

  it("the prod stack logs the node-group warnings with pulumi.log.warn", async () => {
    const logged = await loggedWarnings(() =>
      runProgram("prod", {
        secrets: { ...TEST_SECRETS },
        config: {
          heartbeatUrl: "https://hc-ping.example.com/x",
          nodeGroup: { instanceType: "c6i.large", minSize: 3, desiredSize: 3, maxSize: 3 },
        },
      }),
    );
    assert.deepEqual(
      logged.filter((m) => m.startsWith("`nodeGroup`")),
      nodeGroupWarnings("c6i.large", 3, podRequests(settingsFor("prod"))),
    );
    assert.equal(logged.filter((m) => m.startsWith("`nodeGroup`")).length, 2);
  });
});
