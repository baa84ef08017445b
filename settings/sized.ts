/**
 * The sizes a stack deploys: every size derived from `capacity` (sizing/), explicit settings where
 * set, a warning per explicit size below the need, and a problem when a derived Fargate task does
 * not exist. The rules for which value wins live here; the formulas live in sizing/.
 */
import type { Environment } from "../catalog/environments";
import type { Capacity } from "../sizing/capacity";
import { FARGATE_MAX, formatTask, type TaskSize } from "../sizing/fargate";
import { RETENTION_SHARE_OF_VOLUME, volumeFor } from "../sizing/prometheus";
import { deriveSizing, type Sizing } from "../sizing/sizing";
import { formatBytes, GiB, MiB, quantityBytes, sizeBytes } from "../sizing/units";
import { DEFAULT_CAPACITY, FIXED_TASK_SIZES, LOKI_SCALABLE_VOLUME } from "./defaults";
import { durationMs, wholeDays } from "./durations";
import type { RawValues } from "./schema";
import type { EcsService } from "../catalog/names";
import type { K8sSettings } from "./settings";

/** Values with their defaults applied once (parse.ts) that sizing reads as well as the assembly. */
export interface Resolved {
  readonly environment: Environment;
  readonly scrapeInterval: string;
  readonly retentionTime: string;
  readonly lokiRetention: string;
  readonly lokiMode: K8sSettings["lokiMode"];
}

/** The sizes a stack deploys: explicit ones where set, derived from `capacity` otherwise. */
export interface SizedStack {
  readonly sizing: Sizing;
  readonly retentionSize: string;
  readonly taskSizes: Readonly<Record<EcsService, TaskSize>>;
  readonly storage: { readonly prometheus: string; readonly loki: string };
  readonly warnings: readonly string[];
}

/**
 * Derives every size from the capacity and applies the explicit ones. Pushes a problem when a
 * derived Fargate size exceeds Fargate (the user must size explicitly or use prod); returns one
 * warning per explicit size below the need.
 */
