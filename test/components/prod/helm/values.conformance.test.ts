/**
 * Conformance of the prod Helm values (`components/prod/helm/`) with the pinned upstream
 * charts: every key path the builders set exists in the chart's values.yaml (Helm ignores unknown
 * keys silently). Needs the upstream charts: test/support/reference.ts finds or pulls them, and
 * fails naming what is missing. Run with `npm run test:conformance`; not part of `npm test`.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import type { HelmValues } from "../../../../components/prod/helm/types";
import { CHARTS } from "../../../../catalog/versions";
import {
  alloyOf,
  kpsOf,
  lokiOf,
  prodSettings,
  settingsVariants,
} from "../../../support/prodValues";
import { type ChartFile, locateCharts } from "../../../support/reference";
import { parseLarge } from "../../../support/yaml";

// ---------------------------------------------------------------------------------------------
// Every key path exists upstream
// ---------------------------------------------------------------------------------------------

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

/** The upstream values files the checks read, and where `helm pull` finds each in the pinned charts. */
const CHART_FILES: readonly ChartFile[] = [
  { file: KPS_FILE, chart: "kubePrometheusStack", helmName: "kube-prometheus-stack", inChart: "" },
  // kube-prometheus-stack vendors the grafana chart it depends on.
  {
    file: GRAFANA_FILE,
    chart: "kubePrometheusStack",
    helmName: "kube-prometheus-stack",
    inChart: "charts/grafana",
  },
  { file: LOKI_FILE, chart: "loki", helmName: "loki", inChart: "" },
];

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
    const { dir } = locateCharts(CHART_FILES);
    for (const { file } of CHART_FILES) texts[file] = fs.readFileSync(path.join(dir, file), "utf8");
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
    for (const [name, s] of Object.entries(settingsVariants())) {
      assert.deepEqual(unknownPaths(kpsOf(s), kpsRef), [], name);
    }
  });

  it("loki 18.11.0", () => {
    for (const [name, s] of Object.entries(settingsVariants())) {
      assert.deepEqual(unknownPaths(lokiOf(s), lokiRef), [], name);
    }
  });

  it("alloy 1.2.0 (the fixture above)", () => {
    for (const [name, s] of Object.entries(settingsVariants())) {
      assert.deepEqual(unknownPaths(alloyOf(s), alloyRef), [], name);
    }
  });
});
