/**
 * The complete rule set of a stack: the built-in library, one group per SLO, and the user's own
 * rules from settings. Every target renders exactly this list (rule files on Docker and ECS,
 * PrometheusRule objects on Kubernetes). Pure.
 */
import {
  type AlertRule,
  type RecordingRule,
  type RuleGroup,
  buildRuleGroups,
  runbookUrl,
} from "./rules";
import { JOBS_BY_ENVIRONMENT, SCRAPE_JOBS } from "../catalog/names";
import type { Environment } from "../catalog/environments";
import type { RuleSettings } from "../settings/settings";
import { buildSloRuleGroups } from "./slo";

/** Name of the group holding the rules from the `recordingRules` and `alertRules` settings. */
export const CUSTOM_GROUP = "custom";

export function customRuleGroup(
  rules: RuleSettings,
  runbookBaseUrl: string,
): RuleGroup | undefined {
  if (rules.alertRules.length === 0 && rules.recordingRules.length === 0) return undefined;
  const records: RecordingRule[] = rules.recordingRules.map((r) => ({
    record: r.record,
    expr: r.expr,
    ...(r.labels === undefined ? {} : { labels: { ...r.labels } }),
  }));
  const alerts: AlertRule[] = rules.alertRules.map((r) => ({
    alert: r.alert,
    expr: r.expr,
    ...(r.for === undefined ? {} : { for: r.for }),
    labels: { ...r.labels, severity: r.severity },
    annotations: {
      summary: r.summary,
      description: r.description,
      runbook_url: r.runbookUrl ?? runbookUrl(runbookBaseUrl, r.alert),
    },
  }));
  // Records first: alerts of the same group then see this evaluation's values.
  return { name: CUSTOM_GROUP, rules: [...records, ...alerts] };
}

export function stackRuleGroups(settings: {
  readonly environment?: Environment;
  readonly alerting: { readonly runbookBaseUrl: string };
  readonly rules: RuleSettings;
}): RuleGroup[] {
  const runbookBaseUrl = settings.alerting.runbookBaseUrl;
  const custom = customRuleGroup(settings.rules, runbookBaseUrl);
  const jobs =
    settings.environment === undefined
      ? undefined
      : JOBS_BY_ENVIRONMENT[settings.environment].map((j) => SCRAPE_JOBS[j]);
  return [
    ...buildRuleGroups({ runbookBaseUrl, jobs }),
    ...buildSloRuleGroups(settings.rules.slos, { runbookBaseUrl }),
    ...(custom === undefined ? [] : [custom]),
  ];
}
