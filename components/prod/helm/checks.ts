/**
 * Checks of the settings the prod charts' values depend on and the schema cannot see (combinations,
 * rendered content). Pure functions of `Settings` that throw: `EksStack` runs `checkChartSettings`
 * before it registers any resource, and the values builders run the checks that concern them.
 */
import { parseImage } from "../../../catalog/images";
import type { ImageName } from "../../../catalog/versions";
import type { Settings } from "../../../settings/settings";
import { MAX_RETENTION_SHARE } from "../../../sizing/prometheus";
import { quantityBytes, sizeBytes } from "../../../sizing/units";
import { alloyConfig } from "./alloy";
import { lokiPushUrl } from "./services";

/** The images the prod charts run (the others serve dev and staging only). */
export const CHART_IMAGES = [
  "prometheus",
  "alertmanager",
  "grafana",
  "nodeExporter",
  "loki",
  "alloy",
] as const satisfies readonly ImageName[];

/**
 * Throws when `retentionSize` takes more than `MAX_RETENTION_SHARE` of the Prometheus volume:
 * Prometheus counts GB as GiB and a compaction needs room beyond the cap.
 */
export function checkRetentionFitsVolume(settings: Settings): void {
  const prom = settings.prometheus;
  const volume = settings.k8s.storage.prometheus;
  if (sizeBytes(prom.retentionSize) > quantityBytes(volume) * MAX_RETENTION_SHARE) {
    throw new Error(
      `\`retentionSize\` (${prom.retentionSize}) does not fit the Prometheus volume ` +
        `\`prometheusStorageSize\` (${volume}): Prometheus counts GB as GiB and needs ` +
        `headroom for compaction; keep retentionSize at most ${MAX_RETENTION_SHARE * 100}% of the volume.`,
    );
  }
}

/**
 * Every check of the charts' settings: the retention fits the volume, every chart image splits
 * into the chart's image keys, and Alloy's config survives the chart's `tpl`. Throws the first
 * problem.
 */
export function checkChartSettings(settings: Settings): void {
  checkRetentionFitsVolume(settings);
  for (const name of CHART_IMAGES) parseImage(settings.images[name]);
  alloyConfig(settings, lokiPushUrl(settings));
}
