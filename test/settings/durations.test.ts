/** Prometheus duration strings as numbers (settings/durations.ts), and Loki's whole-days rule. */
import assert from "node:assert/strict";
import { durationMs, MAX_DURATION_MS, wholeDays } from "../../settings/durations";

describe("settings (settings/durations.ts)", () => {
  it("reads every unit of a Prometheus duration, alone and combined", () => {
    assert.equal(durationMs("30s"), 30_000);
    assert.equal(durationMs("15m"), 900_000);
    assert.equal(durationMs("1h30m"), 5_400_000);
    assert.equal(durationMs("7d"), 7 * 86_400_000);
    assert.equal(durationMs("2w"), 14 * 86_400_000);
    assert.equal(durationMs("1y"), 365 * 86_400_000);
    assert.equal(durationMs("250ms"), 250);
    assert.equal(durationMs("0s"), 0);
  });

  it("is undefined for anything that is not a duration", () => {
    for (const text of ["", "30", "30x", "1.5h", "m30", "30s1h", " 30s"]) {
      assert.equal(durationMs(text), undefined, JSON.stringify(text));
    }
  });

  it("counts whole days, in any unit that makes them", () => {
    assert.equal(wholeDays("7d"), 7);
    assert.equal(wholeDays("720h"), 30);
    assert.equal(wholeDays("1w"), 7);
    assert.equal(wholeDays("1d24h"), 2);
  });

  it("is undefined for part days, zero and what is not a duration", () => {
    for (const text of ["36h", "1d1s", "0d", "", "a week"]) {
      assert.equal(wholeDays(text), undefined, JSON.stringify(text));
    }
  });

  it("knows the longest duration Go's int64 nanoseconds hold: 2^63 − 1 ns, in whole ms", () => {
    assert.equal(MAX_DURATION_MS, 9_223_372_036_854);
    assert.ok(durationMs("106751d")! <= MAX_DURATION_MS);
    assert.ok(durationMs("2562047h")! <= MAX_DURATION_MS);
    assert.ok(durationMs("2562048h")! > MAX_DURATION_MS);
    assert.ok(durationMs("292y")! <= MAX_DURATION_MS);
    assert.ok(durationMs("293y")! > MAX_DURATION_MS);
  });
});
