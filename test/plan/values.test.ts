/** The plan's small shared helpers: `plan/values.ts` and `plan/freeze.ts`. */
import assert from "node:assert/strict";
import { deepFreeze } from "../../plan/freeze";
import { at, isObject, json, sum, text } from "../../plan/values";

describe("plan helpers (plan/values.ts, plan/freeze.ts)", () => {
  it("reads JSON-like values: objects, text, dotted paths, sums", () => {
    assert.ok(isObject({}) && !isObject([]) && !isObject(null) && !isObject("x"));
    assert.equal(text("a"), "a");
    assert.equal(text({ a: 1 }), '{"a":1}');
    assert.equal(text(undefined), "undefined");
    assert.equal(json({ a: 1 }), '{\n  "a": 1\n}\n');
    assert.equal(sum([1, 2, 3.5]), 6.5);
    assert.equal(sum([]), 0);
    assert.equal(at({ a: { b: { c: 3 } } }, "a.b.c"), 3);
    assert.equal(at({ a: [{ b: 1 }] }, "a.b"), undefined);
  });

  it("deepFreeze freezes plain objects and arrays all the way down, not class instances", () => {
    const date = new Date(0);
    const value = deepFreeze({ a: { b: [1, { c: 2 }] }, date });
    assert.ok(Object.isFrozen(value.a.b[1]));
    assert.ok(Object.isFrozen(value.a.b));
    assert.ok(!Object.isFrozen(date));
    assert.equal(deepFreeze("x"), "x");
  });
});
