/**
 * Checks of the settings the prod charts' values depend on and the schema cannot see (combinations,
 * rendered content). Pure functions of `Settings` that throw: `EksStack` runs `checkChartSettings`
 * before it registers any resource, and the values builders run the checks that concern them.
 * parseSettings already reports these problems (settings/stackChecks.ts); these are guards for
 * `Settings` built some other way (tests, plan scenarios).
 */
import { parseImage } from "../../../catalog/images";
import type { ImageName } from "../../../catalog/versions";
import type { Settings } from "../../../settings/settings";
import { retentionVolumeProblem } from "../../../settings/stackChecks";
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
  const problem = retentionVolumeProblem(
    settings.prometheus.retentionSize,
    settings.k8s.storage.prometheus,
  );
  if (problem !== undefined) throw new Error(problem);
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
