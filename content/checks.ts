/**
 * Checks of the user's settings against the built-in monitoring content. Settings cannot import
 * content, so parseSettings runs these through its `checks` option (index.ts and plan/ pass
 * `CONTENT_CHECKS`), and their problems are reported with every other settings problem before any
 * resource is registered.
 */
import type { SettingsCheck } from "../settings/checks";
import type { RawValues } from "../settings/schema";
import { BUILT_IN_RULE_NAMES } from "./rules";
import { SLO_ALERTS, SLO_RECORD_PREFIX } from "./slo";

/**
 * User rule names that clash: a record the built-in library or the SLO rules use, an alert the
 * built-in library or the SLO rules fire, and two user alerts of one name.
 */
export function ruleNameProblems(
  values: Pick<RawValues, "alertRules" | "recordingRules">,
): string[] {
  const problems: string[] = [];
  for (const [i, rule] of (values.recordingRules ?? []).entries()) {
    if (BUILT_IN_RULE_NAMES.records.has(rule.record) || rule.record.startsWith(SLO_RECORD_PREFIX)) {
      problems.push(
        `\`recordingRules[${i}].record\`: got "${rule.record}" — built-in records and the \`${SLO_RECORD_PREFIX}\` prefix are reserved; choose another name.`,
      );
    }
  }
  const builtInAlerts = new Set([...BUILT_IN_RULE_NAMES.alerts, ...Object.values(SLO_ALERTS)]);
  const seen = new Set<string>();
  for (const [i, rule] of (values.alertRules ?? []).entries()) {
    if (builtInAlerts.has(rule.alert)) {
      problems.push(
        `\`alertRules[${i}].alert\`: got "${rule.alert}" — a built-in alert has that name; choose another name.`,
      );
    } else if (seen.has(rule.alert)) {
      problems.push(
        `\`alertRules[${i}].alert\`: got "${rule.alert}" — alert names must be unique.`,
      );
    }
    seen.add(rule.alert);
  }
  return problems;
}

/** Every content check, for `parseSettings(input, { checks: CONTENT_CHECKS })`. */
export const CONTENT_CHECKS: readonly SettingsCheck[] = [ruleNameProblems];
