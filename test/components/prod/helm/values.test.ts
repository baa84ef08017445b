/**
 * The prod Helm values builders (`components/prod/helm/values.ts`), field by field, and the check that every
 * key path they set exists in the charts' upstream values.yaml (Helm ignores unknown keys silently).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { AlloyRef, type AlloyBlock } from "../../../../content/alloy";
import {
  alertmanagerSecretsDir,
  alloyPodLogsPipeline,
  alloyValues,
  chartServices,
  DISABLED_DEFAULT_RULE_GROUPS,
  GRAFANA_ADMIN_KEYS,
  type HelmValues,
  inClusterUrls,
  kubePrometheusStackValues,
  LOKI_SCALABLE_REPLICAS,
  lokiPushUrl,
  lokiValues,
  parseImage,
  RESOURCES,
} from "../../../../components/prod/helm/values";
import {
  GRAFANA_DASHBOARD_LABEL,
  GRAFANA_DASHBOARD_LABEL_VALUE,
  GRAFANA_FOLDER_ANNOTATION,
} from "../../../../content/kubernetes";
import { LOKI_SCHEMA_FROM } from "../../../../content/loki";
import { DATASOURCE_UIDS, PORTS, SCRAPE_JOBS } from "../../../../catalog/names";
import { K8S_DEFAULTS, parseSettings, type Settings } from "../../../../settings/settings";
import { CHARTS, IMAGES } from "../../../../catalog/versions";
import {
  NAMESPACES,
  RELEASES,
  SECRET_NAMES,
  SERVICE_ACCOUNTS,
} from "../../../../components/prod/types";
import { ALL_RECEIVERS_CONFIG, ROOT, settingsInput, TEST_SECRETS } from "../../../support/harness";
import { parseLarge } from "../../../support/yaml";

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

/** Prod settings with every secret set (so a leak of any of them would show). */
function prodSettings(overrides: Readonly<Record<string, unknown>> = {}): Settings {
  return parseSettings(
    settingsInput(
      "prod",
      { heartbeatUrl: ALL_RECEIVERS_CONFIG.heartbeatUrl, ...overrides },
      { ...TEST_SECRETS },
    ),
  );
}

const STORAGE_CLASS = "monitoring-gp3";
const REMOTE_WRITE = {
  url: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1234/api/v1/remote_write",
  roleArn: "arn:aws:iam::123456789012:role/prod-prometheus-amp",
  region: "eu-west-1",
};
const S3 = {
  bucket: "prod-eu-west-1-loki",
  region: "eu-west-1",
  roleArn: "arn:aws:iam::123456789012:role/prod-loki-s3",
};
const INGRESS_ALL_HOSTS = {
  className: "nginx",
  grafanaHost: "grafana.example.com",
  prometheusHost: "prometheus.example.com",
  alertmanagerHost: "alertmanager.example.com",
  clusterIssuer: "letsencrypt-prod",
};

/** The value at `keys` (keys may contain dots, e.g. `grafana.ini`); undefined when absent. */
function at(values: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>(
    (node, key) =>
      node !== null && typeof node === "object" && !Array.isArray(node)
        ? (node as Record<string, unknown>)[key]
        : undefined,
    values,
  );
}

const kps = (
  settings = prodSettings(),
  ctx: Parameters<typeof kubePrometheusStackValues>[1] = {
    storageClassName: STORAGE_CLASS,
  },
) => kubePrometheusStackValues(settings, ctx);

interface Datasource {
  readonly name: string;
  readonly uid: string;
  readonly type: string;
  readonly url: string;
  readonly isDefault?: boolean;
}

// ---------------------------------------------------------------------------------------------
// kube-prometheus-stack
// ---------------------------------------------------------------------------------------------

