/**
 * The settings properties checked by the real software (issue 13): for generated configs
 * (test/support/settingsArbitraries.ts) that `parseSettings` accepts, every rendered prometheus.yml
 * and rule file passes `promtool check config` and every alertmanager.yml passes `amtool
 * check-config`; for configs it refuses, the whole program under mocks fails with that refusal
 * before registering any resource. Seeded (FC_SEED) and bounded: each tool runs once per batch.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { parse, stringify } from "yaml";
import { PATHS } from "../../content/files";
import type { Settings } from "../../settings/settings";
import { nameViolations } from "../../catalog/nameLimits";
import { programError, registeredCount, runProgram } from "../support/harness";
import { physicalNameOf } from "../support/namedResources";
import { render } from "../support/renderedFiles";
import {
  configArbitrary,
  outcome,
  PROPERTY_SEED,
  secretsFor,
  type Stack,
} from "../support/settingsArbitraries";
import { requireTool, runTool, writeTempFiles } from "../support/tools";

/** Generated configs per environment; every accepted one goes through promtool and amtool. */
const RUNS = 40;
/** Configs run through the whole program per environment and outcome (each run takes ~0.1–0.5 s). */
const PROGRAM_RUNS = 8;

/** `count` generated configs of `stack`, in a fixed order for the seed. */
function sample(stack: Stack, count: number): Record<string, unknown>[] {
  return fc.sample(configArbitrary(stack), { seed: PROPERTY_SEED, numRuns: count });
}

/** Writes one accepted config's Prometheus and Alertmanager files under `root/<i>/`. */
function materialise(root: string, i: number, settings: Settings): { config: string; am: string } {
  const files = render(settings);
  const base = path.join(root, String(i));
  for (const [file, text] of Object.entries({ ...files.prometheus, ...files.alertmanager })) {
    const target = path.join(base, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  }
  const config = path.join(base, PATHS.prometheusConfig);
  const parsed = parse(fs.readFileSync(config, "utf8")) as { rule_files: string[] };
  parsed.rule_files = [path.join(base, PATHS.prometheusRulesDir, "*.yml")];
  fs.writeFileSync(config, stringify(parsed));
  return { config, am: path.join(base, PATHS.alertmanagerConfig) };
}

describe("settings: generated configs checked by the real tools (seeded)", function () {
  before(() => {
    requireTool("promtool");
    requireTool("amtool");
  });

  for (const stack of ["dev", "staging"] as const) {
    it(`${stack}: what the settings accept passes promtool and amtool (seed ${PROPERTY_SEED}, ${RUNS} configs)`, () => {
      const root = writeTempFiles({});
      const accepted = sample(stack, RUNS).flatMap((config, i) => {
        const result = outcome(stack, config);
        return "settings" in result
          ? [{ i, config, files: materialise(root, i, result.settings) }]
          : [];
      });
      assert.ok(accepted.length > 0, "no generated config was accepted");
      for (const { config, files } of accepted) {
        const prom = runTool("promtool", ["check", "config", files.config]);
        assert.equal(prom.status, 0, `${JSON.stringify(config)}\n${prom.output}`);
        const am = runTool("amtool", ["check-config", files.am]);
        assert.equal(am.status, 0, `${JSON.stringify(config)}\n${am.output}`);
      }
    });
  }

  for (const stack of ["dev", "staging", "prod"] as const) {
    it(`${stack}: a refused config stops the program before any resource, with the same message`, async () => {
      const refused = sample(stack, RUNS)
        .map((config) => ({ config, result: outcome(stack, config) }))
        .filter(
          (r): r is { config: Record<string, unknown>; result: { refused: string } } =>
            "refused" in r.result,
        )
        .slice(0, PROGRAM_RUNS);
      assert.ok(refused.length > 0, "no generated config was refused");
      for (const { config, result } of refused) {
        const message = await programError(stack, { config, secrets: secretsFor(stack) });
        assert.equal(registeredCount(), 0, JSON.stringify(config));
        assert.ok(message.includes(result.refused.split("\n")[1] ?? result.refused), message);
      }
    });
  }

  for (const stack of ["dev", "staging", "prod"] as const) {
    it(`${stack}: every name an accepted config makes is within its cloud's limits`, async () => {
      const accepted = sample(stack, RUNS)
        .filter((config) => "settings" in outcome(stack, config))
        .slice(0, PROGRAM_RUNS);
      assert.ok(accepted.length > 0, "no generated config was accepted");
      for (const config of accepted) {
        const run = await runProgram(stack, { config, secrets: secretsFor(stack) });
        const named = run.resources.flatMap((r) => physicalNameOf(r) ?? []);
        assert.ok(named.length > 0, JSON.stringify(config));
        for (const { kind, name } of named) {
          assert.deepEqual(
            nameViolations(kind, name),
            [],
            `${kind} ${name} for ${JSON.stringify(config)}`,
          );
        }
      }
    });
  }
});
