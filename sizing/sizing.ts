/**
 * Sizing from capacity: how much disk, memory and CPU Prometheus and Loki need for a workload
 * (active series, scrape interval, retention, log volume per day, Loki retention), and from those
 * the Fargate task sizes (staging), the PVC sizes, `retentionSize` and pod resources (prod) and
 * what to expect of EFS (staging). Pure: no Pulumi, no I/O. Every constant says where it comes
 * from; the ones that are our own assumptions say so, with the metric that measures the real value.
 */
import { FARGATE_SIZES, type TaskSize } from "./fargate";
import type { Environment } from "../settings/schema";

const KiB = 1024;
export const MiB = 1024 ** 2;
export const GiB = 1024 ** 3;

// ---------------------------------------------------------------------------------------------
// Prometheus
// ---------------------------------------------------------------------------------------------

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
 * margin (our assumption). Below `MAX_RETENTION_SHARE` (90 %), which
 * the prod values builder enforces for explicit sizes.
 */
export const RETENTION_SHARE_OF_VOLUME = 0.8;

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

// ---------------------------------------------------------------------------------------------
// Loki
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Fargate and EFS
// ---------------------------------------------------------------------------------------------

/**
 * What every staging task runs besides its main container: the node-exporter sidecar (and the
 * config init container, which has exited before the main container starts). Our assumption,
 * from node-exporter's footprint of a few tens of MiB.
 */
export const SIDECAR = { cpu: 64, memoryMiB: 128 } as const;

/** What Grafana and Alertmanager keep on EFS (SQLite database, silences, notification log). Our assumption. */
export const EFS_SMALL_SERVICES_BYTES = 1 * GiB;

// ---------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------

/** The workload one Prometheus and one Loki are sized for. */
export interface Capacity {
  /** Series Prometheus scrapes each interval (`prometheus_tsdb_head_series`). */
  readonly activeSeries: number;
  readonly scrapeIntervalSeconds: number;
  readonly retentionSeconds: number;
  /** Raw log bytes shipped to Loki per day. */
  readonly logBytesPerDay: number;
  readonly lokiRetentionDays: number;
}

/** What the capacity key holds; the rest of `Capacity` comes from other keys. */
export interface CapacityDefaults {
  readonly activeSeries: number;
  /** A Prometheus-style size (`5GB`, base 2). */
  readonly logVolumePerDay: string;
}

/**
 * The workload each environment is sized for when the stack sets no `capacity`: a laptop, a
 * shared staging account, and a mid-sized production cluster (the seeds' node-exporter, kube-state
 * and application targets at a few hundred series each).
 */
export const DEFAULT_CAPACITY: Readonly<Record<Environment, CapacityDefaults>> = {
  dev: { activeSeries: 20_000, logVolumePerDay: "1GB" },
  staging: { activeSeries: 100_000, logVolumePerDay: "5GB" },
  prod: { activeSeries: 500_000, logVolumePerDay: "20GB" },
};

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

export interface LokiSizing {
  /** Compressed chunks plus index overhead for the whole retention. */
  readonly storedBytes: number;
  readonly volumeGiB: number;
  readonly memoryMiB: number;
  readonly cpu: number;
  /** Raw ingest rate. */
  readonly bytesPerSecond: number;
}

/** A staging service's needs (main container plus `SIDECAR`) and the task that holds them. */
export interface FargateFit {
  readonly need: TaskSize;
  /** The cheapest valid Fargate size at or above `need`; undefined when even the largest is too small. */
  readonly size?: TaskSize;
}

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

const ceilTo = (n: number, step: number) => Math.ceil(n / step) * step;
const SECONDS_PER_MONTH = 730 * 3600;

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

/**
 * The cheapest valid Fargate size with at least `need` CPU and memory: the smallest CPU whose
 * memory range reaches `need.memory`, with the smallest memory step at or above it.
 */
