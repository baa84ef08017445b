/**
 * Runbooks: every alert links `<runbookBaseUrl>/<kebab-case name>.md`, and `docs/runbooks/` holds exactly
 * one page per alert, named by that last path segment, with the alert's name as title, the four
 * sections, and the alert's current expression, `for` and severity. No page for an alert that no
 * longer exists; the index lists every page.
 *
 * The alerts come from the code (`stackRuleGroups`), so adding an alert without a runbook fails here.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { type AlertRule, isAlertRule, toKebabCase } from "../../content/rules";
import { CUSTOM_GROUP, stackRuleGroups } from "../../content/ruleSet";
import { parseSettings } from "../../settings/parse";
import { DEFAULT_SLOS } from "../../settings/slo";
import { ALL_RECEIVERS_CONFIG, ROOT, settingsInput, TEST_SECRETS } from "../support/harness";

/** Where the committed stacks point `runbookBaseUrl`: this folder on GitHub. */
const REPO_RUNBOOKS = "https://github.com/acme/monitoring-stack/blob/main/docs/runbooks";
const RUNBOOK_DIR = path.join(ROOT, "docs", "runbooks");
const INDEX = "README.md";
const SECTIONS = ["Meaning", "Impact", "Diagnosis", "Mitigation"] as const;
const STACKS = ["dev", "staging", "prod"] as const;

/** The file an alert's runbook must live in. */
const runbookFile = (alert: string): string => `${toKebabCase(alert)}.md`;

/** The last path segment of a URL, decoded. */
function lastSegment(url: string): string {
  return decodeURIComponent(new URL(url).pathname.split("/").pop() ?? "");
}

const alertsOf = (groups: ReturnType<typeof stackRuleGroups>): (AlertRule & { group: string })[] =>
  groups.flatMap((g) => g.rules.filter(isAlertRule).map((r) => ({ ...r, group: g.name })));

/** The rule set for default settings: built-in library, the default SLOs, no user rules. */
const DEFAULT_ALERTS = alertsOf(
  stackRuleGroups({
    alerting: { runbookBaseUrl: REPO_RUNBOOKS },
    rules: { slos: DEFAULT_SLOS, alertRules: [], recordingRules: [] },
  }),
);

/**
 * Each committed stack's rules. Every secret is set, plus the receiver settings those secrets need to
 * validate (as in renderedConfigs.test.ts); receivers do not change the rules.
 */
const STACK_ALERTS = Object.fromEntries(
  STACKS.map((stack) => {
    const receivers =
      stack === "dev" ? ALL_RECEIVERS_CONFIG : { heartbeatUrl: ALL_RECEIVERS_CONFIG.heartbeatUrl };
    const settings = parseSettings(settingsInput(stack, receivers, { ...TEST_SECRETS }));
    return [
      stack,
      { base: settings.alerting.runbookBaseUrl, alerts: alertsOf(stackRuleGroups(settings)) },
    ];
  }),
) as Record<(typeof STACKS)[number], { base: string; alerts: (AlertRule & { group: string })[] }>;

/**
 * Alerts that need a page here: every default alert, and every stack alert whose link points into this
 * folder (user alerts with their own `runbookUrl` live elsewhere).
 */
const NEEDED: readonly AlertRule[] = [
  ...DEFAULT_ALERTS,
  ...STACKS.flatMap((stack) =>
    STACK_ALERTS[stack].alerts.filter((a) =>
      a.annotations.runbook_url.startsWith(`${REPO_RUNBOOKS}/`),
    ),
  ),
];
const NEEDED_NAMES = [...new Set(NEEDED.map((a) => a.alert))].sort();

const files = fs.existsSync(RUNBOOK_DIR) ? fs.readdirSync(RUNBOOK_DIR).sort() : [];
const runbookFiles = files.filter((f) => f !== INDEX);
const read = (file: string): string => fs.readFileSync(path.join(RUNBOOK_DIR, file), "utf8");

/** The Markdown without fenced code blocks (shell comments there start with `#` too). */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, "");
}

/** Headings outside code blocks: level and text. */
function headings(markdown: string): { level: number; text: string }[] {
  return [...prose(markdown).matchAll(/^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$/gm)].map((m) => ({
    level: m[1].length,
    text: m[2],
  }));
}

/** The body of a `## <name>` section (up to the next `## ` heading). */
function section(markdown: string, name: string): string {
  const start = markdown.search(new RegExp(`^## ${name}[ \\t]*$`, "m"));
  if (start < 0) return "";
  const rest = markdown.slice(start).split("\n").slice(1).join("\n");
  const end = rest.search(/^## /m);
  return end < 0 ? rest : rest.slice(0, end);
}

/** Relative Markdown link targets (`[x](target)`), without `#anchor`. */
function relativeLinks(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1])
    .filter((target) => !/^[a-z]+:/i.test(target) && !target.startsWith("#"))
    .map((target) => target.split("#")[0]);
}

/** Fails with every problem listed, so one run shows all missing or stale runbooks. */
function assertNoProblems(problems: readonly string[], what: string): void {
  if (problems.length > 0) assert.fail(`${what}:\n  ${problems.join("\n  ")}`);
}

