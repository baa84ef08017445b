/** The Fargate fit (sizing/fargate.ts): the cheapest valid CPU/memory pair that holds a need. */
import assert from "node:assert/strict";
import { FARGATE_SIZES, fargateFit, fargateSizeProblem } from "../../sizing/fargate";

describe("sizing from capacity (sizing/fargate.ts)", () => {
  describe("Fargate fit (the nearest valid CPU/memory pair at or above the need)", () => {
    const cases: [cpu: number, memory: number, fit: [number, number] | undefined][] = [
      [256, 2048, [256, 2048]],
      [256, 2049, [512, 3072]],
      [1100, 3000, [2048, 4096]],
      [1024, 9000, [2048, 9216]],
      [4096, 31000, [8192, 32768]],
      [16384, 122880, [16384, 122880]],
      [16384, 122881, undefined],
      [16385, 1024, undefined],
    ];
    for (const [cpu, memory, expected] of cases) {
      it(`${cpu} CPU / ${memory} MiB → ${expected === undefined ? "none" : expected.join("/")}`, () => {
        const fit = fargateFit({ cpu, memory });
        assert.deepEqual(
          fit.size,
          expected === undefined ? undefined : { cpu: expected[0], memory: expected[1] },
        );
        if (fit.size !== undefined) assert.equal(fargateSizeProblem(fit.size), undefined);
      });
    }

    it("never returns a size a cheaper valid size could replace", () => {
      for (const need of [
        { cpu: 300, memory: 900 },
        { cpu: 2000, memory: 5000 },
        { cpu: 5000, memory: 20000 },
      ]) {
        const fit = fargateFit(need).size;
        assert.ok(fit);
        const cheaper = Object.entries(FARGATE_SIZES).flatMap(([c, ms]) =>
          ms
            .filter((m) => Number(c) >= need.cpu && m >= need.memory)
            .filter((m) => Number(c) < fit.cpu || (Number(c) === fit.cpu && m < fit.memory)),
        );
        assert.deepEqual(cheaper, [], JSON.stringify(need));
      }
    });
  });
});
