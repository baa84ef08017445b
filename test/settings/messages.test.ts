/** How problems are worded (settings/messages.ts): the error, values as shown, "did you mean". */
import assert from "node:assert/strict";
import { SettingsError, show, suggestion } from "../../settings/messages";

describe("settings (settings/messages.ts)", () => {
  it("lists every problem under a count, one per line", () => {
    const one = new SettingsError("dev", ["`a` is wrong."]);
    assert.equal(
      one.message,
      "invalid configuration for stack `dev` (1 problem):\n  - `a` is wrong.",
    );
    assert.equal(one.name, "SettingsError");
    const two = new SettingsError("prod", ["first.", "second."]);
    assert.equal(
      two.message,
      "invalid configuration for stack `prod` (2 problems):\n  - first.\n  - second.",
    );
    assert.deepEqual(two.problems, ["first.", "second."]);
  });

  it("shows values as JSON, cut to 80 characters", () => {
    assert.equal(show("7d"), '"7d"');
    assert.equal(show({ cpu: 768 }), '{"cpu":768}');
    assert.equal(show(undefined), "undefined");
    const long = show("x".repeat(200));
    assert.equal(long.length, 80);
    assert.ok(long.endsWith("..."));
  });

  it("suggests the nearest candidate only when it is close enough to be a typo", () => {
    const keys = ["retentionTime", "retentionSize", "grafanaAdminUser"];
    assert.equal(suggestion("retentionTme", keys), "retentionTime");
    assert.equal(suggestion("GrafanaAdminUser", keys), "grafanaAdminUser");
    assert.equal(suggestion("frobnicate", keys), undefined);
    assert.equal(suggestion("anything", []), undefined);
  });
});
