/**
 * The SLO rules of content/slo.ts proven on real promtool: exact recorded values and burn-rate alerts
 * (the rules as data: test/content/slo.test.ts).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import { stringify } from "yaml";
import { renderRuleFile } from "../../content/rules";
import { SLO_ALERTS, SLO_RECORDS, buildSloRuleGroups } from "../../content/slo";
import type { SloSpec } from "../../settings/slo";
import { API, BASE, SEARCH, WEB } from "../support/slos";
import { passedFiles, requireTool, runTool, writeTempFiles } from "../support/tools";

// ---------------------------------------------------------------------------------------------
// Input series: one sample a minute; every service takes 7,500 requests a minute (125/s), so
// the shares below are exact decimals.
// ---------------------------------------------------------------------------------------------

const PER_MINUTE = 7500;

interface InputSeries {
  readonly series: string;
  readonly values: string;
}

function series(metric: string, labels: Readonly<Record<string, string>>): string {
  const body = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(", ");
  return `${metric}{${body}}`;
}

/** A phase of a counter: `minutes` long, growing by `perMinute` each minute. */
type Phase = readonly [minutes: number, perMinute: number];

/** A phase of traffic: `minutes` long, `errors` failed out of `requests` (default 7,500) a minute. */
type TrafficPhase = readonly [minutes: number, errors: number, requests?: number];

/** promtool values of a counter that starts at 0 and then grows phase by phase, one sample a minute. */
function counter(phases: readonly Phase[]): string {
  let value = 0;
  const parts = ["0"];
  for (const [minutes, perMinute] of phases) {
    parts.push(`${value + perMinute}+${perMinute}x${minutes - 1}`);
    value += perMinute * minutes;
  }
  return parts.join(" ");
}

/** `http_requests_total` of job `api`: the failures are `code="500"`, the rest `code="200"`. */
function apiTraffic(phases: readonly TrafficPhase[]): InputSeries[] {
  return [
    {
      series: series("http_requests_total", { job: "api", code: "200" }),
      values: counter(
        phases.map(([m, errors, requests]) => [m, (requests ?? PER_MINUTE) - errors]),
      ),
    },
    {
      series: series("http_requests_total", { job: "api", code: "500" }),
      values: counter(phases.map(([m, errors]) => [m, errors])),
    },
  ];
}

/** Failing requests a minute for a share of the traffic, e.g. `errorsFor(2)` is 2% = 150. */
const errorsFor = (percent: number): number => (PER_MINUTE * percent) / 100;

// ---------------------------------------------------------------------------------------------
// The promtool test model: one case is one test file; all run in one promtool call.
// ---------------------------------------------------------------------------------------------

type AlertKind = keyof typeof SLO_ALERTS;

/** What the alerts must look like, written out rather than derived from content/slo.ts. */
const EXPECTED_ALERTS: Readonly<
  Record<
    AlertKind,
    {
      readonly alertname: string;
      readonly severity: string;
      readonly summary: string;
      readonly windows: string;
      readonly runsOut: string;
      readonly runbook: string;
    }
  >
> = {
  fast: {
    alertname: "SLOErrorBudgetBurnFast",
    severity: "critical",
    summary: "SLO api is burning its error budget fast",
    windows: "1h (≥ 14.4× the budget rate) or 6h (≥ 6× the budget rate)",
    runsOut: "5d",
    runbook: `${BASE}/slo-error-budget-burn-fast.md`,
  },
  slow: {
    alertname: "SLOErrorBudgetBurnSlow",
    severity: "warning",
    summary: "SLO api is burning its error budget",
    windows: "1d (≥ 3× the budget rate) or 3d (≥ 1× the budget rate)",
    runsOut: "30d",
    runbook: `${BASE}/slo-error-budget-burn-slow.md`,
  },
};

