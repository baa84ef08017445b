/**
 * The staging security groups and ALB (components/staging/loadBalancer.ts): the pure rule table and
 * listener plan, the inputs recorded under mocks, and the network parts together.
 */
import * as assert from "node:assert/strict";
import * as lb from "@pulumi/aws/lb";
import * as pulumi from "@pulumi/pulumi";
import { getAllResources } from "@pulumi/pulumi/output";
import {
  ADMIN_LISTENER_PORTS,
  ANYWHERE,
  listenerPlan,
  loadBalancer,
  Rule,
  securityGroupRules,
  securityGroups,
  SSL_POLICY,
} from "../../../components/staging/loadBalancer";
import { network } from "../../../components/aws/network";
import type { EcsService } from "../../../catalog/names";
import type { Network } from "../../../components/aws/types";
import { PORTS } from "../../../catalog/names";
import type { AwsSettings } from "../../../settings/settings";
import { MOCK_REGION, promiseOf, RecordedResource, reveal } from "../../support/harness";
import {
  assertTagged,
  named,
  ofType,
  PREFIX,
  record,
  staging,
  T,
  TAGS,
} from "../../support/stagingNetwork";

const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789";

const ADMIN = ["198.51.100.0/24", "203.0.113.7/32"];

const SERVICE_PORTS: Record<EcsService, number> = {
  prometheus: PORTS.prometheus,
  alertmanager: PORTS.alertmanager,
  grafana: PORTS.grafana,
  loki: PORTS.loki,
};

const HEALTH: Record<EcsService, string> = {
  prometheus: "/-/healthy",
  alertmanager: "/-/healthy",
  grafana: "/api/health",
  loki: "/ready",
};

const SMTP_PORT = 587;

const NODE_EXPORTER = PORTS.nodeExporter;

/** Characters EC2 accepts in security group rule descriptions. */
const EC2_DESCRIPTION = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]{1,255}$/;

