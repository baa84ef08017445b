/**
 * settings/goTemplate.ts against real promtool: the templates of test/support/goTemplates.ts, each
 * the summary of an alert of one rule file, pass or fail `promtool check rules` as the table says.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { stringify } from "yaml";
import { templateProblem } from "../../settings/goTemplate";
import { INVALID_TEMPLATES, VALID_TEMPLATES } from "../support/goTemplates";
import { requireTool, runTool, writeTempFiles } from "../support/tools";

describe("settings/goTemplate.ts: promtool agrees", function () {
  this.timeout(20_000);
  const table = [
    ...VALID_TEMPLATES.map((text) => ({ text, valid: true })),
    ...INVALID_TEMPLATES.map((text) => ({ text, valid: false })),
  ];
  let output = "";

  before(() => {
    requireTool("promtool");
    const rules = table.map(({ text }, i) => ({
      alert: `T${i}`,
      expr: "up == 0",
      labels: { severity: "info" },
      annotations: { summary: text },
    }));
    const dir = writeTempFiles({ "t.yml": stringify({ groups: [{ name: "t", rules }] }) });
    output = runTool("promtool", ["check", "rules", "t.yml"], dir).output;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("refuses exactly the templates promtool refuses", () => {
    const disagreements = table.flatMap(({ text, valid }, i) => {
      const promtool = output.split("\n").find((line) => line.includes(`"T${i}":`));
      const ours = templateProblem(text);
      return (promtool === undefined) === valid && (ours === undefined) === valid
        ? []
        : [`${JSON.stringify(text)}: promtool ${promtool ?? "accepts"}; ours ${ours ?? "accepts"}`];
    });
    assert.deepEqual(disagreements, []);
    assert.ok(table.length > 80, `only ${table.length} templates`);
  });
});
