/** Safe readers for resource inputs, which reach a policy as untyped JSON-like values. */

/** A JSON object (not an array, not null). */
export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `v` if it is an array, else an empty list (absent lists are common and mean "none"). */
export function list(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? (v as unknown[]) : [];
}

/** `v` if it is a string, else undefined. */
export function text(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** `v` if it is a finite number (or a numeric string, as some providers take ports), else undefined. */
export function num(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^-?\d+$/.test(v.trim())) return Number(v);
  return undefined;
}

/** The value at `path` below `v`, or undefined as soon as a step is missing. */
export function at(v: unknown, path: readonly string[]): unknown {
  let here: unknown = v;
  for (const key of path) {
    if (!isObject(here)) return undefined;
    here = here[key];
  }
  return here;
}

/** `a.b.c` for messages. */
export const dotted = (path: readonly string[]): string => path.join(".");

/**
 * The value of a resource's `Name` tag, for the few heuristics that need a role name (see the
 * policies that use it); undefined when the resource has none.
 */
export function nameTag(props: JsonObject): string | undefined {
  return text(at(props, ["tags", "Name"]));
}

/**
 * Whether `word` (e.g. `alb`) occurs in `s` as a whole word of a name such as
 * `staging-alb-in-80` or a sentence such as `Monitoring ALB: listeners` (case-insensitive).
 */
export function hasWord(s: string | undefined, word: RegExp): boolean {
  if (s === undefined) return false;
  return new RegExp(`(^|[^a-z0-9])(${word.source})([^a-z0-9]|$)`, "i").test(s);
}
