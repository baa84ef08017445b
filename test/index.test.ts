/**
 * index.ts, the entry point, under mocks: it hands the content checks to the settings loader, so a
 * setting that clashes with the built-in monitoring content is refused before any resource — in
 * every environment, since each deploys the same rules.
 */
import assert from "node:assert/strict";
import { programError, registeredCount } from "./support/harness";

const CLASH = {
  alertRules: [
    {
      alert: "InstanceDown",
      expr: "up == 0",
      severity: "critical",
      summary: "down",
      description: "down",
    },
  ],
  recordingRules: [{ record: "slo:mine:ratio", expr: "sum(up)" }],
};

describe("index.ts", () => {
  for (const stack of ["dev", "staging", "prod"]) {
    it(`refuses user rules named like built-in ones before any resource (${stack})`, async () => {
      const message = await programError(stack, { config: CLASH });
      assert.match(
        message,
        /`recordingRules\[0\]\.record`: got "slo:mine:ratio" — built-in records and the `slo:` prefix are reserved; choose another name\./,
      );
      assert.match(
        message,
        /`alertRules\[0\]\.alert`: got "InstanceDown" — a built-in alert has that name; choose another name\./,
      );
      assert.equal(registeredCount(), 0);
    });
  }
});
