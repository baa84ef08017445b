/**
 * prometheus.yml as content/prometheus.ts builds it, read from the rendered dev files: the stack's
 * external labels, the user's scrape jobs and the host relabelling on every job (promtool checks the
 * same file in test/content/files.tools.test.ts).
 */
import * as assert from "node:assert/strict";
import { parse } from "yaml";
import { PATHS } from "../../content/files";
import { HOST_RELABEL } from "../../content/prometheus";
import { ALL_RECEIVERS_CONFIG, TEST_SECRETS } from "../support/harness";
import { render, settingsFor } from "../support/renderedFiles";

describe("rendered configs, validated by the real tools", () => {
  it("prometheus.yml carries the stack's external labels and user scrape jobs", () => {
    const s = settingsFor(
      "dev",
      { grafanaAdminPassword: TEST_SECRETS.grafanaAdminPassword },
      {
        scrapeTargets: [
          {
            job: "api",
            targets: ["api:8080"],
            metricsPath: "/internal/metrics",
            scheme: "https",
            scrapeInterval: "30s",
            labels: { team: "core" },
          },
        ],
      },
    );
    const config = parse(render(s).prometheus[PATHS.prometheusConfig]) as {
      global: Record<string, unknown>;
      scrape_configs: Record<string, unknown>[];
    };
    assert.deepEqual(config.global, {
      scrape_interval: "15s",
      evaluation_interval: "15s",
      external_labels: { cluster: "local", environment: "dev" },
    });
    assert.deepEqual(config.scrape_configs.at(-1), {
      job_name: "api",
      scrape_interval: "30s",
      metrics_path: "/internal/metrics",
      scheme: "https",
      static_configs: [{ targets: ["api:8080"], labels: { team: "core" } }],
      relabel_configs: [HOST_RELABEL],
    });
    for (const job of config.scrape_configs)
      assert.deepEqual(job.relabel_configs, [HOST_RELABEL], `job ${String(job.job_name)}`);
    const prod = parse(
      render(
        settingsFor(
          "prod",
          { ...TEST_SECRETS },
          { heartbeatUrl: ALL_RECEIVERS_CONFIG.heartbeatUrl },
        ),
      ).prometheus[PATHS.prometheusConfig],
    ) as { global: { external_labels: unknown } };
    assert.deepEqual(prod.global.external_labels, {
      region: "eu-west-1",
      cluster: "prod-eu-west-1",
      environment: "prod",
    });
  });
});
