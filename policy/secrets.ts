/** Heuristics for secrets in plain environment variables: secret-looking names and values. */

/** Name words that mean the value is a credential (compared per `_`/`-`/`.`-separated word). */
const SECRET_WORD =
  /^(?:API|ACCESS|PRIVATE|AUTH|BEARER|CLIENT|ROUTING|SIGNING)?(?:PASSWORD|PASSWD|SECRET|TOKEN|KEY|WEBHOOK|CREDENTIALS?)S?$/;

/** Values that are credentials whatever the variable's name. */
const SECRET_VALUES: readonly { readonly what: string; readonly pattern: RegExp }[] = [
  { what: "a Slack webhook URL", pattern: /https:\/\/hooks\.slack\.com\//i },
  {
    what: "a Discord webhook URL",
    pattern: /https:\/\/(?:\w+\.)?discord(?:app)?\.com\/api\/webhooks\//i,
  },
  { what: "a Microsoft Teams webhook URL", pattern: /https:\/\/[^/\s]*\.webhook\.office\.com\//i },
  { what: "a URL with a password", pattern: /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i },
  { what: "a private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { what: "an AWS access key ID", pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { what: "a Slack token", pattern: /\bxox[abposr]-[0-9A-Za-z-]{10,}/ },
  { what: "a GitHub token", pattern: /\bgh[pousr]_[0-9A-Za-z]{36,}\b/ },
  { what: "a GitLab token", pattern: /\bglpat-[0-9A-Za-z_-]{20,}/ },
  { what: "a JSON web token", pattern: /\beyJ[0-9A-Za-z_-]+\.eyJ[0-9A-Za-z_-]+\.[0-9A-Za-z_-]+/ },
];

/** Whether the variable's name says it holds a credential, e.g. `SLACK_WEBHOOK_URL`, `API_KEY`. */
export function secretLookingName(name: string): boolean {
  return name
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .some((word) => SECRET_WORD.test(word));
}

/**
 * A `*_FILE` variable holding an absolute path names the file the secret is read from (Grafana's
 * `GF_SECURITY_ADMIN_PASSWORD__FILE`, the Docker-secrets convention): the value is not the secret.
 */
function isFileReference(name: string, value: string): boolean {
  return /_FILE$/i.test(name) && value.startsWith("/");
}

/** Why `name=value` looks like a plaintext secret, or undefined. Empty values carry nothing. */
export function plaintextSecretProblem(name: string, value: string): string | undefined {
  const found = SECRET_VALUES.find((s) => s.pattern.test(value));
  if (found !== undefined) return `${name} holds ${found.what}`;
  if (value === "" || isFileReference(name, value)) return undefined;
  if (secretLookingName(name)) return `${name} looks like a secret by its name`;
  return undefined;
}
