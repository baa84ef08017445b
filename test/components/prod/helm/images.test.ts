/** The charts' two image-key shapes (components/prod/helm/images.ts). */
import * as assert from "node:assert/strict";
import { digestImage, shaImage } from "../../../../components/prod/helm/images";

const DIGEST = "d".repeat(64);

describe("chart image keys", () => {
  it("shaImage always sets tag and sha, so a chart default never mixes with an override", () => {
    assert.deepEqual(shaImage("quay.io/prometheus/prometheus:v3.14.0"), {
      registry: "quay.io",
      repository: "prometheus/prometheus",
      tag: "v3.14.0",
      sha: "",
    });
    assert.deepEqual(shaImage(`quay.io/prometheus/prometheus@sha256:${DIGEST}`), {
      registry: "quay.io",
      repository: "prometheus/prometheus",
      tag: "",
      sha: DIGEST,
    });
  });

  it("digestImage sets `digest: sha256:<hex>` and only the keys the reference has", () => {
    assert.deepEqual(digestImage("docker.io/grafana/loki:3.7.6"), {
      registry: "docker.io",
      repository: "grafana/loki",
      tag: "3.7.6",
    });
    assert.deepEqual(digestImage(`grafana/alloy@sha256:${DIGEST}`), {
      registry: "docker.io",
      repository: "grafana/alloy",
      digest: `sha256:${DIGEST}`,
    });
    assert.throws(() => digestImage("grafana/alloy"), /neither a tag nor a digest/);
  });
});
