/**
 * The Kubernetes objects of the prod stack's config: dashboard ConfigMaps and PrometheusRule objects
 * (the rule objects on real promtool: test/content/kubernetes.tools.test.ts).
 */
import assert from "node:assert/strict";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { parse } from "yaml";
import { buildDashboards, type DashboardFile } from "../../content/dashboards";
import {
  CONFIGMAP_MAX_DATA_BYTES,
  GRAFANA_DASHBOARD_LABEL,
  GRAFANA_DASHBOARD_LABEL_VALUE,
  GRAFANA_FOLDER_ANNOTATION,
  dashboardConfigMaps,
  prometheusRuleObjects,
} from "../../content/kubernetes";
import { buildRuleGroups, isAlertRule, renderRuleFile, type RuleGroup } from "../../content/rules";

const NAMESPACE = "monitoring";
const RUNBOOKS = "https://runbooks.example.com/monitoring";

/** A minimal dashboard whose model is `{ uid, pad }`, to probe names and sizes. */
function fakeDashboard(uid: string, pad = ""): DashboardFile {
  return { uid, title: uid, fileName: `${uid}.json`, model: { uid, pad } };
}

/** Bytes of a ConfigMap's data as the API server counts them (keys plus values). */
function dataBytes(data: Record<string, string> | undefined): number {
  return Object.entries(data ?? {}).reduce(
    (sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value),
    0,
  );
}

