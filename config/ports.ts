/** The well-known listen ports of each component, shared by every target. */
export const PORTS = {
  prometheus: 9090,
  alertmanager: 9093,
  grafana: 3000,
  loki: 3100,
  alloy: 12345,
  nodeExporter: 9100,
} as const;

/** Stable Grafana datasource UIDs; dashboards reference these, provisioning defines them. */
export const DATASOURCE_UIDS = {
  prometheus: "prometheus",
  loki: "loki",
  alertmanager: "alertmanager",
} as const;

/** Prometheus `job` label of each built-in scrape job; rules and dashboards select on these. */
export const SCRAPE_JOBS = {
  prometheus: "prometheus",
  alertmanager: "alertmanager",
  grafana: "grafana",
  loki: "loki",
  alloy: "alloy",
  node: "node",
} as const;

/** Pseudo/virtual filesystems that never hold user data; excluded by every filesystem rule and panel. */
export const IGNORED_FSTYPES: readonly string[] = [
  "tmpfs",
  "ramfs",
  "devtmpfs",
  "overlay",
  "squashfs",
  "nsfs",
  "autofs",
  "fuse.lxcfs",
];
