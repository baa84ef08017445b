/** Builds `prometheus.yml` from settings and the target's view of where each component listens. */
import { stringify } from "yaml";
import { SCRAPE_JOBS } from "../catalog/names";
import { HOST_LABEL } from "./rules";
import type { PrometheusSettings } from "../settings/settings";
import type { ScrapeTargetConfig } from "../settings/fields";

/** How Prometheus finds the instances of a built-in job on a given target. */
export type Discovery =
  | { readonly kind: "static"; readonly targets: readonly string[] }
  /** DNS service discovery (A records), e.g. Cloud Map names on ECS. */
  | { readonly kind: "dns"; readonly names: readonly string[]; readonly port: number };

export type BuiltInJob = keyof typeof SCRAPE_JOBS;

export interface PrometheusConfigInput {
  readonly prometheus: PrometheusSettings;
  /**
   * Where each built-in job's instances are; `prometheus` usually scrapes itself on localhost. A job
   * without an entry is not deployed on the target and gets no scrape config.
   */
  readonly discovery: Readonly<Partial<Record<BuiltInJob, Discovery>>>;
  /** Alertmanager instances Prometheus sends alerts to. */
  readonly alertmanagers: Discovery;
  /** User-defined jobs from the `scrapeTargets` config key. */
  readonly extraTargets: readonly ScrapeTargetConfig[];
  /** Glob of the rule files inside the container, e.g. `/etc/prometheus/rules/*.yml`. */
  readonly ruleFilesGlob: string;
}

function sdConfig(discovery: Discovery): Record<string, unknown> {
  switch (discovery.kind) {
    case "static":
      return { static_configs: [{ targets: [...discovery.targets] }] };
    case "dns":
      return { dns_sd_configs: [{ names: [...discovery.names], type: "A", port: discovery.port }] };
    default: {
      const never: never = discovery;
      throw new Error(`unknown discovery ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Every job labels its targets with `host`: the target address without the port, unless the target
 * already has a `host` label. Alertmanager uses it to hold back the alerts of a host that is down.
 */
export const HOST_RELABEL = {
  source_labels: [HOST_LABEL, "__address__"],
  separator: ";",
  regex: ";(.+?)(?::\\d+)?",
  target_label: HOST_LABEL,
  replacement: "$1",
} as const;

/** The config as a plain object (useful for tests and for targets that embed it). */
export function prometheusConfig(input: PrometheusConfigInput): Record<string, unknown> {
  const builtIn = (Object.keys(SCRAPE_JOBS) as BuiltInJob[]).flatMap((job) => {
    const discovery = input.discovery[job];
    return discovery === undefined
      ? []
      : [
          {
            job_name: SCRAPE_JOBS[job],
            ...sdConfig(discovery),
            relabel_configs: [{ ...HOST_RELABEL }],
          },
        ];
  });
  const extra = input.extraTargets.map((t) => ({
    job_name: t.job,
    ...(t.scrapeInterval === undefined ? {} : { scrape_interval: t.scrapeInterval }),
    ...(t.metricsPath === undefined ? {} : { metrics_path: t.metricsPath }),
    ...(t.scheme === undefined ? {} : { scheme: t.scheme }),
    static_configs: [
      { targets: [...t.targets], ...(t.labels === undefined ? {} : { labels: { ...t.labels } }) },
    ],
    relabel_configs: [{ ...HOST_RELABEL }],
  }));
  return {
    global: {
      scrape_interval: input.prometheus.scrapeInterval,
      evaluation_interval: input.prometheus.evaluationInterval,
      external_labels: { ...input.prometheus.externalLabels },
    },
    alerting: { alertmanagers: [{ api_version: "v2", ...sdConfig(input.alertmanagers) }] },
    rule_files: [input.ruleFilesGlob],
    scrape_configs: [...builtIn, ...extra],
  };
}

/** `prometheus.yml` text. */
export function renderPrometheusConfig(input: PrometheusConfigInput): string {
  return stringify(prometheusConfig(input), { lineWidth: 0 });
}

/** Command-line flags shared by every target that runs the Prometheus binary itself. */
export function prometheusFlags(
  p: PrometheusSettings,
  paths: { config: string; data: string },
): string[] {
  return [
    `--config.file=${paths.config}`,
    `--storage.tsdb.path=${paths.data}`,
    `--storage.tsdb.retention.time=${p.retentionTime}`,
    `--storage.tsdb.retention.size=${p.retentionSize}`,
    "--web.enable-lifecycle",
  ];
}
