/**
 * components/staging/tasks.ts: the pure description of the ECS tasks (config volumes, files and
 * their hash, secrets and the init script, container definitions), without mocks. ecsStack.test.ts
 * checks the task definitions the stack registers from it.
 */
import * as assert from "node:assert/strict";
import {
  CONFIG_DIRS,
  containerDefinitions,
  filesHash,
  initScript,
  secretEnvName,
  serviceFiles,
  serviceSecrets,
  type TaskInputs,
  volumeName,
} from "../../../components/staging/tasks";
import { render, settingsFor } from "../../support/renderedFiles";
import { STAGING_SECRETS } from "../../support/stagingParts";

const settings = settingsFor("staging", STAGING_SECRETS);
const files = render(settings);
const URLS = {
  prometheus: "https://monitoring.example.com/prometheus",
  alertmanager: "https://monitoring.example.com/alertmanager",
  grafana: "https://monitoring.example.com",
};
/** The fields of a container definition the assertions read. */
interface Container {
  readonly name: string;
  readonly image: string;
  readonly essential: boolean;
  readonly user?: string;
  readonly command: string[];
  readonly environment?: unknown;
  readonly secrets?: unknown;
  readonly mountPoints?: unknown;
  readonly portMappings?: unknown;
  readonly dependsOn?: unknown;
  readonly healthCheck?: { readonly command: string[] };
  readonly logConfiguration?: unknown;
}
const task = (overrides: Partial<TaskInputs>): TaskInputs => ({
  service: "loki",
  settings,
  files,
  urls: URLS,
  region: "eu-west-1",
  logGroupName: "/ecs/stg/loki",
  configBucket: "stg-config",
  configPrefix: "loki/0460bb0acf309816/",
  secretArns: {},
  ...overrides,
});

