/** The Alloy configuration content/alloy.ts builds and prints: the Docker log pipeline and the printer. */
import * as assert from "node:assert/strict";
import { AlloyRef, renderAlloy } from "../../content/alloy";
import { PATHS } from "../../content/files";
import { render, settingsFor } from "../support/renderedFiles";

describe("Alloy config", () => {
  it("Alloy tails Docker container logs and pushes them to Loki with the stack's labels", () => {
    const text = render(settingsFor("dev")).alloy[PATHS.alloyConfig];
    assert.match(
      text,
      /^discovery\.docker "containers" \{\n {2}host = "unix:\/\/\/var\/run\/docker\.sock"/m,
    );
    assert.match(text, /targets = discovery\.docker\.containers\.targets/);
    assert.match(text, /relabel_rules = discovery\.relabel\.containers\.rules/);
    assert.match(text, /forward_to = \[loki\.write\.default\.receiver\]/);
    assert.match(
      text,
      /external_labels = \{\n {4}cluster = "local",\n {4}environment = "dev",\n {2}\}/,
    );
    assert.match(text, /endpoint \{\n {4}url = "http:\/\/loki:3100\/loki\/api\/v1\/push"\n {2}\}/);
    assert.equal(
      (text.match(/\{/g) ?? []).length,
      (text.match(/\}/g) ?? []).length,
      "balanced braces",
    );
  });

  it("the Alloy printer escapes strings and quotes non-identifier keys", () => {
    assert.equal(
      renderAlloy([
        {
          name: "x",
          label: "a",
          attrs: { s: 'say "hi"\n', m: { "a-b": 1, ok: true }, r: new AlloyRef("y.z.out") },
        },
      ]),
      'x "a" {\n  s = "say \\"hi\\"\\n"\n  m = {\n    "a-b" = 1,\n    ok = true,\n  }\n  r = y.z.out\n}\n',
    );
    assert.throws(() => new AlloyRef("not a ref"), /invalid Alloy reference/);
  });
});
