/** Shared inputs of the health check's tests: URLs, the prod stack's outputs, answers, errors. */
import * as assert from "node:assert/strict";

export const URLS = {
  prometheus: "http://prom:9090",
  alertmanager: "http://am:9093",
  grafana: "https://grafana.example.com",
  loki: "http://loki:3100",
};
export const URL_ARGS = [
  "--prometheus",
  URLS.prometheus,
  "--alertmanager",
  URLS.alertmanager,
  "--grafana",
  `${URLS.grafana}/`,
  "--loki",
  URLS.loki,
];
export const PROD_OUTPUTS = {
  grafanaUrl: "https://grafana.example.com",
  prometheusUrl: "kubectl -n monitoring port-forward svc/kps-prometheus 9090:9090",
  alertmanagerUrl: "kubectl -n monitoring port-forward svc/kps-alertmanager 9093:9093",
  lokiUrl: "kubectl -n monitoring port-forward svc/loki 3100:3100",
  workloads: ["kps", "loki", "alloy"],
};
export const ok = (body = "") => ({ status: 200, body });

/** The message `fn` throws with. */
export function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return assert.fail("expected an error");
}
