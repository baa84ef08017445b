/** Reading chart values in the Helm values tests: the value at a key path. */

/** The value at `keys` (keys may contain dots, e.g. `grafana.ini`); undefined when absent. */
export function at(values: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>(
    (node, key) =>
      node !== null && typeof node === "object" && !Array.isArray(node)
        ? (node as Record<string, unknown>)[key]
        : undefined,
    values,
  );
}
