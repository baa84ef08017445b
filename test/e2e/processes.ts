/**
 * Starts real binaries for the live test and guarantees they are stopped: every child is tracked by
 * PID, stopped with SIGTERM (then SIGKILL) by `stopAll()`, and killed on process exit even when the
 * test run crashes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";

export interface Service {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves with the exit code or signal once the process has exited. */
  readonly exited: Promise<string>;
}

const running = new Map<number, ChildProcess>();

process.on("exit", () => {
  for (const pid of running.keys()) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

export function start(
  name: string,
  bin: string,
  args: readonly string[],
  logFile: string,
): Service {
  const log = fs.openSync(logFile, "a");
  const child = spawn(bin, [...args], { stdio: ["ignore", log, log] });
  fs.closeSync(log);
  if (child.pid === undefined) throw new Error(`${name}: could not start ${bin}`);
  const pid = child.pid;
  running.set(pid, child);
  const exited = new Promise<string>((resolve) => {
    child.on("exit", (code, signal) => {
      running.delete(pid);
      resolve(signal ?? `exit ${String(code)}`);
    });
  });
  return { name, pid, logFile, exited };
}

/** SIGTERM by PID, SIGKILL after `graceMs`; resolves when the process is gone. */
export async function stop(service: Service, graceMs = 15_000): Promise<string> {
  if (!running.has(service.pid)) return service.exited;
  process.kill(service.pid, "SIGTERM");
  const timer = setTimeout(() => {
    if (running.has(service.pid)) process.kill(service.pid, "SIGKILL");
  }, graceMs);
  try {
    return await service.exited;
  } finally {
    clearTimeout(timer);
  }
}

export async function stopAll(): Promise<void> {
  await Promise.all(
    [...running.entries()].map(async ([pid, child]) => {
      const exited = new Promise((r) => child.once("exit", r));
      process.kill(pid, "SIGTERM");
      const timer = setTimeout(() => running.has(pid) && process.kill(pid, "SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }),
  );
}

export function isRunning(service: Service): boolean {
  return running.has(service.pid);
}

/** Free TCP ports on 127.0.0.1 (held open together so they differ, then released). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const server = net.createServer();
          server.once("error", reject);
          server.listen(0, "127.0.0.1", () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** Polls `probe` until it returns a value (not undefined) or the deadline passes. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  intervalMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(
    `timed out after ${timeoutMs / 1000} s waiting for ${what}` +
      (lastError instanceof Error ? ` (last error: ${lastError.message})` : ""),
  );
}
