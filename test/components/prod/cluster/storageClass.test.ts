/** The gp3 StorageClass manifest (components/prod/cluster/storageClass.ts); its resource: cluster.test.ts. */
import * as assert from "node:assert/strict";
import {
  DEFAULT_CLASS_ANNOTATION,
  gp3StorageClass,
} from "../../../../components/prod/cluster/storageClass";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the package's subpath export is CommonJS
const { StorageClass } = require("kubernetes-models/storage.k8s.io/v1/StorageClass") as {
  StorageClass: new (data: unknown) => { validate(): void };
};

describe("prod cluster: StorageClass", () => {
  it("the gp3 StorageClass is encrypted, retained and valid (kubernetes-models)", () => {
    for (const isDefault of [true, false]) {
      const sc = gp3StorageClass(isDefault);
      assert.doesNotThrow(() => new StorageClass(sc).validate());
      assert.equal(sc.metadata.annotations[DEFAULT_CLASS_ANNOTATION], String(isDefault));
      assert.equal(sc.provisioner, "ebs.csi.aws.com");
      assert.deepEqual(sc.parameters, { type: "gp3", encrypted: "true" });
      assert.equal(sc.reclaimPolicy, "Retain");
    }
    assert.throws(
      () => new StorageClass({ ...gp3StorageClass(true), reclaimPolicy: 7 }).validate(),
      /reclaimPolicy/,
    );
  });
});
