/** The Loki configuration content/loki.ts builds: schema, storage and retention. */
import * as assert from "node:assert/strict";
import { parse } from "yaml";
import { PATHS } from "../../content/files";
import { lokiConfig } from "../../content/loki";
import { render, settingsFor } from "../support/renderedFiles";

describe("Loki config", () => {
  it("Loki 3 uses the tsdb index, schema v13, filesystem storage and retention in hours", () => {
    const config = lokiConfig({
      retentionPeriod: "30d",
      dataDir: "/loki",
      alertmanagerUrl: "http://alertmanager:9093",
    }) as {
      schema_config: { configs: Record<string, unknown>[] };
      limits_config: { retention_period: string };
      compactor: { retention_enabled: boolean; delete_request_store: string };
      common: { storage: { filesystem: { chunks_directory: string } } };
    };
    assert.deepEqual(config.schema_config.configs, [
      {
        from: "2024-04-01",
        store: "tsdb",
        object_store: "filesystem",
        schema: "v13",
        index: { prefix: "index_", period: "24h" },
      },
    ]);
    assert.equal(config.limits_config.retention_period, "720h");
    assert.equal(config.compactor.retention_enabled, true);
    assert.equal(config.compactor.delete_request_store, "filesystem");
    assert.equal(config.common.storage.filesystem.chunks_directory, "/loki/chunks");
  });

  it("dev renders Loki with the stack's 7-day retention", () => {
    const text = render(settingsFor("dev")).loki[PATHS.lokiConfig];
    assert.equal(
      (parse(text) as { limits_config: { retention_period: string } }).limits_config
        .retention_period,
      "168h",
    );
  });
});