export function sizeStack(
  values: RawValues,
  resolved: Resolved,
  problems: string[],
): SizedStack | undefined {
  const { environment, scrapeInterval, retentionTime, lokiRetention } = resolved;
  const declared = values.capacity ?? DEFAULT_CAPACITY[environment];
  const capacity: Capacity = {
    activeSeries: declared.activeSeries,
    scrapeIntervalSeconds: (durationMs(scrapeInterval) ?? 0) / 1000,
    retentionSeconds: (durationMs(retentionTime) ?? 0) / 1000,
    logBytesPerDay: sizeBytes(declared.logVolumePerDay),
    lokiRetentionDays: wholeDays(lokiRetention) ?? 0,
  };
  if (capacity.scrapeIntervalSeconds <= 0 || capacity.retentionSeconds <= 0) return undefined;
  const sizing = deriveSizing(capacity);
  const prom = sizing.prometheus;
  const load =
    `${declared.activeSeries} active series every ${scrapeInterval} kept ${retentionTime}` +
    ` (\`capacity\`, \`scrapeInterval\`, \`retentionTime\`)`;
  const logs = `${declared.logVolumePerDay}/day of logs kept ${lokiRetention} (\`capacity.logVolumePerDay\`, \`lokiRetention\`)`;
  const warnings: string[] = [];

  // Prometheus' size cap; in prod an explicit volume without an explicit cap bounds the cap.
  let retentionSize = values.retentionSize ?? prom.retentionSize;
  const explicitVolume = environment === "prod" ? values.prometheusStorageSize : undefined;
  if (values.retentionSize === undefined && explicitVolume !== undefined) {
    const fits = Math.floor((quantityBytes(explicitVolume) / GiB) * RETENTION_SHARE_OF_VOLUME);
    if (fits * GiB < sizeBytes(prom.retentionSize)) {
      retentionSize = `${Math.max(1, fits)}GB`;
      warnings.push(
        `\`prometheusStorageSize\` ${explicitVolume} is below the ${prom.volumeGiB}Gi that ${load} need; ` +
          `retentionSize is lowered to ${retentionSize} to fit it, so Prometheus will drop data before ${retentionTime}.`,
      );
    }
  } else if (sizeBytes(retentionSize) < sizeBytes(prom.retentionSize)) {
    warnings.push(
      `\`retentionSize\` ${retentionSize} is below the ${prom.retentionSize} that ${load} need ` +
        `(${formatBytes(prom.blockBytes)} of blocks + ${formatBytes(prom.walBytes)} of WAL); Prometheus will drop data before ${retentionTime}.`,
    );
  }
  const prometheusVolume = explicitVolume ?? `${volumeFor(sizeBytes(retentionSize) / GiB)}Gi`;
  const recommended =
    values.retentionSize === undefined ? 0 : volumeFor(sizeBytes(values.retentionSize) / GiB);
  if (explicitVolume !== undefined && quantityBytes(explicitVolume) < recommended * GiB) {
    warnings.push(
      `\`prometheusStorageSize\` ${explicitVolume} leaves less than ${Math.round((1 - RETENTION_SHARE_OF_VOLUME) * 100)}% ` +
        `of the volume free beyond \`retentionSize\` ${values.retentionSize} for compaction; ` +
        `${recommended}Gi is recommended.`,
    );
  }

  // Loki's volume: the whole store in single-binary mode, WAL and caches in simple-scalable mode.
  const lokiScalable = resolved.lokiMode === "simpleScalable";
  const lokiVolume =
    values.lokiStorageSize ?? (lokiScalable ? LOKI_SCALABLE_VOLUME : `${sizing.loki.volumeGiB}Gi`);
  if (
    environment === "prod" &&
    !lokiScalable &&
    values.lokiStorageSize !== undefined &&
    quantityBytes(values.lokiStorageSize) < sizing.loki.volumeGiB * GiB
  ) {
    warnings.push(
      `\`lokiStorageSize\` ${values.lokiStorageSize} is below the ${sizing.loki.volumeGiB}Gi that ${logs} need ` +
        `(compressed ${formatBytes(sizing.loki.storedBytes)}); Loki will fill the volume before ${lokiRetention}.`,
    );
  }

  // Fargate: explicit sizes win (with a warning when small); derived ones must exist.
  const fixed: Record<keyof typeof FIXED_TASK_SIZES, TaskSize> = {
    alertmanager: values.taskSizes?.alertmanager ?? FIXED_TASK_SIZES.alertmanager,
    grafana: values.taskSizes?.grafana ?? FIXED_TASK_SIZES.grafana,
  };
  const sized = (service: "prometheus" | "loki"): TaskSize => {
    const fit = sizing.fargate[service];
    const explicit = values.taskSizes?.[service];
    const what = service === "prometheus" ? load : logs;
    if (explicit !== undefined) {
      if (
        environment === "staging" &&
        (explicit.cpu < fit.need.cpu || explicit.memory < fit.need.memory)
      ) {
        warnings.push(
          `\`taskSizes.${service}\` ${formatTask(explicit)} is below the ${formatTask(fit.need)} that ${what} need ` +
            `(${fit.size === undefined ? "more than Fargate's largest task" : `derived task: ${formatTask(fit.size)}`}).`,
        );
      }
      return explicit;
    }
    if (fit.size !== undefined) return fit.size;
    if (environment === "staging") {
      problems.push(
        `\`capacity\`: ${what} need ${fit.need.cpu / 1024} vCPU and ${formatBytes(fit.need.memory * MiB)} for ${service}, ` +
          `more than Fargate's largest task (${formatTask(FARGATE_MAX)}). Use the \`prod\` (EKS) stack for this workload, ` +
          `lower \`capacity\` or the retention, or set \`taskSizes.${service}\` explicitly.`,
      );
    }
    return fit.need; // outside staging no task is created; in staging the problem stops the run
  };
  const taskSizes = { ...fixed, prometheus: sized("prometheus"), loki: sized("loki") };
  return {
    sizing,
    retentionSize,
    taskSizes,
    storage: { prometheus: prometheusVolume, loki: lokiVolume },
    warnings,
  };
}
