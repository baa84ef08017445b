/**
 * The `prod` environment: kube-prometheus-stack, Loki and Alloy on EKS (a cluster the stack creates,
 * or an existing one), with the shared rules, dashboards and routing. Thin: the cluster lives in
 * `cluster/`, the manifests in `manifests/` (their resources: objects.ts) and the Helm values in
 * `helm/`, one chart per file.
 */
import * as pulumi from "@pulumi/pulumi";
import { Release } from "@pulumi/kubernetes/helm/v3/release";
import { PORTS } from "../../catalog/names";
import { CHART_REPOSITORIES } from "../../catalog/versions";
import type { Settings } from "../../settings/settings";
import { nodeGroupWarnings } from "../../sizing/nodes";
import { type MonitoringStackOutputs, stackTags } from "../contract";
import type { PartOptions } from "../parts";
import { cluster } from "./cluster/cluster";
import { alloyValues } from "./helm/alloy";
import { checkChartSettings } from "./helm/checks";
import { ingressUrl } from "./helm/ingress";
import { kubePrometheusStackValues } from "./helm/kubePrometheusStack";
import { lokiValues } from "./helm/loki";
import { podRequests } from "./helm/podResources";
import { chartServices, lokiPushUrl } from "./helm/services";
import { monitoringManifests } from "./manifests/monitoringManifests";
import { monitoringBaseObjects, monitoringCustomResources } from "./objects";
import { ALERTMANAGER_SECRETS_DIR, NAMESPACES, RELEASES } from "./types";

export interface EksStackArgs {
  readonly settings: Settings;
}

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
    const { settings } = args;
    // What the schema cannot check (retentionSize against the PVC, ServiceMonitor names, …) fails
    // here, before any resource (this component included) is registered. The manifests are built
    // once, now; the values builders get the cluster's outputs later.
    checkChartSettings(settings);
    const manifests = monitoringManifests({
      settings,
      alertmanagerSecretsDir: ALERTMANAGER_SECRETS_DIR,
    });
    super(EksStack.TYPE, name, {}, opts);
    const part: PartOptions = {
      parent: this,
      prefix: settings.clusterName,
      tags: stackTags(settings),
    };
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
    // The scheme follows the ingress' TLS: `http://` when it has neither an issuer nor a Secret.
    const at = (host: string | undefined, fallback: pulumi.Output<string>) =>
      ingress === undefined || host === undefined
        ? fallback
        : pulumi.output(ingressUrl(ingress, host));
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
