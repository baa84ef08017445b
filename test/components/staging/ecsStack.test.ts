/**
 * The staging stack (ECS Fargate) under mocks: the whole program for `Pulumi.staging.yaml`, asserted
 * on the recorded inputs of the ECS, S3 and Cloud Map resources and on the wiring between the parts.
 * Network: test/components/aws/network.test.ts; ALB and security groups: loadBalancer.test.ts; EFS:
 * storage.test.ts; secrets: secrets.test.ts; IAM: iam.test.ts; the task definitions' pure parts:
 * tasks.test.ts (all beside this file).
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { renderFiles } from "../../../content/files";
import { parseSettings } from "../../../settings/parse";
import { IMAGES } from "../../../catalog/versions";
import { ecsNetwork, namespaceName } from "../../../components/staging/ecsStack";
import {
  HEALTH_CHECK_PATHS,
  SERVICE_PORTS,
  SERVICE_USERS,
} from "../../../components/staging/tasks";
import { ECS_SERVICES } from "../../../catalog/names";
import {
  ALL_RECEIVERS_CONFIG,
  isSecretWrapper,
  plaintextOccurrences,
  programError,
  type ProgramRun,
  registeredCount,
  resourcesOfType,
  reveal,
  sharedRun,
  settingsInput,
  TEST_SECRETS,
} from "../../support/harness";

const TASK = "aws:ecs/taskDefinition:TaskDefinition";
const SERVICE = "aws:ecs/service:Service";
const OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2";
const REGISTRY = "aws:servicediscovery/service:Service";
const CLUSTER = "staging-eu-west-1";
const NAMESPACE = namespaceName(CLUSTER);

interface Container {
  name: string;
  image: string;
  essential: boolean;
  command?: string[];
  entryPoint?: string[];
  user?: string;
  environment?: { name: string; value: string }[];
  secrets?: { name: string; valueFrom: string }[];
  portMappings?: { containerPort: number }[];
  mountPoints?: { sourceVolume: string; containerPath: string; readOnly: boolean }[];
  dependsOn?: { containerName: string; condition: string }[];
  healthCheck?: { command: string[] };
  logConfiguration?: { logDriver: string; options: Record<string, string> };
}

const allSecrets = {
  secrets: { ...TEST_SECRETS },
  config: { heartbeatUrl: ALL_RECEIVERS_CONFIG.heartbeatUrl },
};

function taskOf(run: ProgramRun, service: string) {
  const task = resourcesOfType(run, TASK).find((t) => t.inputs.family === `${CLUSTER}-${service}`);
  assert.ok(task, `task definition of ${service}`);
  return task;
}

function containersOf(run: ProgramRun, service: string): Container[] {
  return JSON.parse(
    String(reveal(taskOf(run, service).inputs.containerDefinitions)),
  ) as Container[];
}

function container(run: ProgramRun, service: string, name: string): Container {
  const found = containersOf(run, service).find((c) => c.name === name);
  assert.ok(found, `${name} in ${service}`);
  return found;
}

describe("staging stack (ECS Fargate) under mocks", () => {
  let run: ProgramRun;
  let bare: ProgramRun;
  before(async () => {
    bare = await sharedRun("staging", {
      secrets: {
        grafanaAdminPassword: TEST_SECRETS.grafanaAdminPassword,
        smtpPassword: TEST_SECRETS.smtpPassword,
      },
    });
    run = await sharedRun("staging", allSecrets);
  });

  it("registers one EcsStack and the same outputs as dev, plus the ALB, EFS and cluster names", () => {
    assert.equal(resourcesOfType(run, "monitoring:aws:EcsStack").length, 1);
    assert.equal(run.outputs.environment, "staging");
    assert.match(
      String(run.outputs.grafanaUrl),
      /^http:\/\/staging-eu-west-1-.*\.elb\.amazonaws\.com$/,
    );
    assert.equal(run.outputs.prometheusUrl, `http://prometheus.${NAMESPACE}:9090`);
    assert.equal(run.outputs.alertmanagerUrl, `http://alertmanager.${NAMESPACE}:9093`);
    assert.equal(run.outputs.lokiUrl, `http://loki.${NAMESPACE}:3100`);
    assert.deepEqual(run.outputs.workloads, [...ECS_SERVICES]);
    assert.equal(run.outputs.ecsClusterName, CLUSTER);
    assert.ok(String(run.outputs.efsFileSystemId).length > 0);
    assert.ok(String(run.outputs.albDnsName).endsWith(".elb.amazonaws.com"));
  });

  it("runs one Fargate service per component, single writer, in private subnets without public IPs", () => {
    const services = resourcesOfType(run, SERVICE);
    assert.deepEqual(services.map((s) => s.inputs.name).sort(), [...ECS_SERVICES].sort());
    for (const s of services) {
      const i = reveal(s.inputs) as Record<string, unknown> & {
        networkConfiguration: {
          subnets: string[];
          assignPublicIp: boolean;
          securityGroups: string[];
        };
      };
      assert.equal(i.launchType, "FARGATE");
      assert.equal(i.platformVersion, "1.4.0");
      assert.equal(i.desiredCount, 1);
      assert.equal(
        i.deploymentMinimumHealthyPercent,
        0,
        `${String(i.name)}: no second writer during a deploy`,
      );
      assert.equal(i.deploymentMaximumPercent, 100);
      assert.equal(i.networkConfiguration.assignPublicIp, false);
      assert.deepEqual(
        i.networkConfiguration.subnets,
        [`${CLUSTER}-private-0-id`, `${CLUSTER}-private-1-id`].filter((id) =>
          i.networkConfiguration.subnets.includes(id),
        ),
      );
      assert.equal(i.networkConfiguration.subnets.length, 2);
      assert.ok(
        i.networkConfiguration.subnets.every((id) => /private/.test(id)),
        "private subnets only",
      );
      assert.ok(
        (i.serviceRegistries as { registryArn: string }).registryArn.includes(String(i.name)),
      );
    }
    const grafana = reveal(services.find((s) => s.inputs.name === "grafana")?.inputs) as {
      loadBalancers: { containerName: string; containerPort: number }[];
    };
    assert.deepEqual(
      grafana.loadBalancers.map((l) => [l.containerName, l.containerPort]),
      [["grafana", 3000]],
    );
    const prometheus = reveal(
      services.find((s) => s.inputs.name === "prometheus")?.inputs,
    ) as Record<string, unknown>;
    assert.equal(prometheus.loadBalancers, undefined, "not exposed without adminCidrs");
  });

  it("registers every service in the Cloud Map namespace with A records", () => {
    const ns = resourcesOfType(run, "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace");
    assert.deepEqual(
      ns.map((n) => n.inputs.name),
      [NAMESPACE],
    );
    const registries = resourcesOfType(run, REGISTRY);
    assert.deepEqual(registries.map((r) => r.inputs.name).sort(), [...ECS_SERVICES].sort());
    for (const r of registries) {
      const dns = r.inputs.dnsConfig as {
        dnsRecords: { type: string; ttl: number }[];
        namespaceId: string;
      };
      assert.deepEqual(dns.dnsRecords, [{ type: "A", ttl: 10 }]);
      assert.equal(dns.namespaceId, `${CLUSTER}-namespace-id`);
    }
  });

  it("Prometheus finds every target through DNS service discovery, never by IP", () => {
    const settings = parseSettings(
      settingsInput("staging", {}, { grafanaAdminPassword: "x".repeat(12), smtpPassword: "y" }),
    );
    const files = renderFiles(settings, ecsNetwork(NAMESPACE));
    const config = parse(files.prometheus["/etc/prometheus/prometheus.yml"]) as {
      scrape_configs: {
        job_name: string;
        dns_sd_configs?: { names: string[]; port: number; type: string }[];
        static_configs?: { targets: string[] }[];
      }[];
      alerting: { alertmanagers: { dns_sd_configs: { names: string[] }[] }[] };
    };
    const jobs = Object.fromEntries(config.scrape_configs.map((j) => [j.job_name, j]));
    assert.deepEqual(Object.keys(jobs), ["prometheus", "alertmanager", "grafana", "loki", "node"]);
    assert.deepEqual(jobs.alertmanager.dns_sd_configs, [
      { names: [`alertmanager.${NAMESPACE}`], type: "A", port: 9093 },
    ]);
    assert.deepEqual(jobs.loki.dns_sd_configs, [
      { names: [`loki.${NAMESPACE}`], type: "A", port: 3100 },
    ]);
    assert.deepEqual(
      jobs.node.dns_sd_configs?.[0].names,
      ECS_SERVICES.map((s) => `${s}.${NAMESPACE}`),
    );
    assert.deepEqual(jobs.prometheus.static_configs, [{ targets: ["localhost:9090"] }]);
    assert.deepEqual(config.alerting.alertmanagers[0].dns_sd_configs[0].names, [
      `alertmanager.${NAMESPACE}`,
    ]);
    const datasources = files.grafana["/etc/grafana/provisioning/datasources/datasources.yaml"];
    assert.match(
      datasources,
      new RegExp(`http://prometheus\\.${NAMESPACE.replace(/\./g, "\\.")}:9090`),
    );
    assert.match(datasources, new RegExp(`http://loki\\.${NAMESPACE.replace(/\./g, "\\.")}:3100`));
    assert.deepEqual(files.alloy, {}, "no Alloy on Fargate");
    const rules = Object.keys(files.prometheus).filter((f) => f.includes("/rules/"));
    const text = rules.map((f) => files.prometheus[f]).join("\n");
    assert.ok(!text.includes("AlloyDown"), "no alert about a component staging does not run");
    assert.ok(text.includes("LokiDown"));
  });

  it("task definitions: Fargate, awsvpc, sizes from settings, EFS data with access point, TLS and IAM", () => {
    for (const service of ECS_SERVICES) {
      const t = reveal(taskOf(run, service).inputs) as Record<string, unknown> & {
        volumes: { name: string; efsVolumeConfiguration?: Record<string, unknown> }[];
      };
      assert.deepEqual(t.requiresCompatibilities, ["FARGATE"]);
      assert.equal(t.networkMode, "awsvpc");
      const data = t.volumes.find((v) => v.name === "data");
      assert.deepEqual(data?.efsVolumeConfiguration, {
        fileSystemId: `${CLUSTER}-efs-id`,
        transitEncryption: "ENABLED",
        authorizationConfig: { accessPointId: `${CLUSTER}-efs-ap-${service}-id`, iam: "ENABLED" },
      });
      assert.ok(String(t.executionRoleArn).includes(service), "own execution role");
      assert.ok(String(t.taskRoleArn).includes(service), "own task role");
      assert.notEqual(t.executionRoleArn, t.taskRoleArn);
    }
    const prom = reveal(taskOf(run, "prometheus").inputs) as { cpu: string; memory: string };
    // derived from staging's capacity (100 000 series every 30 s): 0.44 vCPU / 1 GiB with the sidecar
    assert.deepEqual([prom.cpu, prom.memory], ["512", "1024"]);
  });

  it("sizes tasks from `taskSizes` and rejects a size Fargate does not offer, before any resource", async () => {
    const sized = await sharedRun("staging", {
      ...allSecrets,
      config: { ...allSecrets.config, taskSizes: { prometheus: { cpu: 2048, memory: 8192 } } },
    });
    const t = reveal(taskOf(sized, "prometheus").inputs) as { cpu: string; memory: string };
    assert.deepEqual([t.cpu, t.memory], ["2048", "8192"]);
    const message = await programError("staging", {
      ...allSecrets,
      config: { ...allSecrets.config, taskSizes: { prometheus: { cpu: 1024, memory: 512 } } },
    });
    assert.match(
      message,
      /`taskSizes\.prometheus`: got \{"cpu":1024,"memory":512\} — memory 512 MiB is not allowed with cpu 1024; allowed: 2048 to 8192 in steps of 1024 MiB/,
    );
    assert.equal(registeredCount(), 0);
  });

  it("refuses unsafe and colliding network settings, all at once, before any resource", async () => {
    const message = await programError("staging", {
      ...allSecrets,
      config: {
        ...allSecrets.config,
        adminCidrs: ["0.0.0.0/0"],
        vpcId: "vpc-0a1b2c3d4e5f67890",
        publicSubnetIds: ["subnet-0a1b2c3d", "subnet-1a2b3c4d"],
        privateSubnetIds: ["subnet-1a2b3c4d", "subnet-2a3b4c5d"],
        eksVersion: "1.33",
      },
    });
    assert.match(message, /\(3 problems\)/);
    assert.match(
      message,
      /`privateSubnetIds\[0\]`: got "subnet-1a2b3c4d" — it is also in `publicSubnetIds`/,
    );
    assert.match(
      message,
      /`adminCidrs`: got \["0\.0\.0\.0\/0"\] — without `certificateArn`.*allowPublicAdminWithoutTls true/,
    );
    assert.match(message, /`eksVersion` is a prod setting and the staging stack ignores it/);
    assert.equal(registeredCount(), 0);
  });

  it("containers: pinned images, real health checks, config from the init container, node-exporter sidecar", () => {
    for (const service of ECS_SERVICES) {
      const containers = containersOf(run, service);
      assert.deepEqual(
        containers.map((c) => c.name),
        ["config-init", service, "node-exporter"],
      );
      for (const c of containers) {
        assert.match(c.image, /:(v?\d+\.\d+\.\d+)$/, `${c.name} image pinned`);
        assert.equal(c.logConfiguration?.logDriver, "awslogs");
        assert.equal(c.logConfiguration?.options["awslogs-group"], `/ecs/${CLUSTER}/${service}`);
      }
      const main = container(run, service, service);
      assert.equal(main.image, IMAGES[service]);
      assert.equal(main.essential, true);
      assert.deepEqual(
        main.portMappings?.map((p) => p.containerPort),
        [SERVICE_PORTS[service]],
      );
      assert.deepEqual(main.dependsOn, [{ containerName: "config-init", condition: "SUCCESS" }]);
      assert.equal(main.user, `${SERVICE_USERS[service].uid}:${SERVICE_USERS[service].gid}`);
      const check = main.healthCheck?.command.join(" ") ?? "";
      assert.ok(
        service === "loki"
          ? check.includes("-health")
          : check.includes(HEALTH_CHECK_PATHS[service]),
        `${service} health check: ${check}`,
      );
      assert.ok(
        main.mountPoints?.every((m) => m.sourceVolume === "data" || m.readOnly),
        "config read-only",
      );
      const init = container(run, service, "config-init");
      assert.equal(init.essential, false);
      assert.equal(init.image, IMAGES.configInit);
      assert.deepEqual(init.entryPoint, ["sh", "-c"]);
      const ne = container(run, service, "node-exporter");
      assert.equal(ne.essential, false);
      assert.equal(ne.image, IMAGES.nodeExporter);
    }
    assert.ok(
      container(run, "prometheus", "prometheus").command?.includes(
        "--storage.tsdb.retention.time=30d",
      ),
    );
    assert.ok(
      container(run, "alertmanager", "alertmanager").command?.includes("--cluster.listen-address="),
    );
  });

  it("delivers the same rendered files as the builders, under a content-hash prefix in a private bucket", () => {
    const objects = resourcesOfType(run, OBJECT).map(
      (o) => reveal(o.inputs) as { key: string; content: string },
    );
    const settings = parseSettings(
      settingsInput("staging", allSecrets.config, { ...TEST_SECRETS }),
    );
    const files = renderFiles(settings, ecsNetwork(NAMESPACE));
    for (const service of ECS_SERVICES) {
      const own = objects.filter((o) => o.key.startsWith(`${service}/`));
      assert.deepEqual(
        own.map((o) => `/${o.key.split("/").slice(2).join("/")}`).sort(),
        Object.keys(files[service]).sort(),
      );
      for (const o of own) {
        const file = `/${o.key.split("/").slice(2).join("/")}`;
        assert.equal(o.content, files[service][file], `${o.key} is the rendered file`);
      }
      const prefix = own[0].key.split("/").slice(0, 2).join("/");
      const init = container(run, service, "config-init");
      assert.deepEqual(
        init.environment?.find((e) => e.name === "CONFIG_PREFIX")?.value,
        `${prefix}/`,
      );
    }
    const block = resourcesOfType(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")[0]
      .inputs;
    assert.deepEqual(
      [
        block.blockPublicAcls,
        block.blockPublicPolicy,
        block.ignorePublicAcls,
        block.restrictPublicBuckets,
      ],
      [true, true, true, true],
    );
  });

  it("a config change gives a new S3 prefix and task definition (the service rolls); others stay", async () => {
    const changed = await sharedRun("staging", {
      ...allSecrets,
      config: { ...allSecrets.config, retentionTime: "15d" },
    });
    const prefixOf = (r: ProgramRun, service: string) =>
      container(r, service, "config-init").environment?.find((e) => e.name === "CONFIG_PREFIX")
        ?.value;
    // Retention is a flag, not a file: the Prometheus task changes, its files do not.
    assert.equal(prefixOf(changed, "prometheus"), prefixOf(run, "prometheus"));
    assert.ok(
      container(changed, "prometheus", "prometheus").command?.includes(
        "--storage.tsdb.retention.time=15d",
      ),
    );
    const rules = await sharedRun("staging", {
      ...allSecrets,
      config: { ...allSecrets.config, evaluationInterval: "1m" },
    });
    assert.notEqual(prefixOf(rules, "prometheus"), prefixOf(run, "prometheus"));
    assert.equal(prefixOf(rules, "grafana"), prefixOf(run, "grafana"));
  });

  it("secrets reach tasks only by Secrets Manager ARN, never as values in any resource", () => {
    for (const [name, secret] of Object.entries(TEST_SECRETS)) {
      for (const r of run.resources) {
        assert.deepEqual(
          plaintextOccurrences(r.inputs, secret),
          [],
          `${name} leaks in plaintext into ${r.type} ${r.name}`,
        );
      }
    }
    for (const v of resourcesOfType(run, "aws:secretsmanager/secretVersion:SecretVersion")) {
      assert.ok(isSecretWrapper(v.inputs.secretString), `${v.name} secretString is secret`);
    }
    const am = container(run, "alertmanager", "config-init");
    assert.deepEqual(am.secrets?.map((s) => s.name).sort(), [
      "SECRET_HEARTBEAT_TOKEN",
      "SECRET_PAGERDUTY_ROUTING_KEY",
      "SECRET_SLACK_WEBHOOK_URL",
      "SECRET_SMTP_PASSWORD",
    ]);
    for (const s of am.secrets ?? []) assert.match(s.valueFrom, /^arn:aws:secretsmanager:/);
    const grafanaInit = container(run, "grafana", "config-init");
    assert.deepEqual(
      grafanaInit.secrets?.map((s) => s.name),
      ["SECRET_GRAFANA_ADMIN_PASSWORD"],
    );
    assert.equal(
      container(run, "prometheus", "config-init").secrets?.length ?? 0,
      0,
      "least privilege",
    );
    for (const service of ECS_SERVICES) {
      for (const c of containersOf(run, service)) {
        for (const e of c.environment ?? []) {
          assert.ok(
            !/PASSWORD$|TOKEN$|KEY$|WEBHOOK/.test(e.name),
            `${service}/${c.name}: ${e.name} in environment`,
          );
        }
      }
    }
    const grafana = container(run, "grafana", "grafana");
    assert.deepEqual(
      grafana.environment?.find((e) => e.name === "GF_SECURITY_ADMIN_PASSWORD__FILE")?.value,
      "/run/secrets/grafana-admin-password",
    );
  });

  it("without optional secrets only Grafana's password exists in Secrets Manager (and SMTP for the stack file)", () => {
    const names = resourcesOfType(bare, "aws:secretsmanager/secret:Secret")
      .map((s) => String(s.inputs.name))
      .sort();
    assert.deepEqual(names, [`${CLUSTER}/grafanaAdminPassword`, `${CLUSTER}/smtpPassword`]);
    assert.equal(
      container(bare, "alertmanager", "config-init")
        .secrets?.map((s) => s.name)
        .join(),
      "SECRET_SMTP_PASSWORD",
    );
  });
});
