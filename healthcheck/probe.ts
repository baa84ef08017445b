/** Runs the health check's HTTP probes (in parallel, each with its own timeout), retrying until `waitMs`. */
import { type Check, type CheckResult, describeRequestError, type HttpResponse } from "./verdicts";

/** GETs a URL; rejects when no HTTP answer arrives within `timeoutMs`. */
export type HttpGet = (url: string, timeoutMs: number) => Promise<HttpResponse>;

/** `HttpGet` over Node's fetch; the timeout covers the headers and the body. */
export const httpGet: HttpGet = async (url, timeoutMs) => {
  const response = await fetch(url, {
    signal: AbortSignal.timeout(timeoutMs),
    headers: { accept: "application/json, text/plain;q=0.9, */*;q=0.8" },
    redirect: "follow",
  });
  return { status: response.status, body: await response.text() };
};

async function probe(check: Check, get: HttpGet, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  try {
    const response = await get(check.url, timeoutMs);
    return {
      name: check.name,
      url: check.url,
      ms: performance.now() - started,
      ...check.judge(response),
    };
  } catch (error) {
    return {
      name: check.name,
      url: check.url,
      ms: performance.now() - started,
      ok: false,
      detail: describeRequestError(error, check.url, timeoutMs),
    };
  }
}

export interface RunOptions {
  readonly get: HttpGet;
  readonly timeoutMs: number;
  /** Keep retrying while a check fails, for up to this long. */
  readonly waitMs: number;
  /** Pause between rounds. @default 2000 */
  readonly retryMs?: number;
  /** Called before each retry with the failing results. */
  readonly onRetry?: (failing: readonly CheckResult[], remainingMs: number) => void;
}

/** Probes every check; while any fails and `waitMs` allows, probes them all again. */
export async function runChecks(
  checks: readonly Check[],
  options: RunOptions,
): Promise<CheckResult[]> {
  const deadline = performance.now() + options.waitMs;
  const retryMs = options.retryMs ?? 2000;
  for (;;) {
    const results = await Promise.all(checks.map((c) => probe(c, options.get, options.timeoutMs)));
    const failing = results.filter((r) => !r.ok);
    const remaining = deadline - performance.now();
    if (failing.length === 0 || remaining < retryMs) return results;
    options.onRetry?.(failing, remaining);
    await new Promise((resolve) => setTimeout(resolve, retryMs));
  }
}
