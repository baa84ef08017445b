/** Small helpers the plan's modules share for the JSON-like values they read from recorded inputs and write. */

/** Whether `v` is a plain object (not an array, not null). */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A value as text: strings as they are, anything else as JSON. */
export const text = (v: unknown): string =>
  typeof v === "string" ? v : (JSON.stringify(v) ?? "undefined");

/** Pretty JSON with a final newline, as the plan writes its JSON files. */
export const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** The sum of `values`. */
export const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** The value at a dotted path (`a.b.c`) in nested objects; undefined when any step is missing. */
export function at(root: unknown, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((v, key) => (isObject(v) ? v[key] : undefined), root);
}
