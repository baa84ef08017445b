// `npm run bench [-- <runs>] [--check-runs=<n>] [--skip-checks]`: the evaluation benchmark.
// Per stack: wall time (spawn → exit, measured here) and peak RSS (the child's maxRSS) of one program
// evaluation under the mocks of plan/runner.ts, against its floor — a process that loads only @pulumi/pulumi
// and registers as many plain resources — and, for information, its typed floor: the same resources
// (SDK classes, names, inputs) registered without the rest of the program. Runs are interleaved (one
// of each per round) so that load from elsewhere on the machine hits all of them alike. Then the unit
// suite (`npm test`) and `tsc --noEmit`, timed.
// Prints a table, module-load checks and targets, and the change against the previous
// bench/results.json, which it then overwrites. Exits non-zero only if the benchmark itself broke.
const { spawn, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const RESULTS = path.join(__dirname, "results.json");
const STACKS = ["dev", "staging", "prod"];
const TARGET_RATIO = 1.3;
const SUITE_TARGET_MS = 5000;

const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 5);
const checkRuns = Number(
  /^--check-runs=(\d+)$/.exec(args.find((a) => a.startsWith("--check-runs=")) ?? "")?.[1] ?? 1,
);
const skipChecks = args.includes("--skip-checks");
if (!(runs >= 1) || !(checkRuns >= 1)) throw new Error(`bad arguments: ${args.join(" ")}`);

const broke = (message) => {
  process.stderr.write(`\nbench: ${message}\n`);
  process.exit(2);
};
const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { min: s[0], median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, max: s.at(-1) };
};

/** One measured child: wall from spawn to exit here, the rest as the child reports it on fd 3. */
function measure(childArgs) {
  return new Promise((resolve) => {
    let out = "";
    let err = "";
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [path.join(__dirname, "child.cjs"), ...childArgs], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "pipe", "pipe"],
    });
    child.on("exit", (code) => {
      const wallMs = ms(start);
      child.on("close", () => {
        let report;
        try {
          report = JSON.parse(out);
        } catch {
          broke(`\`${childArgs.join(" ")}\` exited ${code} without a report:\n${err}`);
        }
        if (code !== 0 || report.error) {
          broke(`\`${childArgs.join(" ")}\` failed (exit ${code}):\n${report.error ?? err}`);
        }
        resolve({ wallMs, ...report });
      });
    });
    child.stderr.on("data", (d) => (err += d));
    child.stdio[3].on("data", (d) => (out += d));
  });
}

