/**
 * Kubernetes delivery of the monitoring content for the prod target: dashboards as ConfigMaps for
 * the Grafana dashboard sidecar, rule groups as Prometheus Operator `PrometheusRule` objects.
 *
 * Pure module: no Pulumi imports, no I/O. It returns plain manifest objects that a component hands
 * to `@pulumi/kubernetes` (or renders to YAML); validation throws before any resource exists.
 */
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import {
  dns1123LabelProblem,
  K8S_LIMITS,
  labelValueProblem,
  qualifiedNameProblem,
} from "../catalog/kubernetesSyntax";
import type { DashboardFile } from "./dashboards";
import { isAlertRule, type RuleGroup } from "./rules";

/**
 * Label the Grafana sidecar watches for dashboard ConfigMaps (`sidecar.dashboards.label` of the
 * grafana chart, kept by kube-prometheus-stack 88.5.3).
 */
export const GRAFANA_DASHBOARD_LABEL = "grafana_dashboard";
/**
 * Value of `GRAFANA_DASHBOARD_LABEL`: kube-prometheus-stack sets `sidecar.dashboards.labelValue: "1"`
 * (the plain grafana chart's default "" accepts any value, so "1" works there too).
 */
export const GRAFANA_DASHBOARD_LABEL_VALUE = "1";
/**
 * Annotation naming the Grafana folder of a dashboard ConfigMap. The sidecar's
 * `folderAnnotation` is unset (null) by default, so the chart must set
 * `sidecar.dashboards.folderAnnotation: grafana_folder` and
 * `sidecar.dashboards.provider.foldersFromFilesStructure: true` for the folder to be used.
 */
export const GRAFANA_FOLDER_ANNOTATION = "grafana_folder";
/** Kubernetes caps the `data` of a ConfigMap (keys plus values, in bytes) at 1 MiB. */
export const CONFIGMAP_MAX_DATA_BYTES = 1024 * 1024;

/** A ConfigMap data key. */
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;

/** Throws unless `value` is a DNS-1123 label; `what` names the field for the message. */
function assertDns1123Label(value: string, what: string, fix: string): void {
  const problem = dns1123LabelProblem(value);
  if (problem !== undefined) {
    throw new Error(
      `${what} ${JSON.stringify(value)} is not a valid Kubernetes name (${problem}); ${fix}`,
    );
  }
}

/** Throws unless every key and value is a valid Kubernetes label key and value. */
function assertLabels(labels: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(labels)) {
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem !== undefined) {
      throw new Error(
        `\`labels\` key ${JSON.stringify(key)} is not a valid Kubernetes label key (${keyProblem})`,
      );
    }
    const valueProblem = labelValueProblem(value);
    if (valueProblem !== undefined) {
      throw new Error(
        `\`labels\` value ${JSON.stringify(value)} of ${key} is not a valid Kubernetes label value (${valueProblem})`,
      );
    }
  }
}

/** Throws when two objects would get the same name (the later one would replace the first). */
function assertUniqueNames(names: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new Error(`two ${what} would both be named ${JSON.stringify(name)}`);
    seen.add(name);
  }
}

/** Bytes of a ConfigMap's data as the API server counts them: every key plus every value. */
function dataBytes(data: Readonly<Record<string, string>>): number {
  return Object.entries(data).reduce(
    (sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value),
    0,
  );
}

export interface DashboardConfigMapOptions {
  /** Namespace of the ConfigMaps; the sidecar must search it (`sidecar.dashboards.searchNamespace`). */
  readonly namespace: string;
  /**
   * Extra labels on every ConfigMap; `GRAFANA_DASHBOARD_LABEL` is always set and wins.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Grafana folder, written to the `GRAFANA_FOLDER_ANNOTATION` annotation.
   * @default no annotation (the sidecar's default folder)
   */
  readonly folder?: string;
}

/**
 * One ConfigMap per dashboard, named `dashboard-<uid>`, carrying the sidecar label and the
 * dashboard JSON under its file name. Throws for an invalid name or a ConfigMap over 1 MiB.
 */
