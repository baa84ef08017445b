/**
 * The health check's probes and their verdicts: which URL each component is probed at, and what its
 * answer (or the lack of one) means, in words an operator can act on.
 */
import { READY_PATHS } from "../catalog/names";
import type { Component } from "./components";

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
