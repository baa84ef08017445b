/** The PrometheusRule objects of the prod stack checked by real promtool (the objects as data: test/content/kubernetes.test.ts). */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { stringify } from "yaml";
import { prometheusRuleObjects } from "../../content/kubernetes";
import { buildRuleGroups } from "../../content/rules";
import { requireTool, runTool, writeTempFiles } from "../support/tools";

const NAMESPACE = "monitoring";
const RUNBOOKS = "https://runbooks.example.com/monitoring";

describe("kubernetes: PrometheusRule objects", () => {
  const groups = buildRuleGroups({ runbookBaseUrl: RUNBOOKS });
  const objects = prometheusRuleObjects(groups, {
    namespace: NAMESPACE,
    name: "monitoring-stack",
    labels: { release: "kube-prometheus-stack" },
  });
  const rulesOf = (all: typeof objects) =>
    all.flatMap((object) => (object.spec.groups ?? []).flatMap((group) => group.rules ?? []));

  it("passes `promtool check rules` with the groups of all objects", function () {
    requireTool("promtool");
    const file = stringify({ groups: objects.flatMap((object) => object.spec.groups) });
    const dir = writeTempFiles({ "rules.yml": file });
    try {
      const result = runTool("promtool", ["check", "rules", "rules.yml"], dir);
      assert.equal(result.status, 0, result.output);
      assert.match(result.output, new RegExp(`SUCCESS: ${rulesOf(objects).length} rules found`));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
