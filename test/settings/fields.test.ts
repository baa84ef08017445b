/**
 * Values the consumers refuse or rewrite (settings/fields.ts): templates in alert labels and
 * annotations, the runbook base URL, SLO selectors, `$` in external labels, and the ranges of
 * durations, sizes and ports.
 */
import assert from "node:assert/strict";
import { parseSettings } from "../../settings/parse";
import { CONFIG_KEYS } from "../../settings/schema";
import { settingsInput } from "../support/harness";

function problems(stack: string, overrides: Record<string, unknown>): string {
  try {
    parseSettings(settingsInput(stack, overrides));
  } catch (e) {
    return (e as Error).message;
  }
  return assert.fail("expected a configuration error");
}

const accepts = (key: keyof typeof CONFIG_KEYS, value: unknown): boolean =>
  CONFIG_KEYS[key].schema.safeParse(value).success;

const rule = (fields: Record<string, unknown>) => ({
  alert: "CheckoutFailing",
  expr: "up == 0",
  severity: "warning",
  summary: "{{ $labels.job }} is failing",
  description: "{{ $value | humanizePercentage }} of requests failed.",
  ...fields,
});

describe("settings (settings/fields.ts): what Prometheus, Loki and Alloy accept", () => {
  it("refuses alert summaries, descriptions, labels and runbook links Prometheus cannot parse", () => {
    const message = problems("dev", {
      alertRules: [
        rule({
          summary: "{{ $labels.job }} is {{ humanise $value }}",
          description: "{{ if $value }}open",
          labels: { team: "{{ .Labels.team" },
          runbookUrl: "https://wiki.example.com/{{team}}",
        }),
      ],
    });
    assert.match(
      message,
      /`alertRules\[0\]\.summary`: got "\{\{ \$labels\.job \}\} is \{\{ humanise \$value \}\}" — is not a valid template: function "humanise" not defined\. Prometheus reads alert labels and annotations as Go templates with the functions of https:\/\/prometheus\.io\/docs\/prometheus\/latest\/configuration\/template_reference\/; write a literal `\{\{` as `\{\{ "\{\{" \}\}`\./,
    );
    assert.match(
      message,
      /`alertRules\[0\]\.description`: got .* — is not a valid template: unexpected EOF\./,
    );
    assert.match(
      message,
      /`alertRules\[0\]\.labels\.team`: got .* — is not a valid template: unclosed action\./,
    );
    assert.match(message, /`alertRules\[0\]\.runbookUrl`: got .* function "team" not defined\./);
  });

  it("accepts templates with Prometheus' functions and variables", () => {
    const ok = rule({
      labels: { team: "{{ $labels.team | toLower }}" },
      runbookUrl: "https://wiki.example.com/{{ $labels.job }}",
    });
    assert.ok(accepts("alertRules", [ok]));
    // Recording rule labels are not templates: Prometheus copies them as they are.
    assert.ok(accepts("recordingRules", [{ record: "a:b:c", expr: "up", labels: { x: "{{" } }]));
  });

  it("refuses rule expressions that return a range or a string", () => {
    assert.match(
      problems("dev", { alertRules: [rule({ expr: "http_requests_total[5m]" })] }),
      /`alertRules\[0\]\.expr`: got "http_requests_total\[5m\]" — returns a range vector, and a rule needs an instant vector or a scalar \(wrap the range in a function such as `rate\(…\)` or `max_over_time\(…\)`\)\./,
    );
    assert.ok(!accepts("recordingRules", [{ record: "a:b:c", expr: '"text"' }]));
  });

  it("refuses template delimiters in `runbookBaseUrl`", () => {
    assert.match(
      problems("dev", { runbookBaseUrl: "https://runbooks.example.com/{{ $labels.team }}" }),
      /`runbookBaseUrl`: got "https:\/\/runbooks\.example\.com\/\{\{ \$labels\.team \}\}" — must not contain `\{\{` or `\}\}`: it becomes part of every alert's `runbook_url` annotation, which Prometheus reads as a template\./,
    );
    assert.ok(!accepts("runbookBaseUrl", "https://runbooks.example.com/}}"));
    assert.ok(accepts("runbookBaseUrl", "https://runbooks.example.com/monitoring"));
  });

  it("refuses SLO selectors that are not one vector selector", () => {
    const slo = { name: "api", objective: 99.9, selector: 'job="api"} or vector(1) or up{a="b"' };
    assert.match(
      problems("dev", { slos: [slo] }),
      /`slos\[0\]\.selector`: got "job=\\"api\\"\} or vector\(1\) or up\{a=\\"b\\"" — must be PromQL label matchers such as `job="api"` \(`http_requests_total\{job="api"\} or vector\(1\) or up\{a="b"\}` is not one vector selector \(it parses as BinaryExpr\)\)\./,
    );
    const errors = { ...slo, selector: 'job="api"', errorSelector: '__name__="errors_total"' };
    assert.match(
      problems("dev", { slos: [errors] }),
      /`slos\[0\]\.errorSelector`: .* \(the metric name is `http_requests_total`: a `__name__` matcher would set it twice\)\./,
    );
  });

  it("refuses `$` in external labels (Prometheus 3 expands it, Alloy does not)", () => {
    assert.match(
      problems("dev", { externalLabels: { region: "${REGION}", team: "ops" } }),
      /`externalLabels\.region`: got "\$\{REGION\}" — must not contain `\$`: Prometheus 3 expands `\$VAR`\/`\$\{VAR\}` in external labels from its environment and Alloy does not\./,
    );
    assert.ok(!accepts("externalLabels", { cost: "$5" }));
    assert.ok(!accepts("externalLabels", { __meta: "x" }));
    assert.ok(!accepts("externalLabels", { "team-name": "x" }));
    assert.ok(accepts("externalLabels", { region: "eu-west-1" }));
    // Scrape target labels are not expanded: `$` stays allowed there.
    assert.ok(accepts("scrapeTargets", [{ job: "app", targets: ["a:80"], labels: { x: "$1" } }]));
  });

  it("bounds durations by Go's time.Duration: 106751d is the last day that fits", () => {
    for (const key of ["retentionTime", "scrapeInterval", "evaluationInterval"] as const) {
      assert.ok(accepts(key, "106751d"), key);
      assert.ok(accepts(key, "2562047h"), key);
      assert.ok(!accepts(key, "106752d"), key);
      assert.ok(!accepts(key, "300y"), key);
    }
    assert.ok(accepts("lokiRetention", "106751d"));
    assert.ok(!accepts("lokiRetention", "2562048h"));
    assert.match(
      problems("dev", { retentionTime: "300y" }),
      /`retentionTime`: got "300y" — is longer than Prometheus and Loki can read: at most `106751d` \(about 292 years, Go's time\.Duration\)\./,
    );
    assert.ok(!accepts("alertRules", [rule({ for: "99999999999999999999s" })]));
  });

  it("bounds sizes by int64 bytes: 7EB and 8191PB fit, 8EB does not", () => {
    for (const ok of ["7EB", "8191PB", "9223372036854775807B"])
      assert.ok(accepts("retentionSize", ok), ok);
    for (const bad of ["8EB", "8192PB", "9223372036854775808B", "99999999999999EB"])
      assert.ok(!accepts("retentionSize", bad), bad);
    assert.match(
      problems("dev", { retentionSize: "99999999999999EB" }),
      /`retentionSize`: got "99999999999999EB" — is more bytes than Prometheus can read \(int64\): at most `7EB` or `8191PB`\./,
    );
  });

  it("refuses ports outside 1–65535 in scrape targets and the SMTP smarthost", () => {
    const target = (port: string) => [{ job: "app", targets: [`app.internal:${port}`] }];
    assert.ok(accepts("scrapeTargets", target("1")));
    assert.ok(accepts("scrapeTargets", target("65535")));
    assert.ok(!accepts("scrapeTargets", target("0")));
    assert.ok(!accepts("scrapeTargets", target("65536")));
    assert.match(
      problems("dev", { scrapeTargets: target("99999") }),
      /`scrapeTargets\[0\]\.targets\[0\]`: got "app\.internal:99999" — must have a port from 1 to 65535\./,
    );
    assert.ok(
      !accepts("smtp", { smarthost: "smtp.example.com:70000", from: "a@b.co", to: ["c@d.co"] }),
    );
    assert.ok(!accepts("hostPorts", { grafana: 65536 }));
    assert.ok(!accepts("hostPorts", { grafana: 0 }));
  });
});
