/** The one image-reference grammar (catalog/images.ts): the settings schema and the prod Helm values use it. */
import * as assert from "node:assert/strict";
import { imageReferenceProblem, parseImage } from "../../catalog/images";
import { IMAGES } from "../../catalog/versions";

describe("parseImage", () => {
  it("splits registry, repository, tag and digest; Docker Hub when no host is given", () => {
    assert.deepEqual(parseImage("quay.io/prometheus/prometheus:v3.14.0"), {
      registry: "quay.io",
      repository: "prometheus/prometheus",
      tag: "v3.14.0",
    });
    assert.deepEqual(parseImage("grafana/loki:3.7.6"), {
      registry: "docker.io",
      repository: "grafana/loki",
      tag: "3.7.6",
    });
    assert.deepEqual(parseImage("busybox:1.38"), {
      registry: "docker.io",
      repository: "library/busybox",
      tag: "1.38",
    });
    assert.deepEqual(parseImage(`localhost:5000/alloy@sha256:${"b".repeat(64)}`), {
      registry: "localhost:5000",
      repository: "alloy",
      sha256: "b".repeat(64),
    });
    assert.throws(() => parseImage("quay.io/prometheus/prometheus"), /neither a tag nor a digest/);
  });

  it("keeps a tag next to a digest and a registry's port apart from the tag", () => {
    assert.deepEqual(
      parseImage(`registry.example.com:5000/team/app:1.2@sha256:${"c".repeat(64)}`),
      {
        registry: "registry.example.com:5000",
        repository: "team/app",
        tag: "1.2",
        sha256: "c".repeat(64),
      },
    );
    assert.deepEqual(parseImage("localhost:5000/alloy:v1"), {
      registry: "localhost:5000",
      repository: "alloy",
      tag: "v1",
    });
  });
});

describe("imageReferenceProblem", () => {
  it("accepts every pinned image of the catalog", () => {
    for (const [name, ref] of Object.entries(IMAGES)) {
      assert.equal(imageReferenceProblem(ref), undefined, name);
    }
  });

  it("names what is wrong with a reference that is not pinned or not well-formed", () => {
    assert.match(imageReferenceProblem("grafana/loki") ?? "", /neither a tag nor a digest/);
    assert.match(imageReferenceProblem("localhost:5000/alloy") ?? "", /neither a tag nor a digest/);
    assert.match(imageReferenceProblem("Grafana/Loki:3.7.6") ?? "", /invalid repository name/);
    assert.match(imageReferenceProblem("grafana/loki:3.7.6!") ?? "", /invalid tag/);
    assert.match(imageReferenceProblem("grafana/loki@sha256:abc") ?? "", /malformed digest/);
    assert.match(
      imageReferenceProblem(`grafana/loki@sha256:${"A".repeat(64)}`) ?? "",
      /malformed digest/,
    );
  });
});
