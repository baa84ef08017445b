/**
 * The post-deploy health check's pure part: command-line parsing, reading the stack outputs, the
 * probes' verdicts and the result table. No I/O here, so all of it is unit-tested without servers.
 */
import { READY_PATHS } from "../catalog/names";

/** The components the health check can reach, in print order. */
export const COMPONENTS = [
  "prometheus",
  "alertmanager",
  "grafana",
  "loki",
  "nodeExporter",
] as const;
export type Component = (typeof COMPONENTS)[number];

/** Components every stack exports a URL for (`components/contract.ts`); node-exporter has none. */
export type StackComponent = Exclude<Component, "nodeExporter">;

/** The stack output that holds each component's URL. */
export const STACK_OUTPUTS: Readonly<Record<StackComponent, string>> = {
  prometheus: "prometheusUrl",
  alertmanager: "alertmanagerUrl",
  grafana: "grafanaUrl",
  loki: "lokiUrl",
};

/** Command-line flag of each component's URL. */
export const URL_FLAGS: Readonly<Record<Component, string>> = {
  prometheus: "--prometheus",
  alertmanager: "--alertmanager",
  grafana: "--grafana",
  loki: "--loki",
  nodeExporter: "--node-exporter",
};

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

// ---------------------------------------------------------------------------------------------
// Stack outputs.
// ---------------------------------------------------------------------------------------------

/** A `kubectl port-forward` command exported instead of a URL (prod without an ingress). */
export interface PortForward {
  /** The command exactly as exported. */
  readonly command: string;
  /** Arguments after `kubectl`. */
  readonly args: readonly string[];
  /** Local port the command listens on. */
  readonly localPort: number;
  /** URL of the component once the command runs. */
  readonly url: string;
}

