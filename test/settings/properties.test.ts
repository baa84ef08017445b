/**
 * Property tests of the settings pass (issue 13): for configs generated across the schema
 * (test/support/settingsArbitraries.ts), `parseSettings` either refuses with a `SettingsError` that
 * names a config key and echoes no secret, or accepts settings whose rendered content the consumers
 * take: every rule expression parses, every rule file and config is YAML, labels are Prometheus
 * label names, external labels carry no `$` for Prometheus 3 to expand, and prod's manifests and
 * chart values build (manifests validated with kubernetes-models). Seeded (FC_SEED, default
 * `PROPERTY_SEED`) and bounded; fast-check prints the seed and the shrunk config on failure. The
 * real tools (promtool, amtool) and a whole-program run of refused configs are in
 * properties.tools.test.ts.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { parse } from "yaml";
import { ALERTMANAGER_SECRETS_DIR } from "../../components/prod/types";
import { checkChartSettings } from "../../components/prod/helm/checks";
import { monitoringManifests } from "../../components/prod/manifests/monitoringManifests";
import { isAlertRule } from "../../content/rules";
import { stackRuleGroups } from "../../content/ruleSet";
import { promqlErrors } from "../../settings/promql";
import { CONFIG_KEYS } from "../../settings/schema";
import type { Settings } from "../../settings/settings";
import { TEST_SECRETS } from "../support/harness";
import { alloyOf, kpsOf, lokiOf } from "../support/prodValues";
import { render } from "../support/renderedFiles";
import {
  configArbitrary,
  outcome,
  PROPERTY_SEED,
  type Stack,
} from "../support/settingsArbitraries";

/** Runs per environment: every generator is met many times, and the three stay near a second. */
const RUNS = 60;
const KEYS = Object.keys(CONFIG_KEYS);
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
function assertClearRefusal(message: string): void {
  const named = [...message.matchAll(/`([A-Za-z][A-Za-z0-9]*)/g)].map((m) => m[1]);
  assert.ok(
    named.some((k) => KEYS.includes(k)),
    `the refusal names no config key:\n${message}`,
  );
  for (const secret of Object.values(TEST_SECRETS)) {
    assert.ok(!message.includes(secret), "the refusal echoes a secret");
  }
}

function assertRenderable(stack: Stack, settings: Settings): void {
  for (const [name, value] of Object.entries(settings.prometheus.externalLabels)) {
    assert.match(name, LABEL_NAME, `external label name ${JSON.stringify(name)}`);
    assert.ok(!name.startsWith("__"), `reserved external label name ${name}`);
    assert.ok(!/\$(?!\$)/.test(value.replace(/\$\$/g, "")), `Prometheus 3 expands ${value}`);
  }
  for (const group of stackRuleGroups(settings)) {
    for (const rule of group.rules) {
      assert.deepEqual(promqlErrors(rule.expr), [], rule.expr);
      for (const name of Object.keys(rule.labels ?? {})) assert.match(name, LABEL_NAME);
      if (isAlertRule(rule)) new URL(rule.annotations.runbook_url);
    }
  }
  if (stack === "prod") {
    checkChartSettings(settings);
    monitoringManifests({ settings, alertmanagerSecretsDir: ALERTMANAGER_SECRETS_DIR });
    kpsOf(settings);
    lokiOf(settings);
    alloyOf(settings);
  } else {
    const files = render(settings);
    for (const [file, text] of Object.entries({
      ...files.prometheus,
      ...files.alertmanager,
      ...files.loki,
    })) {
      if (/\.ya?ml$/.test(file)) assert.doesNotThrow(() => parse(text) as unknown, file);
    }
  }
}

describe("settings: properties of generated configs (test/support/settingsArbitraries.ts)", () => {
  for (const stack of ["dev", "staging", "prod"] as const) {
    it(`${stack}: every config is refused naming a key, or renders what the consumers accept (seed ${PROPERTY_SEED}, ${RUNS} runs)`, () => {
      let refused = 0;
      fc.assert(
        fc.property(configArbitrary(stack), (config) => {
          const result = outcome(stack, config);
          if ("refused" in result) {
            refused += 1;
            if (process.env.FC_SHOW === "1") process.stderr.write(`${result.refused}\n---\n`);
            assertClearRefusal(result.refused);
          } else {
            assertRenderable(stack, result.settings);
          }
        }),
        { seed: PROPERTY_SEED, numRuns: RUNS },
      );
      // Both branches ran: the generators reach valid and invalid configs alike.
      assert.ok(refused > 0 && refused < RUNS, `refused ${refused} of ${RUNS}`);
    });
  }
});
