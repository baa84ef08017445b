/**
 * The ECS part of the staging stack: config bucket and objects, Cloud Map namespace, log groups,
 * the cluster, and per service a task definition and a single-writer Fargate service.
 */
import * as pulumi from "@pulumi/pulumi";
import { LogGroup } from "@pulumi/aws/cloudwatch/logGroup";
import { Cluster } from "@pulumi/aws/ecs/cluster";
import { TaskDefinition } from "@pulumi/aws/ecs/taskDefinition";
import { Service as FargateService } from "@pulumi/aws/ecs/service";
import { Bucket } from "@pulumi/aws/s3/bucket";
import { BucketPublicAccessBlock } from "@pulumi/aws/s3/bucketPublicAccessBlock";
import { BucketOwnershipControls } from "@pulumi/aws/s3/bucketOwnershipControls";
import { BucketServerSideEncryptionConfiguration } from "@pulumi/aws/s3/bucketServerSideEncryptionConfiguration";
import { BucketObjectv2 } from "@pulumi/aws/s3/bucketObjectv2";
import { PrivateDnsNamespace } from "@pulumi/aws/servicediscovery/privateDnsNamespace";
import { Service as CloudMapService } from "@pulumi/aws/servicediscovery/service";
import type { RenderedFiles } from "../../content/files";
import type { Settings } from "../../settings/settings";
import { stagingNames } from "../../catalog/resourceNames";
import { serviceRoles } from "./iam";
import {
  CONFIG_DIRS,
  containerDefinitions,
  filesHash,
  SERVICE_PORTS,
  serviceFiles,
  serviceSecrets,
  volumeName,
} from "./tasks";
import { ECS_SERVICES } from "../../catalog/names";
import type { Network } from "../aws/types";
import type { LoadBalancer, SecretArns, SecurityGroups, Storage } from "./types";
import type { PartOptions } from "../parts";

/** ECS deployment settings of every service: its data has exactly one writer, ever. */
export const SINGLE_WRITER = {
  deploymentMinimumHealthyPercent: 0,
  deploymentMaximumPercent: 100,
} as const;

/** Fargate platform version: EFS volumes need 1.4.0 or later. */
export const PLATFORM_VERSION = "1.4.0";

export interface ServicesInput {
  readonly settings: Settings;
  readonly files: RenderedFiles;
  readonly network: Network;
  readonly securityGroups: SecurityGroups;
  readonly loadBalancer: LoadBalancer;
  readonly storage: Storage;
  readonly secretArns: SecretArns;
  readonly namespace: PrivateDnsNamespace;
  readonly urls: Readonly<Record<"prometheus" | "alertmanager" | "grafana", pulumi.Output<string>>>;
  readonly region: pulumi.Output<string>;
  readonly accountId: pulumi.Output<string>;
}

export interface Services {
  readonly clusterName: pulumi.Output<string>;
  readonly clusterArn: pulumi.Output<string>;
  readonly serviceNames: pulumi.Output<string[]>;
  readonly configBucket: pulumi.Output<string>;
}

