/** The config key table (settings/schema.ts) and the defaults against `Pulumi.yaml`. */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { DEFAULTS, K8S_DEFAULTS } from "../../settings/defaults";
import { CONFIG_KEYS } from "../../settings/schema";
import { ROOT } from "../support/harness";

describe("settings (settings/schema.ts)", () => {
  it("`lokiRetention`: whole days only, and a value that is no duration gets one message, not two", () => {
    const messages = (value: string) => {
      const result = CONFIG_KEYS.lokiRetention.schema.safeParse(value);
      return result.success ? [] : result.error.issues.map((issue) => issue.message);
    };
    assert.deepEqual(messages("30d"), []);
    assert.deepEqual(messages("720h"), []);
    assert.deepEqual(messages("36h"), [
      "must be a whole number of days (Loki's index period is 24h), e.g. `7d` or `720h`",
    ]);
    for (const value of ["0d", "a week", ""]) {
      assert.deepEqual(
        messages(value),
        ["must be a positive Prometheus duration such as `30s`, `15m`, `12h`, `7d` or `1h30m`"],
        value,
      );
    }
  });

  describe("Pulumi.yaml", () => {
    const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
      config: Record<
        string,
        { type?: string; default?: unknown; secret?: boolean; description?: string }
      >;
    };
    const raw = fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");

    it("declares only known keys, with descriptions and the right secret flag", () => {
      for (const [key, spec] of Object.entries(project.config)) {
        assert.ok(key in CONFIG_KEYS, `${key} is declared but unknown to settings/schema.ts`);
        assert.ok((spec.description ?? "").length > 10, `${key} needs a description`);
        assert.equal(
          spec.secret ?? false,
          CONFIG_KEYS[key as keyof typeof CONFIG_KEYS].secret,
          key,
        );
      }
    });

    it("uses the same defaults as the settings loader", () => {
      const declared = {
        ...DEFAULTS,
        prometheusReplicas: K8S_DEFAULTS.prometheusReplicas,
        alertmanagerReplicas: K8S_DEFAULTS.alertmanagerReplicas,
      };
      for (const [key, value] of Object.entries(declared)) {
        assert.deepEqual(project.config[key]?.default, value, `Pulumi.yaml default of ${key}`);
      }
    });

    it("documents every key it cannot declare", () => {
      for (const key of Object.keys(CONFIG_KEYS).filter((k) => !(k in project.config))) {
        assert.match(
          raw,
          new RegExp(`^#\\s+${key}\\s`, "m"),
          `${key} is neither declared nor documented in Pulumi.yaml`,
        );
      }
    });
  });
});
