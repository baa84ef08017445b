/**
 * The built-in alerting and recording rules as data: valid PromQL, naming, severities, runbook links,
 * durations. Each rule's behaviour on real promtool is in test/content/rules.tools.test.ts.
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { SCRAPE_JOBS } from "../../catalog/names";
import {
  BUILT_IN_JOBS,
  CORE_JOBS,
  SEVERITIES,
  WATCHDOG_ALERT,
  buildRuleGroups,
  isAlertRule,
  renderRuleFile,
  toKebabCase,
} from "../../content/rules";
import { alerts, BASE, groups, records, rules } from "../support/ruleLibrary";
import { promqlErrors } from "../../settings/promql";

/** Prometheus duration syntax (model.ParseDuration): units in descending order, integers only. */
const PROM_DURATION = /^(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/;
function isPrometheusDuration(value: string): boolean {
  return value !== "" && PROM_DURATION.test(value) && !/^0+[a-z]+$/.test(value);
}

describe("rules: library data", () => {
  it("every expression (alerts and records) parses as PromQL", () => {
    for (const rule of rules) {
      const name = isAlertRule(rule) ? rule.alert : rule.record;
      assert.deepEqual(promqlErrors(rule.expr), [], `${name}: ${rule.expr}`);
    }
  });

  it("the PromQL check reports a broken expression", () => {
    assert.notDeepEqual(promqlErrors('rate(node_cpu_seconds_total{job="node"}[5m]'), []);
    assert.notDeepEqual(promqlErrors("up == == 0"), []);
  });

  it("has the expected groups, recording rules first so alerts see fresh values", () => {
    assert.deepEqual(
      groups.map((g) => g.name),
      [
        "node-recording",
        "targets",
        "node",
        "kubernetes",
        "services",
        "passenger",
        "prometheus",
        "alertmanager",
        "meta",
      ],
    );
    const groupOf = new Map<string, number>();
    groups.forEach((g, i) => g.rules.forEach((r) => !isAlertRule(r) && groupOf.set(r.record, i)));
    groups.forEach((g, i) => {
      for (const a of g.rules.filter(isAlertRule)) {
        for (const [recorded, at] of groupOf) {
          if (a.expr.includes(recorded)) {
            assert.ok(at < i, `${a.alert} uses ${recorded} recorded in a later group`);
          }
        }
      }
    });
  });

  it("alert and record names are unique and well formed", () => {
    const alertNames = alerts.map((a) => a.alert);
    assert.equal(new Set(alertNames).size, alertNames.length, "duplicate alert name");
    for (const name of alertNames) assert.match(name, /^[A-Z][A-Za-z0-9]+$/);
    const recordNames = records.map((r) => r.record);
    assert.equal(new Set(recordNames).size, recordNames.length, "duplicate record name");
    // Prometheus naming convention level:metric:operations.
    for (const name of recordNames) assert.match(name, /^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$/);
  });

  it("every alert has a valid severity, summary, description and runbook link", () => {
    for (const a of alerts) {
      assert.ok(
        SEVERITIES.includes(a.labels.severity),
        `${a.alert}: severity ${a.labels.severity}`,
      );
      assert.ok(a.annotations.summary.trim() !== "", `${a.alert}: empty summary`);
      assert.ok(a.annotations.description.trim() !== "", `${a.alert}: empty description`);
      assert.equal(a.annotations.runbook_url, `${BASE}/${toKebabCase(a.alert)}.md`);
    }
  });

  it("only the Watchdog has severity `none`, and it always fires", () => {
    const none = alerts.filter((a) => a.labels.severity === "none").map((a) => a.alert);
    assert.deepEqual(none, [WATCHDOG_ALERT]);
    const watchdog = alerts.find((a) => a.alert === WATCHDOG_ALERT);
    assert.equal(watchdog?.expr, "vector(1)");
    assert.equal(watchdog.for, undefined);
    assert.deepEqual(watchdog.labels, { severity: "none" });
  });

  it("every built-in job has exactly one down alert, and user jobs have ServiceDown", () => {
    assert.deepEqual([...BUILT_IN_JOBS].sort(), Object.values(SCRAPE_JOBS).sort());
    const instanceDown = alerts.find((a) => a.alert === "InstanceDown");
    const serviceDown = alerts.find((a) => a.alert === "ServiceDown");
    assert.equal(instanceDown?.expr, `up{job=~"${CORE_JOBS.join("|")}"} == 0`);
    assert.equal(serviceDown?.expr, `up{job!~"${BUILT_IN_JOBS.join("|")}"} == 0`);
    for (const jobName of BUILT_IN_JOBS) {
      const own = alerts.filter((a) => a.expr.includes(`absent(up{job="${jobName}"})`));
      if (CORE_JOBS.includes(jobName)) {
        assert.deepEqual(own, [], `${jobName} is covered by InstanceDown`);
      } else {
        assert.deepEqual(
          own.map((a) => a.expr),
          [`up{job="${jobName}"} == 0 or absent(up{job="${jobName}"})`],
          `${jobName}: one down alert that also fires without targets`,
        );
      }
    }
  });

  it("capacity comes from metrics, never from hard-coded core counts or memory sizes", () => {
    for (const a of alerts) {
      assert.doesNotMatch(a.expr, /1024\s*\^|\/\s*\d+\s*\)\s*>|\d{9,}/, `${a.alert}: ${a.expr}`);
    }
  });

  it("`for` durations are valid Prometheus durations", () => {
    for (const bad of ["", "5", "1.5h", "5 m", "m5", "0m", "5m1h"]) {
      assert.equal(isPrometheusDuration(bad), false, `accepted ${JSON.stringify(bad)}`);
    }
    for (const a of alerts) {
      if (a.for !== undefined) assert.ok(isPrometheusDuration(a.for), `${a.alert}: for ${a.for}`);
    }
  });

  it("job selectors only name SCRAPE_JOBS", () => {
    const known = new Set<string>(Object.values(SCRAPE_JOBS));
    for (const rule of rules) {
      for (const m of rule.expr.matchAll(/\bjob\s*(?:=|!=|=~|!~)\s*"([^"]*)"/g)) {
        for (const jobName of m[1].split("|")) {
          assert.ok(known.has(jobName), `unknown job ${jobName} in ${rule.expr}`);
        }
      }
    }
  });

  it("kebab-cases alert names for runbook links", () => {
    const expected: Record<string, string> = {
      InstanceDown: "instance-down",
      HostHighCpuUsage: "host-high-cpu-usage",
      HostDiskWillFillIn24Hours: "host-disk-will-fill-in-24-hours",
      HostHighDiskIOUtilisation: "host-high-disk-io-utilisation",
      PrometheusTSDBCompactionsFailing: "prometheus-tsdb-compactions-failing",
      PostgreSQLDown: "postgresql-down",
      HighCPUUsage: "high-cpu-usage",
      HostOomKillDetected: "host-oom-kill-detected",
    };
    for (const [name, slug] of Object.entries(expected)) assert.equal(toKebabCase(name), slug);
  });

  it("handles trailing slashes on the runbook base URL and rejects an empty one", () => {
    for (const base of [`${BASE}/`, `${BASE}//`]) {
      for (const a of buildRuleGroups({ runbookBaseUrl: base }).flatMap((g) => g.rules)) {
        if (!isAlertRule(a)) continue;
        assert.equal(a.annotations.runbook_url, `${BASE}/${toKebabCase(a.alert)}.md`);
        assert.ok(!a.annotations.runbook_url.slice("https://".length).includes("//"));
      }
    }
    assert.throws(() => buildRuleGroups({ runbookBaseUrl: "" }), /runbookBaseUrl/);
  });

  it("renders a rule file that round-trips through YAML without nulls", () => {
    const text = renderRuleFile(groups);
    assert.deepEqual(parse(text), { groups });
    assert.doesNotMatch(text, /\bnull\b|undefined/);
    const wal = alerts.find((a) => a.alert === "PrometheusTSDBWALCorruptions");
    assert.ok(wal !== undefined && !("for" in wal), "an alert without `for` renders no `for` key");
  });
});
