/** The Alloy chart's values (components/prod/helm/alloy.ts). */
import * as assert from "node:assert/strict";
import { alloyConfig, alloyValues } from "../../../../components/prod/helm/alloy";
import { RESOURCES } from "../../../../components/prod/helm/podResources";
import { lokiPushUrl } from "../../../../components/prod/helm/services";
import { PORTS, SCRAPE_JOBS } from "../../../../catalog/names";
import { CHARTS, IMAGES } from "../../../../catalog/versions";
import type { Settings } from "../../../../settings/settings";
import { prodSettings } from "../../../support/prodValues";
import { at } from "../../../support/keyPath";

describe("alloyValues", () => {
  const settings = prodSettings();
  const pushUrl = lokiPushUrl(settings);
  const values = alloyValues(settings, { lokiPushUrl: pushUrl });
  const content = String(at(values, "alloy", "configMap", "content"));

  it("is pinned to CHARTS.alloy 1.2.0 (appVersion v1.10.0) and IMAGES.alloy", () => {
    assert.equal(CHARTS.alloy, "1.2.0");
    assert.equal(settings.charts.alloy, "1.2.0");
    assert.equal(IMAGES.alloy, "docker.io/grafana/alloy:v1.10.0");
    assert.deepEqual(at(values, "image"), {
      registry: "docker.io",
      repository: "grafana/alloy",
      tag: "v1.10.0",
    });
  });

  it("runs as a DaemonSet reading the host's pod logs, keeping its positions on the host", () => {
    assert.equal(at(values, "controller", "type"), "daemonset");
    assert.equal(at(values, "alloy", "mounts", "varlog"), true);
    assert.deepEqual(at(values, "alloy", "mounts", "extra"), [
      { name: "alloy-data", mountPath: "/var/lib/alloy" },
    ]);
    assert.deepEqual(at(values, "controller", "volumes", "extra"), [
      { name: "alloy-data", hostPath: { path: "/var/lib/alloy", type: "DirectoryOrCreate" } },
    ]);
    assert.equal(at(values, "alloy", "storagePath"), "/var/lib/alloy/data");
    assert.deepEqual(at(values, "alloy", "resources"), RESOURCES.alloy);
    assert.deepEqual(at(values, "configReloader", "resources"), RESOURCES.alloyConfigReloader);
  });

  it("needs no Kubernetes API access and is scraped as job `alloy`", () => {
    assert.equal(at(values, "rbac", "create"), false);
    assert.equal(at(values, "serviceAccount", "automountServiceAccountToken"), false);
    assert.equal(
      (at(values, "serviceMonitor", "relabelings") as { replacement: string }[])[0].replacement,
      SCRAPE_JOBS.alloy,
    );
  });

  it("renders the pipeline with content/alloy.ts: pod log files → CRI parsing → Loki with cluster labels", () => {
    assert.match(content, /local\.file_match "pod_logs" \{/);
    assert.match(content, /__path__ = "\/var\/log\/pods\/\*\/\*\/\*\.log"/);
    assert.match(
      content,
      /loki\.source\.file "pod_logs" \{\n {2}targets = discovery\.relabel\.pod_logs\.output/,
    );
    assert.match(content, /stage\.cri \{/);
    assert.match(content, /forward_to = \[loki\.write\.default\.receiver\]/);
    assert.ok(content.includes(`url = "${pushUrl}"`));
    assert.match(content, /cluster = "prod-eu-west-1",/);
    assert.match(content, /environment = "prod",/);
    assert.equal(at(values, "alloy", "listenPort"), PORTS.alloy);
  });

  it("refuses a config the chart's `tpl` would evaluate", () => {
    const templated: Settings = {
      ...settings,
      prometheus: { ...settings.prometheus, externalLabels: { team: "{{ .Release.Name }}" } },
    };
    assert.throws(() => alloyValues(templated, { lokiPushUrl: pushUrl }), /`\{\{`/);
  });

  it("puts the rendered pipeline (`alloyConfig`) into the chart's ConfigMap", () => {
    assert.equal(content, alloyConfig(settings, pushUrl));
    const templated: Settings = {
      ...settings,
      prometheus: { ...settings.prometheus, externalLabels: { team: "{{ x }}" } },
    };
    assert.throws(() => alloyConfig(templated, pushUrl), /which the chart's `tpl` would evaluate/);
  });
});
