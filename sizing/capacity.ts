/**
 * The workload one Prometheus and one Loki are sized for, in plain numbers: the input of every
 * formula in `sizing/`. Settings build it from the `capacity`, `scrapeInterval` and retention keys.
 */
export interface Capacity {
  /** Series Prometheus scrapes each interval (`prometheus_tsdb_head_series`). */
  readonly activeSeries: number;
  readonly scrapeIntervalSeconds: number;
  readonly retentionSeconds: number;
  /** Raw log bytes shipped to Loki per day. */
  readonly logBytesPerDay: number;
  readonly lokiRetentionDays: number;
}
