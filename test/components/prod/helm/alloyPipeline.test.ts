/** Alloy's pod-log pipeline on a node (components/prod/helm/alloyPipeline.ts). */
import * as assert from "node:assert/strict";
import { AlloyRef, type AlloyBlock, renderAlloy } from "../../../../content/alloy";
import { alloyPodLogsPipeline, POD_LOGS_DIR } from "../../../../components/prod/helm/alloyPipeline";

describe("alloyPodLogsPipeline", () => {
  const pushUrl = "http://loki.monitoring.svc.cluster.local:3100/loki/api/v1/push";

  it("labels each line with namespace, pod and container taken from the kubelet's log path", () => {
    const relabel = alloyPodLogsPipeline({ lokiPushUrl: pushUrl, externalLabels: {} }).find(
      (b: AlloyBlock) => b.name === "discovery.relabel",
    );
    assert.ok(relabel?.blocks !== undefined);
    const file =
      "/var/log/pods/monitoring_kps-grafana-6d5f8b7c9-x2x7q_0b1c2d3e-1111-2222-3333-444455556666/grafana-sc-dashboard/0.log";
    const labels = Object.fromEntries(
      relabel.blocks.map((rule) => {
        const attrs = rule.attrs as { regex: string; target_label: string; replacement: string };
        // Alloy anchors relabel regexes; `$n` is the capture group.
        const m = new RegExp(`^(?:${attrs.regex})$`).exec(file);
        assert.ok(m !== null, attrs.regex);
        return [attrs.target_label, m[Number(attrs.replacement.slice(1))]];
      }),
    );
    assert.deepEqual(labels, {
      namespace: "monitoring",
      pod: "kps-grafana-6d5f8b7c9-x2x7q",
      container: "grafana-sc-dashboard",
    });
    assert.ok(relabel.attrs?.targets instanceof AlloyRef);
  });

  it("tails the kubelet's pod log files and pushes to Loki with the given labels", () => {
    const text = renderAlloy(
      alloyPodLogsPipeline({ lokiPushUrl: pushUrl, externalLabels: { cluster: "c1" } }),
    );
    assert.ok(text.includes(`__path__ = "${POD_LOGS_DIR}/*/*/*.log"`));
    assert.ok(text.includes(`url = "${pushUrl}"`));
    assert.match(text, /external_labels = \{\n\s+cluster = "c1",\n\s+\}/);
    assert.match(text, /stage\.label_drop \{\n\s+values = \["filename"\]/);
  });
});
