/** content/commands.ts: the command lines Docker and ECS start Prometheus, Alertmanager and Loki with. */
import * as assert from "node:assert/strict";
import { alertmanagerCommand, lokiCommand, prometheusCommand } from "../../content/commands";
import { settingsFor } from "../support/renderedFiles";

const URLS = {
  prometheus: "https://prometheus.example.com",
  alertmanager: "https://alertmanager.example.com",
};

describe("component command lines", () => {
  it("starts Prometheus with its config and data paths, the stack's retention, the lifecycle API and its URL", () => {
    const settings = settingsFor("dev", undefined, { retentionTime: "15d", retentionSize: "12GB" });
    assert.deepEqual(prometheusCommand(settings, URLS), [
      "--config.file=/etc/prometheus/prometheus.yml",
      "--storage.tsdb.path=/prometheus",
      "--storage.tsdb.retention.time=15d",
      "--storage.tsdb.retention.size=12GB",
      "--web.enable-lifecycle",
      "--web.external-url=https://prometheus.example.com",
    ]);
  });

  it("starts one Alertmanager with clustering off, its config, data path and URL", () => {
    assert.deepEqual(alertmanagerCommand(URLS), [
      "--config.file=/etc/alertmanager/alertmanager.yml",
      "--storage.path=/alertmanager",
      "--web.external-url=https://alertmanager.example.com",
      "--cluster.listen-address=",
    ]);
  });

  it("starts Loki with its config file", () => {
    assert.deepEqual(lokiCommand(), ["-config.file=/etc/loki/loki.yaml"]);
  });
});
