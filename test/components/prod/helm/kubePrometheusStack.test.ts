/**
 * kube-prometheus-stack's values (components/prod/helm/kubePrometheusStack.ts, with the grafana
 * subchart's from grafana.ts), field by field. That every key exists upstream:
 * values.conformance.test.ts.
 */
import * as assert from "node:assert/strict";
import {
  DISABLED_DEFAULT_RULE_GROUPS,
  kubePrometheusStackValues,
} from "../../../../components/prod/helm/kubePrometheusStack";
import { RESOURCES } from "../../../../components/prod/helm/podResources";
import { inClusterUrls, chartServices } from "../../../../components/prod/helm/services";
import {
  ALERTMANAGER_SECRETS_DIR,
  GRAFANA_ADMIN_KEYS,
  NAMESPACES,
  RELEASES,
  SECRET_NAMES,
  SERVICE_ACCOUNTS,
} from "../../../../components/prod/types";
import {
  GRAFANA_DASHBOARD_LABEL,
  GRAFANA_DASHBOARD_LABEL_VALUE,
  GRAFANA_FOLDER_ANNOTATION,
} from "../../../../content/kubernetes";
import { DATASOURCE_UIDS, SCRAPE_JOBS } from "../../../../catalog/names";
import { IMAGES } from "../../../../catalog/versions";
import { K8S_DEFAULTS } from "../../../../settings/defaults";
import {
  INGRESS_ALL_HOSTS,
  prodSettings,
  REMOTE_WRITE,
  STORAGE_CLASS,
} from "../../../support/prodValues";
import { at } from "../../../support/keyPath";

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
    assert.equal(ALERTMANAGER_SECRETS_DIR, "/etc/alertmanager/secrets/alertmanager-receivers");
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
