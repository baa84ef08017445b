/** catalog/versions.ts: every image and chart is pinned to one exact version. */
import * as assert from "node:assert/strict";
import { parseImage } from "../../catalog/images";
import { CHART_NAMES, CHARTS, IMAGE_NAMES, IMAGES } from "../../catalog/versions";

describe("pinned versions", () => {
  it("pins every image to an explicit tag that does not move (never `latest`)", () => {
    for (const [name, ref] of Object.entries(IMAGES)) {
      const { tag } = parseImage(ref);
      assert.ok(tag !== undefined, `${name}: ${ref} has no tag`);
      assert.match(tag, /\d/, `${name}: ${ref} is not pinned to a version`);
      assert.notEqual(tag, "latest", name);
    }
  });

  it("pins every chart to an exact semantic version, not a range", () => {
    for (const [name, version] of Object.entries(CHARTS))
      assert.match(version, /^\d+\.\d+\.\d+$/, `${name}: ${version}`);
  });

  it("lists the image and chart names in declaration order", () => {
    assert.deepEqual(IMAGE_NAMES, [
      "prometheus",
      "alertmanager",
      "nodeExporter",
      "grafana",
      "loki",
      "alloy",
      "configInit",
    ]);
    assert.deepEqual(CHART_NAMES, ["kubePrometheusStack", "loki", "alloy"]);
  });
});
