/**
 * Runs the `kubectl port-forward` commands a prod stack without an ingress exports, for the duration
 * of the health check. Every child is tracked by PID and stopped by `stop()`, and killed on exit.
 */
import { spawn } from "node:child_process";
import * as net from "node:net";
import { UsageError } from "./args";
import type { PortForward } from "./outputs";

export interface RunningForward {
  readonly forward: PortForward;
  readonly pid: number;
  /** SIGTERM, then SIGKILL after 5 s; resolves when the process is gone. */
  stop(): Promise<void>;
}

/** Starts the port-forwards and waits until each local port accepts connections. */
export type StartPortForwards = (
  forwards: readonly PortForward[],
  timeoutMs: number,
) => Promise<RunningForward[]>;

const live = new Set<number>();
process.on("exit", () => {
  for (const pid of live) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function startOne(forward: PortForward, timeoutMs: number): Promise<RunningForward> {
  return new Promise((resolve, reject) => {
    const child = spawn("kubectl", [...forward.args], { stdio: ["ignore", "pipe", "pipe"] });
    const pid = child.pid;
    if (pid !== undefined) live.add(pid);
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    const started = performance.now();
    let output = "";
    let settled = false;

    const stop = async () => {
      if (pid === undefined || !live.has(pid)) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => live.has(pid) && child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    };
    const settle = (error?: string) => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      if (error === undefined && pid !== undefined) resolve({ forward, pid, stop });
      else {
        if (pid !== undefined && live.has(pid)) child.kill("SIGKILL");
        reject(new UsageError(error ?? `could not start \`${forward.command}\``));
      }
    };
    // Ready once kubectl says it forwards and the local port accepts connections.
    const poll = setInterval(() => {
      if (performance.now() - started > timeoutMs)
        settle(
          `\`${forward.command}\` did not open 127.0.0.1:${forward.localPort} within ${timeoutMs / 1000} s: ${output.trim() || "no output"}`,
        );
      else if (output.includes("Forwarding from"))
        void accepts(forward.localPort).then((ok) => ok && settle());
    }, 200);

    const collect = (chunk: Buffer) => (output += chunk.toString("utf8"));
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.once("error", (error: NodeJS.ErrnoException) =>
      settle(
        error.code === "ENOENT"
          ? "`--port-forward` needs kubectl, which is not on PATH (https://kubernetes.io/docs/tasks/tools/)"
          : `could not start \`${forward.command}\`: ${error.message}`,
      ),
    );
    child.once("exit", (code, signal) => {
      if (pid !== undefined) live.delete(pid);
      settle(
        `\`${forward.command}\` ended (${signal ?? `exit ${String(code)}`}) before forwarding: ${output.trim() || "no output"}`,
      );
    });
  });
}

/** Starts every port-forward; if one fails, stops the others before rejecting. */
export const startPortForwards: StartPortForwards = async (forwards, timeoutMs) => {
  const results = await Promise.allSettled(forwards.map((f) => startOne(f, timeoutMs)));
  const running = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failure !== undefined) {
    await Promise.all(running.map((r) => r.stop()));
    throw failure.reason;
  }
  return running;
};
