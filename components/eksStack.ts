/**
 * The `prod` environment: kube-prometheus-stack, Loki and Alloy on EKS (a cluster the stack creates,
 * or an existing one), with the shared rules, dashboards and routing. Thin: the parts live in
 * `components/k8s/` and the Helm values in `config/helmValues.ts`.
 */
import * as pulumi from "@pulumi/pulumi";
import * as helm from "@pulumi/kubernetes/helm/v3";
import {
  alertmanagerSecretsDir,
  alloyValues,
  kubePrometheusStackValues,
  lokiValues,
} from "../config/helmValues";
import type { Settings } from "../config/settings";
import type { MonitoringStackOutputs } from "./contract";
import { cluster } from "./k8s/cluster";
import { monitoringObjects } from "./k8s/objects";
import { type K8sPartOptions, NAMESPACES, RELEASES } from "./k8s/types";

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
      tags: {
        "monitoring:cluster": settings.clusterName,
        "monitoring:environment": settings.environment,
        "pulumi:project": settings.project,
        "pulumi:stack": settings.stack,
      },
    };
    const eks = cluster(settings, part);
    const provider = eks.provider;
    const child = { parent: this, provider };

    const objects = monitoringObjects(
      { settings, provider, alertmanagerSecretsDir: alertmanagerSecretsDir() },
      part,
    );

    const kps = new helm.Release(
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

    const loki = new helm.Release(
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
      { ...child, dependsOn: objects.dependencies },
    );

    const alloy = new helm.Release(
      `${settings.clusterName}-${RELEASES.alloy}`,
      {
        name: RELEASES.alloy,
        chart: "alloy",
        version: settings.charts.alloy,
        repositoryOpts: { repo: CHART_REPOSITORIES.alloy },
        namespace: NAMESPACES.agents,
        values: alloyValues(settings, { lokiPushUrl: lokiPushUrl() }),
        atomic: true,
        timeout: 600,
      },
      { ...child, dependsOn: [...objects.dependencies, loki] },
    );

    const ingress = settings.k8s.ingress;
    const forward = (service: string, port: string) =>
      `kubectl -n ${NAMESPACES.monitoring} port-forward svc/${service} ${port}`;
    this.grafanaUrl = pulumi.output(
      ingress === undefined ? forward(`${RELEASES.kubePrometheusStack}-grafana`, "3000:80") : `https://${ingress.grafanaHost}`,
    );
    this.prometheusUrl = pulumi.output(
      ingress?.prometheusHost === undefined
        ? forward(`${RELEASES.kubePrometheusStack}-prometheus`, "9090:9090")
        : `https://${ingress.prometheusHost}`,
    );
    this.alertmanagerUrl = pulumi.output(
      ingress?.alertmanagerHost === undefined
        ? forward(`${RELEASES.kubePrometheusStack}-alertmanager`, "9093:9093")
        : `https://${ingress.alertmanagerHost}`,
    );
    this.lokiUrl = pulumi.output(forward(RELEASES.loki, "3100:3100"));
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

/** Loki's push endpoint inside the cluster (Alloy runs in the agents namespace). */
export function lokiPushUrl(): string {
  return `http://${RELEASES.loki}.${NAMESPACES.monitoring}.svc.cluster.local:3100/loki/api/v1/push`;
}
