/**
 * The config merge (`plan/stackConfig.ts`): `Pulumi.yaml` defaults, then `Pulumi.<stack>.yaml`, as the
 * Pulumi CLI merges them, in the forms the plan, the runner and `parseSettings` read.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  engineConfig,
  hasStackFile,
  PROJECT,
  projectConfig,
  ROOT,
  stackConfig,
  stackNames,
  stackSettingsInput,
} from "../../plan/stackConfig";
import { promiseOf } from "../support/harness";

/** A throwaway project folder with `files` (name → content). */
function project(files: Readonly<Record<string, string>>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-config-"));
  for (const [name, content] of Object.entries(files))
    fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

describe("stack config (plan/stackConfig.ts)", () => {
  let root: string;
  before(() => {
    root = project({
      "Pulumi.yaml": [
        `name: ${PROJECT}`,
        "config:",
        "  plain: { type: string, default: from-project }",
        "  overridden: { default: 1 }",
        "  required: { type: string }",
        "  object: { default: { k: 1 } }",
        "",
      ].join("\n"),
      "Pulumi.s.yaml": [
        "config:",
        `  ${PROJECT}:overridden: 2`,
        "  aws:region: eu-west-1",
        `  ${PROJECT}:password: { secure: "v1:abc" }`,
        "  bare: no-namespace",
        "",
      ].join("\n"),
      "Pulumi.a.yaml": "config: {}\n",
      "Pulumi.s.deploy.yaml": "settings: {}\n",
    });
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("GIVEN declared defaults and a stack file THEN the stack's values win, keyed <namespace>:<key>", () => {
    assert.deepEqual(stackConfig("s", root), {
      [`${PROJECT}:plain`]: "from-project",
      [`${PROJECT}:overridden`]: 2,
      [`${PROJECT}:object`]: { k: 1 },
      "aws:region": "eu-west-1",
      [`${PROJECT}:password`]: { secure: "v1:abc" },
      [`${PROJECT}:bare`]: "no-namespace",
    });
    // A stack without a file has the defaults alone.
    assert.deepEqual(Object.keys(stackConfig("none", root)), [
      `${PROJECT}:plain`,
      `${PROJECT}:overridden`,
      `${PROJECT}:object`,
    ]);
  });

  it("GIVEN the same files THEN projectConfig has the project's keys without the prefix, values deep-frozen", () => {
    const config = projectConfig("s", root);
    assert.deepEqual(config, {
      plain: "from-project",
      overridden: 2,
      object: { k: 1 },
      password: { secure: "v1:abc" },
      bare: "no-namespace",
    });
    assert.ok(Object.isFrozen(config.object));
  });

  it("GIVEN stack files THEN stackNames lists them sorted, without deployment settings", () => {
    assert.deepEqual(stackNames(root), ["a", "s"]);
    assert.ok(hasStackFile("s", root));
    assert.ok(!hasStackFile("none", root));
    assert.deepEqual(stackNames(), ["dev", "prod", "staging"]);
    assert.ok(fs.existsSync(path.join(ROOT, "Pulumi.yaml")));
  });

  it("GIVEN overrides THEN engineConfig holds strings (objects as JSON), an undefined override removing its key", () => {
    const config = engineConfig("dev", { retentionTime: undefined, extra: { a: [1] } });
    assert.equal(config[`${PROJECT}:clusterName`], "local");
    assert.equal(config[`${PROJECT}:grafanaAdminUser`], "admin"); // Pulumi.yaml's default
    assert.equal(
      config[`${PROJECT}:capacity`],
      JSON.stringify({ activeSeries: 20000, logVolumePerDay: "1GB" }),
    );
    assert.equal(config[`${PROJECT}:extra`], '{"a":[1]}');
    assert.ok(!(`${PROJECT}:retentionTime` in config));
    assert.ok(`${PROJECT}:retentionTime` in engineConfig("dev"));
    assert.equal(engineConfig("prod")["aws:region"], "eu-west-1");
  });

  it("GIVEN secrets THEN stackSettingsInput marks exactly them secret and hands them out as secret Outputs", async () => {
    const input = stackSettingsInput(
      "dev",
      { retentionTime: "9d" },
      { grafanaAdminPassword: "pw" },
    );
    assert.equal(input.project, PROJECT);
    assert.equal(input.stack, "dev");
    assert.equal(input.values.retentionTime, "9d");
    assert.equal(input.values.grafanaAdminPassword, "pw");
    assert.ok(!("aws:region" in input.values));
    assert.equal(input.isSecret("grafanaAdminPassword"), true);
    assert.equal(input.isSecret("retentionTime"), undefined);
    const secret = input.secret("grafanaAdminPassword");
    assert.equal(await pulumi.isSecret(secret), true);
    assert.equal(await promiseOf(secret), "pw");
    assert.ok(pulumi.Output.isInstance(secret));
  });
});