interface SloCase {
  readonly title: string;
  /** The SLOs whose rule groups are loaded (default: `API`). */
  readonly slos?: readonly SloSpec[];
  /**
   * Rule evaluation interval (input samples are one a minute). Records and alerts at a given time
   * do not depend on it, so the multi-day cases evaluate hourly to keep promtool fast.
   */
  readonly every: "5m" | "1h";
  readonly input: readonly InputSeries[];
  /** Minutes at which the alert of `API` fires, with `$value` as `humanizePercentage` prints it. */
  readonly fires?: readonly {
    readonly at: number;
    readonly alert: AlertKind;
    readonly value: string;
    /** Only for the cases that must fail. */
    readonly severity?: string;
  }[];
  /** Minutes at which the alert does not fire. */
  readonly silent?: readonly { readonly at: number; readonly alert: AlertKind }[];
  /**
   * Values of records at a minute, to 12 decimal places; `undefined`: no sample (not even NaN).
   * Prometheus computes `rate` as increase × (1/range), so a 1% ratio comes out as
   * 0.009999999999999998; rounding to 1e-12 drops that noise and nothing else.
   */
  readonly records?: readonly {
    readonly at: number;
    readonly record: string;
    readonly slo?: SloSpec;
    readonly value: number | undefined;
  }[];
}

const minutes = (m: number): string => `${m}m`;

function alertTest(slo: SloSpec, kind: AlertKind, value: string, severity?: string) {
  const e = EXPECTED_ALERTS[kind];
  return {
    exp_labels: {
      alertname: e.alertname,
      slo: slo.name,
      service: slo.service,
      severity: severity ?? e.severity,
    },
    exp_annotations: {
      summary: e.summary,
      description:
        `${value} of the requests of ${slo.service} failed over the last ${e.windows}; ` +
        `the objective is ${slo.objective}% over 30d, so at this rate the error budget runs out in ${e.runsOut} or less.`,
      runbook_url: e.runbook,
    },
  };
}

/** The promtool test file of a case, rendered with `yaml`. */
function testFile(c: SloCase): string {
  const slos = c.slos ?? [API];
  return stringify(
    {
      rule_files: slos.map((s) => `slo-${s.name}.yml`),
      evaluation_interval: c.every,
      tests: [
        {
          interval: "1m",
          input_series: c.input,
          alert_rule_test: [
            ...(c.fires ?? []).map((f) => ({
              eval_time: minutes(f.at),
              alertname: EXPECTED_ALERTS[f.alert].alertname,
              exp_alerts: [alertTest(API, f.alert, f.value, f.severity)],
            })),
            ...(c.silent ?? []).map((s) => ({
              eval_time: minutes(s.at),
              alertname: EXPECTED_ALERTS[s.alert].alertname,
              exp_alerts: [],
            })),
          ],
          promql_expr_test: (c.records ?? []).map((r) => {
            const slo = r.slo ?? API;
            // `round` drops `__name__`; the rest of the label set must be exactly {slo, service}.
            return {
              expr: `round(${r.record}{slo="${slo.name}"}, 1e-12)`,
              eval_time: minutes(r.at),
              exp_samples:
                r.value === undefined
                  ? []
                  : [
                      {
                        labels: series("", { slo: slo.name, service: slo.service }),
                        value: r.value,
                      },
                    ],
            };
          }),
        },
      ],
    },
    { lineWidth: 0 },
  );
}

const R = SLO_RECORDS;
const HOUR = 60;
const DAY = 24 * HOUR;

// ---------------------------------------------------------------------------------------------
// Cases.
// ---------------------------------------------------------------------------------------------

/**
 * Errors per second over the 3 days before 4320m, newest first: 10/s in the last 5m, 4/s from
 * 5m to 30m ago, 1/s to 1h and to 2h, 0.5/s to 6h, 1/3 per s to 1d and 0.125/s before. Each window
 * averages out to a different share of the 125 requests/s: 8%, 4%, 2.4%, 1.6%, 0.8%, 0.4%, 0.2%.
 */
const STAIRS: readonly Phase[] = [
  [2 * DAY, 7.5],
  [18 * HOUR, 20],
  [4 * HOUR, 30],
  [HOUR, 60],
  [30, 60],
  [25, 240],
  [5, 600],
];