describe("kubePrometheusStackValues (prod defaults)", () => {
  const settings = prodSettings();
  const values = kps(settings);
  const spec = at(values, "prometheus", "prometheusSpec");
  const amSpec = at(values, "alertmanager", "alertmanagerSpec");

  it("installs the CRDs and names objects after the release (kps-prometheus, …)", () => {
    assert.equal(at(values, "crds", "enabled"), true);
    assert.equal(at(values, "fullnameOverride"), RELEASES.kubePrometheusStack);
    assert.equal(
      at(values, "prometheus", "serviceAccount", "name"),
      SERVICE_ACCOUNTS.prometheus.name,
    );
    assert.equal(chartServices(settings).prometheus.name, SERVICE_ACCOUNTS.prometheus.name);
  });

  it("keeps the chart's admission webhooks, patched by its hook Jobs", () => {
    const webhooks = at(values, "prometheusOperator", "admissionWebhooks") as Record<
      string,
      unknown
    >;
    assert.deepEqual(Object.keys(webhooks), ["patch"]);
    assert.deepEqual(Object.keys(webhooks.patch as object), ["resources"]);
  });

  it("sets retention, retentionSize and the intervals from settings", () => {
    assert.equal(at(spec, "retention"), settings.prometheus.retentionTime);
    assert.equal(at(spec, "retention"), "30d");
    assert.equal(at(spec, "retentionSize"), settings.prometheus.retentionSize);
    // 500 000 series / 30 s × 30 d × 2 B = 86.4 GB of blocks + 2.34 GB of WAL (3 h × 13 B) = 82.6 GiB
    assert.equal(at(spec, "retentionSize"), "83GB");
    assert.equal(at(spec, "scrapeInterval"), "30s");
    assert.equal(at(spec, "evaluationInterval"), "30s");
  });

  it("runs the configured replicas with external labels and the replica label", () => {
    assert.equal(at(spec, "replicas"), K8S_DEFAULTS.prometheusReplicas);
    assert.equal(at(amSpec, "replicas"), K8S_DEFAULTS.alertmanagerReplicas);
    assert.deepEqual(at(spec, "externalLabels"), {
      region: "eu-west-1",
      cluster: "prod-eu-west-1",
      environment: "prod",
    });
    assert.equal(at(spec, "replicaExternalLabelName"), "prometheus_replica");
    const more = kps(prodSettings({ prometheusReplicas: 3, alertmanagerReplicas: 5 }));
    assert.equal(at(more, "prometheus", "prometheusSpec", "replicas"), 3);
    assert.equal(at(more, "alertmanager", "alertmanagerSpec", "replicas"), 5);
  });

  it("stores Prometheus and Alertmanager on the StorageClass with the configured sizes, retained", () => {
    const claim = (s: unknown) => at(s, "volumeClaimTemplate", "spec");
    assert.deepEqual(claim(at(spec, "storageSpec")), {
      storageClassName: STORAGE_CLASS,
      accessModes: ["ReadWriteOnce"],
      // retentionSize 83GB / 0.8 (compaction headroom) = 103.75 → 104Gi
      resources: { requests: { storage: "104Gi" } },
    });
    assert.deepEqual(claim(at(amSpec, "storage")), {
      storageClassName: STORAGE_CLASS,
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: "2Gi" } },
    });
    for (const s of [spec, amSpec]) {
      assert.deepEqual(at(s, "persistentVolumeClaimRetentionPolicy"), {
        whenDeleted: "Retain",
        whenScaled: "Retain",
      });
    }
    const bigger = kps(
      prodSettings({ prometheusStorageSize: "200Gi", alertmanagerStorageSize: "5Gi" }),
    );
    assert.equal(
      at(
        bigger,
        "prometheus",
        "prometheusSpec",
        "storageSpec",
        "volumeClaimTemplate",
        "spec",
        "resources",
        "requests",
        "storage",
      ),
      "200Gi",
    );
    assert.equal(
      at(
        bigger,
        "alertmanager",
        "alertmanagerSpec",
        "storage",
        "volumeClaimTemplate",
        "spec",
        "resources",
        "requests",
        "storage",
      ),
      "5Gi",
    );
  });

  it("spreads replicas over nodes with required (hard) anti-affinity by hostname", () => {
    for (const s of [spec, amSpec]) {
      assert.equal(at(s, "podAntiAffinity"), "hard");
      assert.equal(at(s, "podAntiAffinityTopologyKey"), "kubernetes.io/hostname");
    }
  });

  it("runs Prometheus and Alertmanager as non-root (uid 1000, gid 2000)", () => {
    for (const s of [spec, amSpec]) {
      assert.deepEqual(at(s, "securityContext"), {
        runAsGroup: 2000,
        runAsNonRoot: true,
        runAsUser: 1000,
        fsGroup: 2000,
        seccompProfile: { type: "RuntimeDefault" },
      });
    }
  });

  it("selects every rule and monitor, not only the release's (all *SelectorNilUsesHelmValues false)", () => {
    for (const kind of ["rule", "serviceMonitor", "podMonitor", "probe", "scrapeConfig"]) {
      assert.equal(at(spec, `${kind}SelectorNilUsesHelmValues`), false, kind);
    }
  });

  it("keeps the admin API off", () => {
    assert.equal(at(spec, "enableAdminAPI"), false);
  });

  it("sizes Prometheus' requests and limits from prod's default capacity", () => {
    // 500 000 series × 3 KiB × 2 + 256 MiB = 3186 MiB → 3200Mi; 0.25 + (500 000 / 30 s) / 50 000
    // = 0.583 vCPU → 640 units → 625m. Limits: 1.5 × memory, 2 × CPU.
    assert.deepEqual(at(spec, "resources"), {
      requests: { cpu: "625m", memory: "3200Mi" },
      limits: { cpu: "1250m", memory: "4800Mi" },
    });
    const bigger = kps(
      prodSettings({ capacity: { activeSeries: 2_000_000, logVolumePerDay: "20GB" } }),
    );
    // 2e6 × 6 KiB + 256 MiB = 11 975 MiB → 12032Mi; 0.25 + 66 667 / 50 000 = 1.58 vCPU → 1664 → 1625m
    assert.deepEqual(at(bigger, "prometheus", "prometheusSpec", "resources"), {
      requests: { cpu: "1625m", memory: "12032Mi" },
      limits: { cpu: "3250m", memory: "18048Mi" },
    });
  });

  it("sets requests and limits on every container it configures", () => {
    const expected: [string[], keyof typeof RESOURCES][] = [
      [["alertmanager", "alertmanagerSpec", "resources"], "alertmanager"],
      [["grafana", "resources"], "grafana"],
      [["grafana", "sidecar", "resources"], "grafanaSidecar"],
      [["prometheusOperator", "resources"], "operator"],
      [["prometheusOperator", "prometheusConfigReloader", "resources"], "configReloader"],
      [["prometheusOperator", "admissionWebhooks", "patch", "resources"], "webhookJob"],
      [["kube-state-metrics", "resources"], "kubeStateMetrics"],
      [["prometheus-node-exporter", "resources"], "nodeExporter"],
    ];
    for (const [keys, name] of expected) {
      const r = at(values, ...keys);
      assert.deepEqual(r, RESOURCES[name], keys.join("."));
      for (const kind of ["requests", "limits"]) {
        assert.match(String(at(r, kind, "cpu")), /^\d+m?$/, `${keys.join(".")}.${kind}.cpu`);
        assert.match(
          String(at(r, kind, "memory")),
          /^\d+(Mi|Gi)$/,
          `${keys.join(".")}.${kind}.memory`,
        );
      }
    }
  });

  it("disables the control-plane targets EKS does not expose (etcd, scheduler, controller manager, kube-proxy)", () => {
    for (const target of ["kubeEtcd", "kubeScheduler", "kubeControllerManager", "kubeProxy"]) {
      assert.deepEqual(at(values, target), { enabled: false }, target);
    }
    assert.equal(at(values, "defaultRules", "create"), true);
    const rules = at(values, "defaultRules", "rules") as Record<string, boolean>;
    for (const group of [
      "etcd",
      "kubeSchedulerAlerting",
      "kubeSchedulerRecording",
      "kubeControllerManager",
      "kubeProxy",
    ]) {
      assert.equal(rules[group], false, group);
    }
  });

  it("turns off only the chart rule groups that duplicate ours, keeping the Kubernetes ones", () => {
    const rules = at(values, "defaultRules", "rules") as Record<string, boolean>;
    assert.deepEqual(Object.keys(rules).sort(), [...DISABLED_DEFAULT_RULE_GROUPS].sort());
    for (const kept of ["kubernetesApps", "kubernetesResources", "kubernetesStorage", "kubelet"]) {
      assert.equal(rules[kept], undefined, kept);
    }
    assert.deepEqual(at(values, "defaultRules", "disabled"), { KubeNodeNotReady: true });
  });

  it("creates PodDisruptionBudgets keeping all but one replica", () => {
    assert.deepEqual(at(values, "prometheus", "podDisruptionBudget"), {
      enabled: true,
      minAvailable: 1,
    });
    assert.deepEqual(at(values, "alertmanager", "podDisruptionBudget"), {
      enabled: true,
      minAvailable: 2,
    });
    const single = kps(prodSettings({ prometheusReplicas: 1, alertmanagerReplicas: 1 }));
    assert.deepEqual(at(single, "prometheus", "podDisruptionBudget"), { enabled: false });
    assert.deepEqual(at(single, "alertmanager", "podDisruptionBudget"), { enabled: false });
  });

  it("reads Alertmanager's config and receiver credentials from our Secrets, never its own", () => {
    assert.equal(at(amSpec, "useExistingSecret"), true);
    assert.equal(at(amSpec, "configSecret"), SECRET_NAMES.alertmanagerConfig);
    assert.deepEqual(at(amSpec, "secrets"), [SECRET_NAMES.alertmanagerReceivers]);
    assert.equal(alertmanagerSecretsDir(), "/etc/alertmanager/secrets/alertmanager-receivers");
    assert.equal(at(values, "alertmanager", "config"), undefined);
  });

  it("wires Grafana's admin login to the existing Secret", () => {
    assert.deepEqual(at(values, "grafana", "admin"), {
      existingSecret: SECRET_NAMES.grafanaAdmin,
      userKey: GRAFANA_ADMIN_KEYS.user,
      passwordKey: GRAFANA_ADMIN_KEYS.password,
    });
    assert.deepEqual(GRAFANA_ADMIN_KEYS, { user: "admin-user", password: "admin-password" });
    assert.equal(at(values, "grafana", "adminPassword"), undefined);
  });

  it("runs one Grafana on a persistent volume, replaced (not rolled) on updates", () => {
    assert.equal(at(values, "grafana", "replicas"), 1);
    assert.deepEqual(at(values, "grafana", "deploymentStrategy"), { type: "Recreate" });
    assert.deepEqual(at(values, "grafana", "persistence"), {
      enabled: true,
      type: "pvc",
      storageClassName: STORAGE_CLASS,
      accessModes: ["ReadWriteOnce"],
      size: K8S_DEFAULTS.storage.grafana,
    });
    assert.equal(at(values, "grafana", "initChownData", "enabled"), false);
  });

  it("loads dashboards with the sidecar labels of content/kubernetes.ts from the monitoring namespace", () => {
    const dashboards = at(values, "grafana", "sidecar", "dashboards");
    assert.equal(at(dashboards, "enabled"), true);
    assert.equal(at(dashboards, "label"), GRAFANA_DASHBOARD_LABEL);
    assert.equal(at(dashboards, "labelValue"), GRAFANA_DASHBOARD_LABEL_VALUE);
    assert.equal(at(dashboards, "searchNamespace"), NAMESPACES.monitoring);
    assert.equal(at(dashboards, "folderAnnotation"), GRAFANA_FOLDER_ANNOTATION);
    assert.equal(at(dashboards, "provider", "foldersFromFilesStructure"), true);
  });

  it("provisions Prometheus, Loki and Alertmanager datasources with the DATASOURCE_UIDS", () => {
    assert.equal(at(values, "grafana", "sidecar", "datasources", "enabled"), true);
    // The chart's own entries are off: ours are the only ones claiming these uids.
    assert.equal(
      at(values, "grafana", "sidecar", "datasources", "defaultDatasourceEnabled"),
      false,
    );
    assert.equal(at(values, "grafana", "sidecar", "datasources", "alertmanager", "enabled"), false);
    const sources = at(values, "grafana", "additionalDataSources") as Datasource[];
    const byType = Object.fromEntries(sources.map((s) => [s.type, s]));
    assert.deepEqual(sources.map((s) => s.uid).sort(), Object.values(DATASOURCE_UIDS).sort());
    assert.equal(byType.prometheus.uid, DATASOURCE_UIDS.prometheus);
    assert.equal(byType.prometheus.isDefault, true);
    assert.equal(byType.prometheus.url, "http://kps-prometheus.monitoring.svc.cluster.local:9090");
    assert.equal(byType.loki.uid, DATASOURCE_UIDS.loki);
    assert.equal(byType.loki.url, "http://loki.monitoring.svc.cluster.local:3100");
    assert.equal(byType.alertmanager.uid, DATASOURCE_UIDS.alertmanager);
    assert.equal(
      byType.alertmanager.url,
      "http://kps-alertmanager.monitoring.svc.cluster.local:9093",
    );
  });

  it("points the Loki datasource at the gateway in simple-scalable mode", () => {
    const scalable = prodSettings({ lokiMode: "simpleScalable" });
    const sources = at(kps(scalable), "grafana", "additionalDataSources") as Datasource[];
    const loki = sources.find((s) => s.uid === DATASOURCE_UIDS.loki);
    assert.equal(loki?.url, "http://loki-gateway.monitoring.svc.cluster.local");
    assert.equal(inClusterUrls(scalable).loki, loki?.url);
  });

  it("names every built-in scrape job as the shared rules expect (SCRAPE_JOBS)", () => {
    const job = (keys: string[]) => (at(values, ...keys) as { replacement: string }[])[0];
    assert.equal(
      job(["prometheus", "serviceMonitor", "relabelings"]).replacement,
      SCRAPE_JOBS.prometheus,
    );
    assert.equal(
      job(["alertmanager", "serviceMonitor", "relabelings"]).replacement,
      SCRAPE_JOBS.alertmanager,
    );
    assert.equal(
      job(["grafana", "serviceMonitor", "relabelings"]).replacement,
      SCRAPE_JOBS.grafana,
    );
    assert.equal(
      job(["prometheus-node-exporter", "prometheus", "monitor", "relabelings"]).replacement,
      SCRAPE_JOBS.node,
    );
    // Only the web endpoint: the config reloader of the same ServiceMonitor keeps its own job.
    assert.deepEqual(job(["prometheus", "serviceMonitor", "relabelings"]), {
      action: "replace",
      sourceLabels: ["endpoint"],
      regex: "http-web",
      targetLabel: "job",
      replacement: "prometheus",
    });
  });

  it("exposes nothing through an ingress by default; Grafana's root URL is the port-forward one", () => {
    for (const keys of [["grafana"], ["prometheus"], ["alertmanager"]]) {
      assert.deepEqual(at(values, ...keys, "ingress"), { enabled: false }, keys[0]);
    }
    assert.equal(
      at(values, "grafana", "grafana.ini", "server", "root_url"),
      "http://localhost:3000/",
    );
    assert.equal(at(spec, "externalUrl"), undefined);
  });

  it("runs node-exporter in the agents namespace", () => {
    assert.equal(at(values, "prometheus-node-exporter", "namespaceOverride"), NAMESPACES.agents);
  });

  it("pins the Prometheus, Alertmanager, Grafana and node-exporter images to IMAGES", () => {
    assert.deepEqual(at(spec, "image"), {
      registry: "quay.io",
      repository: "prometheus/prometheus",
      tag: "v3.14.0",
      sha: "",
    });
    const tag = (ref: string) => ref.slice(ref.lastIndexOf(":") + 1);
    assert.equal(at(amSpec, "image", "tag"), tag(IMAGES.alertmanager));
    assert.equal(at(values, "grafana", "image", "tag"), tag(IMAGES.grafana));
    assert.deepEqual(at(values, "prometheus-node-exporter", "image"), {
      registry: "quay.io",
      repository: "prometheus/node-exporter",
      tag: tag(IMAGES.nodeExporter),
      distroless: false,
    });
  });

  it("follows imageOverrides, including digests", () => {
    const digest = "a".repeat(64);
    const overridden = kps(
      prodSettings({
        imageOverrides: {
          prometheus: `quay.io/prometheus/prometheus@sha256:${digest}`,
          grafana: "grafana/grafana:12.2.0",
        },
      }),
    );
    assert.deepEqual(at(overridden, "prometheus", "prometheusSpec", "image"), {
      registry: "quay.io",
      repository: "prometheus/prometheus",
      tag: "",
      sha: digest,
    });
    assert.deepEqual(at(overridden, "grafana", "image"), {
      registry: "docker.io",
      repository: "grafana/grafana",
      tag: "12.2.0",
      sha: "",
    });
  });

  it("refuses a retentionSize that does not fit the Prometheus volume", () => {
    assert.throws(
      () => kps(prodSettings({ retentionSize: "60GB", prometheusStorageSize: "64Gi" })),
      /`retentionSize` \(60GB\) does not fit the Prometheus volume `prometheusStorageSize` \(64Gi\)/,
    );
    assert.doesNotThrow(() =>
      kps(prodSettings({ retentionSize: "60GB", prometheusStorageSize: "100Gi" })),
    );
  });
});

