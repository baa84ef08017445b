/**
 * The types at both ends of reading the stack configuration: `SettingsInput` (raw config strings)
 * and `Settings`, the one typed, validated and defaulted object every layer below `index.ts`
 * receives. parse.ts turns one into the other; load.ts reads the input from Pulumi.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../catalog/environments";
import type { EcsService, PORTS } from "../catalog/names";
import type { ChartName, ImageName } from "../catalog/versions";
import type { TaskSize } from "../sizing/fargate";
import type { Sizing } from "../sizing/sizing";
import type {
  ScrapeTargetConfig,
  ServiceMonitorConfig,
  UserAlertRule,
  UserRecordingRule,
} from "./fields";
import type { CONFIG_KEYS, ConfigKey } from "./schema";
import type { SloSpec } from "./slo";

export interface PrometheusSettings {
  readonly retentionTime: string;
  readonly retentionSize: string;
  readonly scrapeInterval: string;
  readonly evaluationInterval: string;
  /** Always contains `cluster` and `environment`. */
  readonly externalLabels: Readonly<Record<string, string>>;
}

export interface AlertingSettings {
  readonly runbookBaseUrl: string;
  /** Present only when `slackWebhookUrl` is configured. */
  readonly slack?: { readonly webhookUrl: pulumi.Output<string>; readonly channel: string };
  /** Present only when `pagerdutyRoutingKey` is configured. */
  readonly pagerduty?: { readonly routingKey: pulumi.Output<string>; readonly url: string };
  /** Present only when `heartbeatUrl` is configured: where the Watchdog alert is posted. */
  readonly heartbeat?: { readonly url: string; readonly token?: pulumi.Output<string> };
  /** Present only when `smtp` is configured. */
  readonly email?: {
    readonly smarthost: string;
    readonly from: string;
    readonly to: readonly string[];
    readonly username?: string;
    readonly password?: pulumi.Output<string>;
    readonly requireTls: boolean;
  };
}

/** Staging (ECS Fargate) settings. */
export interface AwsSettings {
  readonly network:
    | { readonly kind: "create"; readonly cidr: string; readonly natGateways: "single" | "perAz" }
    | {
        readonly kind: "existing";
        readonly vpcId: string;
        readonly publicSubnetIds: readonly string[];
        readonly privateSubnetIds: readonly string[];
      };
  readonly albInternal: boolean;
  readonly certificateArn?: string;
  readonly allowedCidrs: readonly string[];
  readonly adminCidrs: readonly string[];
  readonly taskSizes: Readonly<Record<EcsService, TaskSize>>;
  readonly logRetentionDays: number;
  readonly retainData: boolean;
  readonly containerInsights: boolean;
}

/** Production (EKS + Helm) settings. */
export interface K8sSettings {
  readonly cluster:
    | {
        readonly mode: "create";
        readonly version: string;
        readonly nodeGroup: {
          readonly instanceType: string;
          readonly minSize: number;
          readonly desiredSize: number;
          readonly maxSize: number;
          readonly diskSize: number;
        };
      }
    | { readonly mode: "existing"; readonly kubeconfig: pulumi.Output<string> };
  readonly namespace: string;
  readonly prometheusReplicas: number;
  readonly alertmanagerReplicas: number;
  readonly storage: {
    readonly prometheus: string;
    readonly alertmanager: string;
    readonly grafana: string;
    readonly loki: string;
  };
  readonly lokiMode: "singleBinary" | "simpleScalable";
  readonly ingress?: {
    readonly className: string;
    readonly grafanaHost: string;
    readonly prometheusHost?: string;
    readonly alertmanagerHost?: string;
    readonly clusterIssuer?: string;
    readonly tlsSecretName?: string;
  };
  readonly remoteWrite: boolean;
  readonly serviceMonitors: readonly ServiceMonitorConfig[];
}

export interface RuleSettings {
  readonly slos: readonly SloSpec[];
  readonly alertRules: readonly UserAlertRule[];
  readonly recordingRules: readonly UserRecordingRule[];
}

export interface Settings {
  readonly project: string;
  readonly stack: string;
  readonly environment: Environment;
  readonly clusterName: string;
  readonly prometheus: PrometheusSettings;
  readonly loki: { readonly retentionPeriod: string };
  /** What `capacity` needs (sizing/); the derived defaults are taken from it. */
  readonly sizing: Sizing;
  /**
   * Explicit sizes below what `capacity` needs: both numbers, one per line. `loadSettings` logs
   * them with `pulumi.log.warn`; they never fail the deployment.
   */
  readonly warnings: readonly string[];
  readonly scrapeTargets: readonly ScrapeTargetConfig[];
  readonly images: Readonly<Record<ImageName, string>>;
  readonly charts: Readonly<Record<ChartName, string>>;
  readonly grafana: { readonly adminUser: string; readonly adminPassword: pulumi.Output<string> };
  readonly alerting: AlertingSettings;
  /** Rules beyond the built-in library: SLOs and the user's own rules. */
  readonly rules: RuleSettings;
  /** ECS Fargate (`staging`) settings; read only by the staging stack. */
  readonly aws: AwsSettings;
  /** EKS (`prod`) settings; read only by the prod stack. */
  readonly k8s: K8sSettings;
  /** Docker (`dev`) host-side settings. */
  readonly local: {
    readonly bindAddress: string;
    /** Docker socket on the host, mounted read-only into Alloy. */
    readonly dockerSocket: string;
    readonly hostPorts: Readonly<Record<keyof typeof PORTS, number>>;
  };
}

type SecretKey = {
  [K in ConfigKey]: (typeof CONFIG_KEYS)[K]["secret"] extends true ? K : never;
}[ConfigKey];

export interface SettingsInput {
  readonly project: string;
  readonly stack: string;
  /** Raw config strings of the project namespace, keyed without the `<project>:` prefix. */
  readonly values: Readonly<Record<string, string>>;
  /** Whether a key is stored encrypted; `undefined` when the runtime cannot tell. */
  readonly isSecret: (key: string) => boolean | undefined;
  /** The key's value as a secret Output (from `Config.requireSecret`). */
  readonly secret: (key: SecretKey) => pulumi.Output<string>;
}
