/** Comparing two plans (`plan/compare.ts`, what `--diff` prints about resources). */
import assert from "node:assert/strict";
import { compareResources, formatResourceChanges, inputChanges } from "../../plan/compare";
import type { PlanResource } from "../../plan/resources";

describe("offline plan (plan/run.ts)", () => {
  describe("comparing plans", () => {
    it("GIVEN two resource lists THEN added, removed and changed leaf paths are found", () => {
      const base: PlanResource[] = [
        { type: "t:a", name: "x", inputs: { cpu: "1", tags: { a: "1" }, list: [1, 2] } },
        { type: "t:a", name: "gone", inputs: {} },
      ];
      const head: PlanResource[] = [
        { type: "t:a", name: "x", inputs: { cpu: "2", tags: { a: "1", b: "2" }, list: [1, 3] } },
        { type: "t:b", name: "new", inputs: {} },
      ];
      const changes = compareResources(base, head);
      assert.deepEqual(
        changes.added.map((r) => r.name),
        ["new"],
      );
      assert.deepEqual(
        changes.removed.map((r) => r.name),
        ["gone"],
      );
      assert.deepEqual(changes.changed[0].changes, [
        { path: "cpu", before: "1", after: "2" },
        { path: "list[1]", before: 2, after: 3 },
        { path: "tags.b", before: undefined, after: "2" },
      ]);
    });
  });
});

describe("plan comparison (plan/compare.ts)", () => {
  it("GIVEN equal values THEN no change; GIVEN lists of other lengths THEN the whole list changed", () => {
    assert.deepEqual(inputChanges({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), []);
    assert.deepEqual(inputChanges({ a: [1, 2] }, { a: [1, 2, 3] }), [
      { path: "a", before: [1, 2], after: [1, 2, 3] },
    ]);
    assert.deepEqual(inputChanges("x", { y: 1 }), [{ path: "", before: "x", after: { y: 1 } }]);
  });

  it("GIVEN changes THEN added, removed and changed resources are listed with their changed paths", () => {
    const long = (tail: string) => `${"a".repeat(150)}${tail}${"z".repeat(50)}`;
    const base: PlanResource[] = [
      { type: "t:a", name: "x", inputs: { text: long("before"), n: 1 } },
      { type: "t:a", name: "gone", inputs: {} },
    ];
    const head: PlanResource[] = [
      { type: "t:a", name: "x", inputs: { text: long("after"), n: 2, added: true } },
      { type: "t:b", name: "new", inputs: {} },
    ];
    const lines = formatResourceChanges(compareResources(base, head));
    assert.equal(lines[0], "  + t:b  new");
    assert.equal(lines[1], "  - t:a  gone");
    assert.equal(lines[2], "  ~ t:a  x");
    assert.deepEqual(lines.slice(3, 5), ["      added: (none) → true", "      n: 1 → 2"]);
    // A long string shows as excerpts around its first difference.
    assert.match(lines[5], /^ {6}text: …"a+beforez+"… → …"a+afterz+"…$/);
    assert.equal(lines.length, 6);
  });

  it("GIVEN more than 12 changed paths THEN 12 are shown and the rest counted", () => {
    const inputs = (v: number) =>
      Object.fromEntries([...Array(15).keys()].map((i) => [`k${i}`, v]));
    const lines = formatResourceChanges(
      compareResources(
        [{ type: "t:a", name: "x", inputs: inputs(1) }],
        [{ type: "t:a", name: "x", inputs: inputs(2) }],
      ),
    );
    assert.equal(lines.length, 1 + 12 + 1);
    assert.equal(lines.at(-1), "      … and 3 more");
  });
});
