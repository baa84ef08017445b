/**
 * What Prometheus needs for a workload: blocks and WAL on disk (and so `retentionSize` and the
 * volume that holds it), memory and CPU. Every constant says where it comes from; the ones that are
 * our own assumptions say so, with the metric that measures the real value. Pure.
 */
import type { Capacity } from "./capacity";
import { ceilTo, GiB, KiB, MiB } from "./units";

/**
 * Bytes one sample takes in a persisted block. Prometheus storage docs, "Operational aspects":
 * "On average, Prometheus uses only around 1-2 bytes per sample", with
 * `needed_disk_space = retention_time_seconds * ingested_samples_per_second * bytes_per_sample`
 * (https://prometheus.io/docs/prometheus/latest/storage/#operational-aspects). We take the upper
 * end. Measure: `rate(prometheus_tsdb_compaction_chunk_size_bytes_sum[1h]) /
 * rate(prometheus_tsdb_compaction_chunk_samples_sum[1h])`.
 */
export const BYTES_PER_SAMPLE = 2;

/**
 * Bytes one sample takes in the write-ahead log: an 8-byte value plus varint series-id and
 * timestamp deltas, about 13 bytes (Robust Perception, "How much space does the WAL take up?",
 * https://www.robustperception.io/how-much-space-does-the-wal-take-up).
 */
export const WAL_BYTES_PER_SAMPLE = 13;

/**
 * Hours of samples the WAL holds: the head keeps at least two hours of raw data and is compacted
 * once it spans three (Prometheus storage docs, "On-disk layout": high-traffic servers keep more
 * than the minimum three 128 MB segments "because it needs to keep at least two hours of raw data",
 * https://prometheus.io/docs/prometheus/latest/storage/#on-disk-layout).
 */
export const WAL_HOURS = 3;

/**
 * The WAL's floor: "Prometheus will retain a minimum of three write-ahead log files" of 128 MB
 * (https://prometheus.io/docs/prometheus/latest/storage/#on-disk-layout).
 */
export const WAL_MIN_BYTES = 3 * 128 * MiB;

/**
 * Share of the Prometheus volume `retentionSize` is given. `--storage.tsdb.retention.size` counts
 * blocks, WAL and m-mapped chunks, but a compaction writes its new block (up to 10 % of the
 * retention time, https://prometheus.io/docs/prometheus/latest/storage/#compaction) before it
 * deletes the old ones, so the volume needs room beyond the cap; 80 % leaves that 10 % plus a
 * margin (our assumption). Below `MAX_RETENTION_SHARE` (90 %), which the prod values builder
 * enforces for explicit sizes.
 */
export const RETENTION_SHARE_OF_VOLUME = 0.8;

/**
 * The most of the Prometheus volume an explicit `retentionSize` may take: beyond it a compaction
 * (up to 10 % of the retention, https://prometheus.io/docs/prometheus/latest/storage/#compaction)
 * can fill the volume; our assumption, with no margin. Between `RETENTION_SHARE_OF_VOLUME` and this
 * share the settings warn; above it the prod stack refuses the combination
 * (components/prod/helm/checks.ts).
 */
export const MAX_RETENTION_SHARE = 0.9;

/**
 * Head memory per active series. Robust Perception, "Why does Prometheus use so much RAM?":
 * "As of Prometheus 2.20 a good rule of thumb should be around 3kB per series in the head"
 * (https://www.robustperception.io/why-does-prometheus-use-so-much-ram). Measure:
 * `process_resident_memory_bytes / prometheus_tsdb_head_series`.
 */
export const HEAD_BYTES_PER_SERIES = 3 * KiB;

/**
 * Multiplier on head memory for queries, rule evaluation and the page cache of recently read
 * blocks, which the same article says come on top of the head. Our assumption: as much again.
 */
export const QUERY_MEMORY_FACTOR = 2;

/** Memory of an idle Prometheus (runtime, service discovery, rule manager). Our assumption. */
export const PROMETHEUS_BASE_MEMORY = 256 * MiB;

/**
 * Samples per second one vCPU ingests while leaving room for rules and queries. No official
 * figure exists: PromLabs' rule of thumb is that "a single large Prometheus server can ingest up
 * to 1 million samples per second" (https://training.promlabs.com/training/introduction-to-prometheus/prometheus-an-overview/efficient-implementation);
 * budgeting 50 000/s per vCPU keeps ingestion to a fraction of a core. Measure:
 * `rate(process_cpu_seconds_total{job="prometheus"}[5m])`.
 */
export const SAMPLES_PER_SECOND_PER_VCPU = 50_000;

/** CPU of an idle Prometheus, in vCPU. Our assumption. */
export const PROMETHEUS_BASE_VCPU = 0.25;

export interface PrometheusSizing {
  readonly samplesPerSecond: number;
  /** Blocks for the whole retention time: retention seconds × samples/s × bytes/sample. */
  readonly blockBytes: number;
  readonly walBytes: number;
  /** `--storage.tsdb.retention.size` covering blocks and WAL, whole GB (base 2, as Prometheus reads it). */
  readonly retentionSize: string;
  /** A volume that holds `retentionSize` at `RETENTION_SHARE_OF_VOLUME`, whole GiB. */
  readonly volumeGiB: number;
  readonly memoryMiB: number;
  /** 1024 = one vCPU. */
  readonly cpu: number;
}

/** Prometheus' needs for `capacity`; pure arithmetic on the constants above. */
export function prometheusSizing(c: Capacity): PrometheusSizing {
  const samplesPerSecond = c.activeSeries / c.scrapeIntervalSeconds;
  const blockBytes = c.retentionSeconds * samplesPerSecond * BYTES_PER_SAMPLE;
  const walBytes = Math.max(
    WAL_MIN_BYTES,
    samplesPerSecond * WAL_HOURS * 3600 * WAL_BYTES_PER_SAMPLE,
  );
  const retentionGiB = Math.max(1, Math.ceil((blockBytes + walBytes) / GiB));
  const memoryBytes =
    PROMETHEUS_BASE_MEMORY + c.activeSeries * HEAD_BYTES_PER_SERIES * QUERY_MEMORY_FACTOR;
  const vcpu = PROMETHEUS_BASE_VCPU + samplesPerSecond / SAMPLES_PER_SECOND_PER_VCPU;
  return {
    samplesPerSecond,
    blockBytes,
    walBytes,
    retentionSize: `${retentionGiB}GB`,
    volumeGiB: volumeFor(retentionGiB),
    memoryMiB: ceilTo(memoryBytes / MiB, 64),
    cpu: ceilTo(vcpu * 1024, 64),
  };
}

/** The volume (GiB) that gives a `retentionGiB` cap its compaction headroom. */
export function volumeFor(retentionGiB: number): number {
  return Math.ceil(retentionGiB / RETENTION_SHARE_OF_VOLUME);
}
