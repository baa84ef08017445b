/** Builds the Loki 3 single-binary config: tsdb index, schema v13, filesystem storage, retention on. */
import { stringify } from "yaml";
import { PORTS } from "../catalog/names";
import { durationMs } from "../settings/durations";

export interface LokiConfigInput {
  /** Validated retention (a whole number of days). */
  readonly retentionPeriod: string;
  /** Data directory inside the container. */
  readonly dataDir: string;
  /** Alertmanager URL for Loki's ruler. */
  readonly alertmanagerUrl: string;
}

/** The date the v13/tsdb schema starts; fixed so that re-rendering never rewrites history. */
export const LOKI_SCHEMA_FROM = "2024-04-01";

export function lokiConfig(input: LokiConfigInput): Record<string, unknown> {
  const retentionHours = `${(durationMs(input.retentionPeriod) ?? 0) / 3_600_000}h`;
  return {
    auth_enabled: false,
    server: { http_listen_port: PORTS.loki, grpc_listen_port: 9096, log_level: "info" },
    common: {
      instance_addr: "127.0.0.1",
      path_prefix: input.dataDir,
      replication_factor: 1,
      ring: { kvstore: { store: "inmemory" } },
      storage: {
        filesystem: {
          chunks_directory: `${input.dataDir}/chunks`,
          rules_directory: `${input.dataDir}/rules`,
        },
      },
    },
    schema_config: {
      configs: [
        {
          from: LOKI_SCHEMA_FROM,
          store: "tsdb",
          object_store: "filesystem",
          schema: "v13",
          index: { prefix: "index_", period: "24h" },
        },
      ],
    },
    limits_config: {
      retention_period: retentionHours,
      reject_old_samples: true,
      reject_old_samples_max_age: "168h",
      ingestion_rate_mb: 10,
      ingestion_burst_size_mb: 20,
      allow_structured_metadata: true,
      volume_enabled: true,
    },
    compactor: {
      working_directory: `${input.dataDir}/compactor`,
      compaction_interval: "10m",
      retention_enabled: true,
      retention_delete_delay: "2h",
      delete_request_store: "filesystem",
    },
    ruler: { alertmanager_url: input.alertmanagerUrl },
    analytics: { reporting_enabled: false },
  };
}

export function renderLokiConfig(input: LokiConfigInput): string {
  return stringify(lokiConfig(input), { lineWidth: 0 });
}
