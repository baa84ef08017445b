/**
 * Prometheus duration strings (`30s`, `15m`, `7d`, `1h30m`) as numbers: the one parser the schema,
 * the sizing inputs and the renderers share, and the "whole days" rule Loki's retention obeys.
 */

/** A Prometheus duration such as `30s`, `15m`, `7d` or `1h30m`. */
const DURATION_RE =
  /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const DAY_MS = 86_400_000;
const DURATION_MS = [365 * DAY_MS, 7 * DAY_MS, DAY_MS, 3_600_000, 60_000, 1000, 1];

/** Milliseconds in a Prometheus duration string, or `undefined` when it is not one. */
export function durationMs(text: string): number | undefined {
  const match = DURATION_RE.exec(text);
  if (text === "" || match === null) return undefined;
  return match.slice(1).reduce((sum, part, i) => sum + Number(part ?? 0) * DURATION_MS[i], 0);
}

/**
 * Days in a positive duration that is a whole number of days (`7d`, `720h` → 30), `undefined`
 * otherwise (`36h`, `0d`, not a duration). Loki's retention must be whole days: its index period
 * is 24h, and the S3 expiry rule of its bucket counts days.
 */
export function wholeDays(text: string): number | undefined {
  const ms = durationMs(text);
  return ms !== undefined && ms > 0 && ms % DAY_MS === 0 ? ms / DAY_MS : undefined;
}

/**
 * The longest duration Prometheus and Loki read: both parse durations into Go's `time.Duration`,
 * int64 nanoseconds (about 292 years, `106751d` or `2562047h`), and refuse anything longer ("duration
 * out of range", `model.ParseDuration` in https://github.com/prometheus/common/blob/main/model/time.go;
 * https://pkg.go.dev/time#Duration).
 */
export const MAX_DURATION_MS = Math.floor(Number(2n ** 63n - 1n) / 1e6);
