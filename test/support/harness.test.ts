/** The harness's shared runs (`sharedRun`): one evaluation per arguments, which no test can change. */
import assert from "node:assert/strict";
import { runProgram, sharedRun, TEST_SECRETS } from "./harness";

describe("harness: shared runs", () => {
  it("hands every caller with equal arguments the same deep-frozen run, and others their own", async () => {
    const run = await sharedRun("dev");
    const same = await sharedRun("dev", {
      config: {},
      secrets: { grafanaAdminPassword: TEST_SECRETS.grafanaAdminPassword },
    });
    assert.equal(same, run);
    assert.throws(() => (run.resources as unknown[]).push({}), TypeError);
    assert.throws(() => {
      run.resources[0].inputs.name = "changed";
    }, TypeError);
    assert.throws(() => {
      run.outputs.environment = "prod";
    }, TypeError);
    // Removing a key is an override of its own, not the same as no override.
    assert.notEqual(await sharedRun("dev", { config: { retentionTime: undefined } }), run);
  });

  it("answers later callers with a frozen copy of a run runProgram made, which its caller may change", async () => {
    const options = { config: { retentionTime: "8d" } };
    const fresh = await runProgram("dev", options);
    (fresh.resources as unknown[]).length = 0;
    const shared = await sharedRun("dev", options);
    assert.notEqual(shared, fresh);
    assert.ok(shared.resources.length > 0);
    assert.ok(Object.isFrozen(shared.resources));
  });
});
