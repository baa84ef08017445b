/**
 * How configuration problems are worded: the error that lists them, and the messages for schema
 * issues (the key and path in backticks, the bad value unless it is secret, what is allowed, and a
 * "did you mean" for near misses).
 */
import { distance } from "fastest-levenshtein";
import { z } from "zod";
import { CONFIG_KEYS, type ConfigKey } from "./schema";

/** Thrown for invalid stack configuration; the message lists every problem, one per line. */
export class SettingsError extends Error {
  constructor(
    readonly stack: string,
    readonly problems: readonly string[],
  ) {
    super(
      `invalid configuration for stack \`${stack}\` (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
    this.name = "SettingsError";
  }
}

/** A value as the user wrote it (JSON), cut to 80 characters. */
export function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The candidate closest to `name` (case-insensitive) when it is near enough to be a typo. */
export function suggestion(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: { candidate: string; d: number } | undefined;
  for (const candidate of candidates) {
    const d = distance(lower, candidate.toLowerCase());
    if (best === undefined || d < best.d) best = { candidate, d };
  }
  return best !== undefined && best.d <= Math.max(2, Math.floor(name.length / 4))
    ? best.candidate
    : undefined;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (v, p) =>
      v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[p] : undefined,
    root,
  );
}

function pathText(key: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (s, p) => (typeof p === "number" ? `${s}[${p}]` : `${s}.${String(p)}`),
    key,
  );
}

/** One schema issue of `key` as a sentence; a secret value is never shown. */
export function describeIssue(key: ConfigKey, value: unknown, issue: z.core.$ZodIssue): string {
  const where = pathText(key, issue.path);
  if (issue.code === "unrecognized_keys") {
    const allowed = Object.keys(shapeOf(key, issue.path));
    return issue.keys
      .map((k) => {
        const hint = suggestion(k, allowed);
        return `\`${where}\`: unknown field \`${k}\`${hint ? ` — did you mean \`${hint}\`?` : ""} Allowed: ${allowed.join(", ")}.`;
      })
      .join("\n  - ");
  }
  if (issue.code === "invalid_key") {
    const reason = issue.issues.map((i) => i.message).join("; ");
    return `\`${where}\`: the key ${show(issue.path[issue.path.length - 1])} ${reason}.`;
  }
  const raw = valueAt(value, issue.path);
  const message =
    issue.code === "invalid_value" && "values" in issue
      ? `must be one of ${issue.values.map((v) => String(v)).join(", ")}`
      : issue.message;
  if (raw === undefined) {
    return issue.code === "invalid_type"
      ? `\`${where}\` is required (expected ${issue.expected}).`
      : `\`${where}\` is required — ${message}.`;
  }
  const got = CONFIG_KEYS[key].secret ? "a value (hidden, it is secret)" : show(raw);
  return `\`${where}\`: got ${got} — ${message}.`;
}

/** Field names of the strict object at `path` inside a key's schema (for unknown-field messages). */
function shapeOf(key: ConfigKey, path: readonly PropertyKey[]): Record<string, unknown> {
  const unwrap = (t: z.ZodType): z.ZodType =>
    t instanceof z.ZodOptional ? unwrap(t.unwrap() as z.ZodType) : t;
  let schema = unwrap(CONFIG_KEYS[key].schema);
  for (const p of path) {
    if (schema instanceof z.ZodArray) schema = unwrap(schema.element as z.ZodType);
    else if (schema instanceof z.ZodObject) schema = unwrap(schema.shape[String(p)] as z.ZodType);
  }
  return schema instanceof z.ZodObject ? schema.shape : {};
}
