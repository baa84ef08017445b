/**
 * Finds the upstream chart files the conformance suite (`npm run test:conformance`) checks the Helm
 * values against. In order: the reference folder's `charts/` (`$MONITORING_REFERENCE_DIR`, else
 * `../shared/reference` beside the clone, where CI lays it); the cache of an earlier pull; the pinned
 * charts pulled with `helm pull` into that cache. When none works it throws an error that names what is
 * missing and how to provide it: the suite fails, it is never skipped.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { parse } from "yaml";
import { CHARTS, type ChartName, CHART_REPOSITORIES } from "../../catalog/versions";
import { ROOT } from "./harness";

/** Points at a folder laid out like `../shared/reference` (the files are in its `charts/`). */
export const REFERENCE_DIR_ENV = "MONITORING_REFERENCE_DIR";
/** Where pulled charts are kept between runs; default `node_modules/.cache/monitoring-charts`. */
export const CHART_CACHE_ENV = "MONITORING_CHART_CACHE";

/** A file of one pinned chart that a conformance check reads. */
export interface ChartFile {
  /** Name in the reference's `charts/` folder: `<chart>-<version>.values.yaml`. */
  readonly file: string;
  /** The pinned chart (a `CHARTS` key) that holds it; `helm pull` fetches that chart. */
  readonly chart: ChartName;
  /** The chart's name in its repository, e.g. `kube-prometheus-stack`. */
  readonly helmName: string;
  /**
   * Folder inside the unpacked chart whose `values.yaml` this is: `""` for the chart itself,
   * `charts/grafana` for a vendored sub-chart. Its `Chart.yaml` must say `<name>-<version>` = `file`.
   */
  readonly inChart: string;
}

/** Where the files were found. */
export interface ChartReference {
  readonly source: "reference" | "cache" | "helm";
  /** The folder that holds every requested file. */
  readonly dir: string;
}

/** What locateCharts looks at; tests pass their own (temp dirs, a PATH with a stub `helm`). */
export interface LocateOptions {
  /** Environment for the two variables above and PATH. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** The repository root (`../shared` is looked for beside it). @default ROOT */
  readonly root?: string;
  /** Seconds one `helm pull` may take. @default 180 */
  readonly pullTimeoutSeconds?: number;
}

const missingIn = (dir: string, files: readonly ChartFile[]) =>
  files.filter((f) => !fs.existsSync(path.join(dir, f.file))).map((f) => f.file);

/** The executable `helm` in one of PATH's folders, or undefined. */
export function findOnPath(name: string, pathVar: string | undefined): string | undefined {
  for (const dir of (pathVar ?? "").split(path.delimiter)) {
    if (dir === "") continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * The folder holding every file in `files`, pulling the pinned charts when no reference or cache has
 * them. Throws with what is missing and the three ways to provide it.
 */
export function locateCharts(
  files: readonly ChartFile[],
  opts: LocateOptions = {},
): ChartReference {
  const env = opts.env ?? process.env;
  const root = opts.root ?? ROOT;
  const fromEnv = env[REFERENCE_DIR_ENV];
  const referenceDir = path.join(
    fromEnv !== undefined && fromEnv !== ""
      ? path.resolve(fromEnv)
      : path.join(root, "..", "shared", "reference"),
    "charts",
  );
  const referenceMissing = missingIn(referenceDir, files);
  if (referenceMissing.length === 0) return { source: "reference", dir: referenceDir };

  const cacheVar = env[CHART_CACHE_ENV];
  const cacheDir =
    cacheVar !== undefined && cacheVar !== ""
      ? path.resolve(cacheVar)
      : path.join(root, "node_modules", ".cache", "monitoring-charts");
  if (missingIn(cacheDir, files).length === 0) return { source: "cache", dir: cacheDir };

  const helm = findOnPath("helm", env.PATH);
  const charts = [...new Set(files.map((f) => f.chart))];
  const pulls = charts.map((c) => {
    const f = files.find((x) => x.chart === c) as ChartFile;
    return `helm pull ${f.helmName} --repo ${CHART_REPOSITORIES[c]} --version ${CHARTS[c]}`;
  });
  const howToProvide = [
    `Provide them in one of these ways:`,
    `  1. lay the shared reference beside the repository, so that ${path.join(root, "..", "shared", "reference", "charts")} holds them (CI does);`,
    `  2. set ${REFERENCE_DIR_ENV} to a folder whose charts/ subfolder holds them;`,
    `  3. put helm (v3) on PATH with network access to the chart repositories; the suite then runs`,
    ...pulls.map((p) => `       ${p}`),
    `     and keeps what it needs in ${cacheDir} (${CHART_CACHE_ENV} moves it).`,
  ];
  const missing = `The chart conformance checks need ${referenceMissing.join(", ")}, missing from ${referenceDir}`;
  if (helm === undefined) {
    throw new Error(
      [`${missing}, and \`helm\` is not on PATH to pull the pinned charts.`, ...howToProvide].join(
        "\n",
      ),
    );
  }

  fs.mkdirSync(cacheDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "monitoring-charts-"));
  try {
    for (const chart of charts) {
      const mine = files.filter((f) => f.chart === chart);
      const { helmName } = mine[0];
      const args = [
        "pull",
        helmName,
        "--repo",
        CHART_REPOSITORIES[chart],
        "--version",
        CHARTS[chart],
        "--untar",
        "--untardir",
        work,
      ];
      const run = spawnSync(helm, args, {
        encoding: "utf8",
        env,
        timeout: (opts.pullTimeoutSeconds ?? 180) * 1000,
      });
      if (run.error !== undefined || run.status !== 0) {
        const why = run.error?.message ?? `exit ${run.status}: ${(run.stderr ?? "").trim()}`;
        throw new Error(
          [
            `${missing}, and \`${helm} ${args.join(" ")}\` failed (${why}).`,
            `It needs network access to ${CHART_REPOSITORIES[chart]}.`,
            ...howToProvide,
          ].join("\n"),
        );
      }
      for (const f of mine) {
        const dir = path.join(work, helmName, f.inChart);
        const meta = parse(fs.readFileSync(path.join(dir, "Chart.yaml"), "utf8")) as {
          name: string;
          version: string;
        };
        const expected = `${meta.name}-${meta.version}.values.yaml`;
        if (expected !== f.file) {
          throw new Error(
            `${helmName} ${CHARTS[chart]} holds ${expected} at ${f.inChart === "" ? "its root" : f.inChart}, not ${f.file}: ` +
              "the pinned chart and the conformance suite's file list disagree",
          );
        }
        fs.copyFileSync(path.join(dir, "values.yaml"), path.join(cacheDir, f.file));
      }
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return { source: "helm", dir: cacheDir };
}