export function fargateFit(need: TaskSize): FargateFit {
  for (const cpu of Object.keys(FARGATE_SIZES).map(Number)) {
    if (cpu < need.cpu) continue;
    const memory = FARGATE_SIZES[cpu].find((m) => m >= need.memory);
    if (memory !== undefined) return { need, size: { cpu, memory } };
  }
  return { need };
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

/** Bytes of a Prometheus-style size (`40GB`; base 2, as Prometheus reads its flags). */
export function sizeBytes(size: string): number {
  const m = /^(\d+)(B|KB|MB|GB|TB|PB|EB)$/.exec(size);
  if (m === null) throw new Error(`not a size: ${JSON.stringify(size)}`);
  return Number(m[1]) * 1024 ** ["B", "KB", "MB", "GB", "TB", "PB", "EB"].indexOf(m[2]);
}

/** Bytes of a Kubernetes quantity as the `k8sSize` schema accepts it (`64Gi`). */
export function quantityBytes(size: string): number {
  const m = /^(\d+)(Ki|Mi|Gi|Ti)$/.exec(size);
  if (m === null) throw new Error(`not a Kubernetes size: ${JSON.stringify(size)}`);
  return Number(m[1]) * 1024 ** (["Ki", "Mi", "Gi", "Ti"].indexOf(m[2]) + 1);
}

/** `1.5 GiB`, `512 MiB`, `1.2 TiB`: for messages and the plan. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let i = 0;
  let n = bytes;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n >= 100 || i === 0 ? Math.round(n) : n.toFixed(1)} ${units[i]}`;
}

/** `1 vCPU / 4 GiB` for a Fargate size. */
export function formatTask(size: TaskSize): string {
  return `${size.cpu / 1024} vCPU / ${formatBytes(size.memory * MiB)}`;
}

// ---------------------------------------------------------------------------------------------
// EKS nodes (prod)
// ---------------------------------------------------------------------------------------------

/**
 * GiB of memory per vCPU of the EC2 families whose ratio the type name tells: compute (c) 1:2,
 * general purpose (m) 1:4, memory optimized (r) 1:8 (AWS, "Amazon EC2 instance type naming
 * conventions", https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html, and
 * the family specifications). Other families are not checked.
 */
export const GIB_PER_VCPU: Readonly<Record<string, number>> = { c: 2, m: 4, r: 8 };

/**
 * Memory the kubelet keeps from pods on an EKS node: the EKS AMI reserves 255 MiB + 11 MiB per
 * possible pod (`kube-reserved`, awslabs/amazon-eks-ami bootstrap) plus a 100 MiB eviction
 * threshold; with 58 pods (an xlarge) that is about 1 GiB. We reserve 1 GiB + 5 % of the node.
 * Our assumption, from those figures.
 */
export const NODE_RESERVED = { memoryMiB: 1024, share: 0.05 } as const;

/** vCPU and memory of an instance type such as `m6i.xlarge` (size `large` = 2 vCPU, `Nxlarge` = 4N). */
export function instanceShape(type: string): { vcpu: number; memoryGiB: number } | undefined {
  const m = /^([a-z]+)\d+[a-z-]*\.(\d*)(x?large)$/.exec(type);
  const perVcpu = m === null ? undefined : GIB_PER_VCPU[m[1]];
  if (m === null || perVcpu === undefined) return undefined;
  const vcpu = m[3] === "large" ? 2 : 4 * (m[2] === "" ? 1 : Number(m[2]));
  return { vcpu, memoryGiB: vcpu * perVcpu };
}

/** A workload's pods and what each requests; `perNode` for DaemonSets. */
export interface PodRequest {
  readonly name: string;
  readonly replicas: number | "perNode";
  readonly cpuMillis: number;
  readonly memoryMiB: number;
}

/** What `pods` request together on `nodes` nodes (DaemonSets run one pod per node). */
export function podTotals(
  pods: readonly PodRequest[],
  nodes: number,
): { cpuMillis: number; memoryMiB: number } {
  const count = (p: PodRequest) => (p.replicas === "perNode" ? nodes : p.replicas);
  return {
    cpuMillis: pods.reduce((sum, p) => sum + count(p) * p.cpuMillis, 0),
    memoryMiB: pods.reduce((sum, p) => sum + count(p) * p.memoryMiB, 0),
  };
}

/**
 * Whether the pods' requests fit a node group of `nodes` × `instanceType`: the largest pod on one
 * node, everything on all nodes, and everything on one node fewer (so a node's loss or a rolling
 * node update leaves room). One warning per failed check; none for an unknown family.
 */
export function nodeGroupWarnings(
  instanceType: string,
  nodes: number,
  pods: readonly PodRequest[],
): string[] {
  const shape = instanceShape(instanceType);
  if (shape === undefined) return [];
  const memoryMiB = shape.memoryGiB * 1024 * (1 - NODE_RESERVED.share) - NODE_RESERVED.memoryMiB;
  const cpuMillis = shape.vcpu * 1000 * (1 - NODE_RESERVED.share);
  const gib = (mib: number) => formatBytes(mib * MiB);
  const warnings: string[] = [];
  for (const p of pods) {
    if (p.memoryMiB > memoryMiB || p.cpuMillis > cpuMillis) {
      warnings.push(
        `\`nodeGroup\`: the ${p.name} pod requests ${p.cpuMillis}m CPU / ${gib(p.memoryMiB)}, more than one ${instanceType} offers pods ` +
          `(about ${Math.floor(cpuMillis)}m / ${gib(memoryMiB)}); it will stay Pending. Use a larger \`nodeGroup.instanceType\` or lower \`capacity\`.`,
      );
    }
  }
  for (const [n, what] of [
    [nodes, "all"],
    [nodes - 1, "all but one of the"],
  ] as const) {
    if (n < 1) continue;
    const need = podTotals(pods, n);
    if (need.memoryMiB > memoryMiB * n || need.cpuMillis > cpuMillis * n) {
      warnings.push(
        `\`nodeGroup\`: the monitoring pods request ${need.cpuMillis}m CPU / ${gib(need.memoryMiB)}, more than ${what} ${nodes} × ${instanceType} ` +
          `offer pods (about ${Math.floor(cpuMillis * n)}m / ${gib(memoryMiB * n)})` +
          (n === nodes
            ? "; some will stay Pending."
            : "; losing or replacing a node leaves pods Pending.") +
          " Add nodes or use a larger `nodeGroup.instanceType`.",
      );
      break;
    }
  }
  return warnings;
}