/** A private, encrypted bucket holding each service's rendered config under `<service>/<hash>/`. */
function configBucket(opts: PartOptions): Bucket {
  const child = { parent: opts.parent };
  const bucket = new Bucket(
    `${opts.prefix}-config`,
    {
      bucketPrefix: stagingNames(opts.prefix).configBucketPrefix,
      forceDestroy: true,
      tags: opts.tags,
    },
    child,
  );
  new BucketPublicAccessBlock(
    `${opts.prefix}-config`,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    child,
  );
  new BucketOwnershipControls(
    `${opts.prefix}-config`,
    { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
    child,
  );
  new BucketServerSideEncryptionConfiguration(
    `${opts.prefix}-config`,
    {
      bucket: bucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    },
    child,
  );
  return bucket;
}

export function services(input: ServicesInput, opts: PartOptions): Services {
  const { settings } = input;
  const child = { parent: opts.parent };
  const bucket = configBucket(opts);

  const cluster = new Cluster(
    `${opts.prefix}`,
    {
      name: stagingNames(opts.prefix).ecsCluster,
      settings: [
        {
          name: "containerInsights",
          value: settings.aws.containerInsights ? "enabled" : "disabled",
        },
      ],
      tags: opts.tags,
    },
    child,
  );

  const names: pulumi.Output<string>[] = [];
  for (const service of ECS_SERVICES) {
    const files = serviceFiles(service, input.files);
    const prefix = `${service}/${filesHash(files)}/`;
    // Object keys are the container paths, so `aws s3 cp --recursive s3://bucket/<prefix> /` puts
    // every file where the container expects it.
    const objects = Object.entries(files).map(
      ([file, content]) =>
        new BucketObjectv2(
          `${opts.prefix}-${service}${file.replace(/[^A-Za-z0-9.]+/g, "-")}`,
          {
            bucket: bucket.id,
            key: `${prefix}${file.replace(/^\//, "")}`,
            content,
            contentType: file.endsWith(".json") ? "application/json" : "text/plain",
          },
          child,
        ),
    );

    const logGroup = new LogGroup(
      `${opts.prefix}-${service}`,
      {
        name: stagingNames(opts.prefix).logGroup(service),
        retentionInDays: settings.aws.logRetentionDays,
        tags: opts.tags,
      },
      child,
    );

    const secretKeys = Object.keys(serviceSecrets(service, input.secretArns));
    const roles = serviceRoles(
      service,
      {
        logGroupArn: logGroup.arn,
        secretArns: secretKeys.map((k) => input.secretArns[k]),
        fileSystemArn: input.storage.fileSystemArn,
        accessPointArn: input.storage.accessPoints[service].arn,
        configBucketArn: bucket.arn,
        configPrefix: prefix,
        accountId: input.accountId,
      },
      opts,
    );

    const registry = new CloudMapService(
      `${opts.prefix}-${service}`,
      {
        name: service,
        dnsConfig: {
          namespaceId: input.namespace.id,
          dnsRecords: [{ type: "A", ttl: 10 }],
          routingPolicy: "MULTIVALUE",
        },
        // ECS reports task health to Cloud Map; unhealthy tasks leave DNS.
        healthCheckCustomConfig: { failureThreshold: 1 },
        forceDestroy: true,
        tags: opts.tags,
      },
      child,
    );

    const secretArnList = secretKeys.map((k) => input.secretArns[k]);
    const definitions = pulumi
      .all([
        input.region,
        logGroup.name,
        bucket.bucket,
        input.urls.prometheus,
        input.urls.alertmanager,
        input.urls.grafana,
        pulumi.all(secretArnList),
      ])
      .apply(([region, logGroupName, bucketName, prometheus, alertmanager, grafana, arns]) =>
        JSON.stringify(
          containerDefinitions({
            service,
            settings,
            files: input.files,
            urls: { prometheus, alertmanager, grafana },
            region,
            logGroupName,
            configBucket: bucketName,
            configPrefix: prefix,
            secretArns: Object.fromEntries(secretKeys.map((k, i) => [k, arns[i]])),
          }),
        ),
      );

    const size = settings.aws.taskSizes[service];
    const taskDefinition = new TaskDefinition(
      `${opts.prefix}-${service}`,
      {
        family: stagingNames(opts.prefix).taskFamily(service),
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: String(size.cpu),
        memory: String(size.memory),
        runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
        executionRoleArn: roles.executionRoleArn,
        taskRoleArn: roles.taskRoleArn,
        containerDefinitions: definitions,
        volumes: [
          ...CONFIG_DIRS[service].map((dir) => ({ name: volumeName(dir) })),
          {
            name: "data",
            efsVolumeConfiguration: {
              fileSystemId: input.storage.fileSystemId,
              transitEncryption: "ENABLED",
              authorizationConfig: {
                accessPointId: input.storage.accessPoints[service].id,
                iam: "ENABLED",
              },
            },
          },
        ],
        tags: opts.tags,
      },
      { ...child, dependsOn: objects },
    );

    const targetGroupArn = input.loadBalancer.targetGroupArns[service];
    const ecsService = new FargateService(
      `${opts.prefix}-${service}`,
      {
        name: service,
        cluster: cluster.arn,
        taskDefinition: taskDefinition.arn,
        desiredCount: 1,
        launchType: "FARGATE",
        platformVersion: PLATFORM_VERSION,
        ...SINGLE_WRITER,
        deploymentCircuitBreaker: { enable: true, rollback: true },
        networkConfiguration: {
          subnets: input.network.privateSubnetIds,
          securityGroups: [input.securityGroups.tasksSecurityGroupId],
          assignPublicIp: false,
        },
        serviceRegistries: { registryArn: registry.arn },
        ...(targetGroupArn === undefined
          ? {}
          : {
              loadBalancers: [
                { targetGroupArn, containerName: service, containerPort: SERVICE_PORTS[service] },
              ],
              healthCheckGracePeriodSeconds: 120,
            }),
        enableExecuteCommand: false,
        propagateTags: "SERVICE",
        waitForSteadyState: false,
        tags: opts.tags,
      },
      child,
    );
    names.push(ecsService.name);
  }

  return {
    clusterName: cluster.name,
    clusterArn: cluster.arn,
    serviceNames: pulumi.all(names),
    configBucket: bucket.bucket,
  };
}
