/**
 * The plan's sizing section: the capacity a stack is sized for, the sizes it deploys (explicit or
 * derived by sizing/), and the warnings about them.
 */
import { podRequests } from "../components/prod/helm/podResources";
import type { Settings } from "../settings/settings";
import { formatTask } from "../sizing/fargate";
import { nodeGroupWarnings, podTotals } from "../sizing/nodes";
import { formatBytes, MiB } from "../sizing/units";

/** The capacity a stack is sized for and the sizes it deploys (explicit or derived), for the plan. */
export function sizingLines(settings: Settings): string[] {
  const { capacity: c, prometheus: p, loki: l, efs } = settings.sizing;
  const prom = settings.prometheus;
  const lines = [
    `  Capacity: ${c.activeSeries} active series every ${prom.scrapeInterval} (${Math.round(p.samplesPerSecond)} samples/s) kept ${prom.retentionTime}; ` +
      `${formatBytes(c.logBytesPerDay)}/day of logs kept ${settings.loki.retentionPeriod}`,
    `  Prometheus: ${formatBytes(p.blockBytes)} of blocks + ${formatBytes(p.walBytes)} of WAL → retentionSize ${prom.retentionSize} (derived ${p.retentionSize}); ` +
      `memory ${formatBytes(p.memoryMiB * MiB)}, CPU ${(p.cpu / 1024).toFixed(2)} vCPU`,
    `  Loki: ${formatBytes(l.storedBytes)} stored (compressed, with index); memory ${formatBytes(l.memoryMiB * MiB)}, CPU ${(l.cpu / 1024).toFixed(2)} vCPU`,
  ];
  if (settings.environment === "staging") {
    const t = settings.aws.taskSizes;
    lines.push(
      `  Fargate tasks: prometheus ${formatTask(t.prometheus)}, loki ${formatTask(t.loki)}, ` +
        `alertmanager ${formatTask(t.alertmanager)}, grafana ${formatTask(t.grafana)}`,
      `  EFS: about ${efs.storedGiB} GiB stored; writes about ${efs.writeKiBPerSecond} KiB/s (${efs.writeGiBPerMonth} GiB/month, billed per GB with elastic throughput)`,
    );
  }
  if (settings.environment === "prod") {
    const s = settings.k8s.storage;
    lines.push(
      `  Volumes: prometheus ${settings.k8s.prometheusReplicas} × ${s.prometheus}, loki ${s.loki}, alertmanager ${settings.k8s.alertmanagerReplicas} × ${s.alertmanager}, grafana ${s.grafana}`,
    );
  }
  const warnings = [...settings.warnings];
  const cluster = settings.k8s.cluster;
  if (settings.environment === "prod" && cluster.mode === "create") {
    const { instanceType, desiredSize } = cluster.nodeGroup;
    const pods = podRequests(settings);
    const total = podTotals(pods, desiredSize);
    lines.push(
      `  Pod requests: ${total.cpuMillis}m CPU / ${formatBytes(total.memoryMiB * MiB)} on ${desiredSize} × ${instanceType}`,
    );
    warnings.push(...nodeGroupWarnings(instanceType, desiredSize, pods));
  }
  return [
    "Sizing (sizing/; explicit settings win)",
    ...lines,
    ...warnings.map((w) => `  Warning: ${w}`),
  ];
}