const CASES: readonly SloCase[] = [
  {
    title: "records the error ratio of each window over exactly that window",
    every: "1h",
    input: [
      {
        series: series("http_requests_total", { job: "api", code: "200" }),
        values: counter(STAIRS.map(([m, errors]) => [m, PER_MINUTE - 1500 - errors])),
      },
      {
        // Client errors are requests, not failures.
        series: series("http_requests_total", { job: "api", code: "404" }),
        values: counter([[3 * DAY, 1500]]),
      },
      {
        series: series("http_requests_total", { job: "api", code: "500" }),
        values: counter(STAIRS),
      },
      {
        // Another job's failures must not count.
        series: series("http_requests_total", { job: "billing", code: "500" }),
        values: counter([[3 * DAY, PER_MINUTE]]),
      },
    ],
    records: [
      { at: 3 * DAY, record: R.errorRatio("5m"), value: 0.08 },
      { at: 3 * DAY, record: R.errorRatio("30m"), value: 0.04 },
      { at: 3 * DAY, record: R.errorRatio("1h"), value: 0.024 },
      { at: 3 * DAY, record: R.errorRatio("2h"), value: 0.016 },
      { at: 3 * DAY, record: R.errorRatio("6h"), value: 0.008 },
      { at: 3 * DAY, record: R.errorRatio("1d"), value: 0.004 },
      { at: 3 * DAY, record: R.errorRatio("3d"), value: 0.002 },
      { at: 3 * DAY, record: R.objective, value: 0.999 },
      { at: 3 * DAY, record: R.errorBudget, value: 0.001 },
    ],
  },
  {
    title:
      "records objective, budget, 30d ratio and budget remaining per SLO, skipping idle windows and counting a missing 5xx series as no errors",
    slos: [API, WEB, SEARCH],
    every: "5m",
    input: [
      // api: idle for 10 minutes (0/0 must not poison the 30d mean), then 1% errors.
      ...apiTraffic([
        [10, 0, 0],
        [2 * HOUR, errorsFor(1)],
      ]),
      // web: 0.25% failures (15 × 429 + 3.75 × 503 a minute), spread over two jobs; 404s are fine.
      {
        series: series("http_requests_total", { job: "web", code: "200" }),
        values: counter([[130, 5000]]),
      },
      {
        series: series("http_requests_total", { job: "web", code: "404" }),
        values: counter([[130, 1000]]),
      },
      {
        series: series("http_requests_total", { job: "web", code: "429" }),
        values: counter([[130, 15]]),
      },
      {
        series: series("http_requests_total", { job: "web-canary", code: "200" }),
        values: counter([[130, 1481.25]]),
      },
      {
        series: series("http_requests_total", { job: "web-canary", code: "503" }),
        values: counter([[130, 3.75]]),
      },
      {
        // The regex is anchored: `web-old` is not `web`.
        series: series("http_requests_total", { job: "web-old", code: "500" }),
        values: counter([[130, PER_MINUTE]]),
      },
      // search: no 5xx series exists.
      {
        series: series("http_requests_total", { job: "search", code: "200" }),
        values: counter([[130, PER_MINUTE]]),
      },
    ],
    records: [
      { at: 5, record: R.errorRatio("5m"), value: undefined },
      { at: 130, record: R.errorRatio("5m"), value: 0.01 },
      { at: 130, record: R.errorRatio("1h"), value: 0.01 },
      { at: 130, record: R.objective, value: 0.999 },
      { at: 130, record: R.errorBudget, value: 0.001 },
      { at: 130, record: R.periodErrorRatio, value: 0.01 },
      { at: 130, record: R.budgetRemaining, value: -9 },
      { at: 130, slo: WEB, record: R.errorRatio("5m"), value: 0.0025 },
      { at: 130, slo: WEB, record: R.errorRatio("1h"), value: 0.0025 },
      { at: 130, slo: WEB, record: R.objective, value: 0.995 },
      { at: 130, slo: WEB, record: R.errorBudget, value: 0.005 },
      { at: 130, slo: WEB, record: R.periodErrorRatio, value: 0.0025 },
      { at: 130, slo: WEB, record: R.budgetRemaining, value: 0.5 },
      { at: 130, slo: SEARCH, record: R.errorRatio("5m"), value: 0 },
      { at: 130, slo: SEARCH, record: R.errorRatio("2h"), value: 0 },
      { at: 130, slo: SEARCH, record: R.objective, value: 0.99 },
      { at: 130, slo: SEARCH, record: R.errorBudget, value: 0.01 },
      { at: 130, slo: SEARCH, record: R.periodErrorRatio, value: 0 },
      { at: 130, slo: SEARCH, record: R.budgetRemaining, value: 1 },
    ],
  },
  {
    title: "fast burn: fires on 2% errors once the 1h window passes 14.4× the budget (1.44%)",
    every: "5m",
    input: apiTraffic([
      [6 * HOUR, 0],
      [80, errorsFor(2)],
    ]),
    // 30 minutes in, the 1h window is at 1%; 50 minutes in at 1.667% (the 6h window at 0.28%).
    silent: [{ at: 6 * HOUR + 30, alert: "fast" }],
    fires: [
      { at: 6 * HOUR + 50, alert: "fast", value: "1.667%" },
      { at: 6 * HOUR + 70, alert: "fast", value: "2%" },
    ],
    records: [{ at: 6 * HOUR + 30, record: R.errorRatio("5m"), value: 0.02 }],
  },
  {
    title: "fast burn: silent at 1.2% errors (below 14.4×) after a clean 6h",
    every: "5m",
    input: apiTraffic([
      [6 * HOUR, 0],
      [80, errorsFor(1.2)],
    ]),
    silent: [
      { at: 6 * HOUR + 60, alert: "fast" },
      { at: 6 * HOUR + 80, alert: "fast" },
    ],
    records: [
      { at: 6 * HOUR + 80, record: R.errorRatio("1h"), value: 0.012 },
      { at: 6 * HOUR + 80, record: R.errorRatio("5m"), value: 0.012 },
    ],
  },
  {
    title: "fast and slow burn: silent at a steady 0.05% errors",
    every: "5m",
    input: apiTraffic([[7 * HOUR, errorsFor(0.05)]]),
    silent: [
      { at: HOUR, alert: "fast" },
      { at: 7 * HOUR, alert: "fast" },
      { at: 7 * HOUR, alert: "slow" },
    ],
    records: [{ at: 7 * HOUR, record: R.errorRatio("6h"), value: 0.0005 }],
  },
  {
    title:
      "fast burn: silent on a 5-minute blip after a clean 6h (only the short windows are high)",
    every: "5m",
    input: apiTraffic([
      [6 * HOUR, 0],
      [5, 720],
      [HOUR, 0],
    ]),
    silent: [
      { at: 6 * HOUR + 5, alert: "fast" },
      { at: 6 * HOUR + 10, alert: "fast" },
    ],
    records: [
      // 9.6% over 5m (well over 1.44%), but 0.8% over 1h; 1.6% over 30m, but 0.13% over 6h.
      { at: 6 * HOUR + 5, record: R.errorRatio("5m"), value: 0.096 },
      { at: 6 * HOUR + 5, record: R.errorRatio("1h"), value: 0.008 },
      { at: 6 * HOUR + 5, record: R.errorRatio("30m"), value: 0.016 },
    ],
  },
  {
    title:
      "fast burn: resets within 5 minutes of the errors stopping, while the 1h window is still high",
    every: "5m",
    input: apiTraffic([
      [6 * HOUR, 0],
      [70, errorsFor(2)],
      [20, 0],
    ]),
    fires: [{ at: 6 * HOUR + 70, alert: "fast", value: "2%" }],
    silent: [
      { at: 6 * HOUR + 75, alert: "fast" },
      { at: 6 * HOUR + 85, alert: "fast" },
    ],
    records: [
      { at: 6 * HOUR + 85, record: R.errorRatio("1h"), value: 0.015 },
      { at: 6 * HOUR + 85, record: R.errorRatio("5m"), value: 0 },
    ],
  },
  {
    title: "fast burn: fires on 1% errors once the 6h window passes 6× the budget (0.6%)",
    every: "5m",
    input: apiTraffic([
      [6 * HOUR, 0],
      [6 * HOUR + 10, errorsFor(1)],
    ]),
    // 3h in, the 6h window is at 0.5% (30m at 1%); 4h in at 0.667%; 6h in at 1%.
    silent: [{ at: 9 * HOUR, alert: "fast" }],
    fires: [
      { at: 10 * HOUR, alert: "fast", value: "0.6667%" },
      { at: 12 * HOUR, alert: "fast", value: "1%" },
    ],
    records: [
      { at: 9 * HOUR, record: R.errorRatio("6h"), value: 0.005 },
      { at: 9 * HOUR, record: R.errorRatio("30m"), value: 0.01 },
    ],
  },
  {
    title:
      "slow burn: fires at a steady 0.4% errors over a day (3× over 1d and 2h), the fast alert does not",
    every: "1h",
    input: apiTraffic([[DAY + 10, errorsFor(0.4)]]),
    fires: [{ at: DAY, alert: "slow", value: "0.4%" }],
    silent: [{ at: DAY, alert: "fast" }],
    records: [
      { at: DAY, record: R.errorRatio("1d"), value: 0.004 },
      { at: DAY, record: R.errorRatio("2h"), value: 0.004 },
    ],
  },
  {
    title:
      "slow burn: fires at a steady 0.2% errors over 3 days (1× over 3d and 6h; 3× is not reached)",
    every: "1h",
    input: apiTraffic([[3 * DAY + 10, errorsFor(0.2)]]),
    fires: [{ at: 3 * DAY, alert: "slow", value: "0.2%" }],
    records: [
      { at: 3 * DAY, record: R.errorRatio("3d"), value: 0.002 },
      { at: 3 * DAY, record: R.errorRatio("6h"), value: 0.002 },
      { at: 3 * DAY, record: R.periodErrorRatio, value: 0.002 },
      { at: 3 * DAY, record: R.budgetRemaining, value: -1 },
    ],
  },
  {
    title:
      "slow burn: the 1d and 3d windows hold it back after a clean 3 days, until 1% errors last 8h",
    every: "1h",
    input: apiTraffic([
      [3 * DAY, 0],
      [8 * HOUR + 10, errorsFor(1)],
    ]),
    // 2h in: 2h and 6h windows high, 1d (0.08%) and 3d (0.03%) not. 7h in: 1d 0.29%, 3d 0.097%.
    // 8h in: 1d at 0.333%, 3d at 0.111%.
    silent: [
      { at: 3 * DAY + 2 * HOUR, alert: "slow" },
      { at: 3 * DAY + 7 * HOUR, alert: "slow" },
    ],
    fires: [{ at: 3 * DAY + 8 * HOUR, alert: "slow", value: "0.3333%" }],
    records: [{ at: 3 * DAY + 2 * HOUR, record: R.errorRatio("2h"), value: 0.01 }],
  },
];

