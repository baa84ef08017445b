/** plan/diff.ts: what `--diff` says when the plan of the other ref fails. */
import assert from "node:assert/strict";
import type { SpawnSyncReturns } from "node:child_process";
import { baseFailure } from "../../plan/diff";

function failed(stderr: string): SpawnSyncReturns<string> {
  return { pid: 1, output: [], stdout: "", stderr, status: 1, signal: null };
}

describe("plan --diff: a ref whose plan fails (plan/diff.ts)", () => {
  it("names the missing module, the first diffable commit and what to run instead", () => {
    const stderr = [
      "/tmp/tree/plan/volumes.ts:3",
      'import { quantityBytes } from "../sizing/units";',
      "Error: Cannot find module '../sizing/units'",
      "Require stack:",
      "- /tmp/tree/plan/volumes.ts",
      ...Array.from({ length: 20 }, (_, i) => `    at frame${i}`),
    ].join("\n");
    const lines = baseFailure("abc1234", failed(stderr)).split("\n");
    assert.equal(
      lines[0],
      "the plan at abc1234 failed: this checkout's plan code runs the program of abc1234, which has no module `../sizing/units` where the plan code imports it.",
    );
    assert.match(
      lines[1],
      /^--diff works only against refs laid out like this checkout; refs before commit 8ea089b /,
    );
    assert.equal(
      lines[2],
      "Instead, run `npm run plan -- <stack> --out <dir>` in a checkout of abc1234 and compare the folders with `diff -r`.",
    );
    // The loader's source line is dropped; the error and its require stack stay, cut at 12 lines.
    assert.equal(lines[4], "Error: Cannot find module '../sizing/units'");
    assert.equal(lines.length, 4 + 12);
    assert.ok(!lines.some((l) => l.startsWith("import ")));
  });

  it("passes any other failure through whole", () => {
    assert.equal(
      baseFailure("HEAD~3", failed('SettingsError: `retentionTime`: got "30x"\n')),
      'the plan at HEAD~3 failed:\nSettingsError: `retentionTime`: got "30x"\n',
    );
  });
});
