/** catalog/environments.ts: the environments the program deploys, each with its stack file. */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ENVIRONMENTS } from "../../catalog/environments";
import { ROOT } from "../support/harness";

describe("environments", () => {
  it("are dev, staging and prod, each with a Pulumi.<environment>.yaml stack file", () => {
    assert.deepEqual([...ENVIRONMENTS], ["dev", "staging", "prod"]);
    for (const env of ENVIRONMENTS)
      assert.ok(fs.existsSync(path.join(ROOT, `Pulumi.${env}.yaml`)), `Pulumi.${env}.yaml`);
  });
});
