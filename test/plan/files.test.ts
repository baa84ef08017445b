/** The rendered files of a plan (`plan/files.ts`), from recorded inputs of each kind. */
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { inside, renderedFiles } from "../../plan/files";
import { SECRET_MARK } from "../../plan/secrets";

const secret = (value: unknown) => ({
  [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
  value,
});

describe("plan files (plan/files.ts)", () => {
  it("GIVEN a path THEN it is normalized inside the plan folder; one leaving it is refused", () => {
    assert.equal(
      inside("files", "grafana", "/etc//grafana/./x.ini"),
      "files/grafana/etc/grafana/x.ini",
    );
    for (const bad of [["..", "x"], ["/etc/passwd"], ["a", "../../b"], [".."]]) {
      assert.throws(() => inside(...bad), /refusing to write outside the plan folder/);
    }
  });

  it("GIVEN Docker uploads, S3 objects, task definitions, Helm releases and Kubernetes objects THEN each lands at its path", () => {
    const files = renderedFiles([
      {
        type: "docker:index/container:Container",
        name: "c",
        inputs: {
          labels: [{ label: "monitoring.component", value: "prometheus" }],
          uploads: [{ file: "/etc/prometheus/prometheus.yml", content: "global: {}\n" }],
        },
      },
      {
        type: "aws:s3/bucketObjectv2:BucketObjectv2",
        name: "o",
        inputs: { key: "loki/0123abcd/etc/loki/config.yaml", content: "auth_enabled: false\n" },
      },
      {
        type: "aws:ecs/taskDefinition:TaskDefinition",
        name: "td",
        inputs: { cpu: "256", containerDefinitions: JSON.stringify([{ name: "app" }]) },
      },
      {
        type: "kubernetes:helm.sh/v3:Release",
        name: "r",
        inputs: {
          name: "kps",
          chart: "kube-prometheus-stack",
          version: "1.2.3",
          namespace: "monitoring",
          repositoryOpts: { repo: "https://charts.example.com" },
          values: { grafana: { enabled: true } },
        },
      },
      {
        type: "kubernetes:core/v1:ConfigMap",
        name: "cm",
        inputs: {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "dash", namespace: "monitoring" },
          data: { a: "b" },
        },
      },
      { type: "aws:ec2/vpc:Vpc", name: "vpc", inputs: {} },
    ]);
    assert.deepEqual(Object.keys(files).sort(), [
      "files/loki/etc/loki/config.yaml",
      "files/prometheus/etc/prometheus/prometheus.yml",
      "helm/kps.values.yaml",
      "manifests/ConfigMap/monitoring.dash.yaml",
      "task-definitions/td.json",
    ]);
    assert.equal(files["files/prometheus/etc/prometheus/prometheus.yml"], "global: {}\n");
    assert.equal(files["files/loki/etc/loki/config.yaml"], "auth_enabled: false\n");
    assert.deepEqual(JSON.parse(files["task-definitions/td.json"]), {
      cpu: "256",
      containerDefinitions: [{ name: "app" }],
    });
    assert.equal(
      files["helm/kps.values.yaml"],
      "# kube-prometheus-stack 1.2.3 from https://charts.example.com, release kps in namespace monitoring\n\ngrafana:\n  enabled: true\n",
    );
    assert.deepEqual(parse(files["manifests/ConfigMap/monitoring.dash.yaml"]), {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "dash", namespace: "monitoring" },
      data: { a: "b" },
    });
  });

  it("GIVEN a secret uploads list THEN only files whose content matches the public uploads are shown", () => {
    const files = renderedFiles(
      [
        {
          type: "docker:index/container:Container",
          name: "grafana",
          inputs: {
            uploads: secret([
              { file: "/etc/grafana/grafana.ini", content: "[server]\n" },
              { file: "/run/secrets/password", content: "pw" },
              { file: "/etc/grafana/changed.ini", content: "other" },
            ]),
          },
        },
      ],
      new Map([
        ["/etc/grafana/grafana.ini", "[server]\n"],
        ["/etc/grafana/changed.ini", "public"],
      ]),
    );
    assert.deepEqual(files, {
      "files/grafana/etc/grafana/grafana.ini": "[server]\n",
      "files/grafana/run/secrets/password": SECRET_MARK,
      "files/grafana/etc/grafana/changed.ini": SECRET_MARK,
    });
  });
});
