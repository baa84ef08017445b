/**
 * Every pinned image and chart version of the product, in one place.
 * Bump here only; stacks can override a single image with the `imageOverrides` config key.
 */

/** Container images, pinned to explicit tags (never `latest`). Quay mirrors avoid Docker Hub rate limits. */
export const IMAGES = {
  prometheus: "quay.io/prometheus/prometheus:v3.14.0",
  alertmanager: "quay.io/prometheus/alertmanager:v0.34.0",
  nodeExporter: "quay.io/prometheus/node-exporter:v1.9.1",
  grafana: "docker.io/grafana/grafana:12.1.1",
  loki: "docker.io/grafana/loki:3.7.6",
  alloy: "docker.io/grafana/alloy:v1.10.0",
  /** staging: the init container that copies each task's config files from S3 (has `sh`). */
  configInit: "public.ecr.aws/aws-cli/aws-cli:2.28.13",
} as const;

/** The components that run from an image. */
export type ImageName = keyof typeof IMAGES;

export const IMAGE_NAMES = Object.keys(IMAGES) as ImageName[];

/** Helm charts deployed by the `prod` stack, pinned to exact versions. */
export const CHARTS = {
  kubePrometheusStack: "88.5.3",
  loki: "18.11.0",
  /**
   * grafana/alloy chart 1.2.0 is the release whose appVersion is v1.10.0 (`IMAGES.alloy`):
   * `git log -p -- operations/helm/charts/alloy/Chart.yaml` in github.com/grafana/alloy shows
   * commit 0ff965c47f ("Release Helm chart 1.2.0 with Alloy v1.10.0") moving 1.1.2/v1.9.2 to
   * 1.2.0/v1.10.0, and the next release, 1.2.1, moving to v1.10.1.
   */
  alloy: "1.2.0",
} as const;

/** Where each chart comes from (the Loki chart moved to grafana-community, PITFALLS 13). */
export const CHART_REPOSITORIES = {
  kubePrometheusStack: "https://prometheus-community.github.io/helm-charts",
  loki: "https://grafana-community.github.io/helm-charts",
  alloy: "https://grafana.github.io/helm-charts",
} as const satisfies Record<keyof typeof CHARTS, string>;

export type ChartName = keyof typeof CHARTS;

export const CHART_NAMES = Object.keys(CHARTS) as ChartName[];
