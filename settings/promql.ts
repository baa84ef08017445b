/** Parses PromQL with the upstream Lezer grammar so settings and tests catch syntax errors without binaries. */
import type * as LezerPromql from "@prometheus-io/lezer-promql" with {
  "resolution-mode": "import",
};

let parser: typeof LezerPromql.parser | undefined;

/**
 * The grammar, loaded on first use: only config with PromQL of its own (SLOs, user rules) needs it,
 * so a stack without any does not pay for loading it.
 */
export function promqlParser(): typeof LezerPromql.parser {
  // The package ships CommonJS for `require` but ESM-only typings, so import the types and require the code.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  parser ??= (require("@prometheus-io/lezer-promql") as typeof LezerPromql).parser;
  return parser;
}

/** Returns a list of "offset: snippet" for every syntax error in `expr`; empty when it parses. */
export function promqlErrors(expr: string): string[] {
  const errors: string[] = [];
  promqlParser()
    .parse(expr)
    .iterate({
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
