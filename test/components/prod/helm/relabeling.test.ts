/** The job relabeling of the charts' ServiceMonitors (components/prod/helm/relabeling.ts). */
import * as assert from "node:assert/strict";
import { jobRelabeling } from "../../../../components/prod/helm/relabeling";

describe("jobRelabeling", () => {
  it("renames every endpoint's job, or only the one of the given port", () => {
    assert.deepEqual(jobRelabeling("loki"), [
      { action: "replace", targetLabel: "job", replacement: "loki" },
    ]);
    assert.deepEqual(jobRelabeling("prometheus", "http-web"), [
      {
        action: "replace",
        sourceLabels: ["endpoint"],
        regex: "http-web",
        targetLabel: "job",
        replacement: "prometheus",
      },
    ]);
  });
});
