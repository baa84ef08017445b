/**
 * Physical names checked as the cloud will see them: every name the stack's environment sets or
 * auto-names (catalog/resourceNames.ts) against its service's limits (catalog/nameLimits.ts), for
 * the `clusterName` the user set or the default derived from the project and stack names.
 */
import type { Environment } from "../catalog/environments";
import {
  NAME_LIMITS,
  type NameLimit,
  nameViolations,
  type NameViolation,
} from "../catalog/nameLimits";
import { type NameShape, type PhysicalName, physicalNames } from "../catalog/resourceNames";
import { eksClusterMode } from "./checks";
import { DEFAULTS } from "./defaults";
import { CONFIG_KEYS, type ConfigKey, type RawValues } from "./schema";
import type { SettingsInput } from "./settings";

/** The `clusterName` of a stack that does not set one: `<project>-<stack>`, lower-cased. */
export function defaultClusterName(project: string, stack: string): string {
  return `${project}-${stack}`.toLowerCase();
}

/** The longest `clusterName` the schema allows (a DNS label). */
const CLUSTER_NAME_MAX = 63;

/** Which named resources a stack of `environment` with `values` creates, for `prefix`. */
export function nameShape(environment: Environment, prefix: string, values: RawValues): NameShape {
  const secretKeys = (Object.keys(CONFIG_KEYS) as ConfigKey[]).filter(
    (k) => CONFIG_KEYS[k].secret && k !== "kubeconfig" && values[k] !== undefined,
  );
  const createCluster = eksClusterMode(values) === "create";
  return {
    environment,
    prefix,
    secretKeys,
    adminListeners: (values.adminCidrs ?? []).length > 0,
    createCluster,
    remoteWrite: createCluster && (values.remoteWrite ?? DEFAULTS.remoteWrite),
    lokiBucket: createCluster && (values.lokiMode ?? DEFAULTS.lokiMode) === "simpleScalable",
  };
}

/**
 * The longest `clusterName` for which every name of `shape` that contains it stays within its
 * length limit (every such name contains the prefix once).
 */
export function maxClusterNameLength(shape: NameShape): number {
  const real = physicalNames(shape);
  const bare = physicalNames({ ...shape, prefix: "" });
  let max = CLUSTER_NAME_MAX;
  bare.forEach((name, i) => {
    if (name.name === real[i]?.name) return; // does not contain the prefix
    max = Math.min(max, NAME_LIMITS[name.kind].maxLength - name.name.length);
  });
  return max;
}

/** One broken limit: the name that breaks it worst and why. */
interface Finding {
  readonly name: PhysicalName;
  readonly violation: NameViolation;
}

function groupKey(f: Finding): string {
  const v = f.violation;
  return `${f.name.kind}:${v.rule}:${v.rule === "reservedPrefix" ? v.prefix : ""}`;
}

function describe(f: Finding): string {
  const limit: NameLimit = NAME_LIMITS[f.name.kind];
  const shown = `the ${limit.label} ${JSON.stringify(f.name.name)}`;
  const v = f.violation;
  switch (v.rule) {
    case "length": {
      const auto = f.name.logical === undefined ? "" : " (Pulumi adds `-` and 7 random characters)";
      return v.length > v.max
        ? `${shown} ${v.length} characters long${auto}; ${limit.service} allows ${v.max} (${limit.doc})`
        : `${shown} ${v.length} characters long; ${limit.service} needs at least ${v.min} (${limit.doc})`;
    }
    case "characters":
      return `${shown} invalid: ${limit.service} allows ${limit.allowed} (${limit.doc})`;
    case "reservedPrefix":
      return `${shown} start with \`${v.prefix}\`, which ${limit.service} reserves (${limit.doc})`;
    default: {
      const unknown: never = v;
      return String(unknown);
    }
  }
}

function fix(v: NameViolation, max: number): string {
  switch (v.rule) {
    case "length":
      return `Set \`clusterName\` to at most ${max} characters.`;
    case "characters":
      return `Set \`clusterName\` to a DNS label (lower-case letters, digits and \`-\`) of at most ${max} characters.`;
    case "reservedPrefix":
      return `Set a \`clusterName\` that does not start with \`${v.prefix}\`.`;
    default: {
      const unknown: never = v;
      return String(unknown);
    }
  }
}

/**
 * One problem per broken limit (the worst name for each), when the stack's `clusterName` — set, or
 * derived from the project and stack names — makes a physical name its service refuses. Nothing
 * when `clusterName` is set but invalid: the schema has reported that already.
 */
export function nameProblems(
  input: Pick<SettingsInput, "project" | "stack" | "values">,
  values: RawValues,
  environment: Environment,
): string[] {
  if ("clusterName" in input.values && values.clusterName === undefined) return [];
  const isDefault = values.clusterName === undefined;
  const prefix = values.clusterName ?? defaultClusterName(input.project, input.stack);
  const shape = nameShape(environment, prefix, values);
  const worst = new Map<string, Finding>();
  for (const name of physicalNames(shape)) {
    for (const violation of nameViolations(name.kind, name.name)) {
      const finding = { name, violation };
      const key = groupKey(finding);
      const seen = worst.get(key);
      if (seen === undefined || name.name.length > seen.name.name.length) worst.set(key, finding);
    }
  }
  if (worst.size === 0) return [];
  const max = maxClusterNameLength(shape);
  const subject = isDefault
    ? `\`clusterName\` (default ${JSON.stringify(prefix)}, from the project and stack names) makes`
    : `\`clusterName\`: got ${JSON.stringify(prefix)} — it makes`;
  const how = isDefault ? " (`pulumi config set clusterName <name>`)" : "";
  return [...worst.values()].map(
    (f) => `${subject} ${describe(f)}. ${fix(f.violation, max).replace(/\.$/, how + ".")}`,
  );
}
