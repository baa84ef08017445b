/** The plan as text (`plan/format.ts`): the tree, the counts and the cost table. */
import assert from "node:assert/strict";
import { PRICES } from "../../plan/cost";
import {
  formatCost,
  formatCounts,
  formatGrandTotal,
  formatOutputs,
  formatTree,
  usd,
} from "../../plan/format";
import type { StackPlan } from "../../plan/plan";

describe("plan text (plan/format.ts)", () => {
  it("GIVEN components with children THEN the tree draws each child under its parent", () => {
    const lines = formatTree([
      { type: "t:root", name: "r", inputs: {} },
      { type: "t:comp", name: "c", parent: "t:root::r", inputs: {} },
      { type: "t:leaf", name: "l1", parent: "t:comp::c", inputs: {} },
      { type: "t:leaf", name: "l2", parent: "t:root::r", inputs: {} },
      // A parent that is not in the plan: shown as a root.
      { type: "t:orphan", name: "o", parent: "t:gone::g", inputs: {} },
    ]);
    assert.deepEqual(lines, [
      "t:root  r",
      "├── t:comp  c",
      "│   └── t:leaf  l1",
      "└── t:leaf  l2",
      "t:orphan  o",
    ]);
  });

  it("GIVEN counts THEN each type's count is right-aligned, then the total", () => {
    assert.deepEqual(formatCounts({ "t:a": 2, "t:b": 10 }), [
      "    2  t:a",
      "   10  t:b",
      "   12  total",
    ]);
  });

  it("GIVEN a cost with an unpriced item THEN the total is marked incomplete and the item named", () => {
    const lines = formatCost({
      lines: [{ item: "NAT gateway", detail: "1 × 730 h × $0.048", monthlyUsd: 35.04 }],
      totalUsd: 35.04,
      unpriced: ["1 × x9.huge"],
      notes: ["a note"],
    });
    assert.match(
      lines[0],
      new RegExp(`^Estimated monthly cost \\(USD; ${PRICES.region} list prices of ${PRICES.date}`),
    );
    assert.deepEqual(lines.slice(1), [
      "  NAT gateway      $35.04  1 × 730 h × $0.048",
      "  Total            $35.04  (incomplete: see below)",
      "  Not priced: 1 × x9.huge",
      "  a note",
    ]);
    assert.equal(usd(0.005), "$0.01");
  });

  it("GIVEN stack outputs THEN one aligned line each, strings as they are and lists as JSON", () => {
    assert.deepEqual(
      formatOutputs({
        grafanaUrl: "http://127.0.0.1:3000",
        workloads: ["a", "b"],
        kubeconfig: "[secret]",
      }),
      [
        "Stack outputs (as `pulumi stack output` shows them; ids and DNS names the cloud assigns are stand-ins)",
        "  grafanaUrl  http://127.0.0.1:3000",
        '  workloads   ["a","b"]',
        "  kubeconfig  [secret]",
      ],
    );
  });

  it("GIVEN every stack's plan THEN `all` ends with each stack's cost and their sum", () => {
    const plan = (stack: string, totalUsd: number) =>
      ({ stack, cost: { lines: [], totalUsd, unpriced: [], notes: [] } }) as unknown as StackPlan;
    assert.equal(
      formatGrandTotal([plan("dev", 0), plan("prod", 312.4), plan("staging", 118.05)]),
      "All stacks: estimated monthly cost $430.45 (dev $0.00, prod $312.40, staging $118.05)",
    );
  });
});
