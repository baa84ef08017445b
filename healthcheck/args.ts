/** The health check's command line: its usage text, its arguments parsed, and the usage error (exit 2). */
import {
  COMPONENTS,
  type Component,
  STACK_OUTPUTS,
  type StackComponent,
  URL_FLAGS,
} from "./components";

/** A problem with the invocation or the stack's outputs (exit code 2, nothing was probed). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export const USAGE = `Post-deploy health check of the monitoring stack.

Usage:
  npm run healthcheck -- <stack> [options]
      reads the URLs from \`pulumi stack output --json --stack <stack>\`
  npm run healthcheck -- --prometheus <url> --alertmanager <url> --grafana <url> --loki <url> [options]

Options:
  --prometheus, --alertmanager, --grafana, --loki <url>
                        use this URL (overrides the stack output of that component)
  --node-exporter <url> also probe node-exporter's /metrics (no stack exports it)
  --port-forward        when outputs are \`kubectl port-forward\` commands (prod without an ingress),
                        run them for the duration of the check (needs kubectl and a kubeconfig)
  --timeout <seconds>   per-probe timeout (default 10)
  --wait <seconds>      retry failing probes until they pass or this time is up (default 0: one round)
  -h, --help            this text

Exit code: 0 every probe passed, 1 a probe failed, 2 bad invocation or unusable stack outputs.`;

/** What the command line asks for. */
export interface CliOptions {
  /** Stack whose outputs give the URLs; absent when every URL is given directly. */
  readonly stack?: string;
  /** URLs given on the command line, by component. */
  readonly urls: Readonly<Partial<Record<Component, string>>>;
  /** Run the outputs' `kubectl port-forward` commands. @default false */
  readonly portForward: boolean;
  /** Per-probe timeout. @default 10_000 */
  readonly timeoutMs: number;
  /** How long to keep retrying failing probes. @default 0 */
  readonly waitMs: number;
  /** Print the usage and exit 0. @default false */
  readonly help: boolean;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

function parseUrl(flag: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`\`${flag}\` needs an http(s) URL, got "${value}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new UsageError(`\`${flag}\` needs an http(s) URL, got "${value}"`);
  return value.replace(/\/+$/, "");
}

function parseSeconds(flag: string, value: string): number {
  const seconds = Number(value);
  if (value.trim() === "" || !Number.isFinite(seconds) || seconds < 0)
    throw new UsageError(`\`${flag}\` needs a number of seconds (0 or more), got "${value}"`);
  return Math.round(seconds * 1000);
}

/** Parses the arguments after `npm run healthcheck --`. Throws `UsageError` with a precise message. */
export function parseArgs(argv: readonly string[]): CliOptions {
  const urls: Partial<Record<Component, string>> = {};
  const positional: string[] = [];
  let portForward = false;
  let help = false;
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  let waitMs = 0;
  const byFlag = new Map(COMPONENTS.map((c) => [URL_FLAGS[c], c]));

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("-")) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--"))
        throw new UsageError(`\`${flag}\` needs a value`);
      i++;
      return next;
    };
    const component = byFlag.get(flag);
    if (component !== undefined) urls[component] = parseUrl(flag, value());
    else if (flag === "--timeout") timeoutMs = parseSeconds(flag, value());
    else if (flag === "--wait") waitMs = parseSeconds(flag, value());
    else if (flag === "--port-forward") portForward = true;
    else if (flag === "--help" || flag === "-h") help = true;
    else throw new UsageError(`unknown option \`${flag}\` (see --help)`);
  }

  if (positional.length > 1)
    throw new UsageError(
      `give one stack, got ${positional.map((p) => `"${p}"`).join(", ")} (see --help)`,
    );
  if (timeoutMs === 0) throw new UsageError("`--timeout` must be more than 0 seconds");
  const stack = positional[0];
  if (stack === undefined && !help) {
    const missing = (Object.keys(STACK_OUTPUTS) as StackComponent[]).filter(
      (c) => urls[c] === undefined,
    );
    if (missing.length > 0)
      throw new UsageError(
        `without a stack, give every URL: missing ${missing.map((c) => `\`${URL_FLAGS[c]}\``).join(", ")} (see --help)`,
      );
  }
  return { stack, urls, portForward, timeoutMs, waitMs, help };
}
