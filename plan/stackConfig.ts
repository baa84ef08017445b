/**
 * A stack's config as the Pulumi CLI hands it to the program: the defaults `Pulumi.yaml` declares,
 * overridden by the values of `Pulumi.<stack>.yaml`. The one merge that the plan, the mocked program
 * runner (`runner.ts`) and the tests use.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import type { SettingsInput } from "../settings/settings";
import { deepFreeze } from "./freeze";
import { isObject } from "./values";

/** Parsed YAML files by their text, deep-frozen: the test suites read the same few files many times. */
const parsedYaml = new Map<string, unknown>();

/** A YAML file's content (deep-frozen), or undefined when there is no such file. */
function readYaml(file: string): unknown {
  if (!fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, "utf8");
  if (!parsedYaml.has(text)) parsedYaml.set(text, deepFreeze(parse(text) as unknown));
  return parsedYaml.get(text);
}

/** The repository root: the nearest folder upwards holding `Pulumi.yaml` (from `plan/` or `bin/plan/`). */
export const ROOT = ((): string => {
  const start = path.resolve(__dirname, "..");
  let dir = start;
  while (!fs.existsSync(path.join(dir, "Pulumi.yaml"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no Pulumi.yaml above ${start}`);
    dir = parent;
  }
  return dir;
})();

/** The project's name (`name:` in `Pulumi.yaml`): the namespace of its config keys. */
export const PROJECT = String(
  (readYaml(path.join(ROOT, "Pulumi.yaml")) as { name?: unknown } | undefined)?.name,
);

/** The `config:` section of a YAML file; empty when the file or the section is missing. */
function configSection(file: string): Readonly<Record<string, unknown>> {
  const doc = readYaml(file);
  return isObject(doc) && isObject(doc.config) ? doc.config : {};
}

/** A config key as the engine knows it: `<namespace>:<key>`, the project's when none is given. */
const qualified = (key: string) => (key.includes(":") ? key : `${PROJECT}:${key}`);

/** Whether `root` has a stack file for `stack`. */
export function hasStackFile(stack: string, root = ROOT): boolean {
  return fs.existsSync(path.join(root, `Pulumi.${stack}.yaml`));
}

/** Stacks with a committed `Pulumi.<stack>.yaml` in `root`, sorted (`Pulumi.<stack>.deploy.yaml` is not one). */
export function stackNames(root = ROOT): string[] {
  return fs
    .readdirSync(root)
    .flatMap((f) => /^Pulumi\.([A-Za-z0-9_-]+)\.yaml$/.exec(f)?.[1] ?? [])
    .sort();
}

/**
 * The config of `stack` in `root` as the CLI merges it, keyed as the engine receives it
 * (`<namespace>:<key>`): the defaults declared in `Pulumi.yaml`, then `Pulumi.<stack>.yaml`. Values
 * are as the YAML holds them (deep-frozen); encrypted ones stay `{ secure: "…" }`.
 */
export function stackConfig(stack: string, root = ROOT): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(configSection(path.join(root, "Pulumi.yaml")))) {
    if (isObject(spec) && spec.default !== undefined) config[qualified(key)] = spec.default;
  }
  for (const [key, value] of Object.entries(configSection(path.join(root, `Pulumi.${stack}.yaml`))))
    config[qualified(key)] = value;
  return config;
}

/** The project's keys of `stackConfig(stack, root)`, without the `<project>:` prefix (`aws:…` left out). */
export function projectConfig(stack: string, root = ROOT): Record<string, unknown> {
  const prefix = `${PROJECT}:`;
  return Object.fromEntries(
    Object.entries(stackConfig(stack, root))
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, value]) => [key.slice(prefix.length), value]),
  );
}

const encode = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/**
 * What the engine hands the program for `stack` (`pulumi.runtime.setAllConfig`): every value of
 * `stackConfig` as a string (objects as JSON), then `overrides` (project keys without the prefix;
 * `undefined` removes the key).
 */
export function engineConfig(
  stack: string,
  overrides: Readonly<Record<string, unknown>> = {},
): Record<string, string> {
  const config = Object.fromEntries(
    Object.entries(stackConfig(stack)).map(([key, value]) => [key, encode(value)]),
  );
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete config[`${PROJECT}:${key}`];
    else config[`${PROJECT}:${key}`] = encode(value);
  }
  return config;
}

/**
 * Input for the pure `parseSettings`: the project's keys of `engineConfig(stack, overrides)`, plus
 * `secrets` (stored as secrets) — what the program reads through `pulumi.Config` for that stack.
 */
export function stackSettingsInput(
  stack: string,
  overrides: Readonly<Record<string, unknown>>,
  secrets: Readonly<Record<string, string>>,
): SettingsInput {
  const prefix = `${PROJECT}:`;
  const values = Object.fromEntries(
    Object.entries(engineConfig(stack, overrides))
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, value]) => [key.slice(prefix.length), value]),
  );
  Object.assign(values, secrets);
  return {
    project: PROJECT,
    stack,
    values,
    isSecret: (k) => (k in secrets ? true : undefined),
    secret: (k) => pulumi.secret(values[k]),
  };
}