describe("kubePrometheusStackValues: ingress", () => {
  it("exposes Grafana with cert-manager TLS, and Prometheus/Alertmanager only when their hosts are set", () => {
    const grafanaOnly = kps(
      prodSettings({
        ingress: {
          className: "nginx",
          grafanaHost: "grafana.example.com",
          clusterIssuer: "letsencrypt-prod",
        },
      }),
    );
    assert.deepEqual(at(grafanaOnly, "grafana", "ingress"), {
      enabled: true,
      ingressClassName: "nginx",
      annotations: { "cert-manager.io/cluster-issuer": "letsencrypt-prod" },
      hosts: ["grafana.example.com"],
      path: "/",
      tls: [{ secretName: "grafana-tls", hosts: ["grafana.example.com"] }],
    });
    assert.equal(
      at(grafanaOnly, "grafana", "grafana.ini", "server", "root_url"),
      "https://grafana.example.com/",
    );
    assert.deepEqual(at(grafanaOnly, "prometheus", "ingress"), { enabled: false });
    assert.deepEqual(at(grafanaOnly, "alertmanager", "ingress"), { enabled: false });

    const all = kps(prodSettings({ ingress: INGRESS_ALL_HOSTS }));
    assert.deepEqual(at(all, "prometheus", "ingress"), {
      enabled: true,
      ingressClassName: "nginx",
      annotations: { "cert-manager.io/cluster-issuer": "letsencrypt-prod" },
      hosts: ["prometheus.example.com"],
      tls: [{ secretName: "prometheus-tls", hosts: ["prometheus.example.com"] }],
    });
    assert.equal(
      at(all, "prometheus", "prometheusSpec", "externalUrl"),
      "https://prometheus.example.com/",
    );
    assert.deepEqual(at(all, "alertmanager", "ingress", "hosts"), ["alertmanager.example.com"]);
    assert.equal(
      at(all, "alertmanager", "alertmanagerSpec", "externalUrl"),
      "https://alertmanager.example.com/",
    );
  });

  it("uses an existing TLS Secret without cert-manager annotations", () => {
    const values = kps(
      prodSettings({
        ingress: {
          className: "alb",
          grafanaHost: "grafana.example.com",
          tlsSecretName: "wildcard-tls",
        },
      }),
    );
    assert.deepEqual(at(values, "grafana", "ingress", "annotations"), {});
    assert.deepEqual(at(values, "grafana", "ingress", "tls"), [
      { secretName: "wildcard-tls", hosts: ["grafana.example.com"] },
    ]);
    assert.equal(at(values, "grafana", "ingress", "ingressClassName"), "alb");
  });
});