describe("staging tasks (pure description)", () => {
  it("mounts each service's config directories as task volumes named after the path", () => {
    assert.deepEqual(CONFIG_DIRS, {
      prometheus: ["/etc/prometheus"],
      alertmanager: ["/etc/alertmanager"],
      grafana: ["/etc/grafana/provisioning", "/etc/grafana/dashboards", "/run/secrets"],
      loki: ["/etc/loki"],
    });
    assert.equal(volumeName("/etc/grafana/provisioning"), "config-etc-grafana-provisioning");
    assert.equal(volumeName("/run/secrets"), "config-run-secrets");
  });

  it("delivers a service's rendered files and refuses one outside its config volumes", () => {
    assert.equal(serviceFiles("loki", files), files.loki);
    assert.throws(
      () => serviceFiles("loki", { ...files, loki: { "/var/loki.yaml": "" } }),
      /^Error: loki: \/var\/loki\.yaml is outside the task's config volumes \(\/etc\/loki\)$/,
    );
  });

  it("hashes names and contents, independent of order, to 16 hex digits", () => {
    // sha256 over `name\0content\0` per file, sorted by name (computed with Python's hashlib).
    assert.equal(filesHash({ "/etc/loki/loki.yaml": "a: 1\n" }), "0460bb0acf309816");
    assert.equal(filesHash({ "/b": "2", "/a": "1" }), "06a17401a1bee9dd");
    assert.equal(filesHash({ "/a": "1", "/b": "2" }), "06a17401a1bee9dd");
    // The separator keeps a name/content split from colliding.
    assert.equal(filesHash({ ab: "c" }), "629c2f14f654f026");
    assert.equal(filesHash({ a: "bc" }), "aa795aa4bbb61179");
  });

  it("names the secret variables after the config key and picks only the configured secrets a service uses", () => {
    assert.equal(secretEnvName("slackWebhookUrl"), "SECRET_SLACK_WEBHOOK_URL");
    assert.equal(secretEnvName("grafanaAdminPassword"), "SECRET_GRAFANA_ADMIN_PASSWORD");
    const arns = { slackWebhookUrl: "arn:a", grafanaAdminPassword: "arn:b", smtpPassword: "arn:c" };
    assert.deepEqual(serviceSecrets("alertmanager", arns), {
      slackWebhookUrl: "/etc/alertmanager/secrets/slack-webhook-url",
      smtpPassword: "/etc/alertmanager/secrets/smtp-password",
    });
    assert.deepEqual(serviceSecrets("grafana", arns), {
      grafanaAdminPassword: "/run/secrets/grafana-admin-password",
    });
    assert.deepEqual(serviceSecrets("prometheus", arns), {});
  });

  it("the init script copies the config and writes each secret as a 0400 file owned by the service user", () => {
    const script = initScript({
      service: "alertmanager",
      secrets: { pagerdutyRoutingKey: "/etc/alertmanager/secrets/pagerduty-routing-key" },
    });
    assert.match(
      script,
      /^set -eu\naws s3 cp --recursive --only-show-errors "s3:\/\/\$\{CONFIG_BUCKET\}\/\$\{CONFIG_PREFIX\}" \/\n/,
    );
    assert.match(
      script,
      /\(umask 277 && printf '%s' "\$SECRET_PAGERDUTY_ROUTING_KEY" > '\/etc\/alertmanager\/secrets\/pagerduty-routing-key'\)/,
    );
    assert.match(script, /chown 65534:65534 '\/etc\/alertmanager\/secrets\/pagerduty-routing-key'/);
  });

  it("quotes file names for the shell in the init script", () => {
    assert.equal(
      initScript({ service: "grafana", secrets: { grafanaAdminPassword: "/run/it's" } }),
      [
        "set -eu",
        'aws s3 cp --recursive --only-show-errors "s3://${CONFIG_BUCKET}/${CONFIG_PREFIX}" /',
        "mkdir -p '/run'",
        `(umask 277 && printf '%s' "$SECRET_GRAFANA_ADMIN_PASSWORD" > '/run/it'\\''s')`,
        "chown 472:0 '/run/it'\\''s'",
      ].join("\n"),
    );
  });

  it("runs config-init, then the service on its config and data mounts, beside a node-exporter sidecar", () => {
    const [init, loki, nodeExporter] = containerDefinitions(task({})) as unknown as Container[];
    assert.deepEqual(
      [init.name, loki.name, nodeExporter.name],
      ["config-init", "loki", "node-exporter"],
    );
    assert.equal(init.essential, false);
    assert.equal(init.image, settings.images.configInit);
    assert.deepEqual(init.environment, [
      { name: "CONFIG_BUCKET", value: "stg-config" },
      { name: "CONFIG_PREFIX", value: "loki/0460bb0acf309816/" },
    ]);
    assert.deepEqual(init.secrets, []);
    assert.deepEqual(init.mountPoints, [
      { sourceVolume: "config-etc-loki", containerPath: "/etc/loki", readOnly: false },
    ]);
    assert.equal(loki.image, settings.images.loki);
    assert.equal(loki.essential, true);
    assert.equal(loki.user, "10001:10001");
    assert.deepEqual(loki.command, ["-config.file=/etc/loki/loki.yaml"]);
    assert.deepEqual(loki.portMappings, [{ containerPort: 3100, protocol: "tcp", name: "loki" }]);
    assert.deepEqual(loki.mountPoints, [
      { sourceVolume: "config-etc-loki", containerPath: "/etc/loki", readOnly: true },
      { sourceVolume: "data", containerPath: "/loki", readOnly: false },
    ]);
    assert.deepEqual(loki.dependsOn, [{ containerName: "config-init", condition: "SUCCESS" }]);
    assert.deepEqual(loki.healthCheck, {
      command: ["CMD", "/usr/bin/loki", "-health"],
      interval: 30,
      timeout: 5,
      retries: 3,
      startPeriod: 60,
    });
    assert.deepEqual(loki.logConfiguration, {
      logDriver: "awslogs",
      options: {
        "awslogs-group": "/ecs/stg/loki",
        "awslogs-region": "eu-west-1",
        "awslogs-stream-prefix": "loki",
      },
    });
    assert.equal(nodeExporter.essential, false);
    assert.equal(nodeExporter.image, settings.images.nodeExporter);
    assert.deepEqual(nodeExporter.command, ["--web.listen-address=:9100"]);
  });

  it("hands config-init each configured secret of the service by ARN, never by value", () => {
    const [init, alertmanager] = containerDefinitions(
      task({
        service: "alertmanager",
        secretArns: { smtpPassword: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:s" },
      }),
    ) as unknown as Container[];
    assert.deepEqual(init.secrets, [
      {
        name: "SECRET_SMTP_PASSWORD",
        valueFrom: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:s",
      },
    ]);
    assert.match(init.command[0], /> '\/etc\/alertmanager\/secrets\/smtp-password'\)/);
    assert.equal(alertmanager.user, "65534:65534");
    assert.deepEqual(alertmanager.healthCheck?.command, [
      "CMD",
      "wget",
      "-q",
      "--spider",
      "http://127.0.0.1:9093/-/healthy",
    ]);
    assert.ok(
      alertmanager.command.includes(
        "--web.external-url=https://monitoring.example.com/alertmanager",
      ),
    );
  });
});
