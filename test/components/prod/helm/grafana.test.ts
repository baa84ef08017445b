/** The grafana subchart's values (components/prod/helm/grafana.ts); more through kps in kubePrometheusStack.test.ts. */
import * as assert from "node:assert/strict";
import { grafanaValues } from "../../../../components/prod/helm/grafana";
import { kubePrometheusStackValues } from "../../../../components/prod/helm/kubePrometheusStack";
import { GRAFANA_HARDENING } from "../../../../content/grafana";
import { prodSettings, STORAGE_CLASS } from "../../../support/prodValues";
import { at } from "../../../support/keyPath";

describe("grafanaValues", () => {
  it("is what kube-prometheus-stack's values hold under `grafana:`", () => {
    const settings = prodSettings();
    assert.deepEqual(
      at(kubePrometheusStackValues(settings, { storageClassName: STORAGE_CLASS }), "grafana"),
      grafanaValues(settings, STORAGE_CLASS),
    );
  });

  it("hardens grafana.ini as dev and staging do, with the root URL the ingress serves", () => {
    const ini = (ingress?: Record<string, string>) =>
      at(
        grafanaValues(
          prodSettings(ingress === undefined ? {} : { ingress, allowPlainHttpIngress: true }),
          STORAGE_CLASS,
        ),
        "grafana.ini",
      );
    assert.deepEqual(ini(), {
      server: { root_url: "http://localhost:3000/" },
      ...GRAFANA_HARDENING,
    });
    const hosts = { className: "nginx", grafanaHost: "grafana.example.com" };
    assert.equal(at(ini(hosts), "server", "root_url"), "http://grafana.example.com/");
    assert.equal(
      at(ini({ ...hosts, tlsSecretName: "tls" }), "server", "root_url"),
      "https://grafana.example.com/",
    );
  });
});