/** Wall time of a command run to completion (output kept only for the error message). */
function timeCommand(cmd, cmdArgs) {
  const start = process.hrtime.bigint();
  const result = spawnSync(cmd, cmdArgs, { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
  return {
    wallMs: ms(start),
    ok: result.status === 0,
    tail: `${result.stdout}${result.stderr}`.slice(-3000),
  };
}

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const fmt = (x, digits = 0) => (x === undefined || x === null ? "-" : x.toFixed(digits));
const mib = (kib) => kib / 1024;
const mark = (ok) => (ok ? "✓" : "✗");

async function main() {
  const cpus = os.cpus();
  const machine = {
    cpu: cpus[0]?.model ?? "unknown",
    cpus: cpus.length,
    totalMemoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
  process.stdout.write(
    `${machine.cpus} × ${machine.cpu}, ${machine.totalMemoryGiB} GiB, Node ${machine.node}\n`,
  );
  process.stdout.write("Compiling the program and its runner (tsc -p tsconfig.build.json) …\n");
  const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const build = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (build.status !== 0)
    broke(`tsc -p tsconfig.build.json failed:\n${build.stdout}${build.stderr}`);

  // A first, unmeasured run of each: warms the file cache, gives the resource counts and records
  // the resources the typed floor registers again.
  const recordDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
  const record = (stack) => path.join(recordDir, `${stack}.json`);
  const counts = {};
  for (const stack of STACKS) {
    const warm = await measure(["stack", stack, record(stack)]);
    if (warm.resources === 0) broke(`${stack} registered no resources`);
    counts[stack] = warm.resources;
    process.stdout.write(`${stack}: ${warm.resources} resources\n`);
    await measure(["floor", String(warm.resources)]);
    await measure(["replay", record(stack)]);
  }

  const samples = {};
  for (const stack of STACKS) samples[stack] = { floor: [], typedFloor: [], evaluation: [] };
  for (let round = 1; round <= runs; round++) {
    process.stdout.write(round === 1 ? `Measuring, round ${round}` : ` ${round}`);
    for (const stack of STACKS) {
      const runsOfStack = {
        floor: await measure(["floor", String(counts[stack])]),
        typedFloor: await measure(["replay", record(stack)]),
        evaluation: await measure(["stack", stack]),
      };
      for (const [part, run] of Object.entries(runsOfStack)) {
        if (run.resources !== counts[stack]) {
          broke(`${stack} ${part}: ${run.resources} resources, expected ${counts[stack]}`);
        }
        samples[stack][part].push(run);
      }
    }
  }
  fs.rmSync(recordDir, { recursive: true, force: true });
  process.stdout.write(" done\n\n");

  const summarise = (list) => {
    const last = list.at(-1);
    return {
      wallMs: stats(list.map((r) => r.wallMs)),
      cpuMs: stats(list.map((r) => r.cpuMs)),
      peakRssMiB: stats(list.map((r) => mib(r.maxRssKiB))),
      modules: last.modules,
      packages: last.packages,
      awsRootLoaded: last.awsRootLoaded,
      kubernetesRootLoaded: last.kubernetesRootLoaded,
    };
  };
  const stacks = {};
  for (const stack of STACKS) {
    const floor = summarise(samples[stack].floor);
    const typedFloor = summarise(samples[stack].typedFloor);
    const evaluation = summarise(samples[stack].evaluation);
    stacks[stack] = {
      resources: counts[stack],
      floor,
      typedFloor,
      evaluation,
      wallRatio: evaluation.wallMs.median / floor.wallMs.median,
      typedFloorWallRatio: typedFloor.wallMs.median / floor.wallMs.median,
      wallRatioToTypedFloor: evaluation.wallMs.median / typedFloor.wallMs.median,
      cpuRatio: evaluation.cpuMs.median / floor.cpuMs.median,
      rssRatio: evaluation.peakRssMiB.median / floor.peakRssMiB.median,
    };
  }

  const checks = {};
  if (!skipChecks) {
    process.stdout.write(
      `Unit suite (npm test) and typecheck (tsc --noEmit -p .), ${checkRuns} run(s) each …\n`,
    );
    const suite = [];
    const typecheck = [];
    for (let i = 0; i < checkRuns; i++) {
      process.stdout.write(`  run ${i + 1}/${checkRuns}\n`);
      suite.push(timeCommand("npm", ["test", "--silent"]));
      typecheck.push(timeCommand(process.execPath, [tsc, "--noEmit", "-p", "."]));
    }
    for (const [name, list] of [
      ["unitSuite", suite],
      ["typecheck", typecheck],
    ]) {
      const failed = list.find((r) => !r.ok);
      if (failed)
        process.stdout.write(`\n${name} FAILED (timing still reported):\n${failed.tail}\n`);
      checks[name] = {
        runs: list.length,
        passed: !failed,
        wallMs: stats(list.map((r) => r.wallMs)),
      };
    }
  }

  // The table.
  const row = (label, r, ratio = "") =>
    `${pad(label, 22)}${lpad(`${fmt(r.wallMs.min)} / ${fmt(r.wallMs.median)} / ${fmt(r.wallMs.max)}`, 20)}  ${lpad(fmt(r.cpuMs.median), 6)}  ${lpad(`${fmt(r.peakRssMiB.min)} / ${fmt(r.peakRssMiB.median)} / ${fmt(r.peakRssMiB.max)}`, 17)}  ${ratio}`;
  const lines = [
    `Program evaluation under mocks, ${runs} runs each: min / median / max; CPU = user+sys of the child, median`,
    `${pad("", 22)}${lpad("wall ms", 20)}  ${lpad("CPU ms", 6)}  ${lpad("peak RSS MiB", 17)}  median ÷ floor's (wall CPU RSS)`,
  ];
  for (const stack of STACKS) {
    const s = stacks[stack];
    const ratios = (r) =>
      `${fmt(r.wallMs.median / s.floor.wallMs.median, 2)}×  ${fmt(r.cpuMs.median / s.floor.cpuMs.median, 2)}×  ${fmt(r.peakRssMiB.median / s.floor.peakRssMiB.median, 2)}×`;
    lines.push(`${stack} (${s.resources} resources)`);
    lines.push(row("  floor", s.floor));
    lines.push(row("  typed floor", s.typedFloor, ratios(s.typedFloor)));
    lines.push(
      row(
        "  evaluation",
        s.evaluation,
        `${ratios(s.evaluation)}   (wall ${fmt(s.wallRatioToTypedFloor, 2)}× typed floor)`,
      ),
    );
  }
  lines.push(
    "floor: only @pulumi/pulumi and as many plain resources; typed floor: the stack's resources (SDK",
    "classes, names, inputs) registered again without the rest of the program.",
  );
  lines.push("", "Modules loaded (require.cache at exit)");
  const pulumiPackages = ["pulumi", "docker", "aws", "kubernetes"];
  lines.push(
    `${pad("", 22)}${lpad("total", 6)}${pulumiPackages.map((p) => lpad(`@pulumi/${p}`, 20)).join("")}  package roots`,
  );
  const moduleRow = (label, r) => {
    const roots = [
      r.awsRootLoaded && "aws/index.js",
      r.kubernetesRootLoaded && "kubernetes/index.js",
    ].filter(Boolean);
    return `${pad(label, 22)}${lpad(r.modules, 6)}${pulumiPackages.map((p) => lpad(r.packages[`@pulumi/${p}`] ?? 0, 20)).join("")}  ${roots.join(", ") || "none"}`;
  };
  lines.push(moduleRow("floor", stacks.dev.floor));
  for (const stack of STACKS) lines.push(moduleRow(stack, stacks[stack].evaluation));
  lines.push("Beyond the floor (modules per package):");
  for (const stack of STACKS) {
    const floorPackages = stacks[stack].floor.packages;
    const extra = Object.entries(stacks[stack].evaluation.packages)
      .map(([name, count]) => [name, count - (floorPackages[name] ?? 0)])
      .filter(([, count]) => count > 0)
      .sort((a, b) => b[1] - a[1]);
    lines.push(`  ${pad(stack, 8)}${extra.map(([name, count]) => `${name} ${count}`).join(", ")}`);
  }
  if (!skipChecks) {
    lines.push("", "Checks");
    for (const [label, c] of [
      ["unit suite (npm test)", checks.unitSuite],
      ["tsc --noEmit -p .", checks.typecheck],
    ]) {
      lines.push(
        `${pad(label, 22)}wall ${fmt(c.wallMs.median)} ms (median of ${c.runs}; min ${fmt(c.wallMs.min)}, max ${fmt(c.wallMs.max)})${c.passed ? "" : "  FAILED"}`,
      );
    }
  }
  const loads = (stack, pkg) => (stacks[stack].evaluation.packages[`@pulumi/${pkg}`] ?? 0) > 0;
  const targets = STACKS.map((stack) => ({
    target: `${stack}: median wall ≤ ${TARGET_RATIO} × floor`,
    measured: `${fmt(stacks[stack].wallRatio, 2)}×`,
    met: stacks[stack].wallRatio <= TARGET_RATIO,
  }));
  targets.push({
    target: "dev loads neither @pulumi/aws nor @pulumi/kubernetes",
    measured: `${stacks.dev.evaluation.packages["@pulumi/aws"] ?? 0} + ${stacks.dev.evaluation.packages["@pulumi/kubernetes"] ?? 0} modules`,
    met: !loads("dev", "aws") && !loads("dev", "kubernetes"),
  });
  targets.push({
    target: "staging loads @pulumi/aws submodules, never aws/index.js",
    measured: `${stacks.staging.evaluation.packages["@pulumi/aws"] ?? 0} modules, root ${stacks.staging.evaluation.awsRootLoaded ? "loaded" : "not loaded"}`,
    met: loads("staging", "aws") && !stacks.staging.evaluation.awsRootLoaded,
  });
  if (!skipChecks) {
    targets.push({
      target: `unit suite < ${SUITE_TARGET_MS / 1000} s`,
      measured: `${fmt(checks.unitSuite.wallMs.median / 1000, 1)} s`,
      met: checks.unitSuite.wallMs.median < SUITE_TARGET_MS,
    });
  }
  lines.push("", "Targets (not a pass/fail gate: the benchmark exits 0 either way)");
  for (const t of targets) lines.push(`  ${mark(t.met)} ${pad(t.target, 58)}${t.measured}`);

  // Flat figures, compared with the previous results file.
  const figures = {};
  for (const stack of STACKS) {
    const s = stacks[stack];
    for (const [part, r] of [
      [`floor(${stack})`, s.floor],
      [`typed floor(${stack})`, s.typedFloor],
      [stack, s.evaluation],
    ]) {
      figures[`${part} wall median ms`] = r.wallMs.median;
      figures[`${part} CPU median ms`] = r.cpuMs.median;
      figures[`${part} peak RSS median MiB`] = r.peakRssMiB.median;
    }
    figures[`${stack} wall ratio`] = s.wallRatio;
    figures[`${stack} wall ratio to typed floor`] = s.wallRatioToTypedFloor;
    figures[`${stack} modules`] = s.evaluation.modules;
  }
  if (!skipChecks) {
    figures["unit suite wall median ms"] = checks.unitSuite.wallMs.median;
    figures["tsc --noEmit wall median ms"] = checks.typecheck.wallMs.median;
  }
  let previous;
  try {
    previous = JSON.parse(fs.readFileSync(RESULTS, "utf8"));
  } catch {
    previous = undefined;
  }
  if (previous?.figures) {
    lines.push(
      "",
      `Change against the previous run (${previous.date}; negative is faster/smaller)`,
    );
    for (const [key, now] of Object.entries(figures)) {
      const before = previous.figures[key];
      if (typeof before !== "number") continue;
      const change =
        before === 0
          ? ""
          : `${now >= before ? "+" : ""}${fmt(((now - before) / before) * 100, 1)} %`;
      lines.push(
        `  ${pad(key, 44)}${lpad(fmt(before, 2), 10)} → ${lpad(fmt(now, 2), 10)}  ${change}`,
      );
    }
  }
  process.stdout.write(`${lines.join("\n")}\n`);

  const results = {
    date: new Date().toISOString(),
    machine,
    runs,
    stacks,
    checks,
    targets,
    figures,
  };
  // Formatted as `prettier --check .` (npm run lint) expects.
  const prettier = require("prettier");
  const options = { ...(await prettier.resolveConfig(RESULTS)), filepath: RESULTS };
  fs.writeFileSync(RESULTS, await prettier.format(JSON.stringify(results), options));
  process.stdout.write(`\nWrote ${path.relative(process.cwd(), RESULTS)}\n`);
}

main().catch((err) => broke(String(err?.stack ?? err)));
