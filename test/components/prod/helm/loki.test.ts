/** The Loki chart's values (components/prod/helm/loki.ts), in both modes. */
import * as assert from "node:assert/strict";
import { lokiValues } from "../../../../components/prod/helm/loki";
import { LOKI_SCALABLE_REPLICAS, RESOURCES } from "../../../../components/prod/helm/podResources";
import { chartServices, lokiPushUrl } from "../../../../components/prod/helm/services";
import { SERVICE_ACCOUNTS } from "../../../../components/prod/types";
import { LOKI_SCHEMA_FROM } from "../../../../content/loki";
import { PORTS, SCRAPE_JOBS } from "../../../../catalog/names";
import { IMAGES } from "../../../../catalog/versions";
import { prodSettings, S3, STORAGE_CLASS } from "../../../support/prodValues";
import { at } from "../../../support/keyPath";

describe("lokiValues", () => {
  describe("singleBinary (default)", () => {
    const settings = prodSettings();
    const values = lokiValues(settings, { storageClassName: STORAGE_CLASS });

    it("runs one monolithic Loki on a PVC of the StorageClass, no scalable targets, no gateway", () => {
      assert.equal(at(values, "deploymentMode"), "Monolithic");
      assert.equal(at(values, "singleBinary", "replicas"), 1);
      assert.deepEqual(at(values, "singleBinary", "persistence"), {
        enabled: true,
        storageClass: STORAGE_CLASS,
        accessModes: ["ReadWriteOnce"],
        // prod's default capacity: 20 GiB/day × 30 d / compression 4 × 1.25 overhead = 187.5 GiB
        size: "188Gi",
        enableStatefulSetAutoDeletePVC: false,
      });
      for (const target of ["write", "read", "backend"]) {
        assert.deepEqual(at(values, target), { replicas: 0 }, target);
      }
      assert.deepEqual(at(values, "gateway"), { enabled: false });
      assert.equal(at(values, "loki", "commonConfig", "replication_factor"), 1);
      assert.deepEqual(at(values, "loki", "storage"), { type: "filesystem" });
    });

    it("uses the v13 tsdb schema of content/loki.ts and retention from settings via the compactor", () => {
      assert.deepEqual(at(values, "loki", "schemaConfig"), {
        configs: [
          {
            from: LOKI_SCHEMA_FROM,
            store: "tsdb",
            object_store: "filesystem",
            schema: "v13",
            index: { prefix: "index_", period: "24h" },
          },
        ],
      });
      assert.equal(settings.loki.retentionPeriod, "30d");
      assert.equal(at(values, "loki", "limits_config", "retention_period"), "720h");
      assert.equal(at(values, "loki", "compactor", "retention_enabled"), true);
      assert.equal(at(values, "loki", "compactor", "delete_request_store"), "filesystem");
      const week = lokiValues(prodSettings({ lokiRetention: "7d" }), {
        storageClassName: STORAGE_CLASS,
      });
      assert.equal(at(week, "loki", "limits_config", "retention_period"), "168h");
    });

    it("turns off the canary, Helm test, MinIO, the memcached caches and the rules sidecar", () => {
      for (const part of ["lokiCanary", "test", "minio", "chunksCache", "resultsCache"]) {
        assert.deepEqual(at(values, part), { enabled: false }, part);
      }
      assert.equal(at(values, "sidecar", "rules", "enabled"), false);
    });

    it("runs non-root with requests and limits, single-tenant, pinned to IMAGES.loki", () => {
      assert.equal(at(values, "loki", "podSecurityContext", "runAsNonRoot"), true);
      assert.equal(at(values, "loki", "podSecurityContext", "runAsUser"), 10001);
      assert.equal(
        at(values, "loki", "containerSecurityContext", "allowPrivilegeEscalation"),
        false,
      );
      // 20 GiB/day = 243 KiB/s: 512 MiB + one hour (853 MiB) → 1408Mi; 0.25 vCPU + 0.05 → 320 → 313m
      assert.deepEqual(at(values, "singleBinary", "resources"), {
        requests: { cpu: "313m", memory: "1408Mi" },
        limits: { cpu: "1000m", memory: "2112Mi" },
      });
      assert.equal(at(values, "loki", "auth_enabled"), false);
      assert.deepEqual(at(values, "loki", "image"), {
        registry: "docker.io",
        repository: "grafana/loki",
        tag: IMAGES.loki.split(":")[1],
      });
    });

    it("uses the contract's service account, without IRSA, and is scraped as job `loki`", () => {
      assert.deepEqual(at(values, "serviceAccount"), {
        create: true,
        name: SERVICE_ACCOUNTS.loki.name,
      });
      assert.equal(at(values, "monitoring", "serviceMonitor", "enabled"), true);
      assert.equal(at(values, "monitoring", "serviceMonitor", "jobPrefix"), "");
      assert.equal(
        (at(values, "monitoring", "serviceMonitor", "relabelings") as { replacement: string }[])[0]
          .replacement,
        SCRAPE_JOBS.loki,
      );
    });

    it("is reached at loki:3100", () => {
      assert.deepEqual(chartServices(settings).loki, { name: "loki", port: PORTS.loki });
      assert.equal(
        lokiPushUrl(settings),
        "http://loki.monitoring.svc.cluster.local:3100/loki/api/v1/push",
      );
    });
  });

  describe("simpleScalable", () => {
    const settings = prodSettings({ lokiMode: "simpleScalable" });
    const values = lokiValues(settings, { storageClassName: STORAGE_CLASS, s3: S3 });

    it("runs read/write/backend targets on S3 behind the gateway, no single binary", () => {
      assert.equal(at(values, "deploymentMode"), "SimpleScalable");
      assert.deepEqual(at(values, "singleBinary"), { replicas: 0 });
      for (const target of ["write", "read", "backend"]) {
        assert.equal(at(values, target, "replicas"), LOKI_SCALABLE_REPLICAS, target);
        assert.deepEqual(at(values, target, "resources"), RESOURCES.lokiScalable, target);
      }
      assert.equal(at(values, "gateway", "enabled"), true);
      assert.equal(
        at(values, "loki", "commonConfig", "replication_factor"),
        LOKI_SCALABLE_REPLICAS,
      );
      assert.deepEqual(at(values, "loki", "storage"), {
        type: "s3",
        bucketNames: { chunks: S3.bucket, ruler: S3.bucket },
        s3: { region: S3.region },
      });
      assert.equal(
        (at(values, "loki", "schemaConfig", "configs") as { object_store: string }[])[0]
          .object_store,
        "s3",
      );
      assert.equal(at(values, "loki", "compactor", "delete_request_store"), "s3");
    });

    it("keeps write and backend data on retained PVCs of the StorageClass", () => {
      for (const target of ["write", "backend"]) {
        assert.deepEqual(at(values, target, "persistence"), {
          volumeClaimsEnabled: true,
          storageClass: STORAGE_CLASS,
          accessModes: ["ReadWriteOnce"],
          // chunks are in S3: the PVC holds only the WAL and caches
          size: "10Gi",
          enableStatefulSetAutoDeletePVC: false,
        });
      }
      assert.equal(at(values, "read", "persistence"), undefined);
    });

    it("annotates the service account with the S3 role (IRSA)", () => {
      assert.deepEqual(at(values, "serviceAccount"), {
        create: true,
        name: SERVICE_ACCOUNTS.loki.name,
        annotations: { "eks.amazonaws.com/role-arn": S3.roleArn },
      });
    });

    it("is reached through loki-gateway", () => {
      assert.deepEqual(chartServices(settings).loki, { name: "loki-gateway", port: 80 });
      assert.equal(
        lokiPushUrl(settings),
        "http://loki-gateway.monitoring.svc.cluster.local/loki/api/v1/push",
      );
    });
  });

  it("refuses a bucket that disagrees with `lokiMode`", () => {
    assert.throws(
      () =>
        lokiValues(prodSettings({ lokiMode: "simpleScalable" }), {
          storageClassName: STORAGE_CLASS,
        }),
      /`lokiMode` is `simpleScalable` but no S3 bucket/,
    );
    assert.throws(
      () => lokiValues(prodSettings(), { storageClassName: STORAGE_CLASS, s3: S3 }),
      /`lokiMode` is `singleBinary`/,
    );
  });

  it("takes an imageOverrides mirror with a registry port, and a tag next to its digest", () => {
    const digest = "e".repeat(64);
    const settings = prodSettings({
      imageOverrides: { loki: `mirror.example.com:5000/grafana/loki:3.7.6@sha256:${digest}` },
    });
    assert.deepEqual(
      at(lokiValues(settings, { storageClassName: STORAGE_CLASS }), "loki", "image"),
      {
        registry: "mirror.example.com:5000",
        repository: "grafana/loki",
        tag: "3.7.6",
        digest: `sha256:${digest}`,
      },
    );
  });
});