/** Cases that must fail: proof that a wrong expectation is caught, so the cases above can fail. */
function caseTitled(start: string): SloCase {
  const found = CASES.find((c) => c.title.startsWith(start));
  if (found === undefined) throw new Error(`no case titled ${start}`);
  return found;
}
const BLIP = caseTitled("fast burn: silent on a 5-minute blip");
const FAST_2PCT = caseTitled("fast burn: fires on 2% errors");

const WRONG: readonly SloCase[] = [
  {
    ...BLIP,
    title: "wrong: the 5m and 30m windows swapped",
    records: [
      { at: 6 * HOUR + 5, record: R.errorRatio("5m"), value: 0.016 },
      { at: 6 * HOUR + 5, record: R.errorRatio("30m"), value: 0.096 },
    ],
  },
  {
    ...FAST_2PCT,
    title: "wrong: the fast alert as a warning",
    fires: [{ at: 6 * HOUR + 70, alert: "fast", value: "2%", severity: "warning" }],
    silent: [],
    records: [],
  },
  {
    ...FAST_2PCT,
    title: "wrong: $value of the 1h window already at 2% 50 minutes in",
    fires: [{ at: 6 * HOUR + 50, alert: "fast", value: "2%" }],
    silent: [],
    records: [],
  },
  {
    ...FAST_2PCT,
    title: "wrong: the fast alert silent 50 minutes in",
    fires: [],
    silent: [{ at: 6 * HOUR + 50, alert: "fast" }],
    records: [],
  },
];

