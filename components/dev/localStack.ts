/** The `dev` environment: the whole monitoring stack as Docker containers on the developer's machine. */
import { Network } from "@pulumi/docker/network";
import { RemoteImage } from "@pulumi/docker/remoteImage";
import { Volume } from "@pulumi/docker/volume";
import { Container } from "@pulumi/docker/container";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../settings/settings";
import { devNames } from "../../catalog/resourceNames";
import type { MonitoringStackOutputs } from "../contract";
import { localContainers, localUrl } from "./containers";

export interface LocalStackArgs {
  /** Validated settings of the stack (see `settings/settings.ts`). */
  readonly settings: Settings;
}

/** Docker label put on every container and volume so they can be found (`docker ps --filter label=...`). */
export const COMPONENT_LABEL = "monitoring.component";

export class LocalStack extends pulumi.ComponentResource implements MonitoringStackOutputs {
  static readonly TYPE = "monitoring:docker:LocalStack";

  readonly grafanaUrl: pulumi.Output<string>;
  readonly prometheusUrl: pulumi.Output<string>;
  readonly alertmanagerUrl: pulumi.Output<string>;
  readonly lokiUrl: pulumi.Output<string>;
  readonly workloads: pulumi.Output<string[]>;

  constructor(name: string, args: LocalStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super(LocalStack.TYPE, name, {}, opts);
    const { settings } = args;
    const names = devNames(settings.clusterName);
    const labels = (component: string) => [
      { label: COMPONENT_LABEL, value: component },
      { label: "monitoring.cluster", value: settings.clusterName },
    ];

    const network = new Network(
      `${name}-network`,
      { name: names.network, driver: "bridge", labels: labels("network") },
      { parent: this },
    );
    const containers = localContainers(settings).map((spec) => {
      const image = new RemoteImage(
        `${name}-${spec.role}-image`,
        { name: settings.images[spec.role], keepLocally: true },
        { parent: this },
      );
      // Named volumes outlive container replacement, so a config change never loses data.
      const data = spec.dataVolume;
      const volumes =
        data === undefined
          ? []
          : [
              {
                volumeName: new Volume(
                  `${name}-${spec.role}-data`,
                  { name: names.volume(spec.role), labels: labels(spec.role) },
                  { parent: this },
                ).name,
                containerPath: data.path,
              },
            ];
      return new Container(
        `${name}-${spec.alias}`,
        {
          name: names.container(spec.alias),
          image: image.imageId,
          command: [...spec.command],
          envs: [...spec.envs],
          user: spec.user,
          restart: "unless-stopped",
          labels: labels(spec.role),
          networksAdvanced: [{ name: network.name, aliases: [spec.alias] }],
          ports: [
            {
              internal: spec.port.internal,
              external: spec.port.external,
              ip: settings.local.bindAddress,
              protocol: "tcp",
            },
          ],
          volumes,
          mounts: spec.hostMounts.map((m) => ({
            type: "bind",
            source: m.source,
            target: m.target,
            readOnly: true,
          })),
          uploads: spec.uploads.map((u) => ({
            file: u.file,
            content: u.content,
            ...(u.owner === undefined
              ? {}
              : { owner: String(u.owner), group: String(u.owner), permissions: "0400" }),
          })),
          healthcheck: {
            tests: [...spec.healthcheck],
            interval: "30s",
            timeout: "5s",
            retries: 3,
            startPeriod: "30s",
          },
          // Config files are uploads: changing one replaces the container; data stays in the named volume.
          wait: false,
        },
        { parent: this, deleteBeforeReplace: true },
      );
    });

    this.grafanaUrl = pulumi.output(localUrl(settings, "grafana"));
    this.prometheusUrl = pulumi.output(localUrl(settings, "prometheus"));
    this.alertmanagerUrl = pulumi.output(localUrl(settings, "alertmanager"));
    this.lokiUrl = pulumi.output(localUrl(settings, "loki"));
    this.workloads = pulumi.all(containers.map((c) => c.name));
    this.registerOutputs({
      grafanaUrl: this.grafanaUrl,
      prometheusUrl: this.prometheusUrl,
      alertmanagerUrl: this.alertmanagerUrl,
      lokiUrl: this.lokiUrl,
      workloads: this.workloads,
    });
  }
}
