/**
 * Prod settings and Helm-values contexts shared by the prod Helm values unit tests
 * (test/components/prod/helm/) and the chart conformance suite (values.conformance.test.ts there).
 */
import { alloyValues } from "../../components/prod/helm/alloy";
import { kubePrometheusStackValues } from "../../components/prod/helm/kubePrometheusStack";
import { lokiValues } from "../../components/prod/helm/loki";
import { lokiPushUrl } from "../../components/prod/helm/services";
import { IMAGES } from "../../catalog/versions";
import { parseSettings } from "../../settings/parse";
import type { Settings } from "../../settings/settings";
import { ALL_RECEIVERS_CONFIG, settingsInput, TEST_SECRETS } from "./harness";

/** Prod settings with every secret set (so a leak of any of them would show). */
export function prodSettings(overrides: Readonly<Record<string, unknown>> = {}): Settings {
  return parseSettings(
    settingsInput(
      "prod",
      { heartbeatUrl: ALL_RECEIVERS_CONFIG.heartbeatUrl, ...overrides },
      { ...TEST_SECRETS },
    ),
  );
}

export const STORAGE_CLASS = "monitoring-gp3";
export const REMOTE_WRITE = {
  url: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1234/api/v1/remote_write",
  roleArn: "arn:aws:iam::123456789012:role/prod-prometheus-amp",
  region: "eu-west-1",
};
export const S3 = {
  bucket: "prod-eu-west-1-loki",
  region: "eu-west-1",
  roleArn: "arn:aws:iam::123456789012:role/prod-loki-s3",
};
export const INGRESS_ALL_HOSTS = {
  className: "nginx",
  grafanaHost: "grafana.example.com",
  prometheusHost: "prometheus.example.com",
  alertmanagerHost: "alertmanager.example.com",
  clusterIssuer: "letsencrypt-prod",
};

/** One prod settings object per feature that changes the shape of the values. */
export const settingsVariants = (): Record<string, Settings> => ({
  default: prodSettings(),
  "ingress on every UI": prodSettings({ ingress: INGRESS_ALL_HOSTS }),
  "ingress with a TLS Secret": prodSettings({
    ingress: { className: "nginx", grafanaHost: "grafana.example.com", tlsSecretName: "tls" },
  }),
  "remote write": prodSettings({ remoteWrite: true }),
  "simple-scalable Loki": prodSettings({ lokiMode: "simpleScalable" }),
  "digest overrides": prodSettings({
    imageOverrides: Object.fromEntries(
      Object.keys(IMAGES).map((name) => [
        name,
        `registry.example.com/${name.toLowerCase()}@sha256:${"c".repeat(64)}`,
      ]),
    ),
  }),
});

/** kube-prometheus-stack values with the contexts the stack passes for `s`. */
export const kpsOf = (s: Settings) =>
  kubePrometheusStackValues(s, {
    storageClassName: STORAGE_CLASS,
    ...(s.k8s.remoteWrite ? { remoteWrite: REMOTE_WRITE } : {}),
  });

/** Loki values with the contexts the stack passes for `s`. */
export const lokiOf = (s: Settings) =>
  lokiValues(s, {
    storageClassName: STORAGE_CLASS,
    ...(s.k8s.lokiMode === "simpleScalable" ? { s3: S3 } : {}),
  });

/** Alloy values with the contexts the stack passes for `s`. */
export const alloyOf = (s: Settings) => alloyValues(s, { lokiPushUrl: lokiPushUrl(s) });
