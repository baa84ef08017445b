/**
 * The plan's secrets (`plan/secrets.ts`): the placeholders it runs each stack with, and the redaction
 * of recorded secrets. That no secret reaches a written plan is tested in test/plan/plan.test.ts.
 */
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { parseSettings } from "../../settings/parse";
import { placeholder, placeholderSecrets, redact, SECRET_MARK } from "../../plan/secrets";
import { projectConfig } from "../../plan/stackConfig";
import { programError, recordResources, registeredCount, settingsInput } from "../support/harness";

/** A plain custom resource for the mocks to record. */
class Thing extends pulumi.CustomResource {
  constructor(name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    super("test:index:Thing", name, props, opts);
  }
}

describe("offline plan (plan/run.ts)", () => {
  describe("secrets", () => {
    it("leaves a Grafana password stored in plaintext to the program, which refuses it", async () => {
      // A plaintext password (here also too short) must not be hidden behind a placeholder.
      const config = { ...projectConfig("dev"), grafanaAdminPassword: "short" };
      assert.deepEqual(placeholderSecrets(config), {});
      assert.deepEqual(
        placeholderSecrets({ ...config, grafanaAdminPassword: { secure: "v1:C" } }),
        {
          grafanaAdminPassword: "<secret:grafanaAdminPassword>",
        },
      );
      const message = await programError("dev", {
        config: { grafanaAdminPassword: "short" },
        secrets: placeholderSecrets(config),
      });
      assert.match(message, /`grafanaAdminPassword`/);
      assert.ok(!message.includes("short"), "the plaintext value is not echoed");
      assert.equal(registeredCount(), 0);
    });

    it("sets a placeholder for exactly the secrets validation needs, each passing its format check", () => {
      assert.deepEqual(placeholderSecrets(projectConfig("dev")), {
        grafanaAdminPassword: "<secret:grafanaAdminPassword>",
      });
      assert.deepEqual(placeholderSecrets(projectConfig("staging")), {
        grafanaAdminPassword: "<secret:grafanaAdminPassword>",
        smtpPassword: "<secret:smtpPassword>",
      });
      const config = {
        ...projectConfig("prod"),
        eksClusterMode: "existing",
        slackWebhookUrl: { secure: "v1:AAAA" },
        pagerdutyRoutingKey: { secure: "v1:BBBB" },
        heartbeatUrl: "https://hc-ping.example.com/x",
        heartbeatToken: "stored-in-plaintext",
      };
      const secrets = placeholderSecrets(config);
      // Not the plaintext heartbeatToken: the program reports a secret stored in plaintext.
      assert.deepEqual(Object.keys(secrets), [
        "grafanaAdminPassword",
        "kubeconfig",
        "pagerdutyRoutingKey",
        "slackWebhookUrl",
        "smtpPassword",
      ]);
      assert.equal(secrets.slackWebhookUrl, placeholder("slackWebhookUrl"));
      // Every placeholder passes validation (prod, existing cluster, Slack and PagerDuty on).
      const settings = parseSettings(
        settingsInput(
          "prod",
          { eksClusterMode: "existing", heartbeatUrl: config.heartbeatUrl },
          { ...secrets, heartbeatToken: placeholder("heartbeatToken") },
        ),
      );
      assert.equal(settings.k8s.cluster.mode, "existing");
      assert.ok(settings.alerting.slack && settings.alerting.pagerduty);
    });
  });
});

describe("plan secrets (plan/secrets.ts)", () => {
  it("GIVEN recorded inputs with nested secrets WHEN redacted THEN every secret reads [secret] and the rest is kept", async () => {
    const [thing] = await recordResources(
      (parent) =>
        new Thing(
          "thing",
          {
            password: pulumi.secret("s3cret"),
            plain: "shown",
            // A secret inside a property makes the whole property secret.
            nested: { list: ["shown", pulumi.secret("hidden")] },
            other: { list: ["shown"] },
          },
          { parent },
        ),
    );
    assert.deepEqual(redact(thing.inputs), {
      password: SECRET_MARK,
      plain: "shown",
      nested: SECRET_MARK,
      other: { list: ["shown"] },
    });
  });

  it("GIVEN a key without a format check THEN its placeholder names the key", () => {
    assert.equal(placeholder("smtpPassword"), "<secret:smtpPassword>");
    assert.match(placeholder("slackWebhookUrl"), /^https:\/\//);
  });
});
