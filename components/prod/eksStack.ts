/**
 * The `prod` environment: kube-prometheus-stack, Loki and Alloy on EKS (a cluster the stack creates,
 * or an existing one), with the shared rules, dashboards and routing. Thin: the parts live in
 * `components/prod/` and the Helm values in `components/prod/helm/values.ts`.
 */
import * as pulumi from "@pulumi/pulumi";
import { Release } from "@pulumi/kubernetes/helm/v3/release";
import {
  alertmanagerSecretsDir,
  podRequests,
  alloyValues,
  chartServices,
  kubePrometheusStackValues,
  lokiPushUrl,
  lokiValues,
} from "./helm/values";
import { PORTS } from "../../catalog/names";
import type { Settings } from "../../settings/settings";
import { nodeGroupWarnings } from "../../sizing/sizing";
import { type MonitoringStackOutputs, stackTags } from "../contract";
import { cluster } from "./cluster";
import { monitoringBaseObjects, monitoringCustomResources, monitoringManifests } from "./objects";
import { type K8sPartOptions, NAMESPACES, RELEASES } from "./types";

export interface EksStackArgs {
  readonly settings: Settings;
}

/** Where each chart comes from (the Loki chart moved to grafana-community, PITFALLS 13). */
export const CHART_REPOSITORIES = {
  kubePrometheusStack: "https://prometheus-community.github.io/helm-charts",
  loki: "https://grafana-community.github.io/helm-charts",
  alloy: "https://grafana.github.io/helm-charts",
} as const;

export class EksStack extends pulumi.ComponentResource implements MonitoringStackOutputs {
  static readonly TYPE = "monitoring:k8s:EksStack";

  readonly grafanaUrl: pulumi.Output<string>;
  readonly prometheusUrl: pulumi.Output<string>;
  readonly alertmanagerUrl: pulumi.Output<string>;
  readonly lokiUrl: pulumi.Output<string>;
  readonly workloads: pulumi.Output<string[]>;
  readonly eksClusterName: pulumi.Output<string>;
  readonly kubeconfig?: pulumi.Output<string>;

