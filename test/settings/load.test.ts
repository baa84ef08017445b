/** loadSettings (settings/load.ts): what it does beyond parseSettings, seen through a program run. */
import assert from "node:assert/strict";
import { loggedWarnings, runProgram } from "../support/harness";

describe("loading settings (settings/load.ts)", () => {
  it("loadSettings logs every warning with pulumi.log.warn", async () => {
    const logged = await loggedWarnings(() =>
      runProgram("dev", { config: { retentionSize: "1GB" } }),
    );
    assert.deepEqual(
      logged.filter((m) => m.includes("retentionSize")),
      [
        "`retentionSize` 1GB is below the 2GB that 20000 active series every 15s kept 7d (`capacity`, `scrapeInterval`, `retentionTime`) need (1.5 GiB of blocks + 384 MiB of WAL); Prometheus will drop data before 7d.",
      ],
    );
  });
});
