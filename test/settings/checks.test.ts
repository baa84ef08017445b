/**
 * Cross-field checks (settings/checks.ts): the caller's checks (the injection point content/checks.ts
 * uses) run with the others, in a fixed place, and their problems are reported with them.
 */
import assert from "node:assert/strict";
import type { SettingsCheck } from "../../settings/checks";
import { SettingsError } from "../../settings/messages";
import { parseSettings } from "../../settings/parse";
import { settingsInput } from "../support/harness";

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
    assert.equal(problems.length, 3);
    assert.match(problems[0], /^`scrapeTargets\[0\]\.job`/);
    assert.equal(problems[1], "`alertRules[0].alert`: from the caller.");
    assert.match(problems[2], /^`vpcCidr`/);
  });

  it("a check's problem alone stops an otherwise valid stack", () => {
    assert.deepEqual(problemsWith({}, [() => ["`slos`: from the caller."]]), [
      "`slos`: from the caller.",
    ]);
  });
});
