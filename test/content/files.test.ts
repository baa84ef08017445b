/**
 * content/files.ts: the Docker network view (`dockerNetwork`) and the set of files `renderFiles`
 * writes per component, with the addresses each file points at. What is inside each file is tested
 * with its builder (test/content/{prometheus,alertmanager,grafana,loki,alloy}.test.ts); the real
 * tools check every file in test/content/files.tools.test.ts.
 */
import * as assert from "node:assert/strict";
import { parse } from "yaml";
import { buildDashboards } from "../../content/dashboards";
import { dockerNetwork, PATHS, renderFiles, type TargetNetwork } from "../../content/files";
import { stackRuleGroups } from "../../content/ruleSet";
import { LOCAL_HOSTS } from "../../components/dev/containers";
import { render, settingsFor } from "../support/renderedFiles";

describe("content files: the Docker network view", () => {
  it("reaches every component by its host name and port, Prometheus itself on localhost", () => {
    const net = dockerNetwork(LOCAL_HOSTS, "unix:///run/user/1000/docker.sock");
    assert.equal(net.hosts, LOCAL_HOSTS);
    assert.equal(net.dockerHost, "unix:///run/user/1000/docker.sock");
    assert.deepEqual(net.discovery, {
      prometheus: { kind: "static", targets: ["localhost:9090"] },
      alertmanager: { kind: "static", targets: ["alertmanager:9093"] },
      grafana: { kind: "static", targets: ["grafana:3000"] },
      loki: { kind: "static", targets: ["loki:3100"] },
      alloy: { kind: "static", targets: ["alloy:12345"] },
      node: { kind: "static", targets: ["node-exporter:9100"] },
    });
    assert.deepEqual(net.alertmanagers, { kind: "static", targets: ["alertmanager:9093"] });
  });
});

describe("content files: renderFiles", () => {
  const settings = settingsFor("dev");
  const files = render(settings);

  it("writes each component's files under the shared container paths", () => {
    const rules = stackRuleGroups(settings).map((g) => `/etc/prometheus/rules/${g.name}.yml`);
    assert.ok(rules.includes("/etc/prometheus/rules/node.yml"), rules.join(", "));
    assert.deepEqual(
      Object.keys(files.prometheus).sort(),
      ["/etc/prometheus/prometheus.yml", ...rules].sort(),
    );
    assert.deepEqual(Object.keys(files.alertmanager), ["/etc/alertmanager/alertmanager.yml"]);
    assert.deepEqual(Object.keys(files.loki), ["/etc/loki/loki.yaml"]);
    assert.deepEqual(Object.keys(files.alloy), ["/etc/alloy/config.alloy"]);
    const dashboards = buildDashboards().map((d) => `/etc/grafana/dashboards/${d.fileName}`);
    assert.deepEqual(
      Object.keys(files.grafana).sort(),
      [
        "/etc/grafana/provisioning/dashboards/monitoring-stack.yaml",
        "/etc/grafana/provisioning/datasources/datasources.yaml",
        ...dashboards,
      ].sort(),
    );
  });

  it("loads the rule files by glob and each rule file holds its one group", () => {
    const prom = parse(files.prometheus[PATHS.prometheusConfig]) as { rule_files: string[] };
    assert.deepEqual(prom.rule_files, ["/etc/prometheus/rules/*.yml"]);
    for (const group of stackRuleGroups(settings)) {
      const file = parse(files.prometheus[`/etc/prometheus/rules/${group.name}.yml`]) as {
        groups: { name: string; rules: unknown[] }[];
      };
      assert.deepEqual(
        file.groups.map((g) => [g.name, g.rules.length]),
        [[group.name, group.rules.length]],
      );
    }
  });

  it("points Grafana's datasources, Loki's ruler and Alloy's push at the network's hosts", () => {
    const datasources = parse(files.grafana[PATHS.grafanaDatasources]) as {
      datasources: { name: string; url: string }[];
    };
    assert.deepEqual(
      datasources.datasources.map((d) => [d.name, d.url]),
      [
        ["Prometheus", "http://prometheus:9090"],
        ["Loki", "http://loki:3100"],
        ["Alertmanager", "http://alertmanager:9093"],
      ],
    );
    const loki = parse(files.loki[PATHS.lokiConfig]) as { ruler: { alertmanager_url: string } };
    assert.equal(loki.ruler.alertmanager_url, "http://alertmanager:9093");
    assert.match(files.alloy[PATHS.alloyConfig], /url = "http:\/\/loki:3100\/loki\/api\/v1\/push"/);
  });

  it("writes every dashboard as indented JSON ending in a newline", () => {
    for (const d of buildDashboards()) {
      const text = files.grafana[`/etc/grafana/dashboards/${d.fileName}`];
      assert.equal(text, `${JSON.stringify(d.model, null, 2)}\n`, d.fileName);
    }
  });

  it("writes no Alloy config and scrapes only the discovered jobs on a network without Docker", () => {
    const ecsLike: TargetNetwork = {
      hosts: { ...LOCAL_HOSTS, prometheus: "prometheus.mon.local" },
      discovery: {
        prometheus: { kind: "static", targets: ["localhost:9090"] },
        loki: { kind: "dns", names: ["loki.mon.local"], port: 3100 },
      },
      alertmanagers: { kind: "dns", names: ["alertmanager.mon.local"], port: 9093 },
    };
    const out = renderFiles(settings, ecsLike);
    assert.deepEqual(out.alloy, {});
    const prom = parse(out.prometheus[PATHS.prometheusConfig]) as {
      scrape_configs: { job_name: string }[];
      alerting: { alertmanagers: unknown[] };
    };
    assert.deepEqual(
      prom.scrape_configs.map((j) => j.job_name),
      ["prometheus", "loki"],
    );
    assert.deepEqual(prom.alerting.alertmanagers, [
      {
        api_version: "v2",
        dns_sd_configs: [{ names: ["alertmanager.mon.local"], type: "A", port: 9093 }],
      },
    ]);
    const datasources = parse(out.grafana[PATHS.grafanaDatasources]) as {
      datasources: { url: string }[];
    };
    assert.equal(datasources.datasources[0].url, "http://prometheus.mon.local:9090");
  });
});
