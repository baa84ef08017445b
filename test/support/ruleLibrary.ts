/** The built-in rule library rendered once with a fixed runbook base, for the unit and tool suites' rule tests. */
import {
  type AlertRule,
  buildRuleGroups,
  isAlertRule,
  type RecordingRule,
  type RuleGroup,
} from "../../content/rules";

/** Runbook base URL the rule tests render with. */
export const BASE = "https://runbooks.example.com/alerts";

export const groups: RuleGroup[] = buildRuleGroups({ runbookBaseUrl: BASE });
export const rules = groups.flatMap((g) => g.rules);
export const alerts: AlertRule[] = rules.filter(isAlertRule);
export const records: RecordingRule[] = rules.filter((r): r is RecordingRule => !isAlertRule(r));
