/** Prometheus alert templates checked like Go's text/template parser (settings/goTemplate.ts). */
import assert from "node:assert/strict";
import { templateProblem } from "../../settings/goTemplate";
import { INVALID_TEMPLATES, VALID_TEMPLATES } from "../support/goTemplates";

describe("settings (settings/goTemplate.ts)", () => {
  it("accepts every template promtool accepts", () => {
    for (const text of VALID_TEMPLATES) assert.equal(templateProblem(text), undefined, text);
  });

  it("refuses every template promtool refuses", () => {
    for (const text of INVALID_TEMPLATES) assert.notEqual(templateProblem(text), undefined, text);
  });

  it("says what is wrong, in Go's words", () => {
    assert.equal(templateProblem("{{ humanise $value }}"), 'function "humanise" not defined');
    assert.equal(templateProblem("{{ $lables.job }}"), 'undefined variable "$lables"');
    assert.equal(templateProblem("https://x/{{"), "unclosed action");
    assert.equal(templateProblem("{{ if $value }}open"), "unexpected EOF");
    assert.equal(templateProblem("{{ end }}"), "unexpected {{end}}");
    assert.equal(templateProblem("{{ break }}"), "{{break}} outside {{range}}");
    assert.equal(templateProblem('{{ "\\q" }}'), 'invalid escape in "\\q"');
  });

  it("knows Prometheus' functions and variables, and not console-only `tmpl`", () => {
    assert.equal(templateProblem("{{ $value | humanizeDuration }}"), undefined);
    assert.equal(templateProblem("{{ $externalURL }}{{ $externalLabels.cluster }}"), undefined);
    assert.equal(templateProblem('{{ tmpl "t" . }}'), 'function "tmpl" not defined');
  });

  it("accepts `else with` like Prometheus 3 (Go 1.23+), only inside `with`", () => {
    assert.equal(templateProblem("{{ with 1 }}a{{ else with 2 }}b{{ end }}"), undefined);
    assert.match(templateProblem("{{ if 1 }}a{{ else with 2 }}b{{ end }}") ?? "", /with/);
  });
});
