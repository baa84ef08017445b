/** The charts' Services and in-cluster URLs (components/prod/helm/services.ts). */
import * as assert from "node:assert/strict";
import {
  chartServices,
  inClusterUrls,
  lokiPushUrl,
} from "../../../../components/prod/helm/services";
import { prodSettings } from "../../../support/prodValues";

describe("prod chart Services", () => {
  it("names the kube-prometheus-stack Services after the release, Grafana on port 80", () => {
    const svc = chartServices(prodSettings());
    assert.deepEqual(svc.prometheus, { name: "kps-prometheus", port: 9090 });
    assert.deepEqual(svc.alertmanager, { name: "kps-alertmanager", port: 9093 });
    assert.deepEqual(svc.grafana, { name: "kps-grafana", port: 80 });
  });

  it("builds in-cluster URLs without a port for port 80 and without a trailing '/'", () => {
    assert.deepEqual(inClusterUrls(prodSettings()), {
      prometheus: "http://kps-prometheus.monitoring.svc.cluster.local:9090",
      alertmanager: "http://kps-alertmanager.monitoring.svc.cluster.local:9093",
      loki: "http://loki.monitoring.svc.cluster.local:3100",
    });
    const scalable = prodSettings({ lokiMode: "simpleScalable" });
    assert.equal(inClusterUrls(scalable).loki, "http://loki-gateway.monitoring.svc.cluster.local");
    assert.equal(
      lokiPushUrl(scalable),
      "http://loki-gateway.monitoring.svc.cluster.local/loki/api/v1/push",
    );
  });
});
