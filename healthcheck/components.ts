/** The components the health check reaches, the stack output that holds each URL and each URL's flag. */

/** The components the health check can reach, in print order. */
export const COMPONENTS = [
  "prometheus",
  "alertmanager",
  "grafana",
  "loki",
  "nodeExporter",
] as const;
export type Component = (typeof COMPONENTS)[number];

/** Components every stack exports a URL for (`components/contract.ts`); node-exporter has none. */
export type StackComponent = Exclude<Component, "nodeExporter">;

/** The stack output that holds each component's URL. */
export const STACK_OUTPUTS: Readonly<Record<StackComponent, string>> = {
  prometheus: "prometheusUrl",
  alertmanager: "alertmanagerUrl",
  grafana: "grafanaUrl",
  loki: "lokiUrl",
};

/** Command-line flag of each component's URL. */
export const URL_FLAGS: Readonly<Record<Component, string>> = {
  prometheus: "--prometheus",
  alertmanager: "--alertmanager",
  grafana: "--grafana",
  loki: "--loki",
  nodeExporter: "--node-exporter",
};
