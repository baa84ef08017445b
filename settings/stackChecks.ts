/**
 * Checks of values as the stack will use them (after defaults and sizing) that the prod components
 * used to throw only once the stack was being built: the Prometheus retention against its volume
 * and external labels the Alloy chart's `tpl` would evaluate. parseSettings runs them in the one
 * settings pass; components/prod/helm/checks.ts keeps throwing the same messages as a guard.
 */
import type { Environment } from "../catalog/environments";
import { MAX_RETENTION_SHARE } from "../sizing/prometheus";
import { quantityBytes, sizeBytes } from "../sizing/units";

/**
 * The problem when `retentionSize` takes more than `MAX_RETENTION_SHARE` of the Prometheus volume:
 * Prometheus counts GB as GiB and a compaction needs room beyond the cap.
 */
export function retentionVolumeProblem(retentionSize: string, volume: string): string | undefined {
  return sizeBytes(retentionSize) > quantityBytes(volume) * MAX_RETENTION_SHARE
    ? `\`retentionSize\` (${retentionSize}) does not fit the Prometheus volume ` +
        `\`prometheusStorageSize\` (${volume}): Prometheus counts GB as GiB and needs ` +
        `headroom for compaction; keep retentionSize at most ${MAX_RETENTION_SHARE * 100}% of the volume.`
    : undefined;
}

/**
 * External label values containing `{{`: the Alloy chart passes `alloy.configMap.content` through
 * Helm's `tpl` (https://github.com/grafana/alloy/blob/main/operations/helm/charts/alloy/templates/configmap.yaml),
 * which would evaluate them.
 */
export function alloyTemplateProblems(externalLabels: Readonly<Record<string, string>>): string[] {
  return Object.entries(externalLabels)
    .filter(([, value]) => value.includes("{{"))
    .map(
      ([name, value]) =>
        `\`externalLabels.${name}\`: got ${JSON.stringify(value)} — the Alloy config would contain \`{{\`, which the chart's \`tpl\` would evaluate; remove it from \`externalLabels\`.`,
    );
}

/** The problems of the sized, defaulted values the environment's components would otherwise throw. */
export function stackProblems(
  environment: Environment,
  resolved: {
    readonly retentionSize: string;
    readonly prometheusVolume: string;
    readonly externalLabels: Readonly<Record<string, string>>;
  },
): string[] {
  if (environment !== "prod") return [];
  const retention = retentionVolumeProblem(resolved.retentionSize, resolved.prometheusVolume);
  return [
    ...(retention === undefined ? [] : [retention]),
    ...alloyTemplateProblems(resolved.externalLabels),
  ];
}