describe("runbooks (docs/runbooks)", () => {
  it("the alert list is not empty and distinct alerts get distinct runbook files", () => {
    assert.ok(DEFAULT_ALERTS.length > 0, "no alerts found in the default rule set");
    const byFile = new Map<string, string>();
    const clashes: string[] = [];
    for (const name of NEEDED_NAMES) {
      const file = runbookFile(name).toLowerCase();
      const other = byFile.get(file);
      if (other !== undefined && other !== name)
        clashes.push(`${other} and ${name} both map to ${file}`);
      byFile.set(file, name);
    }
    assertNoProblems(clashes, "alert names that share a runbook file");
  });

  it("every committed stack links its alerts to this folder", () => {
    const problems = STACKS.flatMap((stack) => {
      const { base, alerts } = STACK_ALERTS[stack];
      const builtIn = alerts.filter((a) => a.group !== CUSTOM_GROUP);
      return [
        ...(base === REPO_RUNBOOKS
          ? []
          : [`${stack}: runbookBaseUrl is ${base}, expected ${REPO_RUNBOOKS}`]),
        ...builtIn
          .filter((a) => !a.annotations.runbook_url.startsWith(`${REPO_RUNBOOKS}/`))
          .map((a) => `${stack}: ${a.alert} links ${a.annotations.runbook_url}`),
      ];
    });
    assertNoProblems(problems, "runbook links outside docs/runbooks");
  });

  it("every alert's runbook_url ends in the name of its runbook file", () => {
    const problems = NEEDED.filter(
      (a) => lastSegment(a.annotations.runbook_url) !== runbookFile(a.alert),
    ).map(
      (a) =>
        `${a.alert}: runbook_url ${a.annotations.runbook_url} does not end in /${runbookFile(a.alert)}`,
    );
    assertNoProblems(
      [...new Set(problems)],
      "runbook links that do not name the file (runbookUrl() in content/rules.ts must build <base>/<kebab-case name>.md)",
    );
  });

  it("every alert has exactly one runbook file", () => {
    const problems = NEEDED_NAMES.flatMap((name) => {
      const file = runbookFile(name);
      const stem = file.replace(/\.md$/, "");
      // Also catches `Instance-Down.md` or an extension-less `instance-down` next to the real file.
      const candidates = files.filter((f) => f.toLowerCase().replace(/\.md$/, "") === stem);
      if (!candidates.includes(file))
        return [
          `${name}: docs/runbooks/${file} is missing (found: ${candidates.join(", ") || "none"})`,
        ];
      if (candidates.length > 1)
        return [`${name}: several files for one alert: ${candidates.join(", ")}`];
      return [];
    });
    assertNoProblems(problems, "alerts without exactly one runbook");
  });

  it("has no runbook for an alert that no longer exists", () => {
    const expected = new Set(NEEDED_NAMES.map(runbookFile));
    const orphans = runbookFiles.filter((f) => !expected.has(f));
    assertNoProblems(orphans, "runbook files without an alert (delete them or fix their name)");
  });

  it("every runbook is titled with its alert's name and has the four sections in order", () => {
    const problems = NEEDED_NAMES.filter((name) => files.includes(runbookFile(name))).flatMap(
      (name) => {
        const file = runbookFile(name);
        const all = headings(read(file));
        const out: string[] = [];
        if (all[0]?.level !== 1 || all[0].text !== name)
          out.push(`${file}: first heading must be "# ${name}", got "${all[0]?.text ?? "none"}"`);
        if (all.filter((h) => h.level === 1).length !== 1)
          out.push(`${file}: must have exactly one level-1 heading`);
        const sections = all.filter((h) => h.level === 2).map((h) => h.text);
        if (JSON.stringify(sections) !== JSON.stringify(SECTIONS)) {
          out.push(`${file}: sections must be ${SECTIONS.join(", ")}; got ${sections.join(", ")}`);
        } else {
          for (const s of SECTIONS) {
            if (section(read(file), s).trim() === "") out.push(`${file}: section ${s} is empty`);
          }
        }
        return out;
      },
    );
    assertNoProblems(problems, "runbooks with a wrong title or sections");
  });

  it("Meaning shows the alert's current expression, `for` and severity", () => {
    const problems = DEFAULT_ALERTS.filter((a) => files.includes(runbookFile(a.alert))).flatMap(
      (a) => {
        const file = runbookFile(a.alert);
        const meaning = section(read(file), "Meaning");
        const out: string[] = [];
        if (!meaning.includes(`\n${a.expr}\n`))
          out.push(`${file}: Meaning does not show the current expression\n      ${a.expr}`);
        const forLine = a.for === undefined ? "- **For:** none" : `- **For:** \`${a.for}\``;
        if (!meaning.includes(forLine)) out.push(`${file}: Meaning lacks "${forLine}"`);
        const severityLine = `- **Severity:** \`${a.labels.severity}\``;
        if (!meaning.includes(severityLine)) out.push(`${file}: Meaning lacks "${severityLine}"`);
        return out;
      },
    );
    assertNoProblems(problems, "runbooks out of step with their rule");
  });

  it("the index lists every runbook, and every relative link resolves", () => {
    assert.ok(files.includes(INDEX), `docs/runbooks/${INDEX} (the index) is missing`);
    const indexLinks = new Set(relativeLinks(read(INDEX)));
    const unlisted = runbookFiles.filter((f) => !indexLinks.has(f)).map((f) => `${f} not in index`);
    const broken = files.flatMap((f) =>
      relativeLinks(read(f))
        .filter((target) => !fs.existsSync(path.join(RUNBOOK_DIR, target)))
        .map((target) => `${f}: link to ${target} does not resolve`),
    );
    const index = read(INDEX);
    const severities = new Map(NEEDED.map((a) => [a.alert, a.labels.severity]));
    const wrongSeverity = [...severities]
      .filter(([name, severity]) => {
        const row = new RegExp(
          `\\[${name}\\]\\(${runbookFile(name).replace(".", "\\.")}\\)[ \\t]*\\|[ \\t]*\`(\\w+)\``,
        );
        const m = row.exec(index);
        return m !== null && m[1] !== severity;
      })
      .map(([name, severity]) => `index row of ${name} must show severity \`${severity}\``);
    assertNoProblems([...unlisted, ...broken, ...wrongSeverity], "index or links out of step");
  });
});
