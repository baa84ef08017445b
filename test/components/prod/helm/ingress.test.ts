/** TLS and URL schemes of the ingress setting (components/prod/helm/ingress.ts). */
import * as assert from "node:assert/strict";
import { ingressScheme, ingressTls, ingressUrl } from "../../../../components/prod/helm/ingress";

const HOSTS = { className: "nginx", grafanaHost: "grafana.example.com" };

describe("prod ingress TLS", () => {
  it("serves https with a cert-manager issuer or a TLS Secret, http with neither", () => {
    assert.equal(ingressScheme({ ...HOSTS, clusterIssuer: "letsencrypt" }), "https");
    assert.equal(ingressScheme({ ...HOSTS, tlsSecretName: "wildcard-tls" }), "https");
    assert.equal(ingressScheme(HOSTS), "http");
    assert.equal(
      ingressUrl({ ...HOSTS, tlsSecretName: "t" }, "a.example.com"),
      "https://a.example.com",
    );
    assert.equal(ingressUrl(HOSTS, "a.example.com"), "http://a.example.com");
  });

  it("asks cert-manager for a per-component Secret, or uses the given one, or none", () => {
    assert.deepEqual(
      ingressTls({ ...HOSTS, clusterIssuer: "letsencrypt" }, "p.example.com", "prometheus"),
      {
        annotations: { "cert-manager.io/cluster-issuer": "letsencrypt" },
        tls: [{ secretName: "prometheus-tls", hosts: ["p.example.com"] }],
      },
    );
    assert.deepEqual(
      ingressTls({ ...HOSTS, tlsSecretName: "wildcard-tls" }, "p.example.com", "prometheus"),
      {
        annotations: {},
        tls: [{ secretName: "wildcard-tls", hosts: ["p.example.com"] }],
      },
    );
    assert.deepEqual(ingressTls(HOSTS, "p.example.com", "prometheus"), {
      annotations: {},
      tls: [],
    });
  });
});
