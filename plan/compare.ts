/** Comparing two plans (for `--diff`): resources added, removed and changed, with the input paths that changed. */
import { isDeepStrictEqual } from "node:util";
import { type PlanResource, resourceKey } from "./resources";
import { isObject } from "./values";

export interface InputChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface ResourceChanges {
  readonly added: readonly PlanResource[];
  readonly removed: readonly PlanResource[];
  readonly changed: readonly {
    readonly resource: PlanResource;
    readonly changes: readonly InputChange[];
  }[];
}

/** The leaf paths at which two input values differ. */
export function inputChanges(before: unknown, after: unknown, at = ""): InputChange[] {
  if (isDeepStrictEqual(before, after)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => inputChanges(before[k], after[k], at === "" ? k : `${at}.${k}`));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((b, i) => inputChanges(b, after[i], `${at}[${i}]`));
  }
  return [{ path: at, before, after }];
}

/** Resources added, removed and changed (by type and name) from `base` to `head`. */
export function compareResources(
  base: readonly PlanResource[],
  head: readonly PlanResource[],
): ResourceChanges {
  const baseByKey = new Map(base.map((r) => [resourceKey(r), r]));
  const headKeys = new Set(head.map(resourceKey));
  return {
    added: head.filter((r) => !baseByKey.has(resourceKey(r))),
    removed: base.filter((r) => !headKeys.has(resourceKey(r))),
    changed: head.flatMap((r) => {
      const old = baseByKey.get(resourceKey(r));
      const changes = old === undefined ? [] : inputChanges(old.inputs, r.inputs);
      return changes.length === 0 ? [] : [{ resource: r, changes }];
    }),
  };
}

const MAX_CHANGES_SHOWN = 12;

const SHOWN_CHARS = 100;

function shortValue(v: unknown): string {
  if (v === undefined) return "(none)";
  const s = JSON.stringify(v);
  return s.length > SHOWN_CHARS ? `${s.slice(0, SHOWN_CHARS - 3)}...` : s;
}

/** Two long strings as excerpts around their first difference, e.g. `…interval: 30s…`. */
function excerpts(before: string, after: string): [string, string] {
  let i = 0;
  while (i < before.length && before[i] === after[i]) i++;
  const from = Math.max(0, i - 30);
  const cut = (s: string) =>
    `${from > 0 ? "…" : ""}${JSON.stringify(s.slice(from, from + 60))}${from + 60 < s.length ? "…" : ""}`;
  return [cut(before), cut(after)];
}

function describeChange(change: InputChange): string {
  const { before, after } = change;
  const long =
    typeof before === "string" &&
    typeof after === "string" &&
    Math.max(before.length, after.length) > SHOWN_CHARS;
  const [b, a] = long ? excerpts(before, after) : [shortValue(before), shortValue(after)];
  return `      ${change.path}: ${b} → ${a}`;
}

export function formatResourceChanges(changes: ResourceChanges): string[] {
  return [
    ...changes.added.map((r) => `  + ${r.type}  ${r.name}`),
    ...changes.removed.map((r) => `  - ${r.type}  ${r.name}`),
    ...changes.changed.flatMap(({ resource, changes: c }) => [
      `  ~ ${resource.type}  ${resource.name}`,
      ...c.slice(0, MAX_CHANGES_SHOWN).map(describeChange),
      ...(c.length > MAX_CHANGES_SHOWN ? [`      … and ${c.length - MAX_CHANGES_SHOWN} more`] : []),
    ]),
  ];
}
