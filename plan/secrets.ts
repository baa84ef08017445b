/**
 * Secrets in the offline plan: the placeholder values it runs the program with (no real secret is
 * needed or read) and the redaction that keeps every secret value out of what it prints and writes.
 */
import { isSecretWrapper } from "./mocks";
import { isObject } from "./values";

/** What every secret value is replaced with in the plan's files. */
export const SECRET_MARK = "[secret]";

/** Placeholders for secrets with a format check; every other secret gets `<secret:<key>>`. */
const FORMATTED_PLACEHOLDERS: Readonly<Record<string, string>> = {
  slackWebhookUrl: "https://placeholder.invalid/secret/slackWebhookUrl",
  pagerdutyRoutingKey: "PLACEHOLDERsecretPagerdutyKey000",
  kubeconfig: "# <secret:kubeconfig>\napiVersion: v1\nkind: Config\nclusters: []\n",
};

/** An obviously fake value for the secret `key` that still passes the key's format check. */
export function placeholder(key: string): string {
  return FORMATTED_PLACEHOLDERS[key] ?? `<secret:${key}>`;
}

/**
 * Placeholders for every secret the stack's validation needs: the Grafana password, every key the
 * stack file stores encrypted, `smtpPassword` when `smtp.username` is set and `kubeconfig` in
 * `eksClusterMode: existing`. A secret stored in plaintext (the password included) is left alone,
 * so the program reports it as it would on `pulumi up`.
 */
export function placeholderSecrets(
  config: Readonly<Record<string, unknown>>,
): Record<string, string> {
  const keys = new Set<string>();
  // The password is required: a placeholder stands in for it unless the stack file holds it in
  // plaintext, which the program must see and refuse (with the length check too).
  if (config.grafanaAdminPassword === undefined) keys.add("grafanaAdminPassword");
  for (const [key, value] of Object.entries(config)) {
    if (isObject(value) && typeof value.secure === "string") keys.add(key);
  }
  const smtp = config.smtp;
  if (isObject(smtp) && smtp.username !== undefined) keys.add("smtpPassword");
  if (config.eksClusterMode === "existing") keys.add("kubeconfig");
  return Object.fromEntries([...keys].sort().map((k) => [k, placeholder(k)]));
}

/** A copy of `value` with every secret (as the mocks record it) replaced by `SECRET_MARK`. */
export function redact(value: unknown): unknown {
  if (isSecretWrapper(value)) return SECRET_MARK;
  if (Array.isArray(value)) return value.map(redact);
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v)]));
  return value;
}
