/**
 * The Kubernetes objects the prod stack creates directly, next to its Helm releases, as resources:
 * namespaces, Secrets, dashboard ConfigMaps and NetworkPolicies first, the PrometheusRules and
 * ServiceMonitors once the operator's CRDs exist. Every manifest comes from the pure builders in
 * manifests/ (built and validated before any resource); this module only registers them.
 */
import * as pulumi from "@pulumi/pulumi";
import { CustomResource } from "@pulumi/kubernetes/apiextensions/customResource";
import { ConfigMap } from "@pulumi/kubernetes/core/v1/configMap";
import { Namespace } from "@pulumi/kubernetes/core/v1/namespace";
import { Secret } from "@pulumi/kubernetes/core/v1/secret";
import { NetworkPolicy } from "@pulumi/kubernetes/networking/v1/networkPolicy";
import type { Provider } from "@pulumi/kubernetes/provider";
import type { PartOptions } from "../parts";
import {
  monitoringManifests,
  type MonitoringManifestInput,
  type MonitoringManifests,
} from "./manifests/monitoringManifests";
import { COMMON_LABELS, NAMESPACES, SECRET_NAMES } from "./types";

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
  opts: PartOptions,
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
  opts: PartOptions,
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
  opts: PartOptions,
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