describe("kubernetes: dashboard ConfigMaps", () => {
  const dashboards = buildDashboards();

  it("makes one valid ConfigMap per dashboard, labelled for the Grafana sidecar", () => {
    // GIVEN every dashboard of the stack and an extra label
    // WHEN they become ConfigMaps
    const maps = dashboardConfigMaps(dashboards, {
      namespace: NAMESPACE,
      labels: { "app.kubernetes.io/part-of": "monitoring-stack" },
    });
    // THEN each is a valid v1 ConfigMap named after the dashboard, in the namespace, labelled
    assert.equal(maps.length, dashboards.length);
    maps.forEach((map, i) => {
      new ConfigMap(map).validate();
      assert.equal(map.metadata?.name, `dashboard-${dashboards[i].uid}`);
      assert.equal(map.metadata?.namespace, NAMESPACE);
      assert.deepEqual(map.metadata?.labels, {
        "app.kubernetes.io/part-of": "monitoring-stack",
        grafana_dashboard: "1",
      });
      assert.equal(map.metadata?.annotations, undefined);
    });
    assert.deepEqual(maps.map((map) => map.metadata?.name).sort(), [
      "dashboard-alertmanager-overview",
      "dashboard-logs-explorer",
      "dashboard-node-overview",
      "dashboard-prometheus-overview",
      "dashboard-slo-error-budget",
    ]);
  });

  it("uses the kube-prometheus-stack sidecar's label and value", () => {
    assert.equal(GRAFANA_DASHBOARD_LABEL, "grafana_dashboard");
    assert.equal(GRAFANA_DASHBOARD_LABEL_VALUE, "1");
    // An extra label cannot switch the sidecar label off.
    const [map] = dashboardConfigMaps(dashboards.slice(0, 1), {
      namespace: NAMESPACE,
      labels: { [GRAFANA_DASHBOARD_LABEL]: "0" },
    });
    assert.equal(map.metadata?.labels?.[GRAFANA_DASHBOARD_LABEL], "1");
  });

  it("stores each dashboard under its file name as JSON that parses back to the model", () => {
    const maps = dashboardConfigMaps(dashboards, { namespace: NAMESPACE });
    maps.forEach((map, i) => {
      assert.deepEqual(Object.keys(map.data ?? {}), [dashboards[i].fileName]);
      const json = map.data?.[dashboards[i].fileName] ?? "";
      assert.deepEqual(JSON.parse(json), dashboards[i].model);
      assert.equal((JSON.parse(json) as { uid: string }).uid, dashboards[i].uid);
    });
  });

  it("annotates the Grafana folder when one is given", () => {
    const maps = dashboardConfigMaps(dashboards, { namespace: NAMESPACE, folder: "Monitoring" });
    for (const map of maps) {
      new ConfigMap(map).validate();
      assert.deepEqual(map.metadata?.annotations, { [GRAFANA_FOLDER_ANNOTATION]: "Monitoring" });
    }
    assert.equal(GRAFANA_FOLDER_ANNOTATION, "grafana_folder");
  });

  it("accepts data of exactly 1 MiB, counting the key, and rejects one byte more", () => {
    // GIVEN the bytes of the key and the JSON around an empty padding string
    const overhead = dataBytes(
      dashboardConfigMaps([fakeDashboard("big")], { namespace: NAMESPACE })[0].data,
    );
    const fits = fakeDashboard("big", "x".repeat(CONFIGMAP_MAX_DATA_BYTES - overhead));
    // WHEN the padding fills the limit exactly THEN it is accepted
    const [map] = dashboardConfigMaps([fits], { namespace: NAMESPACE });
    assert.equal(dataBytes(map.data), CONFIGMAP_MAX_DATA_BYTES);
    // WHEN it is one byte more THEN the builder names the ConfigMap, the size and the limit
    const tooBig = fakeDashboard("big", "x".repeat(CONFIGMAP_MAX_DATA_BYTES - overhead + 1));
    assert.throws(
      () => dashboardConfigMaps([tooBig], { namespace: NAMESPACE }),
      /ConfigMap dashboard-big would hold 1048577 bytes of data, more than Kubernetes' limit of 1048576/,
    );
  });

  it("counts bytes, not characters, against the limit", () => {
    // Half the limit in characters, but "é" is two bytes in UTF-8.
    const wide = fakeDashboard("wide", "é".repeat(CONFIGMAP_MAX_DATA_BYTES / 2));
    assert.throws(
      () => dashboardConfigMaps([wide], { namespace: NAMESPACE }),
      /ConfigMap dashboard-wide would hold \d+ bytes/,
    );
  });

  it("rejects names that are not DNS-1123 labels of at most 63 characters", () => {
    assert.throws(
      () => dashboardConfigMaps([fakeDashboard("Node_Overview")], { namespace: NAMESPACE }),
      /"dashboard-Node_Overview" is not a valid Kubernetes name \(must be a DNS-1123 label: at most 63 /,
    );
    // "dashboard-" + 53 characters = 63 is fine, one more is not.
    new ConfigMap(
      dashboardConfigMaps([fakeDashboard("a".repeat(53))], { namespace: NAMESPACE })[0],
    ).validate();
    assert.throws(
      () => dashboardConfigMaps([fakeDashboard("a".repeat(54))], { namespace: NAMESPACE }),
      /at most 63/,
    );
    assert.throws(
      () => dashboardConfigMaps(dashboards, { namespace: "Monitoring" }),
      /`namespace` "Monitoring" is not a valid Kubernetes name/,
    );
  });

  it("rejects duplicate dashboards and invalid labels", () => {
    assert.throws(
      () =>
        dashboardConfigMaps([fakeDashboard("same"), fakeDashboard("same")], {
          namespace: NAMESPACE,
        }),
      /two dashboard ConfigMaps would both be named "dashboard-same"/,
    );
    assert.throws(
      () => dashboardConfigMaps(dashboards, { namespace: NAMESPACE, labels: { team: "a b" } }),
      /`labels` value "a b" of team is not a valid Kubernetes label value/,
    );
    assert.throws(
      () => dashboardConfigMaps(dashboards, { namespace: NAMESPACE, labels: { "-team": "a" } }),
      /`labels` key "-team" is not a valid Kubernetes label key/,
    );
  });

  it("relies on a validator that does reject broken ConfigMaps", () => {
    const [map] = dashboardConfigMaps(dashboards.slice(0, 1), { namespace: NAMESPACE });
    assert.throws(() =>
      new ConfigMap({ ...map, data: { key: 1 as unknown as string } }).validate(),
    );
  });
});

describe("kubernetes: PrometheusRule objects", () => {
  const groups = buildRuleGroups({ runbookBaseUrl: RUNBOOKS });
  const objects = prometheusRuleObjects(groups, {
    namespace: NAMESPACE,
    name: "monitoring-stack",
    labels: { release: "kube-prometheus-stack" },
  });
  const rulesOf = (all: typeof objects) =>
    all.flatMap((object) => (object.spec.groups ?? []).flatMap((group) => group.rules ?? []));

  it("makes one valid PrometheusRule per group, named and labelled for the operator", () => {
    assert.equal(objects.length, groups.length);
    objects.forEach((object, i) => {
      new PrometheusRule(object).validate();
      assert.equal(object.apiVersion, "monitoring.coreos.com/v1");
      assert.equal(object.kind, "PrometheusRule");
      assert.equal(object.metadata?.name, `monitoring-stack-${groups[i].name}`);
      assert.equal(object.metadata?.namespace, NAMESPACE);
      assert.deepEqual(object.metadata?.labels, { release: "kube-prometheus-stack" });
      assert.deepEqual(
        object.spec.groups?.map((group) => group.name),
        [groups[i].name],
      );
    });
  });

  it("contains every alert exactly once, with the same expression, labels and annotations", () => {
    const alerts = groups.flatMap((group) => group.rules.filter(isAlertRule));
    assert.ok(alerts.length > 0, "no alerts to compare");
    const delivered = rulesOf(objects).filter((rule) => rule.alert !== undefined);
    assert.equal(delivered.length, alerts.length);
    for (const alert of alerts) {
      const matches = delivered.filter((rule) => rule.alert === alert.alert);
      assert.equal(matches.length, 1, `${alert.alert} delivered ${matches.length} times`);
      assert.equal(matches[0].expr, alert.expr, alert.alert);
      assert.equal(matches[0].for, alert.for, alert.alert);
      assert.deepEqual(matches[0].labels, alert.labels, alert.alert);
      assert.deepEqual(matches[0].annotations, alert.annotations, alert.alert);
      assert.equal(matches[0].annotations?.runbook_url.startsWith(`${RUNBOOKS}/`), true);
    }
  });

  it("carries the same groups as the rule files of the file-based targets", () => {
    const fromFile = (parse(renderRuleFile(groups)) as { groups: unknown[] }).groups;
    assert.deepEqual(
      objects.flatMap((object) => object.spec.groups),
      fromFile,
    );
    const records = groups.flatMap((group) => group.rules.filter((rule) => !isAlertRule(rule)));
    assert.equal(
      rulesOf(objects).filter((rule) => rule.record !== undefined).length,
      records.length,
    );
  });

  it("rejects names that are not DNS-1123 labels, and duplicate groups", () => {
    const group = (name: string): RuleGroup => ({
      name,
      rules: [{ record: "job:up:sum", expr: "sum by (job) (up)" }],
    });
    assert.throws(
      () => prometheusRuleObjects([group("Node_Rules")], { namespace: NAMESPACE, name: "stack" }),
      /PrometheusRule name of rule group "Node_Rules": "stack-Node_Rules" is not a valid Kubernetes name/,
    );
    assert.throws(
      () => prometheusRuleObjects([group("g")], { namespace: NAMESPACE, name: "s".repeat(62) }),
      /at most 63/,
    );
    assert.throws(
      () => prometheusRuleObjects([group("g")], { namespace: "-ns", name: "stack" }),
      /`namespace` "-ns" is not a valid Kubernetes name/,
    );
    assert.throws(
      () => prometheusRuleObjects([group("g"), group("g")], { namespace: NAMESPACE, name: "s" }),
      /two PrometheusRule objects would both be named "s-g"/,
    );
    const [valid] = prometheusRuleObjects([group("g")], { namespace: NAMESPACE, name: "s" });
    assert.deepEqual(valid.metadata?.labels, {});
    assert.deepEqual(valid.spec.groups, [group("g")]);
  });

  it("relies on a validator that does reject broken rules", () => {
    const [object] = objects;
    const broken = {
      ...object,
      spec: { groups: [{ name: "g", rules: [{ alert: "A", expr: "up", for: "5 minutes" }] }] },
    };
    assert.throws(() => new PrometheusRule(broken).validate(), /for must match pattern/);
  });
});
