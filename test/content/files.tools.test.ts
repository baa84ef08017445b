/**
 * Every rendered config file of every environment checked by the real tools: promtool for Prometheus
 * and its rules, amtool for Alertmanager's config (routing: test/content/alertmanager.tools.test.ts;
 * the configs as data: test/content/{files,prometheus,alertmanager,loki,alloy}.test.ts).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { PATHS } from "../../content/files";
import { ALL_RECEIVERS_CONFIG, TEST_SECRETS } from "../support/harness";
import { render, settingsFor } from "../support/renderedFiles";
import { runTool, writeTempFiles } from "../support/tools";

/** Writes a component's files under a temp root, keeping their absolute layout. */
function materialise(files: Readonly<Record<string, string>>): string {
  return writeTempFiles(
    Object.fromEntries(Object.entries(files).map(([p, c]) => [p.replace(/^\//, ""), c])),
  );
}

const STACKS = ["dev", "staging", "prod"] as const;

describe("rendered configs, validated by the real tools", () => {
  for (const stack of STACKS) {
    describe(`${stack}`, () => {
      // Every receiver configured, so every receiver block is validated.
      const settings = settingsFor(
        stack,
        { ...TEST_SECRETS },
        stack === "dev"
          ? ALL_RECEIVERS_CONFIG
          : { heartbeatUrl: ALL_RECEIVERS_CONFIG.heartbeatUrl },
      );
      const files = render(settings);

      it("prometheus.yml and every rule file pass `promtool check config`", () => {
        const root = materialise(files.prometheus);
        const configPath = path.join(root, PATHS.prometheusConfig);
        const config = parse(fs.readFileSync(configPath, "utf8")) as { rule_files: string[] };
        config.rule_files = [path.join(root, PATHS.prometheusRulesDir, "*.yml")];
        fs.writeFileSync(configPath, stringify(config));
        const result = runTool("promtool", ["check", "config", configPath]);
        assert.equal(result.status, 0, result.output);
        assert.match(result.output, /SUCCESS: \d+ rule files found/);
        const ruleFiles = Object.keys(files.prometheus).filter((f) =>
          f.startsWith(`${PATHS.prometheusRulesDir}/`),
        );
        assert.match(result.output, new RegExp(`SUCCESS: ${ruleFiles.length} rule files found`));
      });

      it("every rule file passes `promtool check rules`", () => {
        const root = materialise(files.prometheus);
        const ruleFiles = Object.keys(files.prometheus)
          .filter((f) => f.startsWith(`${PATHS.prometheusRulesDir}/`))
          .map((f) => path.join(root, f));
        const result = runTool("promtool", ["check", "rules", ...ruleFiles]);
        assert.equal(result.status, 0, result.output);
      });

      it("alertmanager.yml passes `amtool check-config` and holds no secret", () => {
        const root = materialise(files.alertmanager);
        const text = fs.readFileSync(path.join(root, PATHS.alertmanagerConfig), "utf8");
        for (const secret of Object.values(TEST_SECRETS)) assert.ok(!text.includes(secret));
        const result = runTool("amtool", [
          "check-config",
          path.join(root, PATHS.alertmanagerConfig),
        ]);
        assert.equal(result.status, 0, result.output);
      });
    });
  }

  it("promtool rejects a broken config (the check can fail)", () => {
    const dir = writeTempFiles({
      "prometheus.yml": stringify({ global: { scrape_interval: "15x" } }),
    });
    assert.notEqual(
      runTool("promtool", ["check", "config", path.join(dir, "prometheus.yml")]).status,
      0,
    );
  });
});