function countByType(resources: readonly RecordedResource[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
  return counts;
}

const fakeNetwork: Network = {
  vpcId: pulumi.output("vpc-0123456789abcdef0"),
  vpcCidr: pulumi.output("10.40.0.0/16"),
  publicSubnetIds: pulumi.output(["subnet-pub0", "subnet-pub1"]),
  privateSubnetIds: pulumi.output(["subnet-priv0", "subnet-priv1"]),
};

function rulesForPorts(settings: AwsSettings): number[] {
  return securityGroupRules({
    settings,
    ports: SERVICE_PORTS,
    nodeExporterPort: NODE_EXPORTER,
  }).alb.ingress.map((r) => r.fromPort);
}

describe("staging security groups", () => {
  const rulesFor = (settings: AwsSettings, withSmtp = true) =>
    securityGroupRules({
      settings,
      ports: SERVICE_PORTS,
      nodeExporterPort: NODE_EXPORTER,
      smtpPort: withSmtp ? SMTP_PORT : undefined,
    });
  const brief = (rules: readonly Rule[]) =>
    rules.map((r) => ({
      port: r.fromPort === r.toPort ? r.fromPort : `${r.fromPort}-${r.toPort}`,
      from: r.sourceSecurityGroup ?? r.cidrBlocks,
    }));
  const selfPorts = [9090, 9093, 3000, 3100, 9100].map((port) => ({ port, from: "self" }));

  const variants: Record<string, AwsSettings> = {
    defaults: staging(),
    tls: staging({ certificateArn: CERT }),
    admin: staging({ adminCidrs: ADMIN }),
    "tls+admin": staging({ certificateArn: CERT, adminCidrs: ADMIN }),
    "restricted+admin": staging({ allowedCidrs: ["192.0.2.0/24"], adminCidrs: ADMIN }),
  };

  describe("rule table", () => {
    it("defaults: Grafana on 80 from anywhere, nothing else exposed, tasks reachable only from the ALB and each other", () => {
      const t = rulesFor(variants.defaults);
      assert.deepEqual(brief(t.alb.ingress), [{ port: 80, from: [ANYWHERE] }]);
      assert.deepEqual(brief(t.alb.egress), [{ port: 3000, from: "tasks" }]);
      assert.deepEqual(brief(t.tasks.ingress), [{ port: 3000, from: "alb" }, ...selfPorts]);
      assert.deepEqual(brief(t.tasks.egress), [
        { port: 443, from: [ANYWHERE] },
        { port: SMTP_PORT, from: [ANYWHERE] },
        ...selfPorts,
      ]);
    });

    it("with a certificate opens 443 and the redirecting 80, from `allowedCidrs` only", () => {
      const t = rulesFor(variants.tls);
      assert.deepEqual(brief(t.alb.ingress), [
        { port: 443, from: [ANYWHERE] },
        { port: 80, from: [ANYWHERE] },
      ]);
      const restricted = rulesFor(
        staging({ certificateArn: CERT, allowedCidrs: ["192.0.2.0/24"] }),
      );
      assert.deepEqual(brief(restricted.alb.ingress), [
        { port: 443, from: ["192.0.2.0/24"] },
        { port: 80, from: ["192.0.2.0/24"] },
      ]);
    });

    it("with `adminCidrs` exposes Prometheus, Alertmanager and Loki to those CIDRs only", () => {
      const t = rulesFor(variants["restricted+admin"]);
      assert.deepEqual(brief(t.alb.ingress), [
        { port: 80, from: ["192.0.2.0/24"] },
        { port: 9090, from: ADMIN },
        { port: 9093, from: ADMIN },
        { port: 3100, from: ADMIN },
      ]);
      assert.deepEqual(brief(t.alb.egress), [
        { port: 9090, from: "tasks" },
        { port: 9093, from: "tasks" },
        { port: 3000, from: "tasks" },
        { port: 3100, from: "tasks" },
      ]);
      assert.deepEqual(
        brief(t.tasks.ingress.filter((r) => r.sourceSecurityGroup === "alb")),
        [9090, 9093, 3000, 3100].map((port) => ({ port, from: "alb" })),
      );
    });

    it("opens no SMTP egress without an SMTP port", () => {
      const t = rulesFor(variants.defaults, false);
      assert.deepEqual(brief(t.tasks.egress), [{ port: 443, from: [ANYWHERE] }, ...selfPorts]);
    });

    for (const [variant, settings] of Object.entries(variants)) {
      it(`${variant}: 0.0.0.0/0 ingress only on the Grafana listener ports, and only from \`allowedCidrs\``, () => {
        const t = rulesFor(settings);
        const grafanaPorts = settings.certificateArn === undefined ? [80] : [443, 80];
        for (const rule of [...t.alb.ingress, ...t.tasks.ingress]) {
          if (!(rule.cidrBlocks ?? []).includes(ANYWHERE)) continue;
          assert.ok(
            grafanaPorts.includes(rule.fromPort),
            `port ${rule.fromPort} open to the world`,
          );
          assert.ok(settings.allowedCidrs.includes(ANYWHERE));
        }
        assert.ok(
          t.tasks.ingress.every((r) => r.cidrBlocks === undefined),
          "tasks accept CIDRs",
        );
        assert.ok(t.alb.egress.every((r) => r.sourceSecurityGroup === "tasks"));
        for (const rule of t.alb.ingress.filter((r) => r.fromPort !== 80 && r.fromPort !== 443)) {
          assert.deepEqual(rule.cidrBlocks, settings.adminCidrs);
        }
        const all = [...t.alb.ingress, ...t.alb.egress, ...t.tasks.ingress, ...t.tasks.egress];
        assert.ok(
          !all.some((r) => r.fromPort <= 2049 && 2049 <= r.toPort),
          "NFS belongs to storage",
        );
        for (const rule of all) assert.match(rule.description, EC2_DESCRIPTION);
      });
    }
  });

  describe("recorded rules", () => {
    async function recordGroups(settings: AwsSettings) {
      return record((opts) =>
        securityGroups(
          {
            network: fakeNetwork,
            settings,
            ports: SERVICE_PORTS,
            nodeExporterPort: NODE_EXPORTER,
            smtpPort: SMTP_PORT,
          },
          opts,
        ),
      );
    }

    it("creates two groups without inline rules and one rule resource per rule and peer", async () => {
      const settings = variants["tls+admin"];
      const { resources, result, orphans } = await recordGroups(settings);
      const groups = ofType(resources, T.sg);
      assert.deepEqual(
        groups.map((g) => g.name),
        ["stg-alb", "stg-tasks"],
      );
      for (const g of groups) {
        assert.equal(g.inputs.vpcId, "vpc-0123456789abcdef0");
        assert.equal(g.inputs.ingress, undefined);
        assert.equal(g.inputs.egress, undefined);
      }
      const t = rulesFor(settings);
      const expand = (rules: readonly Rule[]) =>
        rules.reduce(
          (n, r) => n + (r.cidrBlocks?.length ?? 0) + (r.sourceSecurityGroup ? 1 : 0),
          0,
        );
      assert.equal(
        ofType(resources, T.ingress).length,
        expand(t.alb.ingress) + expand(t.tasks.ingress),
      );
      assert.equal(
        ofType(resources, T.egress).length,
        expand(t.alb.egress) + expand(t.tasks.egress),
      );
      assert.equal(await promiseOf(result.albSecurityGroupId), "stg-alb-id");
      assert.equal(await promiseOf(result.tasksSecurityGroupId), "stg-tasks-id");
      assert.deepEqual(orphans, []);
      assertTagged(resources);
    });

    it("opens 0.0.0.0/0 only on the ALB's Grafana ports and the admin ports only to `adminCidrs`", async () => {
      const { resources } = await recordGroups(variants["tls+admin"]);
      const ingress = ofType(resources, T.ingress).map((r) => r.inputs);
      const world = ingress.filter((r) => r.cidrIpv4 === ANYWHERE);
      assert.deepEqual(
        world.map((r) => [r.securityGroupId, r.fromPort, r.toPort, r.ipProtocol]),
        [
          ["stg-alb-id", 443, 443, "tcp"],
          ["stg-alb-id", 80, 80, "tcp"],
        ],
      );
      for (const port of Object.values(ADMIN_LISTENER_PORTS)) {
        const onPort = ingress.filter(
          (r) => r.securityGroupId === "stg-alb-id" && r.fromPort === port,
        );
        assert.deepEqual(onPort.map((r) => r.cidrIpv4).sort(), [...ADMIN].sort(), `port ${port}`);
      }
      const tasksIngress = ingress.filter((r) => r.securityGroupId === "stg-tasks-id");
      assert.ok(tasksIngress.every((r) => r.cidrIpv4 === undefined));
      assert.deepEqual(
        tasksIngress
          .filter((r) => r.referencedSecurityGroupId === "stg-alb-id")
          .map((r) => r.fromPort),
        [9090, 9093, 3000, 3100],
      );
      assert.deepEqual(
        tasksIngress
          .filter((r) => r.referencedSecurityGroupId === "stg-tasks-id")
          .map((r) => r.fromPort),
        [9090, 9093, 3000, 3100, 9100],
      );
    });

    it("without `adminCidrs` exposes only Grafana and sends ALB traffic only to the Grafana port", async () => {
      const { resources } = await recordGroups(variants.defaults);
      const albIngress = ofType(resources, T.ingress).filter(
        (r) => r.inputs.securityGroupId === "stg-alb-id",
      );
      assert.deepEqual(
        albIngress.map((r) => [r.inputs.fromPort, r.inputs.cidrIpv4]),
        [[80, ANYWHERE]],
      );
      const albEgress = ofType(resources, T.egress).filter(
        (r) => r.inputs.securityGroupId === "stg-alb-id",
      );
      assert.deepEqual(
        albEgress.map((r) => [r.inputs.fromPort, r.inputs.referencedSecurityGroupId]),
        [[3000, "stg-tasks-id"]],
      );
      const tasksEgress = ofType(resources, T.egress).filter(
        (r) => r.inputs.securityGroupId === "stg-tasks-id",
      );
      assert.deepEqual(
        tasksEgress
          .filter((r) => r.inputs.cidrIpv4 !== undefined)
          .map((r) => [r.inputs.fromPort, r.inputs.cidrIpv4]),
        [
          [443, ANYWHERE],
          [SMTP_PORT, ANYWHERE],
        ],
      );
    });
  });
});

describe("staging load balancer", () => {
  async function recordLb(settings: AwsSettings) {
    return record((opts) =>
      loadBalancer(
        {
          network: fakeNetwork,
          securityGroups: {
            albSecurityGroupId: pulumi.output("sg-alb"),
            tasksSecurityGroupId: pulumi.output("sg-tasks"),
          },
          settings,
          ports: SERVICE_PORTS,
          healthChecks: HEALTH,
        },
        opts,
      ),
    );
  }
  const listeners = (resources: readonly RecordedResource[]) =>
    ofType(resources, T.listener).map((l) => reveal(l.inputs) as Record<string, unknown>);
  const listenersByPort = (resources: readonly RecordedResource[]) =>
    Object.fromEntries(listeners(resources).map((l) => [Number(l.port), l])) as Record<
      number,
      Record<string, unknown>
    >;
  const dns = `${PREFIX}-alb-1234567890.${MOCK_REGION}.elb.amazonaws.com`;
  const tgArn = (service: EcsService) =>
    `arn:aws:lb:${MOCK_REGION}:123456789012:${PREFIX}-${service}`;

  it("without a certificate serves Grafana over HTTP on 80 only, from an internet-facing ALB", async () => {
    const { resources, result, orphans } = await recordLb(staging());
    const alb = named(resources, T.alb, `${PREFIX}-alb`).inputs;
    assert.equal(alb.loadBalancerType, "application");
    assert.equal(alb.internal, false);
    assert.deepEqual(alb.subnets, ["subnet-pub0", "subnet-pub1"]);
    assert.deepEqual(alb.securityGroups, ["sg-alb"]);
    assert.equal(alb.dropInvalidHeaderFields, true);
    assert.equal(alb.enableDeletionProtection, false);
    assert.ok(String(alb.namePrefix).length <= 6);
    assert.deepEqual(listeners(resources), [
      {
        loadBalancerArn: `arn:aws:lb:${MOCK_REGION}:123456789012:${PREFIX}-alb`,
        port: 80,
        protocol: "HTTP",
        defaultActions: [{ type: "forward", targetGroupArn: tgArn("grafana") }],
        tags: { ...TAGS, Name: `${PREFIX}-listener-80` },
      },
    ]);
    assert.deepEqual(
      ofType(resources, T.targetGroup).map((g) => g.name),
      [`${PREFIX}-grafana`],
    );
    assert.deepEqual(Object.keys(result.urls), ["grafana"]);
    assert.equal(await promiseOf(result.urls.grafana!), `http://${dns}`);
    assert.equal(await promiseOf(result.dnsName), dns);
    assert.deepEqual(orphans, []);
    assertTagged(resources);
  });

  it("with a certificate serves HTTPS on 443 with a TLS 1.3 policy and redirects 80 to it", async () => {
    const { resources, result } = await recordLb(staging({ certificateArn: CERT }));
    const byPort = listenersByPort(resources);
    assert.deepEqual(
      Object.keys(byPort)
        .map(Number)
        .sort((a, b) => a - b),
      [80, 443],
    );
    assert.equal(byPort[443].protocol, "HTTPS");
    assert.equal(byPort[443].certificateArn, CERT);
    assert.equal(byPort[443].sslPolicy, SSL_POLICY);
    assert.match(SSL_POLICY, /^ELBSecurityPolicy-TLS13-1-2-/);
    assert.deepEqual(byPort[443].defaultActions, [
      { type: "forward", targetGroupArn: tgArn("grafana") },
    ]);
    assert.equal(byPort[80].protocol, "HTTP");
    assert.equal(byPort[80].certificateArn, undefined);
    assert.deepEqual(byPort[80].defaultActions, [
      { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
    ]);
    assert.equal(await promiseOf(result.urls.grafana!), `https://${dns}`);
  });

  it("adds admin listeners and target groups with the real health checks when `adminCidrs` is set", async () => {
    const { resources, result } = await recordLb(
      staging({ certificateArn: CERT, adminCidrs: ADMIN }),
    );
    const groups = Object.fromEntries(
      ofType(resources, T.targetGroup).map((g) => [g.name.slice(PREFIX.length + 1), g.inputs]),
    );
    assert.deepEqual(Object.keys(groups).sort(), ["alertmanager", "grafana", "loki", "prometheus"]);
    for (const service of Object.keys(HEALTH) as EcsService[]) {
      const g = groups[service];
      assert.equal(g.targetType, "ip", service);
      assert.equal(g.protocol, "HTTP", service);
      assert.equal(g.port, SERVICE_PORTS[service], service);
      assert.equal(g.vpcId, "vpc-0123456789abcdef0", service);
      assert.equal(g.deregistrationDelay, 30, service);
      assert.ok(String(g.namePrefix).length <= 6, service);
      const health = g.healthCheck as Record<string, unknown>;
      assert.equal(health.path, HEALTH[service], service);
      assert.equal(health.port, "traffic-port", service);
      assert.equal(health.matcher, "200", service);
    }
    const byPort = listenersByPort(resources);
    assert.deepEqual(
      Object.keys(byPort)
        .map(Number)
        .sort((a, b) => a - b),
      [80, 443, 3100, 9090, 9093],
    );
    for (const [service, port] of Object.entries(ADMIN_LISTENER_PORTS) as [EcsService, number][]) {
      assert.equal(byPort[port].protocol, "HTTPS");
      assert.equal(byPort[port].sslPolicy, SSL_POLICY);
      assert.deepEqual(byPort[port].defaultActions, [
        { type: "forward", targetGroupArn: tgArn(service) },
      ]);
      assert.equal(await promiseOf(result.urls[service]!), `https://${dns}:${port}`);
      assert.equal(await promiseOf(result.targetGroupArns[service]!), tgArn(service));
    }
  });

  it("admin listeners are plain HTTP without a certificate", async () => {
    const { resources, result } = await recordLb(staging({ adminCidrs: ADMIN }));
    const byPort = listenersByPort(resources);
    assert.deepEqual(
      Object.keys(byPort)
        .map(Number)
        .sort((a, b) => a - b),
      [80, 3100, 9090, 9093],
    );
    assert.ok(
      Object.values(byPort).every((l) => l.protocol === "HTTP" && l.sslPolicy === undefined),
    );
    assert.equal(await promiseOf(result.urls.prometheus!), `http://${dns}:9090`);
  });

  it("hands out target group ARNs that depend on their listener, so ECS services wait for it", async () => {
    const { result } = await recordLb(staging({ certificateArn: CERT, adminCidrs: ADMIN }));
    const expected: Record<EcsService, number> = { grafana: 443, ...ADMIN_LISTENER_PORTS };
    for (const [service, port] of Object.entries(expected) as [EcsService, number][]) {
      const deps = [...(await getAllResources(result.targetGroupArns[service]!))];
      const ports = await Promise.all(
        deps.filter((d) => lb.Listener.isInstance(d)).map((d) => promiseOf(d.port)),
      );
      assert.deepEqual(ports, [port], service);
    }
  });

  it("puts an internal ALB in the private subnets", async () => {
    const { resources } = await recordLb(staging({ albInternal: true }));
    const alb = named(resources, T.alb, `${PREFIX}-alb`).inputs;
    assert.equal(alb.internal, true);
    assert.deepEqual(alb.subnets, ["subnet-priv0", "subnet-priv1"]);
  });

  it("plans listeners consistently with the security group rules", () => {
    for (const settings of [staging(), staging({ certificateArn: CERT, adminCidrs: ADMIN })]) {
      const planned = listenerPlan(settings).map((l) => l.port);
      const opened = rulesForPorts(settings);
      assert.deepEqual(planned, opened);
    }
  });
});

describe("staging network parts together", () => {
  it("default staging settings create this set of resources", async () => {
    const settings = staging();
    const { resources } = await record((opts) => {
      const net = network(settings.network, opts);
      const groups = securityGroups(
        {
          network: net,
          settings,
          ports: SERVICE_PORTS,
          nodeExporterPort: NODE_EXPORTER,
          smtpPort: SMTP_PORT,
        },
        opts,
      );
      return loadBalancer(
        {
          network: net,
          securityGroups: groups,
          settings,
          ports: SERVICE_PORTS,
          healthChecks: HEALTH,
        },
        opts,
      );
    });
    assert.deepEqual(countByType(resources), {
      [T.vpc]: 1,
      [T.defaultSg]: 1,
      [T.igw]: 1,
      [T.subnet]: 4,
      [T.routeTable]: 3,
      [T.route]: 3,
      [T.association]: 4,
      [T.eip]: 1,
      [T.nat]: 1,
      [T.endpoint]: 1,
      [T.sg]: 2,
      [T.ingress]: 7,
      [T.egress]: 8,
      [T.alb]: 1,
      [T.targetGroup]: 1,
      [T.listener]: 1,
    });
    const alb = named(resources, T.alb, `${PREFIX}-alb`).inputs;
    assert.deepEqual(alb.subnets, ["stg-public-0-id", "stg-public-1-id"]);
    assert.deepEqual(alb.securityGroups, ["stg-alb-id"]);
  });
});
