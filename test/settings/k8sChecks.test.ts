/**
 * The prod settings that reach Kubernetes objects, checked by Kubernetes' rules (settings/k8sChecks.ts
 * through fields.ts and checks.ts): each rule refuses a bad value naming the key path, and values the
 * settings accept build objects kubernetes-models accepts. kubernetes-models checks types and
 * required fields (and the operator's `interval` pattern), not names, label keys and values, port
 * names, ingress class names, hosts or Secret names: the "models accept it too" cases below show
 * that those rules are ours to check.
 */
import assert from "node:assert/strict";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { serviceMonitorManifests } from "../../components/prod/manifests/serviceMonitors";
import type { ServiceMonitorConfig } from "../../settings/fields";
import { serviceMonitorName, serviceMonitorNameProblems } from "../../settings/k8sChecks";
import { SettingsError } from "../../settings/messages";
import { parseSettings } from "../../settings/parse";
import { settingsInput } from "../support/harness";

const INGRESS = { className: "nginx", grafanaHost: "grafana.example.com", tlsSecretName: "tls" };
const MONITOR: ServiceMonitorConfig = {
  name: "postgresql",
  namespace: "databases",
  selector: { "app.kubernetes.io/name": "postgresql" },
  port: "http-metrics",
};

/** The problems of the prod stack with `overrides` that concern `ingress` or `serviceMonitors`. */
function k8sProblems(overrides: Record<string, unknown>): string[] {
  try {
    parseSettings(settingsInput("prod", overrides));
  } catch (e) {
    assert.ok(e instanceof SettingsError);
    return e.problems.filter((p) => /^`(ingress|serviceMonitors)/.test(p));
  }
  return [];
}

const withIngress = (fields: Record<string, unknown>) => ({ ingress: { ...INGRESS, ...fields } });
const withMonitor = (fields: Record<string, unknown>) => ({
  serviceMonitors: [{ ...MONITOR, ...fields }],
});

/** An Ingress as the charts render it from the `ingress` setting. */
function ingressObject(ingress: typeof INGRESS & { clusterIssuer?: string }): Ingress {
  return new Ingress({
    metadata: {
      name: "grafana",
      annotations:
        ingress.clusterIssuer === undefined
          ? {}
          : { "cert-manager.io/cluster-issuer": ingress.clusterIssuer },
    },
    spec: {
      ingressClassName: ingress.className,
      tls: [{ secretName: ingress.tlsSecretName, hosts: [ingress.grafanaHost] }],
      rules: [{ host: ingress.grafanaHost }],
    },
  });
}

describe("settings: Kubernetes values (settings/k8sChecks.ts)", () => {
  it("accepts upstream-valid values and kubernetes-models accepts the objects built from them", () => {
    const ingress = { ...INGRESS, tlsSecretName: "grafana.tls-2" };
    const monitor = {
      ...MONITOR,
      selector: { "app.kubernetes.io/name": "postgresql", tier: "", Version: "v1.2_3" },
      port: "a-service-port-name-longer-than-15",
      path: "/metrics/prom;v=1",
      interval: "1m30s",
    };
    assert.deepEqual(k8sProblems({ ingress, serviceMonitors: [monitor] }), []);
    ingressObject(ingress).validate();
    for (const m of serviceMonitorManifests([monitor], { namespace: "monitoring" }))
      new ServiceMonitor(m).validate();
  });

  it("ingress.className: a DNS-1123 subdomain (an IngressClass name)", () => {
    assert.deepEqual(k8sProblems(withIngress({ className: "internal.nginx" })), []);
    const [problem] = k8sProblems(withIngress({ className: "Nginx_Internal" }));
    assert.match(
      problem,
      /^`ingress\.className`: got "Nginx_Internal" — must name an IngressClass, so it must be a DNS-1123 subdomain: .*, e\.g\. `nginx`\.$/,
    );
    // kubernetes-models does not check it: the API server would refuse the Ingress.
    ingressObject({ ...INGRESS, className: "Nginx_Internal" }).validate();
  });

  it("ingress hosts: plain DNS names, a wildcard refused because the host is the UI's URL", () => {
    assert.match(
      k8sProblems(withIngress({ grafanaHost: "*.example.com" }))[0],
      /^`ingress\.grafanaHost`: got "\*\.example\.com" — must be one host, not a wildcard/,
    );
    for (const host of ["Grafana.example.com", "10.0.0.1", "grafana", "a_b.example.com"]) {
      assert.match(
        k8sProblems(withIngress({ prometheusHost: host }))[0],
        /^`ingress\.prometheusHost`: got ".*" — must be a DNS name such as `grafana\.example\.com`/,
      );
    }
    ingressObject({ ...INGRESS, grafanaHost: "Not A Host" }).validate();
  });

  it("ingress.tlsSecretName and ingress.clusterIssuer: DNS-1123 subdomains (object names)", () => {
    assert.match(
      k8sProblems(withIngress({ tlsSecretName: "Grafana TLS" }))[0],
      /^`ingress\.tlsSecretName`: got "Grafana TLS" — must be a DNS-1123 subdomain: .*, e\.g\. `grafana-tls`\.$/,
    );
    const issuer = { className: "nginx", grafanaHost: "grafana.example.com" };
    assert.deepEqual(
      k8sProblems({ ingress: { ...issuer, clusterIssuer: "letsencrypt.prod" } }),
      [],
    );
    assert.match(
      k8sProblems({ ingress: { ...issuer, clusterIssuer: "letsencrypt/prod" } })[0],
      /^`ingress\.clusterIssuer`: got "letsencrypt\/prod" — must be a DNS-1123 subdomain: .*, e\.g\. `letsencrypt-prod`\.$/,
    );
    ingressObject({ ...INGRESS, tlsSecretName: "Grafana TLS" }).validate();
  });

  it("serviceMonitors[].name and .namespace: DNS-1123 labels", () => {
    assert.match(
      k8sProblems(withMonitor({ namespace: "Databases" }))[0],
      /^`serviceMonitors\[0\]\.namespace`: got "Databases" — must be a DNS-1123 label: at most 63 .*, e\.g\. `databases`\.$/,
    );
    assert.match(
      k8sProblems(withMonitor({ name: "p".repeat(64) }))[0],
      /^`serviceMonitors\[0\]\.name`: got "p{64}" — must be a DNS-1123 label/,
    );
  });

  it("serviceMonitors[].selector: label keys and values by Kubernetes' rules", () => {
    assert.match(
      k8sProblems(withMonitor({ selector: { "bad key": "x" } }))[0],
      /^`serviceMonitors\[0\]\.selector\.bad key`: the key "bad key" must be a Kubernetes label key `\[prefix\/\]name`/,
    );
    assert.match(
      k8sProblems(withMonitor({ selector: { app: "-postgres" } }))[0],
      /^`serviceMonitors\[0\]\.selector\.app`: got "-postgres" — must be a Kubernetes label value: empty or at most 63 /,
    );
    assert.match(
      k8sProblems(withMonitor({ selector: {} }))[0],
      /^`serviceMonitors\[0\]\.selector`: got \{\} — needs at least one label\.$/,
    );
    const [bad] = serviceMonitorManifests([{ ...MONITOR, selector: { "bad key": "-postgres" } }], {
      namespace: "monitoring",
    });
    new ServiceMonitor(bad).validate();
  });

  it("serviceMonitors[].port: a Service port name (DNS-1123 label); path: a URL path", () => {
    assert.match(
      k8sProblems(withMonitor({ port: "Metrics_Port" }))[0],
      /^`serviceMonitors\[0\]\.port`: got "Metrics_Port" — must be a DNS-1123 label: .*, e\.g\. `http-metrics`\.$/,
    );
    assert.match(
      k8sProblems(withMonitor({ path: "/metrics?format=prometheus" }))[0],
      /^`serviceMonitors\[0\]\.path`: got "\/metrics\?format=prometheus" — must be a URL path starting with `\/`/,
    );
    assert.match(
      k8sProblems(withMonitor({ path: "metrics" }))[0],
      /^`serviceMonitors\[0\]\.path`: got "metrics" — must be a URL path/,
    );
    const [bad] = serviceMonitorManifests([{ ...MONITOR, port: "Metrics_Port" }], {
      namespace: "monitoring",
    });
    new ServiceMonitor(bad).validate();
  });

  it("serviceMonitors: names that collide once joined are a settings problem", () => {
    assert.equal(serviceMonitorName(MONITOR), "databases-postgresql");
    const problems = k8sProblems({
      serviceMonitors: [
        { ...MONITOR, namespace: "a-b", name: "c" },
        { ...MONITOR, namespace: "x", name: "y" },
        { ...MONITOR, namespace: "a", name: "b-c" },
        { ...MONITOR, namespace: "a-b", name: "c" },
      ],
    });
    assert.deepEqual(problems, [
      '`serviceMonitors[2]`: got "a/b-c" — `serviceMonitors[2]` and `serviceMonitors[0]` would both create the ServiceMonitor "a-b-c" (`<namespace>-<name>`), names must be unique; rename one of them.',
      '`serviceMonitors[3]`: got "a-b/c" — `serviceMonitors[3]` and `serviceMonitors[0]` would both create the ServiceMonitor "a-b-c" (`<namespace>-<name>`), names must be unique; rename one of them.',
    ]);
  });

  it("serviceMonitorNameProblems refuses a joined name that is not an object name", () => {
    // Only reachable without parseSettings (name and namespace are labels there).
    assert.deepEqual(
      serviceMonitorNameProblems([{ name: "Bad", namespace: "ns" }]).map((p) => p.index),
      [0],
    );
  });
});
