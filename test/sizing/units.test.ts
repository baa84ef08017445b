/** Byte units and size strings (sizing/units.ts): both input formats, base 2, and the printed form. */
import assert from "node:assert/strict";
import {
  ceilTo,
  formatBytes,
  GiB,
  KiB,
  MiB,
  quantityBytes,
  sizeBytes,
  sizeFitsInt64,
} from "../../sizing/units";

describe("sizing from capacity (sizing/units.ts)", () => {
  it("units are base 2", () => {
    assert.deepEqual([KiB, MiB, GiB], [1024, 1024 * 1024, 1024 * 1024 * 1024]);
  });

  it("reads Prometheus sizes in base 2, as Prometheus reads its flags", () => {
    assert.equal(sizeBytes("512B"), 512);
    assert.equal(sizeBytes("40GB"), 40 * GiB);
    assert.equal(sizeBytes("2TB"), 2 * 1024 * GiB);
    assert.throws(() => sizeBytes("40GiB"), /not a size: "40GiB"/);
  });

  it("reads Kubernetes quantities as the schema accepts them", () => {
    assert.equal(quantityBytes("512Mi"), 512 * MiB);
    assert.equal(quantityBytes("64Gi"), 64 * GiB);
    assert.equal(quantityBytes("1Ti"), 1024 * GiB);
    assert.throws(() => quantityBytes("64G"), /not a Kubernetes size: "64G"/);
  });

  it("prints bytes with one decimal below 100 of a unit, whole numbers from 100", () => {
    assert.equal(formatBytes(900), "900 B");
    assert.equal(formatBytes(1.5 * GiB), "1.5 GiB");
    assert.equal(formatBytes(384 * MiB), "384 MiB");
    assert.equal(formatBytes(1024 * GiB), "1.0 TiB");
  });

  it("rounds up to whole steps", () => {
    assert.equal(ceilTo(841.9, 64), 896);
    assert.equal(ceilTo(896, 64), 896);
    assert.equal(ceilTo(1, 64), 64);
  });

  it("knows which sizes fit Prometheus' int64 bytes, exactly", () => {
    for (const size of ["7EB", "8191PB", "9223372036854775807B"])
      assert.ok(sizeFitsInt64(size), size);
    for (const size of ["8EB", "8192PB", "9223372036854775808B"])
      assert.ok(!sizeFitsInt64(size), size);
  });
});
