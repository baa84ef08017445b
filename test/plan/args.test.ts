/** The plan's command line (`plan/args.ts`): what each invocation asks for, and the bad ones. */
import assert from "node:assert/strict";
import { checkStack, parseArgs, UsageError } from "../../plan/args";

describe("plan command line (plan/args.ts)", () => {
  it("GIVEN a stack, --out and --diff in any order THEN each is read", () => {
    assert.deepEqual(parseArgs(["dev"]), { target: "dev", out: undefined, diff: undefined });
    assert.deepEqual(parseArgs(["--diff", "main", "all", "--out", "/tmp/x"]), {
      target: "all",
      out: "/tmp/x",
      diff: "main",
    });
    assert.equal(parseArgs(["dev", "-h"]), "help");
    assert.equal(parseArgs(["--help"]), "help");
  });

  it("GIVEN a bad invocation THEN a UsageError says what is wrong", () => {
    const fails = (argv: string[], message: RegExp) =>
      assert.throws(
        () => parseArgs(argv),
        (e: unknown) => e instanceof UsageError && message.test(e.message),
      );
    fails([], /^name a stack, or `all`$/);
    fails(["dev", "prod"], /^one stack \(or `all`\) only, got `dev` and `prod`$/);
    fails(["dev", "--out"], /^--out needs a value$/);
    fails(["dev", "--diff", "--out", "x"], /^--diff needs a value$/);
    fails(["dev", "--verbose"], /^unknown option --verbose$/);
  });

  it("GIVEN a stack with no Pulumi.<stack>.yaml THEN it is refused with the known stacks and the closest", () => {
    const known = ["dev", "prod", "staging"];
    assert.doesNotThrow(() => checkStack("prod", known));
    assert.doesNotThrow(() => checkStack("all", known));
    const refused = (target: string, message: string) =>
      assert.throws(
        () => checkStack(target, known),
        (e: unknown) => e instanceof UsageError && e.message === message,
      );
    const list = "known stacks: dev, prod, staging (one Pulumi.<stack>.yaml each)";
    refused("prd", `unknown stack \`prd\`; ${list} — did you mean \`prod\`?`);
    refused("Dev", `unknown stack \`Dev\`; ${list} — did you mean \`dev\`?`);
    refused("qa", `unknown stack \`qa\`; ${list}`);
  });
});
