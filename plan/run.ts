/**
 * The offline plan's command line: `npm run plan -- <stack|all> [--out <dir>] [--diff <git-ref>]`.
 * Needs neither the Pulumi CLI nor cloud credentials nor Docker (see `plan/plan.ts`).
 */
import * as path from "node:path";
import { checkStack, parseArgs, USAGE, UsageError } from "./args";
import { diffAgainst } from "./diff";
import { writeFailure, writePlan } from "./folder";
import { formatGrandTotal, formatPlan } from "./format";
import { planStack, type StackPlan } from "./plan";
import { ROOT, stackNames } from "./stackConfig";

const print = (lines: readonly string[]) => process.stdout.write(`${lines.join("\n")}\n`);
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const shown = (dir: string) => path.relative(process.cwd(), dir) || ".";

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  const all = args.target === "all";
  const known = stackNames();
  if (known.length === 0) throw new UsageError(`no Pulumi.<stack>.yaml in ${ROOT}`);
  checkStack(args.target, known);
  const stacks = all ? known : [args.target];
  const outDir = (stack: string) =>
    all
      ? path.resolve(args.out ?? "plan-out", stack)
      : path.resolve(args.out ?? path.join("plan-out", stack));

  let failed = false;
  const planned: StackPlan[] = [];
  for (const stack of stacks) {
    const dir = outDir(stack);
    try {
      const plan = await planStack(stack);
      planned.push(plan);
      const written = writePlan(plan, dir);
      if (args.diff === undefined) {
        print([...formatPlan(plan), "", `Wrote ${written} files to ${shown(dir)}`, ""]);
      }
    } catch (e) {
      failed = true;
      process.stderr.write(`plan for stack \`${stack}\` failed:\n${message(e)}\n`);
      try {
        writeFailure(stack, message(e), dir);
      } catch {
        // The folder is not ours (see writePlan); the error above says enough.
      }
    }
  }
  if (all && args.diff === undefined && !failed) print([formatGrandTotal(planned)]);
  if (args.diff !== undefined) {
    const diff = diffAgainst(args.diff, args.target, stacks, outDir);
    print(diff.lines);
    failed = failed || diff.failed;
  }
  return failed ? 1 : 0;
}

process.on("unhandledRejection", (e) => {
  process.stderr.write(`${message(e)}\n`);
  process.exit(1);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${message(e)}\n${e instanceof UsageError ? `\n${USAGE}` : ""}`);
    process.exitCode = e instanceof UsageError ? 2 : 1;
  },
);
