/**
 * parseSettings (settings/parse.ts) end to end: the environment, every default, and bad input
 * reported with the key, the value and what is allowed.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { parseSettings } from "../../settings/parse";
import type { Settings } from "../../settings/settings";
import { IMAGES } from "../../catalog/versions";
import {
  ALL_RECEIVERS_CONFIG,
  PROJECT,
  promiseOf,
  settingsInput,
  TEST_SECRETS,
} from "../support/harness";

const HEARTBEAT = { heartbeatUrl: ALL_RECEIVERS_CONFIG.heartbeatUrl };

const input = settingsInput;

const parseOk = (
  stack: string,
  overrides: Record<string, unknown> = {},
  secrets?: Record<string, string>,
): Settings => parseSettings(input(stack, overrides, secrets));

function problems(
  stack: string,
  overrides: Record<string, unknown>,
  secrets?: Record<string, string>,
): string {
  try {
    parseSettings(input(stack, overrides, secrets));
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail("expected a configuration error");
}

describe("settings (settings/parse.ts)", () => {
  describe("environment", () => {
    it("is implied by the stack names dev, staging and prod", () => {
      const all = { ...TEST_SECRETS };
      assert.equal(parseOk("dev").environment, "dev");
      assert.equal(parseOk("staging", HEARTBEAT, all).environment, "staging");
      assert.equal(parseOk("prod", HEARTBEAT, all).environment, "prod");
    });

    it("comes from `environment` for any other stack name", () => {
      const s = parseSettings({ ...input("dev", { environment: "dev" }), stack: "pr-42" });
      assert.equal(s.environment, "dev");
      assert.equal(s.clusterName, "local");
    });

    it("is an error for an unknown stack name without `environment`, listing the allowed values", () => {
      assert.throws(
        () => parseSettings({ ...input("dev", { clusterName: undefined }), stack: "prod-eu" }),
        /`environment` is not set and the stack name `prod-eu` does not imply one: .*allowed: dev, staging, prod/,
      );
    });

    it("rejects an unknown environment value, naming the allowed values", () => {
      assert.match(
        problems("dev", { environment: "qa" }),
        /`environment`: got "qa" — must be one of dev, staging, prod\./,
      );
    });
  });

  describe("defaults", () => {
    it("keep 7 days in dev and 30 days in staging and prod (seeds), sized from the stack's capacity", () => {
      const bare = {
        retentionTime: undefined,
        retentionSize: undefined,
        lokiRetention: undefined,
        ...HEARTBEAT,
      };
      const dev = parseOk("dev", bare);
      const prod = parseOk("prod", bare, { ...TEST_SECRETS });
      const staging = parseOk("staging", bare, { ...TEST_SECRETS });
      assert.deepEqual(
        [dev.prometheus.retentionTime, dev.prometheus.retentionSize, dev.loki.retentionPeriod],
        // 20 000 series / 15 s × 7 d × 2 B = 1.5 GiB of blocks + the 384 MiB WAL floor = 1.9 GiB
        ["7d", "2GB", "7d"],
      );
      assert.deepEqual(
        [staging.prometheus.retentionTime, staging.prometheus.retentionSize],
        // 100 000 series / 30 s × 30 d × 2 B = 16.1 GiB + 0.44 GiB of WAL
        ["30d", "17GB"],
      );
      assert.deepEqual(
        [prod.prometheus.retentionTime, prod.prometheus.retentionSize, prod.loki.retentionPeriod],
        ["30d", "83GB", "30d"],
      );
    });

    it("fills every optional value and pins every image", async () => {
      const s = parseSettings({ ...input("dev", { clusterName: undefined }), stack: "dev" });
      assert.equal(s.clusterName, `${PROJECT}-dev`);
      assert.deepEqual(s.prometheus.externalLabels, {
        cluster: `${PROJECT}-dev`,
        environment: "dev",
      });
      assert.equal(s.prometheus.scrapeInterval, "15s");
      assert.equal(s.grafana.adminUser, "admin");
      assert.deepEqual(s.images, IMAGES);
      assert.equal(s.local.bindAddress, "127.0.0.1");
      assert.equal(s.local.hostPorts.grafana, 3000);
      assert.equal(s.alerting.slack, undefined);
      assert.equal(s.alerting.pagerduty, undefined);
      assert.equal(s.alerting.email, undefined);
      assert.equal(await promiseOf(s.grafana.adminPassword), TEST_SECRETS.grafanaAdminPassword);
      assert.equal(await pulumi.isSecret(s.grafana.adminPassword), true);
    });

    it("applies overrides: labels, images, extra targets, ports", () => {
      const s = parseOk("dev", {
        externalLabels: { region: "eu-west-1" },
        imageOverrides: { grafana: "docker.io/grafana/grafana:12.2.0" },
        scrapeTargets: [{ job: "api", targets: ["api.internal:8080"], labels: { team: "core" } }],
        hostPorts: { grafana: 3001 },
      });
      assert.deepEqual(s.prometheus.externalLabels, {
        region: "eu-west-1",
        cluster: "local",
        environment: "dev",
      });
      assert.equal(s.images.grafana, "docker.io/grafana/grafana:12.2.0");
      assert.equal(s.images.prometheus, IMAGES.prometheus);
      assert.deepEqual(s.scrapeTargets, [
        { job: "api", targets: ["api.internal:8080"], labels: { team: "core" } },
      ]);
      assert.equal(s.local.hostPorts.grafana, 3001);
      assert.equal(s.local.hostPorts.prometheus, 9090);
    });

    it("enables each receiver only when its secret is configured", () => {
      const s = parseOk("prod", HEARTBEAT, { ...TEST_SECRETS });
      assert.equal(s.alerting.slack?.channel, "#alerts-prod");
      assert.equal(s.alerting.heartbeat?.url, HEARTBEAT.heartbeatUrl);
      assert.equal(s.alerting.pagerduty?.url, "https://events.pagerduty.com/v2/enqueue");
      const none = parseOk(
        "prod",
        {},
        {
          grafanaAdminPassword: TEST_SECRETS.grafanaAdminPassword,
          smtpPassword: TEST_SECRETS.smtpPassword,
        },
      );
      assert.equal(none.alerting.heartbeat, undefined);
      assert.equal(none.alerting.pagerduty, undefined);
      assert.equal(none.alerting.slack, undefined);
      assert.notEqual(s.alerting.pagerduty, undefined);
      assert.deepEqual(s.alerting.email?.to, ["platform-team@acme.example", "oncall@acme.example"]);
      assert.equal(s.alerting.email?.requireTls, true);
    });
  });

  describe("bad input is reported with the key, the value and what is allowed", () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      [
        "staging: subnets without a VPC",
        { privateSubnetIds: ["subnet-0a0a0a0a", "subnet-0b0b0b0b"] },
        /`publicSubnetIds`\/`privateSubnetIds` are set but `vpcId` is not: subnets belong to an existing VPC/,
      ],
      [
        "staging: a VPC without private subnets",
        { vpcId: "vpc-0a1b2c3d4e5f67890", publicSubnetIds: ["subnet-0a0a0a0a", "subnet-0b0b0b0b"] },
        /`vpcId` is set but `privateSubnetIds` is not/,
      ],
      [
        "staging: an internet-facing ALB without public subnets",
        {
          vpcId: "vpc-0a1b2c3d4e5f67890",
          privateSubnetIds: ["subnet-0a0a0a0a", "subnet-0b0b0b0b"],
        },
        /`vpcId` is set but `publicSubnetIds` is not: an internet-facing ALB needs two public subnets \(or set `albInternal` to true\)/,
      ],
      [
        "staging: one subnet",
        {
          vpcId: "vpc-0a1b2c3d4e5f67890",
          privateSubnetIds: ["subnet-0a0a0a0a"],
          albInternal: true,
        },
        /`privateSubnetIds`: got \["subnet-0a0a0a0a"\] — needs subnets in at least two availability zones/,
      ],
      [
        "staging: a certificate ARN that is not an ACM ARN",
        { certificateArn: "arn:aws:iam::123456789012:server-certificate/monitoring" },
        /`certificateArn`: got "arn:aws:iam::123456789012:server-certificate\/monitoring" — must be an ACM certificate ARN/,
      ],
      [
        "staging: a CIDR that does not parse",
        { adminCidrs: ["10.0.0.0/33"] },
        /`adminCidrs\[0\]`: got "10.0.0.0\/33" — must be an IPv4 CIDR block such as `10.0.0.0\/16`/,
      ],
      [
        "staging: an address without a prefix length",
        { allowedCidrs: ["203.0.113.7"] },
        /`allowedCidrs\[0\]`: got "203.0.113.7" — must be an IPv4 CIDR block/,
      ],
      [
        "staging: a Fargate CPU size that does not exist",
        { taskSizes: { loki: { cpu: 768, memory: 2048 } } },
        /`taskSizes\.loki`: got \{"cpu":768,"memory":2048\} — cpu 768 is not a Fargate CPU size; allowed: 256, 512, 1024, 2048, 4096, 8192, 16384/,
      ],
      [
        "staging: more than Fargate offers",
        { taskSizes: { prometheus: { cpu: 16384, memory: 131072 } } },
        /memory 131072 MiB is not allowed with cpu 16384; allowed: 32768 to 122880 in steps of 8192 MiB\. For more than Fargate's 16 vCPU \/ 120 GiB use the `prod` \(EKS\) stack/,
      ],
      [
        "staging: a log retention CloudWatch does not accept",
        { logRetentionDays: 10 },
        /`logRetentionDays`: got 10 — must be one of the CloudWatch Logs retention values: 1, 3, 5, 7, 14, 30/,
      ],
      [
        "staging: a VPC too small for four /20 subnets",
        { vpcCidr: "10.40.0.0/20" },
        /`vpcCidr`: got "10.40.0.0\/20" — must be a \/18 or larger/,
      ],
      [
        "malformed duration",
        { retentionTime: "30x" },
        /`retentionTime`: got "30x" — must be a positive Prometheus duration/,
      ],
      [
        "zero duration",
        { scrapeInterval: "0s" },
        /`scrapeInterval`: got "0s" — must be a positive Prometheus duration/,
      ],
      [
        "malformed size",
        { retentionSize: "40QB" },
        /`retentionSize`: got "40QB" — must be a positive whole number followed by one of B, KB, MB, GB, TB, PB, EB/,
      ],
      ["zero size", { retentionSize: "0GB" }, /`retentionSize`: got "0GB"/],
      [
        "Loki retention not in days",
        { lokiRetention: "36h" },
        /`lokiRetention`: got "36h" — must be a whole number of days/,
      ],
      [
        "zero port",
        { hostPorts: { grafana: 0 } },
        /`hostPorts.grafana`: got 0 — must be a port from 1 to 65535\./,
      ],
      [
        "port above 65535",
        { hostPorts: { grafana: 70000 } },
        /`hostPorts.grafana`: got 70000 — must be a port from 1 to 65535\./,
      ],
      ["negative port", { hostPorts: { loki: -3100 } }, /`hostPorts.loki`: got -3100/],
      [
        "port clash",
        { hostPorts: { grafana: 9090 } },
        /`hostPorts`: prometheus and grafana both use host port 9090/,
      ],
      [
        "bad runbook URL",
        { runbookBaseUrl: "runbooks.example.com" },
        /`runbookBaseUrl`: got "runbooks.example.com" — must be an http:\/\/ or https:\/\/ URL/,
      ],
      [
        "typo in a field of a list item",
        { scrapeTargets: [{ job: "api", targets: ["api:8080"], metricPath: "/m" }] },
        /`scrapeTargets\[0\]`: unknown field `metricPath` — did you mean `metricsPath`\? Allowed: job, targets, metricsPath, scheme, scrapeInterval, labels\./,
      ],
      [
        "relative socket path",
        { dockerSocket: "docker.sock" },
        /`dockerSocket`: got "docker.sock" — must be an absolute path to a `.sock` file/,
      ],
      [
        "bad bind address",
        { bindAddress: "localhost:80" },
        /`bindAddress`: got "localhost:80" — must be an IPv4 address/,
      ],
      [
        "typo of a known key",
        { retentionTme: "7d" },
        /`retentionTme` is not a config key of this project — did you mean `retentionTime`\?/,
      ],
      ["wrong-case key", { GrafanaAdminUser: "ops" }, /did you mean `grafanaAdminUser`\?/],
      [
        "unknown key",
        { frobnicate: "1" },
        /`frobnicate` is not a config key of this project; known keys: environment, clusterName/,
      ],
      [
        "latest image",
        { imageOverrides: { prometheus: "prom/prometheus:latest" } },
        /`imageOverrides.prometheus`: got "prom\/prometheus:latest" — the `latest` tag is not allowed/,
      ],
      [
        "untagged image",
        { imageOverrides: { loki: "grafana/loki" } },
        /`imageOverrides.loki`: got "grafana\/loki" — must be an image reference with an explicit tag/,
      ],
      [
        "typo in a nested field",
        { imageOverrides: { grafanna: "grafana/grafana:12.2.0" } },
        /unknown field `grafanna` — did you mean `grafana`\?/,
      ],
      [
        "chart range",
        { chartVersionOverrides: { loki: "^18.0.0" } },
        /`chartVersionOverrides.loki`: got "\^18.0.0" — must be an exact chart version/,
      ],
      [
        "bad target",
        { scrapeTargets: [{ job: "api", targets: ["http://api:8080"] }] },
        /`scrapeTargets\[0\].targets\[0\]`: got "http:\/\/api:8080" — must be `host:port`/,
      ],
      [
        "built-in job name",
        { scrapeTargets: [{ job: "node", targets: ["a:1"] }] },
        /`scrapeTargets\[0\].job`: got "node" — built-in job names/,
      ],
      [
        "reserved label",
        { externalLabels: { cluster: "x" } },
        /`externalLabels.cluster` is set by the program: use `clusterName` instead/,
      ],
      [
        "bad label name",
        { externalLabels: { "team-name": "x" } },
        /must be a Prometheus label name/,
      ],
      [
        "bad e-mail",
        { smtp: { smarthost: "smtp:25", from: "alerts", to: ["a@b.example"] } },
        /`smtp.from`: got "alerts" — must be an e-mail address/,
      ],
      [
        "not JSON",
        { externalLabels: "{region: eu" },
        /`externalLabels`: got "\{region: eu" — must be JSON/,
      ],
    ];
    for (const [title, overrides, expected] of cases) {
      it(title, () => {
        assert.match(problems("dev", overrides), expected);
      });
    }

    it("reports every problem at once", () => {
      const message = problems("dev", {
        retentionTime: "30x",
        retentionSize: "40QB",
        retentionTme: "1d",
      });
      assert.match(message, /invalid configuration for stack `dev` \(3 problems\)/);
    });

    it("requires the Grafana admin password and says how to set it", () => {
      assert.match(
        problems("dev", {}, {}),
        /`grafanaAdminPassword` is required .*pulumi config set --secret grafanaAdminPassword/,
      );
    });

    it("never echoes a secret value", () => {
      const message = problems(
        "dev",
        {},
        { grafanaAdminPassword: "short", slackWebhookUrl: "http://hooks.example/leak-me" },
      );
      assert.match(
        message,
        /`grafanaAdminPassword`: got a value \(hidden, it is secret\) — must be at least 12 characters/,
      );
      assert.match(
        message,
        /`slackWebhookUrl`: got a value \(hidden, it is secret\) — must be an https:\/\/ URL/,
      );
      assert.doesNotMatch(message, /short|leak-me/);
    });

    it("rejects a secret stored in plaintext", () => {
      const raw = input("dev");
      assert.throws(
        () => parseSettings({ ...raw, isSecret: () => false }),
        /`grafanaAdminPassword` is stored in plaintext in Pulumi.dev.yaml: set it with `pulumi config set --secret grafanaAdminPassword/,
      );
    });

    it("rejects a malformed PagerDuty key and SMTP auth without a password", () => {
      const message = problems(
        "staging",
        {},
        { grafanaAdminPassword: TEST_SECRETS.grafanaAdminPassword, pagerdutyRoutingKey: "abc" },
      );
      assert.match(
        message,
        /`pagerdutyRoutingKey`: got a value \(hidden, it is secret\) — must be a 32-character PagerDuty/,
      );
      assert.match(message, /`smtp.username` is set but the secret `smtpPassword` is missing/);
    });
  });
});
