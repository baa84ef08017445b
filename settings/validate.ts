/**
 * The first step of parsing: every raw config string checked against the key table (known key,
 * secret stored as secret, JSON where structured, the key's schema), the environment resolved, and
 * required keys present. Problems are collected, never thrown, so all are reported at once.
 */
import { ENVIRONMENTS, type Environment } from "../catalog/environments";
import { describeIssue, show, suggestion } from "./messages";
import { CONFIG_KEYS, type ConfigKey, type RawValues } from "./schema";
import type { SettingsInput } from "./settings";

const KNOWN_KEYS = Object.keys(CONFIG_KEYS) as ConfigKey[];

/** Validates raw strings against the key table; returns the typed values and the problems found. */
export function validateRaw(input: SettingsInput): { values: RawValues; problems: string[] } {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(input.values)) {
    if (!(name in CONFIG_KEYS)) {
      const hint = suggestion(name, KNOWN_KEYS);
      problems.push(
        hint !== undefined
          ? `\`${name}\` is not a config key of this project — did you mean \`${hint}\`? (run \`pulumi config rm ${name}\`)`
          : `\`${name}\` is not a config key of this project; known keys: ${KNOWN_KEYS.join(", ")}.`,
      );
      continue;
    }
    const key = name as ConfigKey;
    const spec = CONFIG_KEYS[key];
    if (spec.secret && input.isSecret(key) === false) {
      problems.push(
        `\`${key}\` is stored in plaintext in Pulumi.${input.stack}.yaml: set it with \`pulumi config set --secret ${key} <value>\`.`,
      );
    }
    let parsed: unknown = text;
    if (spec.encoding === "json") {
      try {
        parsed = JSON.parse(text);
      } catch {
        problems.push(
          `\`${key}\`: got ${show(text)} — must be JSON (set it with \`pulumi config set --path\` or a YAML object/list in the stack file).`,
        );
        continue;
      }
    }
    const result = spec.schema.safeParse(parsed);
    if (result.success) values[key] = result.data;
    else problems.push(...result.error.issues.map((issue) => describeIssue(key, parsed, issue)));
  }
  return { values, problems };
}

/**
 * The stack's environment: the `environment` key, else the stack name when it is one of the
 * environments; `undefined` (with a problem, unless the key's bad value was already reported) when neither.
 */
export function resolveEnvironment(
  input: SettingsInput,
  values: RawValues,
  problems: string[],
): Environment | undefined {
  if (values.environment !== undefined) return values.environment;
  if ("environment" in input.values) return undefined; // invalid value, already reported
  if ((ENVIRONMENTS as readonly string[]).includes(input.stack)) return input.stack as Environment;
  problems.push(
    `\`environment\` is not set and the stack name \`${input.stack}\` does not imply one: ` +
      `run \`pulumi config set environment <${ENVIRONMENTS.join("|")}>\` (allowed: ${ENVIRONMENTS.join(", ")}).`,
  );
  return undefined;
}

/** Keys without a default that every stack must set. */
export function missingKeyProblems(input: SettingsInput, values: RawValues): string[] {
  return values.grafanaAdminPassword === undefined && !("grafanaAdminPassword" in input.values)
    ? [
        "`grafanaAdminPassword` is required and has no default: run `pulumi config set --secret grafanaAdminPassword <at least 12 characters>`.",
      ]
    : [];
}