function caseFile(kind: string, index: number): string {
  return `${kind}-${String(index).padStart(2, "0")}.test.yml`;
}

interface PromtoolCase {
  readonly title: string;
  readonly file: string;
  readonly text: string;
}

const PROMTOOL_CASES: readonly PromtoolCase[] = CASES.map((c, i) => ({
  title: c.title,
  file: caseFile("slo", i),
  text: testFile(c),
}));
const WRONG_CASES: readonly PromtoolCase[] = WRONG.map((c, i) => ({
  title: c.title,
  file: caseFile("wrong", i),
  text: testFile(c),
}));

/** One rule file per SLO group, `slo-<name>.yml`, as the stack deploys them. */
function ruleFiles(slos: readonly SloSpec[]): Record<string, string> {
  return Object.fromEntries(
    buildSloRuleGroups(slos, { runbookBaseUrl: BASE }).map((g) => [
      `${g.name}.yml`,
      renderRuleFile([g]),
    ]),
  );
}

/**
 * `promtool test rules` over `files` in a few processes at once (promtool runs files one after
 * another, and the multi-day cases take a few hundred milliseconds each).
 */
async function promtoolTestRules(
  dir: string,
  files: readonly string[],
): Promise<{ readonly status: number; readonly passed: Set<string> }> {
  const bin = requireTool("promtool");
  const n = Math.min(Math.max(os.availableParallelism(), 1), 4);
  const chunks = Array.from({ length: n }, (_, i) => files.filter((_, j) => j % n === i));
  const runs = await Promise.all(
    chunks
      .filter((chunk) => chunk.length > 0)
      .map(
        (chunk) =>
          new Promise<{ status: number; stdout: string }>((resolve) => {
            execFile(bin, ["test", "rules", ...chunk], { cwd: dir }, (error, stdout) =>
              resolve({ status: error === null ? 0 : 1, stdout }),
            );
          }),
      ),
  );
  return {
    status: Math.max(...runs.map((r) => r.status)),
    passed: new Set(runs.flatMap((r) => [...passedFiles(r.stdout)])),
  };
}

