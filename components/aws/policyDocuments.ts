/**
 * IAM policy documents as plain data, shared by every part that creates IAM roles (staging, prod)
 * and by the policy pack: the types, the one service trust policy, and a checker that refuses
 * wildcards. Pure: no Pulumi imports, so the policy pack loads no AWS SDK through it.
 */
export type OneOrMore = string | readonly string[];

/** One statement of an IAM policy document (identity, trust or resource policy). */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: "*" | Readonly<Record<string, OneOrMore>>;
  readonly Action?: OneOrMore;
  readonly NotAction?: OneOrMore;
  readonly Resource?: OneOrMore;
  readonly NotResource?: OneOrMore;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, OneOrMore>>>>;
}

/** An IAM policy document as a plain object; serialize it with `JSON.stringify`. */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

/** A policy document of `statements` in the current policy language version. */
export function policyDocument(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/** `doc` as JSON for an IAM resource, or throws naming `what` when `policyProblems` finds any. */
export function checkedPolicyJson(what: string, doc: PolicyDocument): string {
  const problems = policyProblems(doc);
  if (problems.length > 0) throw new Error(`${what}: ${problems.join("; ")}`);
  return JSON.stringify(doc);
}

/**
 * Trust policy: only `service` (e.g. `ecs-tasks.amazonaws.com`) may assume the role; with
 * `sourceAccount`, only on behalf of that account (confused-deputy guard).
 */
export function serviceAssumeRolePolicy(service: string, sourceAccount?: string): PolicyDocument {
  return policyDocument({
    Sid: "ServiceAssumeRole",
    Effect: "Allow",
    Principal: { Service: service },
    Action: "sts:AssumeRole",
    ...(sourceAccount === undefined
      ? {}
      : { Condition: { StringEquals: { "aws:SourceAccount": sourceAccount } } }),
  });
}

const list = (v: OneOrMore | undefined): readonly string[] =>
  v === undefined ? [] : typeof v === "string" ? [v] : v;

/**
 * Problems of a policy document: wildcard actions (`*`, `s3:*`, `s3:Get*`), `Resource: "*"`,
 * `NotAction`/`NotResource` in an Allow, and Allows to every principal. Empty when the document is fine.
 */
export function policyProblems(doc: PolicyDocument): string[] {
  const problems: string[] = [];
  if ((doc.Version as string) !== "2012-10-17") {
    problems.push(`Version must be "2012-10-17" (got ${JSON.stringify(doc.Version)})`);
  }
  // Documents parsed from JSON may hold a single statement object instead of a list.
  const raw: unknown = doc.Statement;
  const statements: readonly PolicyStatement[] = Array.isArray(raw)
    ? (raw as PolicyStatement[])
    : raw !== null && typeof raw === "object"
      ? [raw as PolicyStatement]
      : [];
  if (statements.length === 0) problems.push("Statement must be a non-empty list");
  statements.forEach((s, i) => {
    const where = `Statement[${i}]${s.Sid === undefined ? "" : ` (${s.Sid})`}`;
    const actions = list(s.Action);
    if (actions.length === 0 && s.NotAction === undefined) problems.push(`${where} has no Action`);
    for (const action of actions) {
      if (action.includes("*")) problems.push(`${where}: wildcard action "${action}"`);
    }
    if (list(s.Resource).includes("*")) problems.push(`${where}: Resource "*"`);
    if (s.Effect === "Allow") {
      if (s.NotAction !== undefined) problems.push(`${where}: NotAction in an Allow`);
      if (s.NotResource !== undefined) problems.push(`${where}: NotResource in an Allow`);
      const principal = s.Principal;
      const everyone =
        principal === "*" ||
        (principal !== undefined &&
          Object.values<OneOrMore>(principal).some((p) => list(p).includes("*")));
      if (everyone) problems.push(`${where}: Allow to every principal ("*")`);
    }
  });
  return problems;
}
