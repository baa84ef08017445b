/** A plan folder on disk (`plan/folder.ts`): written, read back, and never written over foreign files. */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PRICES } from "../../plan/cost";
import {
  readPlanDir,
  RESOURCES_FILE,
  SUMMARY_FILE,
  writeFailure,
  writePlan,
} from "../../plan/folder";
import type { StackPlan } from "../../plan/plan";

const PLAN: StackPlan = {
  stack: "s",
  environment: "dev",
  resources: [{ type: "t:a", name: "x", inputs: { a: 1 } }],
  counts: { "t:a": 1 },
  files: { "files/a/etc/a.yml": "a: 1\n", "helm/r.values.yaml": "{}\n" },
  sizing: ["Sizing"],
  cost: { lines: [], totalUsd: 0, unpriced: [], notes: [] },
  outputs: { grafanaUrl: "http://127.0.0.1:3000", kubeconfig: "[secret]" },
};

describe("plan folder (plan/folder.ts)", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-folder-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("GIVEN a plan WHEN written and read back THEN its summary, resources and files are there", () => {
    const out = path.join(dir, "s");
    assert.equal(writePlan(PLAN, out), 4);
    const read = readPlanDir(out);
    assert.deepEqual(read.summary, {
      stack: "s",
      environment: "dev",
      resourceCount: 1,
      counts: { "t:a": 1 },
      cost: PLAN.cost,
      sizing: ["Sizing"],
      prices: { date: PRICES.date, region: PRICES.region },
      outputs: PLAN.outputs,
    });
    assert.deepEqual(read.resources, PLAN.resources);
    assert.deepEqual(read.files, ["files/a/etc/a.yml", "helm/r.values.yaml"]);
    assert.equal(fs.readFileSync(path.join(out, "files/a/etc/a.yml"), "utf8"), "a: 1\n");

    // Writing again replaces the earlier plan; a failure leaves the error alone.
    writeFailure("s", "boom", out);
    assert.deepEqual(fs.readdirSync(out), [SUMMARY_FILE]);
    assert.deepEqual(readPlanDir(out), {
      summary: { stack: "s", error: "boom" },
      resources: [],
      files: [],
    });
    assert.ok(!fs.existsSync(path.join(out, RESOURCES_FILE)));
  });

  it("GIVEN a folder with other content or none THEN it is refused, or read as an empty plan", () => {
    fs.writeFileSync(path.join(dir, "notes.txt"), "mine");
    assert.throws(
      () => writePlan(PLAN, dir),
      /is not empty and holds no plan\.json: choose another --out folder/,
    );
    assert.equal(fs.readFileSync(path.join(dir, "notes.txt"), "utf8"), "mine");
    assert.deepEqual(readPlanDir(path.join(dir, "missing")), { resources: [], files: [] });
  });
});
