/**
 * components/staging/services.ts under mocks, fed fake network, security groups, ALB and storage:
 * the config bucket and its objects, the cluster, and per service the log group, Cloud Map record,
 * task definition and single-writer Fargate service. ecsStack.test.ts checks the same parts wired
 * into the whole staging program.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { PrivateDnsNamespace } from "@pulumi/aws/servicediscovery/privateDnsNamespace";
import { ECS_SERVICES, type EcsService } from "../../../catalog/names";
import type { Storage } from "../../../components/staging/types";
import { services } from "../../../components/staging/services";
import { filesHash, serviceFiles } from "../../../components/staging/tasks";
import type { RecordedResource } from "../../support/harness";
import { render, settingsFor } from "../../support/renderedFiles";
import {
  fakeNetwork,
  PREFIX,
  PRIVATE_SUBNETS,
  run,
  STAGING_SECRETS,
  TASKS_SG,
} from "../../support/stagingParts";

const TYPES = {
  bucket: "aws:s3/bucket:Bucket",
  publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  encryption:
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  object: "aws:s3/bucketObjectv2:BucketObjectv2",
  cluster: "aws:ecs/cluster:Cluster",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  registry: "aws:servicediscovery/service:Service",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  service: "aws:ecs/service:Service",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  namespace: "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace",
} as const;

const GRAFANA_TARGET_GROUP = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/g/1";

function fakeStorage(): Storage {
  const ap = (s: EcsService) => ({
    id: pulumi.output(`fsap-${s}`),
    arn: pulumi.output(`arn:aws:elasticfilesystem:eu-west-1:123456789012:access-point/fsap-${s}`),
  });
  return {
    fileSystemId: pulumi.output("fs-0123"),
    fileSystemArn: pulumi.output(
      "arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0123",
    ),
    accessPoints: {
      prometheus: ap("prometheus"),
      alertmanager: ap("alertmanager"),
      grafana: ap("grafana"),
      loki: ap("loki"),
    },
  };
}

describe("staging services (ECS) under mocks", () => {
  const settings = settingsFor("staging", STAGING_SECRETS, {
    taskSizes: { grafana: { cpu: 512, memory: 2048 } },
  });
  const files = render(settings);
  let resources: readonly RecordedResource[];

  before(async () => {
    const r = await run((opts) =>
      services(
        {
          settings,
          files,
          network: fakeNetwork(),
          securityGroups: {
            albSecurityGroupId: pulumi.output("sg-alb"),
            tasksSecurityGroupId: pulumi.output(TASKS_SG),
          },
          loadBalancer: {
            dnsName: pulumi.output("alb.example.com"),
            arn: pulumi.output("arn:alb"),
            targetGroupArns: { grafana: pulumi.output(GRAFANA_TARGET_GROUP) },
            urls: { grafana: pulumi.output("http://alb.example.com/") },
          },
          storage: fakeStorage(),
          secretArns: {},
          namespace: new PrivateDnsNamespace(
            `${PREFIX}-ns`,
            { name: "mon.local", vpc: "vpc-0a1b2c3d4e5f67890" },
            { parent: opts.parent },
          ),
          urls: {
            prometheus: pulumi.output("http://alb.example.com:9090/"),
            alertmanager: pulumi.output("http://alb.example.com:9093/"),
            grafana: pulumi.output("http://alb.example.com/"),
          },
          region: pulumi.output("eu-west-1"),
          accountId: pulumi.output("123456789012"),
        },
        opts,
      ),
    );
    resources = r.resources;
  });
  const ofType = (type: string) => resources.filter((r) => r.type === type);
  const byService = (type: string) =>
    Object.fromEntries(ofType(type).map((r) => [String(r.inputs.name), r.inputs]));

  it("creates one private, encrypted config bucket and one cluster, and per service its parts", () => {
    const counts = Object.fromEntries(
      Object.values(TYPES).map((t) => [t, ofType(t).length] as const),
    );
    const n = ECS_SERVICES.length;
    assert.deepEqual(counts, {
      [TYPES.bucket]: 1,
      [TYPES.publicAccessBlock]: 1,
      [TYPES.ownership]: 1,
      [TYPES.encryption]: 1,
      [TYPES.object]: ECS_SERVICES.reduce((sum, s) => sum + Object.keys(files[s]).length, 0),
      [TYPES.cluster]: 1,
      [TYPES.logGroup]: n,
      [TYPES.registry]: n,
      [TYPES.taskDefinition]: n,
      [TYPES.service]: n,
      [TYPES.role]: 2 * n,
      [TYPES.rolePolicy]: 2 * n,
      [TYPES.namespace]: 1,
    });
    const block = ofType(TYPES.publicAccessBlock)[0].inputs;
    assert.deepEqual(
      [
        block.blockPublicAcls,
        block.blockPublicPolicy,
        block.ignorePublicAcls,
        block.restrictPublicBuckets,
      ],
      [true, true, true, true],
    );
    assert.deepEqual(ofType(TYPES.cluster)[0].inputs.settings, [
      { name: "containerInsights", value: "enabled" },
    ]);
  });

  it("stores each service's files under <service>/<content hash>/ keyed by their container path", () => {
    const keys = ofType(TYPES.object).map((o) => String(o.inputs.key));
    const expected = ECS_SERVICES.flatMap((s) => {
      const own = serviceFiles(s, files);
      return Object.keys(own).map((f) => `${s}/${filesHash(own)}${f}`);
    });
    assert.deepEqual(keys.sort(), expected.sort());
    assert.ok(keys.includes(`loki/${filesHash(files.loki)}/etc/loki/loki.yaml`));
    const dashboard = ofType(TYPES.object).find((o) => String(o.inputs.key).endsWith(".json"));
    assert.equal(dashboard?.inputs.contentType, "application/json");
  });

  it("keeps task logs for the configured days under /ecs/<prefix>/<service>", () => {
    assert.deepEqual(
      ofType(TYPES.logGroup).map((g) => [g.inputs.name, g.inputs.retentionInDays]),
      ECS_SERVICES.map((s) => [`/ecs/${PREFIX}/${s}`, 30]),
    );
  });

  it("sizes each task from settings and mounts its EFS access point over TLS with IAM", () => {
    const defs = Object.fromEntries(
      ofType(TYPES.taskDefinition).map((t) => [String(t.inputs.family), t.inputs]),
    );
    const grafana = defs[`${PREFIX}-grafana`];
    assert.deepEqual([grafana.cpu, grafana.memory], ["512", "2048"]);
    assert.deepEqual(grafana.requiresCompatibilities, ["FARGATE"]);
    assert.equal(grafana.networkMode, "awsvpc");
    const volumes = grafana.volumes as { name: string; efsVolumeConfiguration?: unknown }[];
    assert.deepEqual(volumes.at(-1), {
      name: "data",
      efsVolumeConfiguration: {
        fileSystemId: "fs-0123",
        transitEncryption: "ENABLED",
        authorizationConfig: { accessPointId: "fsap-grafana", iam: "ENABLED" },
      },
    });
    const containers = JSON.parse(String(grafana.containerDefinitions)) as { name: string }[];
    assert.deepEqual(
      containers.map((c) => c.name),
      ["config-init", "grafana", "node-exporter"],
    );
  });

  it("runs every service once, single writer, in the private subnets, and only Grafana behind the ALB", () => {
    const svc = byService(TYPES.service);
    assert.deepEqual(Object.keys(svc).sort(), [...ECS_SERVICES].sort());
    for (const s of ECS_SERVICES) {
      assert.equal(svc[s].desiredCount, 1, s);
      assert.equal(svc[s].deploymentMinimumHealthyPercent, 0, s);
      assert.equal(svc[s].deploymentMaximumPercent, 100, s);
      assert.equal(svc[s].platformVersion, "1.4.0", s);
      assert.deepEqual(
        svc[s].networkConfiguration,
        { subnets: PRIVATE_SUBNETS, securityGroups: [TASKS_SG], assignPublicIp: false },
        s,
      );
    }
    assert.deepEqual(svc.grafana.loadBalancers, [
      { targetGroupArn: GRAFANA_TARGET_GROUP, containerName: "grafana", containerPort: 3000 },
    ]);
    assert.equal(svc.grafana.healthCheckGracePeriodSeconds, 120);
    for (const s of ["prometheus", "alertmanager", "loki"])
      assert.equal(svc[s].loadBalancers, undefined, s);
  });
});