  constructor(name: string, args: EksStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super(EksStack.TYPE, name, {}, opts);
    const { settings } = args;
    const part: K8sPartOptions = {
      parent: this,
      prefix: settings.clusterName,
      tags: stackTags(settings),
    };
    // The values builders check settings the schema cannot (e.g. retentionSize against the PVC);
    // run them once now so a bad combination fails before any resource is registered.
    kubePrometheusStackValues(settings, {
      storageClassName: "validation",
      ...(settings.k8s.remoteWrite
        ? {
            remoteWrite: {
              url: "https://validation/",
              roleArn: "arn:aws:iam::000000000000:role/v",
              region: "eu-west-1",
            },
          }
        : {}),
    });
    lokiValues(settings, {
      storageClassName: "validation",
      ...(settings.k8s.lokiMode === "simpleScalable"
        ? {
            s3: {
              bucket: "validation",
              roleArn: "arn:aws:iam::000000000000:role/v",
              region: "eu-west-1",
            },
          }
        : {}),
    });
    // The node group must hold what the charts request (sized from `capacity`): warn, not fail.
    if (settings.k8s.cluster.mode === "create") {
      const { instanceType, desiredSize } = settings.k8s.cluster.nodeGroup;
      for (const warning of nodeGroupWarnings(instanceType, desiredSize, podRequests(settings))) {
        void pulumi.log.warn(warning, this);
      }
    }
    // Alloy's values depend on no resource: built once, here, and used for the release below.
    const alloyChartValues = alloyValues(settings, { lokiPushUrl: lokiPushUrl(settings) });

    const eks = cluster(settings, part);
    const provider = eks.provider;
    const child = { parent: this, provider };

    // Namespaces, Secrets and NetworkPolicies first; the PrometheusRules, dashboards and
    // ServiceMonitors after the release that installs the operator's CRDs.
    const manifests = monitoringManifests({
      settings,
      alertmanagerSecretsDir: alertmanagerSecretsDir(),
    });
    const objects = monitoringBaseObjects(manifests, provider, part);

    const kps = new Release(
      `${settings.clusterName}-${RELEASES.kubePrometheusStack}`,
      {
        name: RELEASES.kubePrometheusStack,
        chart: "kube-prometheus-stack",
        version: settings.charts.kubePrometheusStack,
        repositoryOpts: { repo: CHART_REPOSITORIES.kubePrometheusStack },
        namespace: NAMESPACES.monitoring,
        values: pulumi
          .all([
            eks.storageClassName,
            eks.remoteWrite === undefined
              ? undefined
              : pulumi.all([eks.remoteWrite.url, eks.remoteWrite.role.roleArn, eks.region]),
          ])
          .apply(([storageClassName, remote]) =>
            kubePrometheusStackValues(settings, {
              storageClassName,
              ...(remote === undefined
                ? {}
                : { remoteWrite: { url: remote[0], roleArn: remote[1], region: remote[2] } }),
            }),
          ),
        // The chart's CRDs are large: server-side apply avoids "annotations: Too long" (PITFALLS 9).
        skipCrds: false,
        atomic: true,
        timeout: 900,
      },
      { ...child, dependsOn: objects.dependencies },
    );

    monitoringCustomResources(manifests, { provider, base: objects, crdsReady: [kps] }, part);

    const loki = new Release(
      `${settings.clusterName}-${RELEASES.loki}`,
      {
        name: RELEASES.loki,
        chart: "loki",
        version: settings.charts.loki,
        repositoryOpts: { repo: CHART_REPOSITORIES.loki },
        namespace: NAMESPACES.monitoring,
        values: pulumi
          .all([
            eks.storageClassName,
            eks.lokiStorage === undefined
              ? undefined
              : pulumi.all([eks.lokiStorage.bucket, eks.lokiStorage.role.roleArn, eks.region]),
          ])
          .apply(([storageClassName, s3]) =>
            lokiValues(settings, {
              storageClassName,
              ...(s3 === undefined ? {} : { s3: { bucket: s3[0], roleArn: s3[1], region: s3[2] } }),
            }),
          ),
        atomic: true,
        timeout: 900,
      },
      // Its ServiceMonitor needs the operator's CRDs.
      { ...child, dependsOn: [...objects.dependencies, kps] },
    );

    const alloy = new Release(
      `${settings.clusterName}-${RELEASES.alloy}`,
      {
        name: RELEASES.alloy,
        chart: "alloy",
        version: settings.charts.alloy,
        repositoryOpts: { repo: CHART_REPOSITORIES.alloy },
        namespace: NAMESPACES.agents,
        values: alloyChartValues,
        atomic: true,
        timeout: 600,
      },
      { ...child, dependsOn: [...objects.dependencies, kps, loki] },
    );

    // Without an ingress the UIs are reached with `kubectl port-forward`; the outputs say how.
    const ingress = settings.k8s.ingress;
    const svc = chartServices(settings);
    const forward = (service: { name: string; port: number }, local: number) =>
      pulumi.output(
        `kubectl -n ${NAMESPACES.monitoring} port-forward svc/${service.name} ${local}:${service.port}`,
      );
    const at = (host: string | undefined, fallback: pulumi.Output<string>) =>
      host === undefined ? fallback : pulumi.output(`https://${host}`);
    this.grafanaUrl = at(ingress?.grafanaHost, forward(svc.grafana, PORTS.grafana));
    this.prometheusUrl = at(ingress?.prometheusHost, forward(svc.prometheus, PORTS.prometheus));
    this.alertmanagerUrl = at(
      ingress?.alertmanagerHost,
      forward(svc.alertmanager, PORTS.alertmanager),
    );
    this.lokiUrl = forward(svc.loki, PORTS.loki);
    this.workloads = pulumi.all([kps.name, loki.name, alloy.name]);
    this.eksClusterName = eks.name;
    this.kubeconfig = eks.kubeconfig;
    this.registerOutputs({
      grafanaUrl: this.grafanaUrl,
      prometheusUrl: this.prometheusUrl,
      alertmanagerUrl: this.alertmanagerUrl,
      lokiUrl: this.lokiUrl,
      workloads: this.workloads,
      eksClusterName: this.eksClusterName,
      kubeconfig: this.kubeconfig,
    });
  }
}
