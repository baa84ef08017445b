/** The health check's result: the table it prints and its exit code. */
import type { CheckResult } from "./verdicts";

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
