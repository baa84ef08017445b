/**
 * The ServiceMonitor relabeling every chart's values use to give their targets the stack's job
 * names (`SCRAPE_JOBS`), which the shared rules and dashboards select on in every environment.
 */
import type { HelmValue } from "./types";

/**
 * ServiceMonitor relabeling that sets `job` to `job`. With `port`, only that endpoint is renamed
 * (the operator sets `endpoint` to the port name before user relabelings run), so the
 * config-reloader endpoint of the same ServiceMonitor keeps its own job.
 */
export function jobRelabeling(job: string, port?: string): HelmValue[] {
  return [
    {
      action: "replace",
      ...(port === undefined ? {} : { sourceLabels: ["endpoint"], regex: port }),
      targetLabel: "job",
      replacement: job,
    },
  ];
}