/** Recognises `kubectl [-n ns] port-forward <resource> <local>:<remote>`; undefined otherwise. */
export function parsePortForward(text: string): PortForward | undefined {
  const tokens = text.trim().split(/\s+/);
  if (tokens[0] !== "kubectl" || !tokens.includes("port-forward")) return undefined;
  // The exported commands are generated by this program; anything shell-like is not one of them.
  if (tokens.some((t) => /[;&|`$<>(){}'"\\]/.test(t))) return undefined;
  const ports = tokens.slice(tokens.indexOf("port-forward") + 1).find((t) => /^\d+:\d+$/.test(t));
  if (ports === undefined) return undefined;
  const localPort = Number(ports.split(":")[0]);
  if (localPort < 1 || localPort > 65535) return undefined;
  return {
    command: tokens.join(" "),
    args: tokens.slice(1),
    localPort,
    url: `http://127.0.0.1:${localPort}`,
  };
}

/** What running `pulumi stack output --json --stack <stack>` gave (a `spawnSync` result). */
export interface PulumiResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the process could not start, e.g. `ENOENT` when `pulumi` is not installed. */
  readonly error?: NodeJS.ErrnoException;
}

/** The parsed outputs, or a `UsageError` that says what to do (install, log in, pass URLs). */
export function outputsFromPulumi(stack: string, result: PulumiResult): unknown {
  const command = `pulumi stack output --json --stack ${stack}`;
  const direct = `or pass the URLs directly: npm run healthcheck -- ${(Object.keys(STACK_OUTPUTS) as StackComponent[]).map((c) => `${URL_FLAGS[c]} <url>`).join(" ")}`;
  if (result.error !== undefined)
    throw new UsageError(
      result.error.code === "ENOENT"
        ? `the Pulumi CLI (\`pulumi\`) is not on PATH, so the outputs of \`${stack}\` cannot be read; install it (https://www.pulumi.com/docs/iac/download-install/) and log in, ${direct}`
        : `could not run \`${command}\`: ${result.error.message}`,
    );
  if (result.status !== 0) {
    const stderr = result.stderr.trim();
    const hint = /login|logged in|PULUMI_ACCESS_TOKEN/i.test(stderr)
      ? " Log in first (`pulumi login`, or PULUMI_ACCESS_TOKEN in CI)."
      : /no stack named|not found/i.test(stderr)
        ? ` Check the stack name (\`pulumi stack ls\`; in CI use <org>/<project>/${stack}).`
        : "";
    throw new UsageError(
      `\`${command}\` failed (exit ${String(result.status)}): ${stderr || "no error output"}.${hint} You can also ${direct.replace(/^or /, "")}`,
    );
  }
  try {
    return JSON.parse(result.stdout) as unknown;
  } catch {
    throw new UsageError(
      `\`${command}\` printed no JSON: ${firstLine(result.stdout) || "(nothing)"}`,
    );
  }
}

/** Where each component is reached: URLs, and the port-forwards some of them need first. */
export interface Targets {
  readonly urls: Readonly<Partial<Record<Component, string>>>;
  readonly portForwards: Readonly<Partial<Record<StackComponent, PortForward>>>;
}

/**
 * Combines `pulumi stack output --json` with the URLs given on the command line (which win).
 * Throws `UsageError` naming the output when one is missing or is neither a URL nor a port-forward.
 */
export function targetsFromOutputs(
  stack: string,
  outputs: unknown,
  overrides: Readonly<Partial<Record<Component, string>>>,
): Targets {
  if (typeof outputs !== "object" || outputs === null || Array.isArray(outputs))
    throw new UsageError(`\`pulumi stack output --json --stack ${stack}\` did not print an object`);
  const values = outputs as Record<string, unknown>;
  const urls: Partial<Record<Component, string>> = { ...overrides };
  const portForwards: Partial<Record<StackComponent, PortForward>> = {};
  for (const component of Object.keys(STACK_OUTPUTS) as StackComponent[]) {
    if (overrides[component] !== undefined) continue;
    const key = STACK_OUTPUTS[component];
    const value = values[key];
    if (typeof value !== "string" || value.trim() === "")
      throw new UsageError(
        `stack \`${stack}\` has no output \`${key}\` — deploy it first (\`pulumi up --stack ${stack}\`), or pass \`${URL_FLAGS[component]} <url>\``,
      );
    if (/^https?:\/\//.test(value)) {
      urls[component] = value.replace(/\/+$/, "");
      continue;
    }
    const forward = parsePortForward(value);
    if (forward === undefined)
      throw new UsageError(
        `stack output \`${key}\` of \`${stack}\` is neither a URL nor a \`kubectl port-forward\` command: "${value}"; pass \`${URL_FLAGS[component]} <url>\``,
      );
    portForwards[component] = forward;
  }
  return { urls, portForwards };
}

/** The error for port-forward outputs without `--port-forward`: what to run, or which flag to add. */
export function portForwardAdvice(stack: string, targets: Targets): string {
  const forwards = Object.entries(targets.portForwards) as [StackComponent, PortForward][];
  const flags = forwards.map(([c, f]) => `${URL_FLAGS[c]} ${f.url}`).join(" ");
  return [
    `the outputs of \`${stack}\` for ${forwards.map(([c]) => c).join(", ")} are \`kubectl port-forward\` commands, not URLs (prod without an ingress). Either`,
    "  - run the port-forwards yourself and pass the URLs:",
    ...forwards.map(([, f]) => `      ${f.command} &`),
    `      npm run healthcheck -- ${stack} ${flags}`,
    "  - or add `--port-forward` and the health check starts and stops them itself (needs kubectl and a kubeconfig for the cluster: `aws eks update-kubeconfig --name <eksClusterName>`).",
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Probes and their verdicts.
// ---------------------------------------------------------------------------------------------

/** What a probe received. */
export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

export interface Verdict {
  readonly ok: boolean;
  /** One line for the table. */
  readonly detail: string;
  /** Further lines printed under the table when the check failed (e.g. each down target). */
  readonly more?: readonly string[];
}

/** One row of the table. */
export interface Check {
  /** Row label. */
  readonly name: string;
  readonly component: Component;
  /** The full URL probed. */
  readonly url: string;
  readonly judge: (response: HttpResponse) => Verdict;
}

export interface CheckResult extends Verdict {
  readonly name: string;
  readonly url: string;
  readonly ms: number;
}

/** First line of a body, trimmed to `max` characters. */
export function firstLine(body: string, max = 80): string {
  const line = body.trim().split("\n")[0]?.trim() ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function httpError(response: HttpResponse): Verdict {
  const text = firstLine(response.body);
  return { ok: false, detail: `HTTP ${response.status}${text === "" ? "" : `: ${text}`}` };
}

/** `/-/ready` of Prometheus and Alertmanager: 200 means ready. */
export function judgeReady(response: HttpResponse): Verdict {
  if (response.status !== 200) return httpError(response);
  return { ok: true, detail: firstLine(response.body) || "ready" };
}

/** Grafana `/api/health`: 200 with `"database": "ok"`. */
export function judgeGrafana(response: HttpResponse): Verdict {
  if (response.status !== 200) return httpError(response);
  let health: { database?: unknown; version?: unknown };
  try {
    health = JSON.parse(response.body) as typeof health;
  } catch {
    return { ok: false, detail: `not Grafana's health JSON: ${firstLine(response.body)}` };
  }
  if (health.database !== "ok")
    return { ok: false, detail: `database: ${JSON.stringify(health.database ?? null)}` };
  return {
    ok: true,
    detail: typeof health.version === "string" ? `database ok, v${health.version}` : "database ok",
  };
}

/** Loki `/ready`: 200 with the body `ready` (503 "Ingester not ready: …" while starting). */
export function judgeLoki(response: HttpResponse): Verdict {
  if (response.status !== 200) return httpError(response);
  if (response.body.trim() !== "ready")
    return { ok: false, detail: `unexpected body: ${firstLine(response.body)}` };
  return { ok: true, detail: "ready" };
}

/** node-exporter `/metrics`: must expose `node_exporter_build_info`. */
export function judgeNodeExporter(response: HttpResponse): Verdict {
  if (response.status !== 200) return httpError(response);
  const info = /^node_exporter_build_info\{([^}]*)\}/m.exec(response.body);
  if (info === null) return { ok: false, detail: "no node_exporter_build_info in /metrics" };
  const version = /(?:^|,)version="([^"]*)"/.exec(info[1])?.[1];
  return { ok: true, detail: version === undefined ? "metrics served" : `v${version}` };
}

/** One active target as `/api/v1/targets` reports it. */
export interface ActiveTarget {
  readonly labels?: Readonly<Record<string, string>>;
  readonly scrapePool?: string;
  readonly scrapeUrl?: string;
  readonly health?: string;
  readonly lastError?: string;
}

function targetName(t: ActiveTarget): string {
  const job = t.labels?.job ?? t.scrapePool ?? "?";
  return `${job} ${t.labels?.instance ?? t.scrapeUrl ?? "?"}`;
}

/** Prometheus `/api/v1/targets?state=active`: every target `up`; names the ones that are not. */
export function judgeTargets(response: HttpResponse): Verdict {
  if (response.status !== 200) return httpError(response);
  let targets: ActiveTarget[];
  try {
    const parsed = JSON.parse(response.body) as { data?: { activeTargets?: ActiveTarget[] } };
    targets = parsed.data?.activeTargets ?? [];
  } catch {
    return { ok: false, detail: `not a targets API answer: ${firstLine(response.body)}` };
  }
  if (targets.length === 0) return { ok: false, detail: "no active targets" };
  const down = targets.filter((t) => t.health === "down");
  const pending = targets.filter((t) => t.health !== "up" && t.health !== "down");
  const up = targets.length - down.length - pending.length;
  if (down.length === 0 && pending.length === 0)
    return { ok: true, detail: `${up}/${targets.length} up` };
  const parts = [
    ...(down.length > 0 ? [`down: ${down.map(targetName).join(", ")}`] : []),
    ...(pending.length > 0 ? [`not scraped yet: ${pending.map(targetName).join(", ")}`] : []),
  ];
  return {
    ok: false,
    detail: `${up}/${targets.length} up; ${parts.join("; ")}`,
    more: [
      ...down.map((t) => `${targetName(t)} is down: ${t.lastError ?? "(no error reported)"}`),
      ...pending.map((t) => `${targetName(t)} has not been scraped yet (health "${t.health}")`),
    ],
  };
}

/** The checks for the URLs at hand, in print order. */
export function planChecks(urls: Readonly<Partial<Record<Component, string>>>): Check[] {
  const checks: Check[] = [];
  const add = (
    component: Component,
    name: string,
    path: string,
    judge: (r: HttpResponse) => Verdict,
  ) => {
    const base = urls[component];
    if (base !== undefined) checks.push({ name, component, url: `${base}${path}`, judge });
  };
  add("prometheus", "prometheus", READY_PATHS.prometheus, judgeReady);
  add("prometheus", "prometheus targets", "/api/v1/targets?state=active", judgeTargets);
  add("alertmanager", "alertmanager", READY_PATHS.alertmanager, judgeReady);
  add("grafana", "grafana", READY_PATHS.grafana, judgeGrafana);
  add("loki", "loki", READY_PATHS.loki, judgeLoki);
  add("nodeExporter", "node-exporter", READY_PATHS.nodeExporter, judgeNodeExporter);
  return checks;
}

/** What went wrong with a request that got no HTTP answer, in words an operator can act on. */
export function describeRequestError(error: unknown, url: string, timeoutMs: number): string {
  const err = error as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (err.name === "TimeoutError" || err.name === "AbortError")
    return `no answer within ${timeoutMs / 1000} s`;
  const code = err.cause?.code;
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    // keep the URL
  }
  switch (code) {
    case "ECONNREFUSED":
      return `connection refused by ${host}`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot resolve ${host} (a VPC- or cluster-internal name? run the check where it resolves, or pass the URL)`;
    case "ECONNRESET":
      return `connection reset by ${host}`;
    default:
      if (code !== undefined) return `${code} (${host})`;
      return [err.message ?? String(error), err.cause?.message].filter(Boolean).join(": ");
  }
}

// ---------------------------------------------------------------------------------------------
// The table.
// ---------------------------------------------------------------------------------------------

/** The result table plus, after it, every failure's details. */
export function renderTable(results: readonly CheckResult[]): string {
  const header = ["COMPONENT", "URL", "STATUS", "DETAIL", "MS"];
  const rows = results.map((r) => [
    r.name,
    r.url,
    r.ok ? "OK" : "FAIL",
    r.detail,
    String(Math.round(r.ms)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) =>
        i === cells.length - 1 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]),
      )
      .join("  ")
      .trimEnd();
  const failed = results.filter((r) => !r.ok);
  const summary =
    failed.length === 0
      ? `All ${results.length} checks passed.`
      : `${failed.length} of ${results.length} checks failed:`;
  const details = failed.flatMap((r) => [
    `  ${r.name}: ${r.detail}`,
    ...(r.more ?? []).map((m) => `    - ${m}`),
  ]);
  return [line(header), ...rows.map(line), "", summary, ...details].join("\n") + "\n";
}

/** 0 when every check passed, 1 otherwise (2 is for usage errors, before any probe). */
export function exitCode(results: readonly CheckResult[]): 0 | 1 {
  return results.length > 0 && results.every((r) => r.ok) ? 0 : 1;
}
