/** loadSettings (settings/load.ts): what it does beyond parseSettings, seen through a program run. */
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { runProgram } from "../support/harness";

describe("loading settings (settings/load.ts)", () => {
  it("loadSettings logs every warning with pulumi.log.warn", async () => {
    const logged: string[] = [];
    const original = pulumi.log.warn;
    pulumi.log.warn = (msg: string) => {
      logged.push(msg);
      return Promise.resolve();
    };
    try {
      await runProgram("dev", { config: { retentionSize: "1GB" } });
    } finally {
      pulumi.log.warn = original;
    }
    assert.deepEqual(
      logged.filter((m) => m.includes("retentionSize")),
      [
        "`retentionSize` 1GB is below the 2GB that 20000 active series every 15s kept 7d (`capacity`, `scrapeInterval`, `retentionTime`) need (1.5 GiB of blocks + 384 MiB of WAL); Prometheus will drop data before 7d.",
      ],
    );
  });
});
