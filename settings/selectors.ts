/**
 * PromQL checked as what the field needs, beyond the grammar: label matchers that make one vector
 * selector, not any PromQL that happens to parse once placed between braces (`job="a"} or
 * vector(1) or up{a="b"` parses as a union), and rule expressions that return what a rule can use.
 */
import { promqlParser } from "./promql";

/**
 * Why `metric{matchers}` is not exactly one vector selector over `metric`, or `undefined` when it
 * is. Beyond the grammar, Prometheus refuses a `__name__` matcher next to a metric name ("metric
 * name must not be set twice", https://prometheus.io/docs/prometheus/latest/querying/basics/#time-series-selectors).
 */
export function vectorSelectorProblem(metric: string, matchers: string): string | undefined {
  const text = `${metric}{${matchers}}`;
  const tree = promqlParser().parse(text);
  let problem: string | undefined;
  tree.iterate({
    enter: (node) => {
      if (problem !== undefined) return false;
      if (node.type.isError) problem = `\`${text}\` does not parse`;
      else if (node.name === "PromQL") {
        const root = node.node.firstChild;
        if (root?.name !== "VectorSelector" || root.from !== 0 || root.to !== text.length)
          problem = `\`${text}\` is not one vector selector (it parses as ${root?.name ?? "nothing"})`;
      } else if (
        (node.name === "LabelName" || node.name === "QuotedLabelName") &&
        text.slice(node.from, node.to).replace(/"/g, "") === "__name__"
      )
        problem = `the metric name is \`${metric}\`: a \`__name__\` matcher would set it twice`;
      return undefined;
    },
  });
  return problem;
}

/** Nodes whose type is the type of the expression inside them. */
const SAME_TYPE_AS_CHILD = new Set(["ParenExpr", "OffsetExpr", "StepInvariantExpr"]);
const NOT_INSTANT: Readonly<Record<string, string>> = {
  MatrixSelector: "a range vector",
  SubqueryExpr: "a range vector",
  StringLiteral: "a string",
};

/**
 * Why a rule's `expr` would fail every evaluation, or `undefined`. Prometheus evaluates rules as
 * instant queries and refuses any result but an instant vector or a scalar ("rule result is not a
 * vector or scalar", `EngineQueryFunc` in https://github.com/prometheus/prometheus/blob/main/rules/manager.go),
 * while promtool accepts the file.
 */
export function ruleExpressionProblem(expr: string): string | undefined {
  let node = promqlParser().parse(expr).topNode.firstChild;
  while (node !== null && SAME_TYPE_AS_CHILD.has(node.name)) node = node.firstChild;
  const type = node === null ? undefined : NOT_INSTANT[node.name];
  return type === undefined
    ? undefined
    : `returns ${type}, and a rule needs an instant vector or a scalar${type === "a range vector" ? " (wrap the range in a function such as `rate(…)` or `max_over_time(…)`)" : ""}`;
}
