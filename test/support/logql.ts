/** Parses LogQL with Grafana's Lezer grammar (a dev dependency) so the dashboard tests catch syntax errors without Loki. */
import type * as LezerLogql from "@grafana/lezer-logql" with { "resolution-mode": "import" };

// The package ships CommonJS for `require` but ESM-only typings, so import the types and require the code.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require("@grafana/lezer-logql") as typeof LezerLogql;

/**
 * Returns a list of "offset: snippet" for every syntax error in `expr`; empty when it parses.
 * Grafana variables and macros (`$container`, `$__auto`) are not LogQL: substitute them first.
 */
export function logqlErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) {
        errors.push(
          `${node.from}: ${JSON.stringify(expr.slice(Math.max(0, node.from - 10), node.to + 10))}`,
        );
      }
    },
  });
  return errors;
}
