/** The health check's result table and exit code (`healthcheck/table.ts`). */
import * as assert from "node:assert/strict";
import { exitCode, renderTable } from "../../healthcheck/table";
import type { CheckResult } from "../../healthcheck/verdicts";

describe("health check: verdicts and table", () => {
  it("prints an aligned table, a summary and every failure's details", () => {
    const results: CheckResult[] = [
      { name: "prometheus", url: "http://p/-/ready", ok: true, detail: "ready", ms: 3.4 },
      {
        name: "prometheus targets",
        url: "http://p/api/v1/targets?state=active",
        ok: false,
        detail: "1/2 up; down: node n:9100",
        more: ["node n:9100 is down: connection refused"],
        ms: 12,
      },
    ];
    assert.deepEqual(renderTable(results).split("\n"), [
      "COMPONENT           URL                                   STATUS  DETAIL                     MS",
      "prometheus          http://p/-/ready                      OK      ready                       3",
      "prometheus targets  http://p/api/v1/targets?state=active  FAIL    1/2 up; down: node n:9100  12",
      "",
      "1 of 2 checks failed:",
      "  prometheus targets: 1/2 up; down: node n:9100",
      "    - node n:9100 is down: connection refused",
      "",
    ]);
    assert.equal(exitCode(results), 1);
    assert.equal(exitCode(results.slice(0, 1)), 0);
    assert.equal(exitCode([]), 1);
    assert.match(renderTable(results.slice(0, 1)), /\nAll 1 checks passed\.\n$/);
  });
});
