/** The application ServiceMonitors (components/prod/manifests/serviceMonitors.ts). */
import * as assert from "node:assert/strict";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import * as pulumi from "@pulumi/pulumi";
import { serviceMonitorManifests } from "../../../../components/prod/manifests/serviceMonitors";
import { NAMESPACES } from "../../../../components/prod/types";
import type { ServiceMonitorConfig } from "../../../../settings/fields";

/** An entry without `path` and `interval`. */
const POSTGRESQL: ServiceMonitorConfig = {
  name: "postgresql",
  namespace: "databases",
  selector: { "app.kubernetes.io/name": "postgresql" },
  port: "http-metrics",
};

describe("prod manifests: ServiceMonitor builder", () => {
  it("refuses two entries that would share a ServiceMonitor name", () => {
    // GIVEN `a-b/c` and `a/b-c`, both `a-b-c` in the monitoring namespace
    const monitors: ServiceMonitorConfig[] = [
      { name: "c", namespace: "a-b", selector: { app: "x" }, port: "metrics" },
      { name: "b-c", namespace: "a", selector: { app: "y" }, port: "metrics" },
    ];
    assert.throws(
      () => serviceMonitorManifests(monitors, { namespace: NAMESPACES.monitoring }),
      /`serviceMonitors\[1\]` and `serviceMonitors\[0\]` would both create the ServiceMonitor "a-b-c"/,
    );
  });

  it("builds valid ServiceMonitors that omit unset path and interval", () => {
    const [monitor] = serviceMonitorManifests([POSTGRESQL], { namespace: NAMESPACES.monitoring });
    new ServiceMonitor(monitor).validate();
    assert.deepEqual(monitor.spec.endpoints, [{ port: "http-metrics" }]);
    assert.deepEqual(monitor.metadata?.labels, {});
  });

  it("names each ServiceMonitor `<namespace>-<name>` and refuses a name Kubernetes would refuse", () => {
    const [monitor] = serviceMonitorManifests([POSTGRESQL], {
      namespace: NAMESPACES.monitoring,
      labels: { release: "kps" },
    });
    assert.equal(monitor.metadata?.name, "databases-postgresql");
    assert.equal(monitor.metadata?.namespace, NAMESPACES.monitoring);
    assert.deepEqual(monitor.metadata?.labels, { release: "kps" });
    assert.deepEqual(monitor.spec.namespaceSelector, { matchNames: ["databases"] });
    let error: unknown;
    try {
      serviceMonitorManifests([{ ...POSTGRESQL, name: "Bad_Name" }], { namespace: "monitoring" });
    } catch (e) {
      error = e;
    }
    assert.ok(pulumi.InputPropertyError.isInstance(error));
    assert.match(
      (error as Error).message,
      /`serviceMonitors\[0\]`: got "databases\/Bad_Name" — the ServiceMonitor name "databases-Bad_Name"/,
    );
  });
});
