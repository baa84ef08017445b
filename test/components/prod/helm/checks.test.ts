/** The prod charts' settings checks (components/prod/helm/checks.ts), run before any resource. */
import * as assert from "node:assert/strict";
import {
  CHART_IMAGES,
  checkChartSettings,
  checkRetentionFitsVolume,
} from "../../../../components/prod/helm/checks";
import type { Settings } from "../../../../settings/settings";
import { MAX_RETENTION_SHARE } from "../../../../sizing/prometheus";
import { prodSettings } from "../../../support/prodValues";

describe("prod chart settings checks", () => {
  it("refuses a retentionSize above MAX_RETENTION_SHARE of the Prometheus volume", () => {
    assert.equal(MAX_RETENTION_SHARE, 0.9);
    // 60 GB counted as GiB on 64 GiB = 93.75 % > 90 %
    assert.throws(
      () =>
        checkRetentionFitsVolume(
          prodSettings({ retentionSize: "60GB", prometheusStorageSize: "64Gi" }),
        ),
      /`retentionSize` \(60GB\) does not fit the Prometheus volume `prometheusStorageSize` \(64Gi\): .* at most 90% of the volume/,
    );
    // 57 GiB on 64 GiB = 89 %: tight (the settings warn), but not refused
    assert.doesNotThrow(() =>
      checkRetentionFitsVolume(
        prodSettings({ retentionSize: "57GB", prometheusStorageSize: "64Gi" }),
      ),
    );
    // the derived defaults (83GB on 104Gi) keep 80 %
    assert.doesNotThrow(() => checkRetentionFitsVolume(prodSettings()));
  });

  it("checks the images the prod charts run and Alloy's config, without any cluster output", () => {
    const settings = prodSettings();
    assert.doesNotThrow(() => checkChartSettings(settings));
    assert.deepEqual(
      [...CHART_IMAGES].sort(),
      Object.keys(settings.images)
        .filter((n) => n !== "configInit")
        .sort(),
    );
    const badImage: Settings = {
      ...settings,
      images: { ...settings.images, loki: "grafana/loki" },
    };
    assert.throws(() => checkChartSettings(badImage), /neither a tag nor a digest/);
    const templated: Settings = {
      ...settings,
      prometheus: { ...settings.prometheus, externalLabels: { team: "{{ .Release.Name }}" } },
    };
    assert.throws(() => checkChartSettings(templated), /`\{\{`/);
    // parseSettings refuses this combination (settings/stackChecks.ts); the guard still throws.
    const tooFull: Settings = {
      ...settings,
      prometheus: { ...settings.prometheus, retentionSize: "200GB" },
      k8s: { ...settings.k8s, storage: { ...settings.k8s.storage, prometheus: "64Gi" } },
    };
    assert.throws(() => checkChartSettings(tooFull), /does not fit the Prometheus volume/);
  });
});
