/**
 * Sizing from capacity: how much disk, memory and CPU Prometheus (prometheus.ts) and Loki
 * (loki.ts) need for a workload (capacity.ts), and from those the Fargate tasks (fargate.ts) and
 * what to expect of EFS (staging). The EKS node-group fit is nodes.ts. Pure: no Pulumi, no I/O.
 * Every constant says where it comes from; the ones that are our own assumptions say so.
 */
import type { Capacity } from "./capacity";
import { type FargateFit, fargateFit, type TaskSize } from "./fargate";
import {
  BYTES_PER_SAMPLE,
  prometheusSizing,
  type PrometheusSizing,
  WAL_BYTES_PER_SAMPLE,
} from "./prometheus";
import { LOKI_COMPRESSION_RATIO, lokiSizing, type LokiSizing } from "./loki";
import { GiB, KiB } from "./units";

/**
 * What every staging task runs besides its main container: the node-exporter sidecar (and the
 * config init container, which has exited before the main container starts). Our assumption,
 * from node-exporter's footprint of a few tens of MiB.
 */
export const SIDECAR = { cpu: 64, memoryMiB: 128 } as const;

/** What Grafana and Alertmanager keep on EFS (SQLite database, silences, notification log). Our assumption. */
export const EFS_SMALL_SERVICES_BYTES = 1 * GiB;

const SECONDS_PER_MONTH = 730 * 3600;

export interface Sizing {
  readonly capacity: Capacity;
  readonly prometheus: PrometheusSizing;
  readonly loki: LokiSizing;
  /** Staging: the smallest valid Fargate task for each stateful service plus its sidecar. */
  readonly fargate: { readonly prometheus: FargateFit; readonly loki: FargateFit };
  /** Staging: what the one EFS file system will hold and how fast Prometheus writes to it. */
  readonly efs: {
    readonly storedGiB: number;
    /** Block and WAL writes of Prometheus plus Loki's chunk writes, averaged. */
    readonly writeKiBPerSecond: number;
    /** The same as a monthly volume (elastic throughput bills writes per GB). */
    readonly writeGiBPerMonth: number;
  };
}

/** Everything derived from `capacity`. */
export function deriveSizing(capacity: Capacity): Sizing {
  const prometheus = prometheusSizing(capacity);
  const loki = lokiSizing(capacity);
  const withSidecar = (s: { cpu: number; memoryMiB: number }): TaskSize => ({
    cpu: s.cpu + SIDECAR.cpu,
    memory: s.memoryMiB + SIDECAR.memoryMiB,
  });
  const retentionBytes = Number(prometheus.retentionSize.replace("GB", "")) * GiB;
  const writeBytesPerSecond =
    prometheus.samplesPerSecond * (WAL_BYTES_PER_SAMPLE + BYTES_PER_SAMPLE) +
    loki.bytesPerSecond / LOKI_COMPRESSION_RATIO;
  return {
    capacity,
    prometheus,
    loki,
    fargate: {
      prometheus: fargateFit(withSidecar(prometheus)),
      loki: fargateFit(withSidecar(loki)),
    },
    efs: {
      storedGiB: Math.ceil((retentionBytes + loki.storedBytes + EFS_SMALL_SERVICES_BYTES) / GiB),
      writeKiBPerSecond: Math.ceil(writeBytesPerSecond / KiB),
      writeGiBPerMonth: Math.ceil((writeBytesPerSecond * SECONDS_PER_MONTH) / GiB),
    },
  };
}
