/**
 * components/dev/containers.ts: the pure description of the dev containers (start order, commands,
 * ports, uploads, volumes, mounts, health checks), read without mocks. localStack.test.ts checks
 * the Docker resources LocalStack makes of it.
 */
import * as assert from "node:assert/strict";
import { render, settingsFor } from "../../support/renderedFiles";
import { ALL_RECEIVERS_CONFIG, TEST_SECRETS } from "../../support/harness";
import {
  type ContainerSpec,
  localContainers,
  localUrl,
  type Role,
} from "../../../components/dev/containers";

const wget = (url: string) => ["CMD", "wget", "-q", "--spider", url];

describe("dev containers (pure description)", () => {
  const settings = settingsFor("dev", { ...TEST_SECRETS }, ALL_RECEIVERS_CONFIG);
  const containers = localContainers(settings);
  const byRole = (role: Role): ContainerSpec => {
    const found = containers.find((c) => c.role === role);
    assert.ok(found, `no ${role} container`);
    return found;
  };

  it("lists the containers in start order under their Docker host names", () => {
    assert.deepEqual(
      containers.map((c) => [c.role, c.alias]),
      [
        ["nodeExporter", "node-exporter"],
        ["loki", "loki"],
        ["alertmanager", "alertmanager"],
        ["prometheus", "prometheus"],
        ["grafana", "grafana"],
        ["alloy", "alloy"],
      ],
    );
  });

  it("publishes each standard port on the host port from settings", () => {
    const moved = localContainers(
      settingsFor("dev", undefined, { hostPorts: { grafana: 3300, prometheus: 19090 } }),
    );
    assert.deepEqual(
      Object.fromEntries(moved.map((c) => [c.role, [c.port.internal, c.port.external]])),
      {
        nodeExporter: [9100, 9100],
        loki: [3100, 3100],
        alertmanager: [9093, 9093],
        prometheus: [9090, 19090],
        grafana: [3000, 3300],
        alloy: [12345, 12345],
      },
    );
  });

  it("gives every stateful component a data volume at its data path, node-exporter none", () => {
    assert.deepEqual(Object.fromEntries(containers.map((c) => [c.role, c.dataVolume?.path])), {
      nodeExporter: undefined,
      loki: "/loki",
      alertmanager: "/alertmanager",
      prometheus: "/prometheus",
      grafana: "/var/lib/grafana",
      alloy: "/var/lib/alloy/data",
    });
  });

  it("health-checks each container with a tool its image has", () => {
    assert.deepEqual(byRole("nodeExporter").healthcheck, wget("http://127.0.0.1:9100/metrics"));
    assert.deepEqual(byRole("loki").healthcheck, ["CMD", "/usr/bin/loki", "-health"]);
    assert.deepEqual(byRole("alertmanager").healthcheck, wget("http://127.0.0.1:9093/-/healthy"));
    assert.deepEqual(byRole("prometheus").healthcheck, wget("http://127.0.0.1:9090/-/healthy"));
    assert.deepEqual(byRole("grafana").healthcheck, wget("http://127.0.0.1:3000/api/health"));
    assert.deepEqual(byRole("alloy").healthcheck, [
      "CMD",
      "bash",
      "-c",
      "exec 3<>/dev/tcp/127.0.0.1/12345 && printf 'GET /-/ready HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ' 200 ' <&3",
    ]);
  });

  it("uploads the rendered files as plain text and the secrets as files owned by the image's user", () => {
    const files = render(settings);
    const plain = (role: Role) =>
      Object.fromEntries(
        byRole(role)
          .uploads.filter((u) => !u.secret)
          .map((u) => [u.file, u.content]),
      );
    assert.deepEqual(plain("prometheus"), files.prometheus);
    assert.deepEqual(plain("loki"), files.loki);
    assert.deepEqual(plain("alloy"), files.alloy);
    assert.deepEqual(plain("grafana"), files.grafana);
    assert.deepEqual(plain("alertmanager"), files.alertmanager);
    const secrets = containers.flatMap((c) =>
      c.uploads.filter((u) => u.secret).map((u) => [c.role, u.file, u.owner]),
    );
    assert.deepEqual(secrets, [
      ["alertmanager", "/etc/alertmanager/secrets/slack-webhook-url", 65534],
      ["alertmanager", "/etc/alertmanager/secrets/pagerduty-routing-key", 65534],
      ["alertmanager", "/etc/alertmanager/secrets/smtp-password", 65534],
      ["alertmanager", "/etc/alertmanager/secrets/heartbeat-token", 65534],
      ["grafana", "/run/secrets/grafana-admin-password", 472],
    ]);
    assert.equal(byRole("grafana").user, "472");
  });

  it("mounts the host's /proc, /sys and / read into node-exporter and the Docker socket into Alloy", () => {
    assert.deepEqual(byRole("nodeExporter").hostMounts, [
      { source: "/proc", target: "/host/proc" },
      { source: "/sys", target: "/host/sys" },
      { source: "/", target: "/host/root" },
    ]);
    const rootless = localContainers(
      settingsFor("dev", undefined, { dockerSocket: "/run/user/1000/docker.sock" }),
    ).find((c) => c.role === "alloy");
    assert.deepEqual(rootless?.hostMounts, [
      { source: "/run/user/1000/docker.sock", target: "/var/run/docker.sock" },
    ]);
    assert.deepEqual(byRole("alloy").command, [
      "run",
      "--server.http.listen-addr=0.0.0.0:12345",
      "--storage.path=/var/lib/alloy/data",
      "/etc/alloy/config.alloy",
    ]);
  });

  it("tells Prometheus and Alertmanager the URL they are reached at from the host", () => {
    assert.ok(byRole("prometheus").command.includes("--web.external-url=http://127.0.0.1:9090"));
    assert.ok(byRole("alertmanager").command.includes("--web.external-url=http://127.0.0.1:9093"));
    assert.ok(byRole("grafana").envs.includes("GF_SERVER_ROOT_URL=http://127.0.0.1:3000"));
  });
});

describe("localUrl", () => {
  it("uses the bind address and host port, and 127.0.0.1 when bound to every interface", () => {
    assert.equal(localUrl(settingsFor("dev"), "grafana"), "http://127.0.0.1:3000");
    assert.equal(
      localUrl(settingsFor("dev", undefined, { bindAddress: "0.0.0.0" }), "loki"),
      "http://127.0.0.1:3100",
    );
    assert.equal(
      localUrl(
        settingsFor("dev", undefined, { bindAddress: "10.0.0.7", hostPorts: { grafana: 3300 } }),
        "grafana",
      ),
      "http://10.0.0.7:3300",
    );
  });
});
