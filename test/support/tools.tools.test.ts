import * as assert from "node:assert/strict";
import { requireTool } from "./tools";

describe("test tooling", () => {
  it("fails with install instructions, never skips, when promtool is missing", () => {
    const saved = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      assert.throws(
        () => requireTool("promtool"),
        /`promtool` is not on PATH; the test suite validates configs with it — install them with: sudo apt-get update && sudo apt-get install -y prometheus prometheus-alertmanager prometheus-node-exporter/,
      );
    } finally {
      process.env.PATH = saved;
    }
    assert.match(requireTool("promtool"), /\/promtool$/);
  });
});
