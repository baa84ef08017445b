/**
 * Checks of the sized, defaulted values (settings/stackChecks.ts) that the prod components used to
 * throw while the stack was being built: now part of the one settings pass.
 */
import assert from "node:assert/strict";
import { secretsFor } from "../support/settingsProblems";
import { SettingsError } from "../../settings/messages";
import { parseSettings } from "../../settings/parse";
import { alloyTemplateProblems, retentionVolumeProblem } from "../../settings/stackChecks";
import { settingsInput } from "../support/harness";

describe("settings (settings/stackChecks.ts)", () => {
  it("a retention over 90 % of the Prometheus volume does not fit", () => {
    // 64Gi × 0.9 = 57.6 GiB: 57GB fits, 58GB does not.
    assert.equal(retentionVolumeProblem("57GB", "64Gi"), undefined);
    assert.match(
      retentionVolumeProblem("58GB", "64Gi") ?? "",
      /^`retentionSize` \(58GB\) does not fit the Prometheus volume `prometheusStorageSize` \(64Gi\)/,
    );
  });

  it("an external label with `{{` is named with its value", () => {
    assert.deepEqual(alloyTemplateProblems({ region: "eu", team: "{{ .Release.Name }}" }), [
      '`externalLabels.team`: got "{{ .Release.Name }}" — the Alloy config would contain `{{`, which the chart\'s `tpl` would evaluate; remove it from `externalLabels`.',
    ]);
  });

  it("parseSettings reports both for prod, with the other problems, and neither for staging", () => {
    const overrides = {
      retentionSize: "60GB",
      prometheusStorageSize: "64Gi",
      externalLabels: { team: "{{x}}" },
      scrapeInterval: "0s",
    };
    let problems: readonly string[] = [];
    try {
      parseSettings(settingsInput("prod", overrides, secretsFor("prod")));
    } catch (e) {
      assert.ok(e instanceof SettingsError);
      problems = e.problems;
    }
    assert.equal(problems.length, 3, problems.join("\n"));
    assert.match(problems[0], /^`scrapeInterval`: got "0s"/);
    assert.match(problems[1], /^`retentionSize` \(60GB\) does not fit/);
    assert.match(problems[2], /^`externalLabels\.team`: got "\{\{x\}\}"/);
    assert.doesNotThrow(() =>
      parseSettings(
        settingsInput(
          "staging",
          { retentionSize: "60GB", externalLabels: { team: "{{x}}" } },
          secretsFor("staging"),
        ),
      ),
    );
  });
});
