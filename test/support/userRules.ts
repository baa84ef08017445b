/** User rules the user-rule tests share (test/content/ruleSet.test.ts, test/content/ruleSet.tools.test.ts). */
import { CONTENT_CHECKS } from "../../content/checks";
import type { RuleGroup } from "../../content/rules";
import { stackRuleGroups } from "../../content/ruleSet";
import { parseSettings } from "../../settings/parse";
import { settingsInput } from "./harness";

export const RUNBOOKS = "https://runbooks.example.com/ops/";

export const FAILED_RATIO = {
  record: "job:http_requests_failed:ratio_rate5m",
  expr:
    'sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))' +
    " / sum by (job) (rate(http_requests_total[5m]))",
  labels: { team: "payments" },
};

/** Built on the user's own record. */
export const CHECKOUT_FAILING = {
  alert: "CheckoutFailing",
  expr: 'job:http_requests_failed:ratio_rate5m{job="checkout"} > 0.05',
  for: "10m",
  severity: "warning",
  summary: "{{ $labels.job }} is failing",
  description: "{{ $value | humanizePercentage }} of the requests to {{ $labels.job }} fail.",
  labels: { area: "shop" },
};

/** No `for`, no labels, its own runbook. */
export const QUEUE_STUCK = {
  alert: "QueueStuck",
  expr: "max by (queue) (queue_oldest_message_age_seconds) > 600",
  severity: "critical",
  summary: "Queue {{ $labels.queue }} is stuck",
  description: "The oldest message in {{ $labels.queue }} is {{ $value | humanizeDuration }} old.",
  runbookUrl: "https://wiki.example.com/runbooks/queue-stuck",
};

export const USER_RULES = {
  runbookBaseUrl: RUNBOOKS,
  // Alerts listed first on purpose: the group must still record before it alerts.
  alertRules: [CHECKOUT_FAILING, QUEUE_STUCK],
  recordingRules: [FAILED_RATIO],
};

export function groupsOf(overrides: Record<string, unknown>): RuleGroup[] {
  return stackRuleGroups(
    parseSettings(settingsInput("dev", overrides), { checks: CONTENT_CHECKS }),
  );
}
