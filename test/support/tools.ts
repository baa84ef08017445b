/** Runs the real Prometheus tools (promtool, amtool) from the test suite; fails loudly when missing. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const INSTALL_HINT =
  "install them with: sudo apt-get update && sudo apt-get install -y prometheus prometheus-alertmanager prometheus-node-exporter";

/** Returns the absolute path of a tool on PATH, or throws an error that says how to install it. */
export function requireTool(
  name:
    "promtool" | "amtool" | "prometheus" | "prometheus-alertmanager" | "prometheus-node-exporter",
): string {
  const found = spawnSync("/bin/sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  const location = found.stdout.trim();
  if (found.status !== 0 || location === "") {
    throw new Error(
      `\`${name}\` is not on PATH; the test suite validates configs with it — ${INSTALL_HINT}`,
    );
  }
  return location;
}

/** Writes files into a fresh temporary directory and returns its path. */
export function writeTempFiles(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "monitoring-test-"));
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return dir;
}

export interface ToolResult {
  readonly status: number;
  /** stdout and stderr together. */
  readonly output: string;
  readonly stdout: string;
}

/** Runs a tool and returns its exit status and combined output (never throws on a non-zero exit). */
export function runTool(
  name: Parameters<typeof requireTool>[0],
  args: string[],
  cwd?: string,
): ToolResult {
  const bin = requireTool(name);
  const result = spawnSync(bin, args, { cwd, encoding: "utf8" });
  return {
    status: result.status ?? -1,
    output: `${result.stdout}${result.stderr}`,
    stdout: result.stdout,
  };
}

/** The test files `promtool test rules` reports as passed (its output has one section per file). */
export function passedFiles(stdout: string): Set<string> {
  const passed = new Set<string>();
  for (const section of stdout.split(/^Unit Testing:\s+/m).slice(1)) {
    const [file, ...rest] = section.split("\n");
    if (rest.some((line) => line.trim() === "SUCCESS")) passed.add(file.trim());
  }
  return passed;
}