export function dashboardConfigMaps(
  dashboards: readonly DashboardFile[],
  opts: DashboardConfigMapOptions,
): IConfigMap[] {
  assertDns1123Label(opts.namespace, "`namespace`", "use the namespace Grafana's sidecar searches");
  const labels = {
    ...(opts.labels ?? {}),
    [GRAFANA_DASHBOARD_LABEL]: GRAFANA_DASHBOARD_LABEL_VALUE,
  };
  assertLabels(labels);
  const maps = dashboards.map((dashboard): IConfigMap => {
    const name = `dashboard-${dashboard.uid}`;
    assertDns1123Label(
      name,
      `ConfigMap name of dashboard ${JSON.stringify(dashboard.title)}:`,
      `give the dashboard a lower-case kebab-case uid of at most ${K8S_LIMITS.dns1123Label - "dashboard-".length} characters`,
    );
    if (!DATA_KEY.test(dashboard.fileName)) {
      throw new Error(
        `dashboard file name ${JSON.stringify(dashboard.fileName)} cannot be a ConfigMap key; ` +
          "use only letters, digits, '-', '_' and '.'",
      );
    }
    // The same bytes the file-based targets provision (see content/files.ts).
    const data = { [dashboard.fileName]: `${JSON.stringify(dashboard.model, null, 2)}\n` };
    const bytes = dataBytes(data);
    if (bytes > CONFIGMAP_MAX_DATA_BYTES) {
      throw new Error(
        `ConfigMap ${name} would hold ${bytes} bytes of data, more than Kubernetes' limit of ` +
          `${CONFIGMAP_MAX_DATA_BYTES}; split dashboard ${JSON.stringify(dashboard.uid)} into smaller dashboards`,
      );
    }
    return {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name,
        namespace: opts.namespace,
        labels: { ...labels },
        ...(opts.folder === undefined
          ? {}
          : { annotations: { [GRAFANA_FOLDER_ANNOTATION]: opts.folder } }),
      },
      data,
    };
  });
  assertUniqueNames(
    maps.map((map) => map.metadata?.name ?? ""),
    "dashboard ConfigMaps",
  );
  return maps;
}

export interface PrometheusRuleOptions {
  /** Namespace of the objects; Prometheus must select it (`ruleNamespaceSelector`). */
  readonly namespace: string;
  /** Name prefix: each group becomes `<name>-<group name>`. */
  readonly name: string;
  /**
   * Labels on every object. kube-prometheus-stack's Prometheus selects only PrometheusRules with
   * `release: <helm release name>` unless `prometheusSpec.ruleSelectorNilUsesHelmValues: false`
   * (or a `ruleSelector` is set), so pass that label here.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
}

type PrometheusRuleRule = NonNullable<
  NonNullable<IPrometheusRule["spec"]["groups"]>[number]["rules"]
>[number];

/** One `monitoring.coreos.com/v1` PrometheusRule per rule group, named `<name>-<group name>`. */
export function prometheusRuleObjects(
  groups: readonly RuleGroup[],
  opts: PrometheusRuleOptions,
): IPrometheusRule[] {
  assertDns1123Label(opts.namespace, "`namespace`", "use the namespace Prometheus selects");
  const labels = opts.labels ?? {};
  assertLabels(labels);
  const objects = groups.map((group): IPrometheusRule => {
    const name = `${opts.name}-${group.name}`;
    assertDns1123Label(
      name,
      `PrometheusRule name of rule group ${JSON.stringify(group.name)}:`,
      "use a lower-case kebab-case `name` and group names that keep the total within the limit",
    );
    const rules = group.rules.map((rule): PrometheusRuleRule =>
      isAlertRule(rule)
        ? {
            alert: rule.alert,
            expr: rule.expr,
            ...(rule.for === undefined ? {} : { for: rule.for }),
            labels: { ...rule.labels },
            annotations: { ...rule.annotations },
          }
        : {
            record: rule.record,
            expr: rule.expr,
            ...(rule.labels === undefined ? {} : { labels: { ...rule.labels } }),
          },
    );
    return {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PrometheusRule",
      metadata: { name, namespace: opts.namespace, labels: { ...labels } },
      spec: {
        groups: [
          {
            name: group.name,
            ...(group.interval === undefined ? {} : { interval: group.interval }),
            rules,
          },
        ],
      },
    };
  });
  assertUniqueNames(
    objects.map((object) => object.metadata?.name ?? ""),
    "PrometheusRule objects",
  );
  return objects;
}
