/**
 * What Loki needs for a log volume and retention: stored chunks and index on disk, memory and CPU.
 * Every constant says where it comes from or that it is our assumption. Pure.
 */
import type { Capacity } from "./capacity";
import { ceilTo, GiB, MiB } from "./units";

/**
 * How much smaller stored chunks are than the raw log lines. Loki compresses chunks with the
 * configured `chunk_encoding` (snappy by default; Loki docs, "Storage" and `ingester` config,
 * https://grafana.com/docs/loki/latest/configure/#ingester_config); log text typically
 * compresses 4–10×. We take the low end. Measure: `loki_ingester_chunk_compression_ratio`.
 */
export const LOKI_COMPRESSION_RATIO = 4;

/** Extra for the TSDB index, compactor working files and the WAL on the volume. Our assumption. */
export const LOKI_STORAGE_OVERHEAD = 0.25;

/**
 * Hours of raw log volume the ingester holds in memory: chunks are flushed at
 * `chunk_target_size` or after `max_chunk_age` (2 h by default, Loki docs `ingester` config) and
 * are held compressed, so an hour of raw volume bounds it. Our assumption.
 */
export const LOKI_MEMORY_HOURS = 1;

/** Memory of an idle Loki single binary with query headroom. Our assumption. */
export const LOKI_BASE_MEMORY = 512 * MiB;

/**
 * Raw log bytes per second one vCPU ingests. Loki's sizing guide budgets its smallest tier
 * (under 3 TB/day) at a few vCPU for distributors and ingesters together
 * (https://grafana.com/docs/loki/latest/setup/size/); 5 MB/s per vCPU is our conservative reading.
 */
export const LOKI_BYTES_PER_SECOND_PER_VCPU = 5 * 1000 ** 2;

/** CPU of an idle Loki, in vCPU. Our assumption. */
export const LOKI_BASE_VCPU = 0.25;

export interface LokiSizing {
  /** Compressed chunks plus index overhead for the whole retention. */
  readonly storedBytes: number;
  readonly volumeGiB: number;
  readonly memoryMiB: number;
  readonly cpu: number;
  /** Raw ingest rate. */
  readonly bytesPerSecond: number;
}

/** Loki's needs for `capacity`. */
export function lokiSizing(c: Capacity): LokiSizing {
  const storedBytes =
    ((c.logBytesPerDay * c.lokiRetentionDays) / LOKI_COMPRESSION_RATIO) *
    (1 + LOKI_STORAGE_OVERHEAD);
  const bytesPerSecond = c.logBytesPerDay / 86_400;
  const memoryBytes = LOKI_BASE_MEMORY + bytesPerSecond * 3600 * LOKI_MEMORY_HOURS;
  const vcpu = LOKI_BASE_VCPU + bytesPerSecond / LOKI_BYTES_PER_SECOND_PER_VCPU;
  return {
    storedBytes,
    volumeGiB: Math.max(1, Math.ceil(storedBytes / GiB)),
    memoryMiB: ceilTo(memoryBytes / MiB, 64),
    cpu: ceilTo(vcpu * 1024, 64),
    bytesPerSecond,
  };
}
