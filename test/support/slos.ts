/** SLOs the SLO tests share (test/content/slo.test.ts, test/content/slo.tools.test.ts). */
import type { SloSpec } from "../../settings/slo";

export const BASE = "https://runbooks.example.com/slo";

/** The SLO most cases run: `service` differs from `name` so the two labels cannot be mixed up. */
export const API: SloSpec = {
  name: "api",
  service: "api-svc",
  objective: 99.9,
  metric: "http_requests_total",
  selector: 'job="api"',
  errorSelector: 'code=~"5.."',
};

/** A regex selector and a custom error selector (429s count as failures, 404s do not). */
export const WEB: SloSpec = {
  name: "web",
  service: "web",
  objective: 99.5,
  metric: "http_requests_total",
  selector: 'job=~"web|web-canary"',
  errorSelector: 'code=~"5..|429"',
};

/** A service that has never answered with an error, so it has no 5xx series at all. */
export const SEARCH: SloSpec = {
  name: "search",
  service: "search",
  objective: 99,
  metric: "http_requests_total",
  selector: 'job="search"',
  errorSelector: 'code=~"5.."',
};
