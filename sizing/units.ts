/**
 * Byte units and the size strings the stack reads and prints: Prometheus sizes (`40GB`, base 2),
 * Kubernetes quantities (`64Gi`) and human-readable figures for messages and the plan. Pure.
 */

/**
 * Binary units, as both size formats read them: Prometheus' `--storage.tsdb.retention.size` is
 * "based on powers-of-2, so 1KB is 1024B" (https://prometheus.io/docs/prometheus/latest/storage/#operational-aspects)
 * and Kubernetes' `Ki`/`Mi`/`Gi` suffixes are powers of 2
 * (https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/).
 */
export const KiB = 1024;
export const MiB = 1024 ** 2;
export const GiB = 1024 ** 3;

/** `n` rounded up to a whole multiple of `step` (64 MiB memory steps, 64-unit CPU steps). */
export function ceilTo(n: number, step: number): number {
  return Math.ceil(n / step) * step;
}

/** The units of a Prometheus size, each 1024 times the one before. */
const SIZE_UNITS = ["B", "KB", "MB", "GB", "TB", "PB", "EB"];

/** Bytes of a Prometheus-style size (`40GB`; base 2, as Prometheus reads its flags). */
export function sizeBytes(size: string): number {
  const m = /^(\d+)(B|KB|MB|GB|TB|PB|EB)$/.exec(size);
  if (m === null) throw new Error(`not a size: ${JSON.stringify(size)}`);
  return Number(m[1]) * 1024 ** SIZE_UNITS.indexOf(m[2]);
}

/**
 * Whether a Prometheus-style size fits the int64 bytes Prometheus reads it into: it refuses larger
 * ones (`units.ParseBase2Bytes`, https://github.com/alecthomas/units/blob/master/util.go), so `7EB`
 * and `8191PB` fit and `8EB` = 2^63 bytes is one too many. Exact (BigInt), unlike `sizeBytes`.
 */
export function sizeFitsInt64(size: string): boolean {
  const m = /^(\d+)(B|KB|MB|GB|TB|PB|EB)$/.exec(size);
  if (m === null) throw new Error(`not a size: ${JSON.stringify(size)}`);
  return BigInt(m[1]) * 1024n ** BigInt(SIZE_UNITS.indexOf(m[2])) <= 2n ** 63n - 1n;
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
