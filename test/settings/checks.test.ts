/**
 * Cross-field checks (settings/checks.ts): the caller's checks (the injection point content/checks.ts
 * uses) run with the others, in a fixed place, and their problems are reported with them.
 */
import assert from "node:assert/strict";
import type { SettingsCheck } from "../../settings/checks";
import { SettingsError } from "../../settings/messages";
import { parseSettings } from "../../settings/parse";
import { ALL_RECEIVERS_CONFIG, settingsInput, TEST_SECRETS } from "../support/harness";

/** The problems parseSettings reports for `overrides` on the dev stack with `checks`. */
function problemsWith(
  overrides: Record<string, unknown>,
  checks: readonly SettingsCheck[],
): readonly string[] {
  try {
    parseSettings(settingsInput("dev", overrides), { checks });
  } catch (e) {
    assert.ok(e instanceof SettingsError);
    return e.problems;
  }
  assert.fail("expected a configuration error");
}

describe("settings (settings/checks.ts)", () => {
  it("passes the validated values to every check of the caller", () => {
    const seen: unknown[] = [];
    const check: SettingsCheck = (values) => {
      seen.push(values.alertRules);
      return [];
    };
    const rule = {
      alert: "QueueStuck",
      expr: "queue_age_seconds > 600",
      severity: "warning",
      summary: "stuck",
      description: "The queue is stuck.",
    };
    parseSettings(settingsInput("dev", { alertRules: [rule] }), { checks: [check, check] });
    assert.deepEqual(seen, [[rule], [rule]]);
  });

  it("reports the caller's problems after the scrape-target checks and before the AWS checks", () => {
    const problems = problemsWith(
      {
        scrapeTargets: [{ job: "node", targets: ["a:1"] }],
        vpcCidr: "10.40.0.0/20",
      },
      [() => ["`alertRules[0].alert`: from the caller."]],
    );
    assert.equal(problems.length, 4);
    assert.match(problems[0], /^`scrapeTargets\[0\]\.job`/);
    assert.equal(problems[1], "`alertRules[0].alert`: from the caller.");
    assert.match(problems[2], /^`vpcCidr`: got "10\.40\.0\.0\/20" — must be a \/18 or larger/);
    // The dev stack ignores a staging key: reported after the cross-field checks (settings/modeChecks.ts).
    assert.match(problems[3], /^`vpcCidr` is a staging setting and the dev stack ignores it/);
  });

  it("a check's problem alone stops an otherwise valid stack", () => {
    assert.deepEqual(problemsWith({}, [() => ["`slos`: from the caller."]]), [
      "`slos`: from the caller.",
    ]);
  });
});

describe("settings (settings/checks.ts): a key set but invalid is never called missing", () => {
  /** Every problem for `overrides` on `stack`; `secrets` are stored as secrets. */
  function problemsOf(
    stack: string,
    overrides: Record<string, unknown>,
    secrets: Record<string, string> = {},
  ): readonly string[] {
    try {
      parseSettings(
        settingsInput(stack, overrides, {
          grafanaAdminPassword: TEST_SECRETS.grafanaAdminPassword,
          ...secrets,
        }),
      );
    } catch (e) {
      assert.ok(e instanceof SettingsError);
      return e.problems;
    }
    assert.fail("expected a configuration error");
  }

  it("an invalid `smtp` with `smtpPassword`: only the `smtp` problem", () => {
    const problems = problemsOf(
      "dev",
      { smtp: { smarthost: "smtp.example.com", from: "am@example.com", to: ["o@example.com"] } },
      { smtpPassword: TEST_SECRETS.smtpPassword },
    );
    assert.deepEqual(problems, [
      '`smtp.smarthost`: got "smtp.example.com" — must be `host:port`, e.g. `api.internal:8080`.',
    ]);
  });

  it("an invalid `smtpPassword` or `heartbeatUrl`: no problem says it is missing", () => {
    const problems = problemsOf(
      "dev",
      {
        smtp: { ...ALL_RECEIVERS_CONFIG.smtp },
        heartbeatUrl: "ftp://hc.example.com",
      },
      { smtpPassword: "", heartbeatToken: TEST_SECRETS.heartbeatToken },
    );
    assert.equal(problems.length, 2, problems.join("\n"));
    assert.match(problems[0], /^`heartbeatUrl`: got "ftp:\/\/hc\.example\.com"/);
    assert.match(problems[1], /^`smtpPassword`: got a value \(hidden, it is secret\)/);
  });

  it("an invalid `eksClusterMode` or `kubeconfig`: no problem about the other", () => {
    const kubeconfig = "apiVersion: v1\nclusters: []\n";
    const smtpPassword = TEST_SECRETS.smtpPassword; // the prod stack file sets `smtp.username`
    const mode = problemsOf("prod", { eksClusterMode: "Existing" }, { kubeconfig, smtpPassword });
    assert.equal(mode.length, 1, mode.join("\n"));
    assert.match(mode[0], /^`eksClusterMode`: got "Existing" — must be one of create, existing\./);
    const config = problemsOf(
      "prod",
      { eksClusterMode: "existing" },
      { kubeconfig: "not yaml", smtpPassword },
    );
    assert.equal(config.length, 1, config.join("\n"));
    assert.match(config[0], /^`kubeconfig`: got a value \(hidden, it is secret\)/);
  });

  it("an invalid `vpcId` or subnet list: no problem says it is not set", () => {
    const problems = problemsOf("staging", {
      vpcId: "vpc-XYZ",
      privateSubnetIds: ["subnet-0a1b2c3d"],
      publicSubnetIds: ["subnet-1a2b3c4d", "subnet-2a3b4c5d"],
    });
    assert.deepEqual(
      problems.map((p) => p.split(":")[0]),
      [
        "`vpcId`",
        "`privateSubnetIds`",
        "`smtp.username` is set but the secret `smtpPassword` is missing",
      ],
    );
  });
});