describe("slo: promtool", function () {
  this.timeout(30_000);
  const dirs: string[] = [];
  let batch: { readonly dir: string; readonly status: number; readonly passed: Set<string> };

  before(async () => {
    const all = [...PROMTOOL_CASES, ...WRONG_CASES];
    const dir = writeTempFiles({
      ...ruleFiles([API, WEB, SEARCH]),
      ...Object.fromEntries(all.map((c) => [c.file, c.text])),
    });
    dirs.push(dir);
    batch = {
      dir,
      ...(await promtoolTestRules(
        dir,
        all.map((c) => c.file),
      )),
    };
  });

  after(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const c of PROMTOOL_CASES) {
    it(c.title, () => {
      if (batch.passed.has(c.file)) return;
      const alone = runTool("promtool", ["test", "rules", c.file], batch.dir);
      assert.fail(`promtool test rules ${c.file} failed\n${alone.output}`);
    });
  }

  it("catches wrong expectations (each wrong case fails, and so does the batch)", () => {
    for (const c of WRONG_CASES) assert.ok(!batch.passed.has(c.file), `${c.title} passed`);
    assert.notEqual(batch.status, 0);
    assert.ok(batch.passed.size > 0, "no case passed at all");
  });

  it("`promtool check rules` accepts regex selectors and custom error selectors", () => {
    const checkout: SloSpec = {
      name: "checkout",
      service: "shop",
      objective: 99.95,
      metric: "nginx_ingress_controller_requests",
      selector: 'namespace="shop", ingress=~"checkout|cart-.+", method!~"OPTIONS|HEAD"',
      errorSelector: 'status=~"5..|429", status!="599"',
    };
    const files = ruleFiles([API, WEB, checkout]);
    const dir = writeTempFiles(files);
    dirs.push(dir);
    const result = runTool("promtool", ["check", "rules", ...Object.keys(files)], dir);
    assert.equal(result.status, 0, result.output);
    assert.equal(result.output.match(/SUCCESS: 13 rules found/g)?.length, 3, result.output);
  });
});
