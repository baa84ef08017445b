/** The offline plan's command line: its usage text and its arguments, parsed. */
import { suggestion } from "../settings/messages";

export const USAGE = `Usage: npm run plan -- <stack|all> [--out <dir>] [--diff <git-ref>]

  <stack>           a stack of this project (its Pulumi.<stack>.yaml is used), or \`all\` for every
                    stack with a Pulumi.<stack>.yaml
  --out <dir>       where the plan is written (default plan-out/<stack>; with \`all\` one folder per
                    stack under <dir>, default plan-out)
  --diff <git-ref>  also plan the program as it is at <git-ref> and print what changes: resources
                    added, removed and changed, a unified diff per rendered file, the cost

Runs the program under mocks with placeholder secrets: no Pulumi CLI, cloud credentials or Docker.
Exits 1 when the program throws for a stack.
`;

/** A bad invocation: printed with the usage text, exit code 2. */
export class UsageError extends Error {}

/** What the command line asks for. */
export interface Args {
  readonly target: string;
  readonly out?: string;
  readonly diff?: string;
}

/** Parses the arguments after `npm run plan --`; `"help"` for `-h` / `--help`. */
export function parseArgs(argv: readonly string[]): Args | "help" {
  let target: string | undefined;
  let out: string | undefined;
  let diff: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "-h" || arg === "--help") return "help";
    if (arg === "--out" || arg === "--diff") {
      const value = argv[++i];
      if (value === undefined || value.startsWith("--"))
        throw new UsageError(`${arg} needs a value`);
      if (arg === "--out") out = value;
      else diff = value;
    } else if (arg.startsWith("-")) {
      throw new UsageError(`unknown option ${arg}`);
    } else if (target === undefined) {
      target = arg;
    } else {
      throw new UsageError(`one stack (or \`all\`) only, got \`${target}\` and \`${arg}\``);
    }
  }
  if (target === undefined) throw new UsageError("name a stack, or `all`");
  return { target, out, diff };
}

/**
 * Refuses a stack that has no Pulumi.<stack>.yaml (`known`), before anything is planned or
 * written: a typo (`prd`, `Dev`, `qa`) gets the known stacks and the closest one.
 */
export function checkStack(target: string, known: readonly string[]): void {
  if (target === "all" || known.includes(target)) return;
  const closest = suggestion(target, known);
  throw new UsageError(
    `unknown stack \`${target}\`; known stacks: ${known.join(", ")} (one Pulumi.<stack>.yaml each)` +
      (closest === undefined ? "" : ` — did you mean \`${closest}\`?`),
  );
}