describe("kubePrometheusStackValues: remote write", () => {
  it("has no remote write and no IRSA annotation unless a workspace is given", () => {
    const values = kps();
    assert.deepEqual(at(values, "prometheus", "prometheusSpec", "remoteWrite"), []);
    assert.equal(at(values, "prometheus", "serviceAccount", "annotations"), undefined);
  });

  it("remote-writes to AMP with SigV4 and annotates the service account with the role (IRSA)", () => {
    const values = kps(prodSettings({ remoteWrite: true }), {
      storageClassName: STORAGE_CLASS,
      remoteWrite: REMOTE_WRITE,
    });
    const [target, ...rest] = at(values, "prometheus", "prometheusSpec", "remoteWrite") as Record<
      string,
      unknown
    >[];
    assert.equal(rest.length, 0);
    assert.equal(target.url, REMOTE_WRITE.url);
    assert.deepEqual(target.sigv4, { region: REMOTE_WRITE.region });
    assert.deepEqual(at(values, "prometheus", "serviceAccount", "annotations"), {
      "eks.amazonaws.com/role-arn": REMOTE_WRITE.roleArn,
    });
  });

  it("refuses a workspace that disagrees with the `remoteWrite` setting", () => {
    assert.throws(
      () => kps(prodSettings({ remoteWrite: true })),
      /`remoteWrite` is on but no AMP workspace/,
    );
    assert.throws(
      () => kps(prodSettings(), { storageClassName: STORAGE_CLASS, remoteWrite: REMOTE_WRITE }),
      /`remoteWrite` is off/,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Loki
// ---------------------------------------------------------------------------------------------

describe("lokiValues", () => {
  describe("singleBinary (default)", () => {
    const settings = prodSettings();
    const values = lokiValues(settings, { storageClassName: STORAGE_CLASS });

    it("runs one monolithic Loki on a PVC of the StorageClass, no scalable targets, no gateway", () => {
      assert.equal(at(values, "deploymentMode"), "Monolithic");
      assert.equal(at(values, "singleBinary", "replicas"), 1);
      assert.deepEqual(at(values, "singleBinary", "persistence"), {
        enabled: true,
        storageClass: STORAGE_CLASS,
        accessModes: ["ReadWriteOnce"],
        // prod's default capacity: 20 GiB/day × 30 d / compression 4 × 1.25 overhead = 187.5 GiB
        size: "188Gi",
        enableStatefulSetAutoDeletePVC: false,
      });
      for (const target of ["write", "read", "backend"]) {
        assert.deepEqual(at(values, target), { replicas: 0 }, target);
      }
      assert.deepEqual(at(values, "gateway"), { enabled: false });
      assert.equal(at(values, "loki", "commonConfig", "replication_factor"), 1);
      assert.deepEqual(at(values, "loki", "storage"), { type: "filesystem" });
    });

    it("uses the v13 tsdb schema of content/loki.ts and retention from settings via the compactor", () => {
      assert.deepEqual(at(values, "loki", "schemaConfig"), {
        configs: [
          {
            from: LOKI_SCHEMA_FROM,
            store: "tsdb",
            object_store: "filesystem",
            schema: "v13",
            index: { prefix: "index_", period: "24h" },
          },
        ],
      });
      assert.equal(settings.loki.retentionPeriod, "30d");
      assert.equal(at(values, "loki", "limits_config", "retention_period"), "720h");
      assert.equal(at(values, "loki", "compactor", "retention_enabled"), true);
      assert.equal(at(values, "loki", "compactor", "delete_request_store"), "filesystem");
      const week = lokiValues(prodSettings({ lokiRetention: "7d" }), {
        storageClassName: STORAGE_CLASS,
      });
      assert.equal(at(week, "loki", "limits_config", "retention_period"), "168h");
    });

    it("turns off the canary, Helm test, MinIO, the memcached caches and the rules sidecar", () => {
      for (const part of ["lokiCanary", "test", "minio", "chunksCache", "resultsCache"]) {
        assert.deepEqual(at(values, part), { enabled: false }, part);
      }
      assert.equal(at(values, "sidecar", "rules", "enabled"), false);
    });

    it("runs non-root with requests and limits, single-tenant, pinned to IMAGES.loki", () => {
      assert.equal(at(values, "loki", "podSecurityContext", "runAsNonRoot"), true);
      assert.equal(at(values, "loki", "podSecurityContext", "runAsUser"), 10001);
      assert.equal(
        at(values, "loki", "containerSecurityContext", "allowPrivilegeEscalation"),
        false,
      );
      // 20 GiB/day = 243 KiB/s: 512 MiB + one hour (853 MiB) → 1408Mi; 0.25 vCPU + 0.05 → 320 → 313m
      assert.deepEqual(at(values, "singleBinary", "resources"), {
        requests: { cpu: "313m", memory: "1408Mi" },
        limits: { cpu: "1000m", memory: "2112Mi" },
      });
      assert.equal(at(values, "loki", "auth_enabled"), false);
      assert.deepEqual(at(values, "loki", "image"), {
        registry: "docker.io",
        repository: "grafana/loki",
        tag: IMAGES.loki.split(":")[1],
      });
    });

    it("uses the contract's service account, without IRSA, and is scraped as job `loki`", () => {
      assert.deepEqual(at(values, "serviceAccount"), {
        create: true,
        name: SERVICE_ACCOUNTS.loki.name,
      });
      assert.equal(at(values, "monitoring", "serviceMonitor", "enabled"), true);
      assert.equal(at(values, "monitoring", "serviceMonitor", "jobPrefix"), "");
      assert.equal(
        (at(values, "monitoring", "serviceMonitor", "relabelings") as { replacement: string }[])[0]
          .replacement,
        SCRAPE_JOBS.loki,
      );
    });

    it("is reached at loki:3100", () => {
      assert.deepEqual(chartServices(settings).loki, { name: "loki", port: PORTS.loki });
      assert.equal(
        lokiPushUrl(settings),
        "http://loki.monitoring.svc.cluster.local:3100/loki/api/v1/push",
      );
    });
  });

  describe("simpleScalable", () => {
    const settings = prodSettings({ lokiMode: "simpleScalable" });
    const values = lokiValues(settings, { storageClassName: STORAGE_CLASS, s3: S3 });

    it("runs read/write/backend targets on S3 behind the gateway, no single binary", () => {
      assert.equal(at(values, "deploymentMode"), "SimpleScalable");
      assert.deepEqual(at(values, "singleBinary"), { replicas: 0 });
      for (const target of ["write", "read", "backend"]) {
        assert.equal(at(values, target, "replicas"), LOKI_SCALABLE_REPLICAS, target);
        assert.deepEqual(at(values, target, "resources"), RESOURCES.lokiScalable, target);
      }
      assert.equal(at(values, "gateway", "enabled"), true);
      assert.equal(
        at(values, "loki", "commonConfig", "replication_factor"),
        LOKI_SCALABLE_REPLICAS,
      );
      assert.deepEqual(at(values, "loki", "storage"), {
        type: "s3",
        bucketNames: { chunks: S3.bucket, ruler: S3.bucket },
        s3: { region: S3.region },
      });
      assert.equal(
        (at(values, "loki", "schemaConfig", "configs") as { object_store: string }[])[0]
          .object_store,
        "s3",
      );
      assert.equal(at(values, "loki", "compactor", "delete_request_store"), "s3");
    });

    it("keeps write and backend data on retained PVCs of the StorageClass", () => {
      for (const target of ["write", "backend"]) {
        assert.deepEqual(at(values, target, "persistence"), {
          volumeClaimsEnabled: true,
          storageClass: STORAGE_CLASS,
          accessModes: ["ReadWriteOnce"],
          // chunks are in S3: the PVC holds only the WAL and caches
          size: "10Gi",
          enableStatefulSetAutoDeletePVC: false,
        });
      }
      assert.equal(at(values, "read", "persistence"), undefined);
    });

    it("annotates the service account with the S3 role (IRSA)", () => {
      assert.deepEqual(at(values, "serviceAccount"), {
        create: true,
        name: SERVICE_ACCOUNTS.loki.name,
        annotations: { "eks.amazonaws.com/role-arn": S3.roleArn },
      });
    });

    it("is reached through loki-gateway", () => {
      assert.deepEqual(chartServices(settings).loki, { name: "loki-gateway", port: 80 });
      assert.equal(
        lokiPushUrl(settings),
        "http://loki-gateway.monitoring.svc.cluster.local/loki/api/v1/push",
      );
    });
  });

  it("refuses a bucket that disagrees with `lokiMode`", () => {
    assert.throws(
      () =>
        lokiValues(prodSettings({ lokiMode: "simpleScalable" }), {
          storageClassName: STORAGE_CLASS,
        }),
      /`lokiMode` is `simpleScalable` but no S3 bucket/,
    );
    assert.throws(
      () => lokiValues(prodSettings(), { storageClassName: STORAGE_CLASS, s3: S3 }),
      /`lokiMode` is `singleBinary`/,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Alloy
// ---------------------------------------------------------------------------------------------

describe("alloyValues", () => {
  const settings = prodSettings();
  const pushUrl = lokiPushUrl(settings);
  const values = alloyValues(settings, { lokiPushUrl: pushUrl });
  const content = String(at(values, "alloy", "configMap", "content"));

  it("is pinned to CHARTS.alloy 1.2.0 (appVersion v1.10.0) and IMAGES.alloy", () => {
    assert.equal(CHARTS.alloy, "1.2.0");
    assert.equal(settings.charts.alloy, "1.2.0");
    assert.equal(IMAGES.alloy, "docker.io/grafana/alloy:v1.10.0");
    assert.deepEqual(at(values, "image"), {
      registry: "docker.io",
      repository: "grafana/alloy",
      tag: "v1.10.0",
    });
  });

  it("runs as a DaemonSet reading the host's pod logs, keeping its positions on the host", () => {
    assert.equal(at(values, "controller", "type"), "daemonset");
    assert.equal(at(values, "alloy", "mounts", "varlog"), true);
    assert.deepEqual(at(values, "alloy", "mounts", "extra"), [
      { name: "alloy-data", mountPath: "/var/lib/alloy" },
    ]);
    assert.deepEqual(at(values, "controller", "volumes", "extra"), [
      { name: "alloy-data", hostPath: { path: "/var/lib/alloy", type: "DirectoryOrCreate" } },
    ]);
    assert.equal(at(values, "alloy", "storagePath"), "/var/lib/alloy/data");
    assert.deepEqual(at(values, "alloy", "resources"), RESOURCES.alloy);
    assert.deepEqual(at(values, "configReloader", "resources"), RESOURCES.alloyConfigReloader);
  });

  it("needs no Kubernetes API access and is scraped as job `alloy`", () => {
    assert.equal(at(values, "rbac", "create"), false);
    assert.equal(at(values, "serviceAccount", "automountServiceAccountToken"), false);
    assert.equal(
      (at(values, "serviceMonitor", "relabelings") as { replacement: string }[])[0].replacement,
      SCRAPE_JOBS.alloy,
    );
  });

  it("renders the pipeline with content/alloy.ts: pod log files → CRI parsing → Loki with cluster labels", () => {
    assert.match(content, /local\.file_match "pod_logs" \{/);
    assert.match(content, /__path__ = "\/var\/log\/pods\/\*\/\*\/\*\.log"/);
    assert.match(
      content,
      /loki\.source\.file "pod_logs" \{\n {2}targets = discovery\.relabel\.pod_logs\.output/,
    );
    assert.match(content, /stage\.cri \{/);
    assert.match(content, /forward_to = \[loki\.write\.default\.receiver\]/);
    assert.ok(content.includes(`url = "${pushUrl}"`));
    assert.match(content, /cluster = "prod-eu-west-1",/);
    assert.match(content, /environment = "prod",/);
    assert.equal(at(values, "alloy", "listenPort"), PORTS.alloy);
  });

  it("labels each line with namespace, pod and container taken from the kubelet's log path", () => {
    const relabel = alloyPodLogsPipeline({ lokiPushUrl: pushUrl, externalLabels: {} }).find(
      (b: AlloyBlock) => b.name === "discovery.relabel",
    );
    assert.ok(relabel?.blocks !== undefined);
    const file =
      "/var/log/pods/monitoring_kps-grafana-6d5f8b7c9-x2x7q_0b1c2d3e-1111-2222-3333-444455556666/grafana-sc-dashboard/0.log";
    const labels = Object.fromEntries(
      relabel.blocks.map((rule) => {
        const attrs = rule.attrs as { regex: string; target_label: string; replacement: string };
        // Alloy anchors relabel regexes; `$n` is the capture group.
        const m = new RegExp(`^(?:${attrs.regex})$`).exec(file);
        assert.ok(m !== null, attrs.regex);
        return [attrs.target_label, m[Number(attrs.replacement.slice(1))]];
      }),
    );
    assert.deepEqual(labels, {
      namespace: "monitoring",
      pod: "kps-grafana-6d5f8b7c9-x2x7q",
      container: "grafana-sc-dashboard",
    });
    assert.ok(relabel.attrs?.targets instanceof AlloyRef);
  });

  it("refuses a config the chart's `tpl` would evaluate", () => {
    const templated: Settings = {
      ...settings,
      prometheus: { ...settings.prometheus, externalLabels: { team: "{{ .Release.Name }}" } },
    };
    assert.throws(() => alloyValues(templated, { lokiPushUrl: pushUrl }), /`\{\{`/);
  });
});

describe("parseImage", () => {
  it("splits registry, repository, tag and digest; Docker Hub when no host is given", () => {
    assert.deepEqual(parseImage("quay.io/prometheus/prometheus:v3.14.0"), {
      registry: "quay.io",
      repository: "prometheus/prometheus",
      tag: "v3.14.0",
    });
    assert.deepEqual(parseImage("grafana/loki:3.7.6"), {
      registry: "docker.io",
      repository: "grafana/loki",
      tag: "3.7.6",
    });
    assert.deepEqual(parseImage("busybox:1.38"), {
      registry: "docker.io",
      repository: "library/busybox",
      tag: "1.38",
    });
    assert.deepEqual(parseImage(`localhost:5000/alloy@sha256:${"b".repeat(64)}`), {
      registry: "localhost:5000",
      repository: "alloy",
      sha256: "b".repeat(64),
    });
    assert.throws(() => parseImage("quay.io/prometheus/prometheus"), /neither a tag nor a digest/);
  });
});

// ---------------------------------------------------------------------------------------------
// Every key path exists upstream
// ---------------------------------------------------------------------------------------------

/** `../shared/reference/charts` beside the clone (CI checks it out there). */
const CHARTS_DIR = path.join(ROOT, "..", "shared", "reference", "charts");

function readReference(file: string): string {
  const full = path.join(CHARTS_DIR, file);
  if (!fs.existsSync(full)) {
    throw new Error(
      `upstream chart values ${full} are missing: the key-existence tests need the shared ` +
        "reference charts checked out as ../shared beside this repository",
    );
  }
  return fs.readFileSync(full, "utf8");
}

type Tree = { [key: string]: unknown };
const isMap = (v: unknown): v is Tree => v !== null && typeof v === "object" && !Array.isArray(v);

/** `over` merged into `base` (maps recursively; everything else replaced). */
function deepMerge(base: unknown, over: unknown): unknown {
  if (!isMap(base) || !isMap(over)) return over === undefined ? base : over;
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

type KeyPath = readonly string[];
const show = (p: KeyPath) => p.join(" › ");
const startsWith = (p: KeyPath, prefix: KeyPath) =>
  prefix.length <= p.length && prefix.every((k, i) => p[i] === k);

/** A documented key that upstream shows only as a comment (`# key:`) in `file`. */
interface CommentedKey {
  readonly path: KeyPath;
  readonly file: string;
}

interface Reference {
  /** Upstream defaults (the chart's values.yaml, merged with its sub-charts' where we set those). */
  readonly tree: unknown;
  /**
   * Parents whose contents upstream passes through verbatim although its default is a non-empty
   * map (Grafana's ini, Loki config blocks, a Kubernetes ResourceRequirements): keys below are
   * not checked. Parents whose default is `{}` or null need no entry.
   */
  readonly freeForm: readonly KeyPath[];
  readonly commented: readonly CommentedKey[];
}

/** Paths of our values down to scalars, lists and empty maps. */
function leafPaths(values: unknown, prefix: KeyPath = []): KeyPath[] {
  if (isMap(values) && Object.keys(values).length > 0) {
    return Object.entries(values).flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
  }
  return [prefix];
}

/**
 * Whether upstream knows `p`: each key must exist in the upstream map above it, down to the
 * deepest map with non-empty defaults; below a `{}` or null default (a free-form map, a
 * user-supplied object) anything goes. A map where upstream has a scalar or list is unknown.
 */
function known(p: KeyPath, ref: Reference): boolean {
  if (ref.freeForm.some((f) => startsWith(p, f))) return true;
  if (ref.commented.some((c) => startsWith(p, c.path))) return true;
  let node: unknown = ref.tree;
  for (const key of p) {
    if (node === null) return true;
    if (!isMap(node)) return false;
    if (Object.keys(node).length === 0) return true;
    if (!(key in node)) return false;
    node = node[key];
  }
  return true;
}

function unknownPaths(values: HelmValues, ref: Reference): string[] {
  return leafPaths(values)
    .filter((p) => !known(p, ref))
    .map(show);
}

/** Asserts the allow-lists are real: free-form parents exist, commented keys are documented. */
function assertAllowListsHold(ref: Reference, texts: Readonly<Record<string, string>>): void {
  for (const f of ref.freeForm) {
    const node = f.reduce<unknown>((n, k) => (isMap(n) ? n[k] : undefined), ref.tree);
    assert.ok(isMap(node), `free-form parent ${show(f)} is not a map upstream`);
  }
  for (const c of ref.commented) {
    const key = c.path[c.path.length - 1].replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    assert.match(
      texts[c.file],
      new RegExp(`^\\s*#\\s*${key}:`, "m"),
      `${show(c.path)} in ${c.file}`,
    );
  }
}

const KPS_FILE = `kube-prometheus-stack-${CHARTS.kubePrometheusStack}.values.yaml`;
const GRAFANA_FILE = "grafana-12.11.1.values.yaml";
const LOKI_FILE = `loki-${CHARTS.loki}.values.yaml`;

/**
 * Excerpt of prometheus-community/helm-charts charts/prometheus-node-exporter/values.yaml at
 * 4.56.1 (the version kube-prometheus-stack 88.5.3 depends on): the keys we set, with their
 * upstream defaults. Not in ../shared/reference.
 */
const NODE_EXPORTER_4_56_1 = `
image:
  registry: quay.io
  repository: prometheus/node-exporter
  tag: ""
  distroless: false
  pullPolicy: IfNotPresent
  digest: ""
resources: {}
`;

/** Excerpt of charts/kube-state-metrics/values.yaml at 8.4.0 (kube-prometheus-stack 88.5.3's). */
const KUBE_STATE_METRICS_8_4_0 = `
resources: {}
`;

/**
 * Excerpt of grafana/alloy operations/helm/charts/alloy/values.yaml at chart 1.2.0 (commit
 * 0ff965c47f, appVersion v1.10.0): every key alloyValues sets, with its upstream default.
 */
const ALLOY_1_2_0 = `
image:
  registry: "docker.io"
  repository: grafana/alloy
  tag: null
  digest: null
  pullPolicy: IfNotPresent
  pullSecrets: []
crds:
  create: true
alloy:
  configMap:
    create: true
    content: ''
    name: null
    key: null
  listenPort: 12345
  storagePath: /tmp/alloy
  enableReporting: true
  mounts:
    varlog: false
    dockercontainers: false
    extra: []
  securityContext: {}
  resources: {}
configReloader:
  enabled: true
  resources:
    requests:
      cpu: "10m"
      memory: "50Mi"
  securityContext: {}
controller:
  type: 'daemonset'
  tolerations: []
  volumes:
    extra: []
rbac:
  create: true
serviceAccount:
  create: true
  additionalLabels: {}
  annotations: {}
  name: null
  automountServiceAccountToken: true
serviceMonitor:
  enabled: false
  additionalLabels: {}
  interval: ""
  metricRelabelings: []
  tlsConfig: {}
  relabelings: []
`;

/** A `# @schema … additionalProperties:true` annotation in the comment block right above `line`. */
function annotatedFreeForm(text: string, line: string): boolean {
  const lines = text.split("\n");
  let i = lines.indexOf(line) - 1;
  for (; i >= 0 && /^\s*#/.test(lines[i]); i--) {
    if (/@schema .*additionalProperties:true/.test(lines[i])) return true;
  }
  return false;
}

describe("every key the builders set exists in the upstream chart values", () => {
  const texts: Record<string, string> = {};
  let kpsRef: Reference;
  let lokiRef: Reference;
  const alloyRef: Reference = {
    tree: parse(ALLOY_1_2_0),
    // A Kubernetes ResourceRequirements copied into the container verbatim; upstream's default
    // happens to show only `requests`.
    freeForm: [["configReloader", "resources"]],
    commented: [],
  };

  before(() => {
    for (const file of [KPS_FILE, GRAFANA_FILE, LOKI_FILE]) texts[file] = readReference(file);
    const tree = parseLarge(texts[KPS_FILE]) as Tree;
    kpsRef = {
      tree: {
        ...tree,
        // kube-prometheus-stack hands `grafana:` to the grafana chart (its own keys, such as
        // `sidecar.datasources.uid`, are read by its templates); the same for the sub-charts.
        grafana: deepMerge(parseLarge(texts[GRAFANA_FILE]), tree.grafana),
        "prometheus-node-exporter": deepMerge(
          parse(NODE_EXPORTER_4_56_1),
          tree["prometheus-node-exporter"],
        ),
        "kube-state-metrics": deepMerge(
          parse(KUBE_STATE_METRICS_8_4_0),
          tree["kube-state-metrics"],
        ),
      },
      // Grafana's own configuration file: every section and key is a Grafana setting.
      freeForm: [["grafana", "grafana.ini"]],
      commented: [
        { path: ["alertmanager", "alertmanagerSpec", "configSecret"], file: KPS_FILE },
        { path: ["grafana", "persistence", "storageClassName"], file: GRAFANA_FILE },
        { path: ["grafana", "ingress", "ingressClassName"], file: GRAFANA_FILE },
      ],
    };
    lokiRef = {
      tree: parseLarge(texts[LOKI_FILE]),
      // Loki's limits_config block, copied into Loki's config (annotated `additionalProperties:true`).
      freeForm: [["loki", "limits_config"]],
      commented: [{ path: ["loki", "storage", "bucketNames"], file: LOKI_FILE }],
    };
  });

  const variants = (): Record<string, Settings> => ({
    default: prodSettings(),
    "ingress on every UI": prodSettings({ ingress: INGRESS_ALL_HOSTS }),
    "ingress with a TLS Secret": prodSettings({
      ingress: { className: "nginx", grafanaHost: "grafana.example.com", tlsSecretName: "tls" },
    }),
    "remote write": prodSettings({ remoteWrite: true }),
    "simple-scalable Loki": prodSettings({ lokiMode: "simpleScalable" }),
    "digest overrides": prodSettings({
      imageOverrides: Object.fromEntries(
        Object.keys(IMAGES).map((name) => [
          name,
          `registry.example.com/${name.toLowerCase()}@sha256:${"c".repeat(64)}`,
        ]),
      ),
    }),
  });
  const kpsOf = (s: Settings) =>
    kubePrometheusStackValues(s, {
      storageClassName: STORAGE_CLASS,
      ...(s.k8s.remoteWrite ? { remoteWrite: REMOTE_WRITE } : {}),
    });
  const lokiOf = (s: Settings) =>
    lokiValues(s, {
      storageClassName: STORAGE_CLASS,
      ...(s.k8s.lokiMode === "simpleScalable" ? { s3: S3 } : {}),
    });
  const alloyOf = (s: Settings) => alloyValues(s, { lokiPushUrl: lokiPushUrl(s) });

  it("the allow-lists name real upstream parents and documented keys", () => {
    assertAllowListsHold(kpsRef, texts);
    assertAllowListsHold(lokiRef, texts);
    assertAllowListsHold(alloyRef, texts);
    assert.ok(annotatedFreeForm(texts[LOKI_FILE], "  limits_config:"));
  });

  it("the check catches a misspelt key, a key under a scalar and a missing nested key", () => {
    const values = kpsOf(prodSettings());
    const broken: HelmValues = {
      ...values,
      prometheus: { prometheusSpec: { retentionn: "30d", retention: { days: 30 } } },
      grafana: { sidecar: { dashboards: { lable: "x" } } },
    };
    assert.deepEqual(unknownPaths(broken, kpsRef).sort(), [
      "grafana › sidecar › dashboards › lable",
      "prometheus › prometheusSpec › retention › days",
      "prometheus › prometheusSpec › retentionn",
    ]);
  });

  it("kube-prometheus-stack 88.5.3 (grafana 12.11.1 for `grafana:`)", () => {
    for (const [name, s] of Object.entries(variants())) {
      assert.deepEqual(unknownPaths(kpsOf(s), kpsRef), [], name);
    }
  });

  it("loki 18.11.0", () => {
    for (const [name, s] of Object.entries(variants())) {
      assert.deepEqual(unknownPaths(lokiOf(s), lokiRef), [], name);
    }
  });

  it("alloy 1.2.0 (the fixture above)", () => {
    for (const [name, s] of Object.entries(variants())) {
      assert.deepEqual(unknownPaths(alloyOf(s), alloyRef), [], name);
    }
  });

  it("no value holds a secret or a Pulumi Output (secrets live only in Kubernetes Secrets)", () => {
    const outputs: string[] = [];
    const walk = (v: unknown, at: string): void => {
      if (pulumi.Output.isInstance(v)) outputs.push(at);
      else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
      else if (isMap(v)) Object.entries(v).forEach(([k, x]) => walk(x, `${at}.${k}`));
    };
    for (const [name, s] of Object.entries(variants())) {
      for (const [chart, values] of Object.entries({
        kps: kpsOf(s),
        loki: lokiOf(s),
        alloy: alloyOf(s),
      })) {
        walk(values, `${name}:${chart}`);
        const text = JSON.stringify(values);
        for (const [key, secret] of Object.entries(TEST_SECRETS)) {
          assert.ok(!text.includes(secret), `${name}: ${chart} values contain ${key}`);
        }
      }
    }
    assert.deepEqual(outputs, []);
  });
});
