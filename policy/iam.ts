/** Policy 8: no wildcard in IAM policy documents (the program's own checker, `policyProblems`). */
import { type PolicyDocument, policyProblems } from "../components/aws/policyDocuments";
import { define } from "./define";
import { T } from "./types";
import { at, isObject, type JsonObject, list } from "./values";

/** The IAM documents of a resource: its `policy`, or a role's inline policies. */
function iamDocuments(type: string, props: JsonObject): { where: string; raw: unknown }[] {
  if (type === T.role) {
    return list(props.inlinePolicies).map((p, i) => ({
      where: `inlinePolicies[${i}]`,
      raw: at(p, ["policy"]),
    }));
  }
  return [{ where: "policy", raw: props.policy }];
}

export const iamNoWildcards = define({
  name: "iam-no-wildcards",
  description:
    "IAM policy documents (role, user and group inline policies, managed policies) have no `*` action or resource, no NotAction/NotResource in an Allow and no Allow to every principal (`policyProblems`).",
  enforcementLevel: "mandatory",
  resourceTypes: [T.rolePolicy, T.iamPolicy, T.userPolicy, T.groupPolicy, T.role],
  check: (props, args, report) => {
    for (const { where, raw } of iamDocuments(args.type, props)) {
      if (raw === undefined || raw === null || raw === "") continue;
      let doc: unknown = raw;
      if (typeof raw === "string") {
        try {
          doc = JSON.parse(raw);
        } catch (e) {
          report(`${where} is not valid JSON: ${(e as Error).message}`);
          continue;
        }
      }
      if (!isObject(doc)) {
        report(`${where} is not a policy document object.`);
        continue;
      }
      for (const problem of policyProblems(doc as unknown as PolicyDocument)) {
        report(`${where}: ${problem}.`);
      }
    }
  },
});
