/**
 * `npm run healthcheck -- <stack> | --prometheus <url> …`: probes every component of a deployed
 * monitoring stack, prints a table and exits 0 (all OK), 1 (a probe failed) or 2 (bad invocation).
 */
import { spawnSync } from "node:child_process";
import { parseArgs, USAGE, UsageError } from "./args";
import type { StackComponent } from "./components";
import {
  outputsFromPulumi,
  portForwardAdvice,
  type PortForward,
  type PulumiResult,
  targetsFromOutputs,
} from "./outputs";
import { exitCode, renderTable } from "./table";
import { planChecks } from "./verdicts";
import { type RunningForward, type StartPortForwards, startPortForwards } from "./portForward";
import { type HttpGet, httpGet, runChecks } from "./probe";

/** Everything `main` does to the outside world, so tests can replace it. */
export interface Deps {
  readonly get: HttpGet;
  readonly stackOutputs: (stack: string) => PulumiResult;
  readonly startPortForwards: StartPortForwards;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** How long a port-forward may take to open its local port. */
const PORT_FORWARD_TIMEOUT_MS = 30_000;

/** Runs `pulumi stack output --json --stack <stack>` (no secrets are shown). */
export function pulumiStackOutputs(stack: string): PulumiResult {
  const result = spawnSync(
    "pulumi",
    ["stack", "output", "--json", "--non-interactive", "--stack", stack],
    {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    },
  );
  return {
    status: result.status,
    stdout: result.stdout ?? "",
    stderr: result.stderr ?? "",
    error: result.error,
  };
}

export const DEFAULT_DEPS: Deps = {
  get: httpGet,
  stackOutputs: pulumiStackOutputs,
  startPortForwards,
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

/** The whole command; resolves with the exit code. */
export async function main(argv: readonly string[], deps: Deps = DEFAULT_DEPS): Promise<number> {
  const forwards: RunningForward[] = [];
  try {
    const options = parseArgs(argv);
    if (options.help) {
      deps.stdout(`${USAGE}\n`);
      return 0;
    }
    let urls = options.urls;
    if (options.stack !== undefined) {
      const outputs = outputsFromPulumi(options.stack, deps.stackOutputs(options.stack));
      const targets = targetsFromOutputs(options.stack, outputs, options.urls);
      const pending = Object.entries(targets.portForwards) as [StackComponent, PortForward][];
      if (pending.length > 0 && !options.portForward)
        throw new UsageError(portForwardAdvice(options.stack, targets));
      if (pending.length > 0) {
        deps.stderr(pending.map(([, f]) => `running: ${f.command}\n`).join(""));
        forwards.push(
          ...(await deps.startPortForwards(
            pending.map(([, f]) => f),
            PORT_FORWARD_TIMEOUT_MS,
          )),
        );
      }
      urls = { ...targets.urls, ...Object.fromEntries(pending.map(([c, f]) => [c, f.url])) };
    }
    const results = await runChecks(planChecks(urls), {
      get: deps.get,
      timeoutMs: options.timeoutMs,
      waitMs: options.waitMs,
      onRetry: (failing, remainingMs) =>
        deps.stderr(
          `waiting (${Math.ceil(remainingMs / 1000)} s left) for ${failing.map((f) => `${f.name} (${f.detail})`).join(", ")}\n`,
        ),
    });
    deps.stdout(
      `Health check of ${options.stack === undefined ? "the given URLs" : `stack ${options.stack}`}\n\n${renderTable(results)}`,
    );
    return exitCode(results);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    deps.stderr(`healthcheck: ${error.message}\n`);
    return 2;
  } finally {
    await Promise.all(forwards.map((f) => f.stop()));
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `healthcheck: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 2;
    },
  );
}
