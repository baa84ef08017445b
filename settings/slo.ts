/**
 * What an SLO setting means: the `SloSpec` an entry of `slos` becomes (with its defaults), the SLOs
 * shipped when `slos` is not set, and the SLI expression that defines the spec. The schema checks
 * that expression parses; content/slo.ts turns specs into recording rules and alerts.
 */
import { SCRAPE_JOBS } from "../catalog/names";

/** One availability SLO: the share of requests of `metric{selector}` that are not errors. */
export interface SloSpec {
  /** Name (kebab-case), the `slo` label. */
  readonly name: string;
  /** The `service` label (used in Alertmanager grouping). */
  readonly service: string;
  /** Objective in percent, e.g. 99.9. */
  readonly objective: number;
  /** A request counter, e.g. `http_requests_total`. */
  readonly metric: string;
  /** Label matchers selecting the service's requests, e.g. `job="api"`. */
  readonly selector: string;
  /** Extra matchers that select the failed requests, e.g. `code=~"5.."`. */
  readonly errorSelector: string;
}

/** An entry of the `slos` key: a spec whose `service`, `metric` and `errorSelector` may be left out. */
export type SloEntry = Pick<SloSpec, "name" | "objective" | "selector"> &
  Partial<Pick<SloSpec, "service" | "metric" | "errorSelector">>;

/** Defaults of an SLO entry's optional fields (`service` defaults to the SLO's name). */
export const SLO_SPEC_DEFAULTS = {
  metric: "http_requests_total",
  errorSelector: 'code=~"5.."',
} as const;

/** The spec of an entry, its defaults applied. */
export function sloSpecOf(entry: SloEntry): SloSpec {
  return {
    name: entry.name,
    service: entry.service ?? entry.name,
    objective: entry.objective,
    metric: entry.metric ?? SLO_SPEC_DEFAULTS.metric,
    selector: entry.selector,
    errorSelector: entry.errorSelector ?? SLO_SPEC_DEFAULTS.errorSelector,
  };
}

/**
 * The SLO shipped by default: the monitoring stack's own query API (what Grafana and users call).
 * 5xx answers from Prometheus' `/api/v1/*` handlers are errors.
 */
export const DEFAULT_SLOS: readonly SloSpec[] = [
  {
    name: "prometheus-query-api",
    service: "prometheus",
    objective: 99.9,
    metric: "prometheus_http_requests_total",
    selector: `job="${SCRAPE_JOBS.prometheus}", handler=~"/api/v1/.+"`,
    errorSelector: SLO_SPEC_DEFAULTS.errorSelector,
  },
];

/**
 * `sum(rate(errors[w])) / sum(rate(all[w]))` for one SLO and window. A service that has never
 * failed has no error series, so the errors default to 0 (else nothing is recorded at all); a
 * window without requests records nothing rather than 0/0 = NaN, which would turn the period's
 * mean into NaN for the whole period.
 */
export function errorRatioExpr(slo: SloSpec, window: string): string {
  const all = `${slo.metric}{${slo.selector}}`;
  const errors = `${slo.metric}{${slo.selector}, ${slo.errorSelector}}`;
  return `(sum(rate(${errors}[${window}])) or vector(0)) / (sum(rate(${all}[${window}])) > 0)`;
}
