/**
 * Raw stack config in, one typed, validated and defaulted `Settings` out: validation (validate.ts),
 * cross-field checks (checks.ts, plus the caller's), sizes (sized.ts), then the assembly below,
 * where every default (defaults.ts) is applied exactly once. Pure; load.ts feeds it from Pulumi.
 */
import type { Environment } from "../catalog/environments";
import { PORTS } from "../catalog/names";
import { CHARTS, IMAGES } from "../catalog/versions";
import { crossChecks, eksClusterMode, type SettingsCheck } from "./checks";
import { ignoredKeyProblems } from "./modeChecks";
import { collisionProblems, unsafeCombinationProblems } from "./safety";
import { stackProblems } from "./stackChecks";
import { DEFAULTS, ENVIRONMENT_DEFAULTS, K8S_DEFAULTS, SMTP_DEFAULTS } from "./defaults";
import { SettingsError } from "./messages";
import { defaultClusterName, nameProblems } from "./nameChecks";
import type { RawValues } from "./schema";
import type { Settings, SettingsInput } from "./settings";
import { type Resolved, sizeStack } from "./sized";
import { DEFAULT_SLOS, sloSpecOf } from "./slo";
import { missingKeyProblems, resolveEnvironment, validateRaw } from "./validate";

export interface ParseOptions {
  /**
   * Checks settings cannot make itself (e.g. user rule names against the built-in rules,
   * content/checks.ts `CONTENT_CHECKS`); their problems are reported with all the others.
   * @default [] — every caller that deploys or plans a stack passes `CONTENT_CHECKS`.
   */
  readonly checks?: readonly SettingsCheck[];
}

/** The defaults sizing and the assembly both read, applied once. */
function resolve(environment: Environment, values: RawValues): Resolved {
  const envDefaults = ENVIRONMENT_DEFAULTS[environment];
  return {
    environment,
    scrapeInterval: values.scrapeInterval ?? DEFAULTS.scrapeInterval,
    retentionTime: values.retentionTime ?? envDefaults.retentionTime,
    lokiRetention: values.lokiRetention ?? envDefaults.lokiRetention,
    lokiMode: values.lokiMode ?? DEFAULTS.lokiMode,
  };
}

