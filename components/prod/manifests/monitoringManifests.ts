/**
 * Every manifest the prod stack creates directly, built and validated before any resource exists:
 * namespaces, Secrets' contents, the shared rules as PrometheusRules, the dashboards as ConfigMaps,
 * application ServiceMonitors and NetworkPolicies.
 *
 * PodDisruptionBudgets are not created here: kube-prometheus-stack 88.5.3 creates them for
 * Prometheus and Alertmanager (`prometheus.podDisruptionBudget`, `alertmanager.podDisruptionBudget`,
 * enabled in the chart values), and loki 18.11.0 creates one for the single binary by default
 * (`singleBinary.podDisruptionBudget.enabled: true`) and for each simple-scalable target.
 */
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import * as pulumi from "@pulumi/pulumi";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import { dns1123LabelProblem } from "../../../catalog/kubernetesSyntax";
import { buildDashboards } from "../../../content/dashboards";
import { DASHBOARD_FOLDER } from "../../../content/grafana";
import { dashboardConfigMaps, prometheusRuleObjects } from "../../../content/kubernetes";
import { stackRuleGroups } from "../../../content/ruleSet";
import type { Settings } from "../../../settings/settings";
import { ALERTMANAGER_SECRETS_DIR, COMMON_LABELS, NAMESPACES, RELEASES } from "../types";
import { namespaceManifests } from "./namespaces";
import { DEFAULT_INGRESS_NAMESPACE, exposedUis, networkPolicyManifests } from "./networkPolicies";
import { secretContents, type SecretContents } from "./secrets";
import { serviceMonitorManifests } from "./serviceMonitors";

/** Name prefix of the PrometheusRule objects: one per rule group, `<prefix>-<group>`. */
export const PROMETHEUS_RULE_PREFIX = "monitoring-stack";

/** What the manifests depend on. */
export interface MonitoringManifestInput {
  readonly settings: Settings;
  /**
   * Directory Alertmanager reads the receivers' secret files from, where the chart mounts the
   * receivers Secret (with `alertmanagerSpec.secrets`: `ALERTMANAGER_SECRETS_DIR`).
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

/** Labels Prometheus selects CRs by when `*SelectorNilUsesHelmValues` is left at true (PITFALLS 8). */
const CR_LABELS = { ...COMMON_LABELS, release: RELEASES.kubePrometheusStack };

/** Pure: every manifest `monitoringObjects` creates; throws (before any resource) on a bad input. */
export function monitoringManifests(input: MonitoringManifestInput): MonitoringManifests {
  const dir = input.alertmanagerSecretsDir;
  if (!dir.startsWith("/") || dir.endsWith("/")) {
    throw new pulumi.InputPropertyError({
      propertyPath: "alertmanagerSecretsDir",
      reason: `\`alertmanagerSecretsDir\` must be an absolute directory path without a trailing '/' (got ${JSON.stringify(dir)}), e.g. ${ALERTMANAGER_SECRETS_DIR}.`,
    });
  }
  const ingressNamespace = input.ingressNamespace;
  if (ingressNamespace !== undefined && dns1123LabelProblem(ingressNamespace) !== undefined) {
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
