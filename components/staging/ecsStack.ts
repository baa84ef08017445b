/**
 * The `staging` environment: the monitoring stack on ECS Fargate, data on encrypted EFS, behind an
 * ALB, components finding each other through Cloud Map. Thin: every part lives in `components/aws/`.
 */
import * as pulumi from "@pulumi/pulumi";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import { PrivateDnsNamespace } from "@pulumi/aws/servicediscovery/privateDnsNamespace";
import { renderFiles, type TargetNetwork } from "../../content/files";
import { PORTS } from "../../catalog/names";
import { stagingNames } from "../../catalog/resourceNames";
import type { Settings } from "../../settings/settings";
import { type MonitoringStackOutputs, stackTags } from "../contract";
import { loadBalancer, securityGroups } from "./loadBalancer";
import { network } from "../aws/network";
import { secrets } from "./secrets";
import { services } from "./services";
import { privateSubnetCount, storage } from "./storage";
import { HEALTH_CHECK_PATHS, SERVICE_PORTS } from "./tasks";
import { ECS_SERVICES } from "../../catalog/names";
import type { PartOptions } from "../parts";

export interface EcsStackArgs {
  readonly settings: Settings;
}

/** The Cloud Map namespace of a stack: `<service>.<namespace>` resolves to the service's tasks. */
export function namespaceName(clusterName: string): string {
  return stagingNames(clusterName).cloudMapNamespace;
}

/** What the rendered files point at on ECS: Cloud Map names, DNS service discovery, no Alloy. */
export function ecsNetwork(namespace: string): TargetNetwork {
  const host = (service: string) => `${service}.${namespace}`;
  const dns = (service: string, port: number) => ({
    kind: "dns" as const,
    names: [host(service)],
    port,
  });
  return {
    hosts: {
      prometheus: host("prometheus"),
      alertmanager: host("alertmanager"),
      grafana: host("grafana"),
      loki: host("loki"),
      alloy: host("alloy"),
      nodeExporter: host("prometheus"),
    },
    discovery: {
      prometheus: { kind: "static", targets: [`localhost:${PORTS.prometheus}`] },
      alertmanager: dns("alertmanager", PORTS.alertmanager),
      grafana: dns("grafana", PORTS.grafana),
      loki: dns("loki", PORTS.loki),
      // node-exporter runs as a sidecar in every task.
      node: { kind: "dns", names: ECS_SERVICES.map(host), port: PORTS.nodeExporter },
    },
    alertmanagers: dns("alertmanager", PORTS.alertmanager),
  };
}

/** The port of the SMTP smarthost, for the tasks' egress rule. */
function smtpPort(settings: Settings): number | undefined {
  const host = settings.alerting.email?.smarthost;
  return host === undefined ? undefined : Number(host.split(":").pop());
}

export class EcsStack extends pulumi.ComponentResource implements MonitoringStackOutputs {
  static readonly TYPE = "monitoring:aws:EcsStack";

  readonly grafanaUrl: pulumi.Output<string>;
  readonly prometheusUrl: pulumi.Output<string>;
  readonly alertmanagerUrl: pulumi.Output<string>;
  readonly lokiUrl: pulumi.Output<string>;
  readonly workloads: pulumi.Output<string[]>;
  readonly albDnsName: pulumi.Output<string>;
  readonly efsFileSystemId: pulumi.Output<string>;
  readonly ecsClusterName: pulumi.Output<string>;

  constructor(name: string, args: EcsStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super(EcsStack.TYPE, name, {}, opts);
    const { settings } = args;
    const part: PartOptions = {
      parent: this,
      prefix: settings.clusterName,
      tags: stackTags(settings),
    };
    const aws = settings.aws;

    const net = network(aws.network, part);
    const groups = securityGroups(
      {
        network: net,
        settings: aws,
        ports: SERVICE_PORTS,
        nodeExporterPort: PORTS.nodeExporter,
        smtpPort: smtpPort(settings),
      },
      part,
    );
    const data = storage(
      {
        network: net,
        tasksSecurityGroupId: groups.tasksSecurityGroupId,
        retainData: aws.retainData,
        privateSubnetCount: privateSubnetCount(aws.network),
      },
      part,
    );
    const secretArns = secrets(settings, part);
    const alb = loadBalancer(
      {
        network: net,
        securityGroups: groups,
        settings: aws,
        ports: SERVICE_PORTS,
        healthChecks: HEALTH_CHECK_PATHS,
      },
      part,
    );
    const dnsNamespace = namespaceName(settings.clusterName);
    const namespace = new PrivateDnsNamespace(
      `${settings.clusterName}-namespace`,
      {
        name: dnsNamespace,
        vpc: net.vpcId,
        description: `Monitoring stack ${settings.clusterName}`,
        tags: part.tags,
      },
      { parent: this },
    );
    const internal = (service: keyof typeof SERVICE_PORTS) =>
      pulumi.output(`http://${service}.${dnsNamespace}:${SERVICE_PORTS[service]}`);
    const url = (service: keyof typeof SERVICE_PORTS) => alb.urls[service] ?? internal(service);
    const ecsServices = services(
      {
        settings,
        files: renderFiles(settings, ecsNetwork(dnsNamespace)),
        network: net,
        securityGroups: groups,
        loadBalancer: alb,
        storage: data,
        secretArns,
        namespace,
        urls: {
          prometheus: url("prometheus"),
          alertmanager: url("alertmanager"),
          grafana: url("grafana"),
        },
        region: getRegionOutput({}, { parent: this }).region,
        accountId: getCallerIdentityOutput({}, { parent: this }).accountId,
      },
      part,
    );

    this.grafanaUrl = url("grafana");
    this.prometheusUrl = url("prometheus");
    this.alertmanagerUrl = url("alertmanager");
    this.lokiUrl = url("loki");
    this.workloads = ecsServices.serviceNames;
    this.albDnsName = alb.dnsName;
    this.efsFileSystemId = data.fileSystemId;
    this.ecsClusterName = ecsServices.clusterName;
    this.registerOutputs({
      grafanaUrl: this.grafanaUrl,
      prometheusUrl: this.prometheusUrl,
      alertmanagerUrl: this.alertmanagerUrl,
      lokiUrl: this.lokiUrl,
      workloads: this.workloads,
      albDnsName: this.albDnsName,
      efsFileSystemId: this.efsFileSystemId,
      ecsClusterName: this.ecsClusterName,
    });
  }
}