/** Pure: turns raw stack config into `Settings`, or throws a `SettingsError` listing every problem. */
export function parseSettings(input: SettingsInput, options: ParseOptions = {}): Settings {
  const { values, problems } = validateRaw(input);
  const found = resolveEnvironment(input, values, problems);
  problems.push(...missingKeyProblems(input, values));
  const present = new Set(Object.keys(input.values));
  crossChecks(values, problems, options.checks ?? [], present, found);
  problems.push(...collisionProblems(values));
  if (found !== undefined)
    problems.push(
      ...unsafeCombinationProblems(values, found),
      ...ignoredKeyProblems(values, found),
    );
  const resolved = found === undefined ? undefined : resolve(found, values);
  const sized = resolved === undefined ? undefined : sizeStack(values, resolved, problems);
  if (found !== undefined) problems.push(...nameProblems(input, values, found));
  if (resolved !== undefined && sized !== undefined)
    problems.push(
      ...stackProblems(resolved.environment, {
        retentionSize: sized.retentionSize,
        prometheusVolume: sized.storage.prometheus,
        externalLabels: values.externalLabels ?? {},
      }),
    );
  if (problems.length > 0 || resolved === undefined || sized === undefined)
    throw new SettingsError(input.stack, problems);
  const { environment } = resolved;

  const clusterName = values.clusterName ?? defaultClusterName(input.project, input.stack);
  const smtp = values.smtp;
  return {
    project: input.project,
    stack: input.stack,
    environment,
    clusterName,
    prometheus: {
      retentionTime: resolved.retentionTime,
      retentionSize: sized.retentionSize,
      scrapeInterval: resolved.scrapeInterval,
      evaluationInterval: values.evaluationInterval ?? DEFAULTS.evaluationInterval,
      externalLabels: { ...values.externalLabels, cluster: clusterName, environment },
    },
    loki: { retentionPeriod: resolved.lokiRetention },
    sizing: sized.sizing,
    warnings: sized.warnings,
    scrapeTargets: values.scrapeTargets ?? [],
    images: { ...IMAGES, ...values.imageOverrides },
    charts: { ...CHARTS, ...values.chartVersionOverrides },
    grafana: {
      adminUser: values.grafanaAdminUser ?? DEFAULTS.grafanaAdminUser,
      adminPassword: input.secret("grafanaAdminPassword"),
    },
    alerting: {
      runbookBaseUrl: values.runbookBaseUrl ?? DEFAULTS.runbookBaseUrl,
      slack:
        values.slackWebhookUrl === undefined
          ? undefined
          : {
              webhookUrl: input.secret("slackWebhookUrl"),
              channel: values.slackChannel ?? DEFAULTS.slackChannel,
            },
      pagerduty:
        values.pagerdutyRoutingKey === undefined
          ? undefined
          : {
              routingKey: input.secret("pagerdutyRoutingKey"),
              url: values.pagerdutyUrl ?? DEFAULTS.pagerdutyUrl,
            },
      heartbeat:
        values.heartbeatUrl === undefined
          ? undefined
          : {
              url: values.heartbeatUrl,
              token:
                values.heartbeatToken === undefined ? undefined : input.secret("heartbeatToken"),
            },
      email:
        smtp === undefined
          ? undefined
          : {
              smarthost: smtp.smarthost,
              from: smtp.from,
              to: smtp.to,
              username: smtp.username,
              password:
                values.smtpPassword === undefined ? undefined : input.secret("smtpPassword"),
              requireTls: smtp.requireTls ?? SMTP_DEFAULTS.requireTls,
            },
    },
    rules: {
      slos: values.slos?.map(sloSpecOf) ?? DEFAULT_SLOS,
      alertRules: values.alertRules ?? [],
      recordingRules: values.recordingRules ?? [],
    },
    aws: {
      network:
        values.vpcId === undefined
          ? {
              kind: "create",
              cidr: values.vpcCidr ?? DEFAULTS.vpcCidr,
              natGateways: values.natGateways ?? DEFAULTS.natGateways,
            }
          : {
              kind: "existing",
              vpcId: values.vpcId,
              publicSubnetIds: values.publicSubnetIds ?? [],
              privateSubnetIds: values.privateSubnetIds ?? [],
            },
      albInternal: values.albInternal ?? DEFAULTS.albInternal,
      certificateArn: values.certificateArn,
      allowedCidrs: values.allowedCidrs ?? DEFAULTS.allowedCidrs,
      adminCidrs: values.adminCidrs ?? [],
      taskSizes: sized.taskSizes,
      logRetentionDays: values.logRetentionDays ?? DEFAULTS.logRetentionDays,
      retainData: values.retainData ?? DEFAULTS.retainData,
      containerInsights: values.containerInsights ?? DEFAULTS.containerInsights,
    },
    k8s: {
      cluster:
        eksClusterMode(values) === "existing"
          ? { mode: "existing", kubeconfig: input.secret("kubeconfig") }
          : {
              mode: "create",
              version: values.eksVersion ?? K8S_DEFAULTS.eksVersion,
              nodeGroup: {
                ...K8S_DEFAULTS.nodeGroup,
                ...values.nodeGroup,
                diskSize: values.nodeGroup?.diskSize ?? K8S_DEFAULTS.nodeGroup.diskSize,
              },
            },
      namespace: K8S_DEFAULTS.namespace,
      prometheusReplicas: values.prometheusReplicas ?? K8S_DEFAULTS.prometheusReplicas,
      alertmanagerReplicas: values.alertmanagerReplicas ?? K8S_DEFAULTS.alertmanagerReplicas,
      storage: {
        prometheus: sized.storage.prometheus,
        alertmanager: values.alertmanagerStorageSize ?? K8S_DEFAULTS.storage.alertmanager,
        grafana: values.grafanaStorageSize ?? K8S_DEFAULTS.storage.grafana,
        loki: sized.storage.loki,
      },
      lokiMode: resolved.lokiMode,
      ingress: values.ingress,
      remoteWrite: values.remoteWrite ?? DEFAULTS.remoteWrite,
      serviceMonitors: values.serviceMonitors ?? [],
    },
    local: {
      bindAddress: values.bindAddress ?? DEFAULTS.bindAddress,
      dockerSocket: values.dockerSocket ?? DEFAULTS.dockerSocket,
      hostPorts: { ...PORTS, ...values.hostPorts },
    },
  };
}
