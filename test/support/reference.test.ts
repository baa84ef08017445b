/**
 * How test/support/reference.ts finds the upstream charts for the conformance suite: the reference
 * folder, the cache, `helm pull` (a stub `helm` on a PATH of its own), and the failures' words.
 * Temp dirs only: no network, no ../shared.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CHARTS, CHART_REPOSITORIES } from "../../catalog/versions";
import { type ChartFile, findOnPath, locateCharts } from "./reference";

const KPS = `kube-prometheus-stack-${CHARTS.kubePrometheusStack}.values.yaml`;
const LOKI = `loki-${CHARTS.loki}.values.yaml`;
const FILES: readonly ChartFile[] = [
  { file: KPS, chart: "kubePrometheusStack", helmName: "kube-prometheus-stack", inChart: "" },
  {
    file: "sub-1.0.0.values.yaml",
    chart: "kubePrometheusStack",
    helmName: "kube-prometheus-stack",
    inChart: "charts/sub",
  },
  { file: LOKI, chart: "loki", helmName: "loki", inChart: "" },
];

/**
 * A `helm` that records its arguments and, for `pull <name> … --version <v> … --untardir <dir>`,
 * unpacks a chart `<name>`/`<v>` with a sub-chart `sub` 1.0.0, like the real one (STUB_MODE=fail:
 * exits 1 like an unreachable repository; STUB_MODE=wrong: the chart says version 0.0.1).
 */
const STUB_HELM = `#!${process.execPath}
const fs = require("node:fs");
const path = require("node:path");
const args = process.argv.slice(2);
fs.appendFileSync(process.env.STUB_LOG, JSON.stringify(args) + "\\n");
if (process.env.STUB_MODE === "fail") {
  process.stderr.write("Error: looks like the repository is not a valid chart repository or cannot be reached\\n");
  process.exit(1);
}
const name = args[1];
const version = process.env.STUB_MODE === "wrong" ? "0.0.1" : args[args.indexOf("--version") + 1];
const dir = path.join(args[args.indexOf("--untardir") + 1], name);
const chart = (d, n, v) => {
  fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(d, "Chart.yaml"), "name: " + n + "\\nversion: " + v + "\\n");
  fs.writeFileSync(path.join(d, "values.yaml"), "chart: " + n + "\\n");
};
chart(dir, name, version);
chart(path.join(dir, "charts", "sub"), "sub", "1.0.0");
`;

describe("test/support/reference.ts: locating the upstream charts", () => {
  let tmp: string;
  /** An empty repository root, so `../shared` beside it is under tmp too. */
  let root: string;
  let cache: string;
  let log: string;
  const write = (dir: string, files: readonly string[]) => {
    fs.mkdirSync(dir, { recursive: true });
    for (const f of files) fs.writeFileSync(path.join(dir, f), `${f}\n`);
  };
  const emptyBin = () => fs.mkdtempSync(path.join(tmp, "bin-"));
  const stubBin = () => {
    const bin = emptyBin();
    fs.writeFileSync(path.join(bin, "helm"), STUB_HELM, { mode: 0o755 });
    return bin;
  };
  const pulls = () =>
    fs.existsSync(log)
      ? fs
          .readFileSync(log, "utf8")
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l) as string[])
      : [];
  const thrown = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      return (e as Error).message;
    }
    return assert.fail("expected an error");
  };

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "h4-reference-"));
    root = path.join(tmp, "repo");
    fs.mkdirSync(root);
    cache = path.join(tmp, "cache");
    log = path.join(tmp, "helm.log");
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("reads $MONITORING_REFERENCE_DIR/charts when it holds every file, without helm", () => {
    const ref = path.join(tmp, "elsewhere");
    write(path.join(ref, "charts"), [KPS, "sub-1.0.0.values.yaml", LOKI]);
    const found = locateCharts(FILES, {
      root,
      env: { MONITORING_REFERENCE_DIR: ref, PATH: stubBin(), STUB_LOG: log },
    });
    assert.deepEqual(found, { source: "reference", dir: path.join(ref, "charts") });
    assert.deepEqual(pulls(), []);
  });

  it("reads ../shared/reference/charts beside the repository when the variable is unset", () => {
    const charts = path.join(tmp, "shared", "reference", "charts");
    write(charts, [KPS, "sub-1.0.0.values.yaml", LOKI]);
    assert.deepEqual(locateCharts(FILES, { root, env: { PATH: emptyBin() } }), {
      source: "reference",
      dir: charts,
    });
  });

  it("uses an earlier pull's cache when the reference lacks a file, without helm", () => {
    write(path.join(tmp, "shared", "reference", "charts"), [KPS, LOKI]);
    write(cache, [KPS, "sub-1.0.0.values.yaml", LOKI]);
    assert.deepEqual(
      locateCharts(FILES, { root, env: { MONITORING_CHART_CACHE: cache, PATH: emptyBin() } }),
      { source: "cache", dir: cache },
    );
  });

  it("fails naming the missing files, the folder, the missing helm and the ways to provide them", () => {
    write(path.join(tmp, "ref", "charts"), [LOKI]);
    const message = thrown(() =>
      locateCharts(FILES, {
        root,
        env: {
          MONITORING_REFERENCE_DIR: path.join(tmp, "ref"),
          MONITORING_CHART_CACHE: cache,
          PATH: emptyBin(),
        },
      }),
    );
    const lines = message.split("\n");
    assert.equal(
      lines[0],
      `The chart conformance checks need ${KPS}, sub-1.0.0.values.yaml, missing from ` +
        `${path.join(tmp, "ref", "charts")}, and \`helm\` is not on PATH to pull the pinned charts.`,
    );
    assert.match(message, new RegExp(`so that ${path.join(tmp, "shared", "reference", "charts")}`));
    assert.match(message, /set MONITORING_REFERENCE_DIR to a folder whose charts\/ subfolder/);
    assert.ok(
      lines.includes(
        `       helm pull kube-prometheus-stack --repo ${CHART_REPOSITORIES.kubePrometheusStack} --version ${CHARTS.kubePrometheusStack}`,
      ),
      message,
    );
    assert.ok(
      lines.includes(
        `       helm pull loki --repo ${CHART_REPOSITORIES.loki} --version ${CHARTS.loki}`,
      ),
      message,
    );
    assert.match(message, new RegExp(`keeps what it needs in ${cache} \\(MONITORING_CHART_CACHE`));
    assert.equal(fs.existsSync(cache), false, "nothing is created when nothing can be pulled");
  });

  it("pulls each pinned chart once from its repository and keeps the values files in the cache", () => {
    const bin = stubBin();
    const found = locateCharts(FILES, {
      root,
      env: { MONITORING_CHART_CACHE: cache, PATH: bin, STUB_LOG: log },
    });
    assert.deepEqual(found, { source: "helm", dir: cache });
    const args = pulls();
    assert.equal(args.length, 2);
    assert.deepEqual(args[0].slice(0, 8), [
      "pull",
      "kube-prometheus-stack",
      "--repo",
      CHART_REPOSITORIES.kubePrometheusStack,
      "--version",
      CHARTS.kubePrometheusStack,
      "--untar",
      "--untardir",
    ]);
    assert.deepEqual(args[1].slice(0, 6), [
      "pull",
      "loki",
      "--repo",
      CHART_REPOSITORIES.loki,
      "--version",
      CHARTS.loki,
    ]);
    assert.equal(fs.readFileSync(path.join(cache, KPS), "utf8"), "chart: kube-prometheus-stack\n");
    assert.equal(
      fs.readFileSync(path.join(cache, "sub-1.0.0.values.yaml"), "utf8"),
      "chart: sub\n",
    );
    assert.equal(fs.readFileSync(path.join(cache, LOKI), "utf8"), "chart: loki\n");
    assert.equal(fs.existsSync(args[0][8]), false, "the unpacked charts are removed");
    // The next run finds the cache and pulls nothing.
    assert.deepEqual(
      locateCharts(FILES, {
        root,
        env: { MONITORING_CHART_CACHE: cache, PATH: bin, STUB_LOG: log },
      }),
      { source: "cache", dir: cache },
    );
    assert.equal(pulls().length, 2);
  });

  it("fails with helm's error and the repository it must reach when a pull fails", () => {
    const bin = stubBin();
    const message = thrown(() =>
      locateCharts(FILES, {
        root,
        env: { MONITORING_CHART_CACHE: cache, PATH: bin, STUB_LOG: log, STUB_MODE: "fail" },
      }),
    );
    assert.match(
      message,
      /^The chart conformance checks need .*, and `.*helm pull kube-prometheus-stack /,
    );
    assert.match(
      message,
      /failed \(exit 1: Error: looks like the repository .* cannot be reached\)/,
    );
    assert.match(
      message,
      new RegExp(`It needs network access to ${CHART_REPOSITORIES.kubePrometheusStack}\\.`),
    );
    assert.match(message, /set MONITORING_REFERENCE_DIR/);
  });

  it("fails when a pulled chart is not the version the file name says", () => {
    const message = thrown(() =>
      locateCharts(FILES, {
        root,
        env: { MONITORING_CHART_CACHE: cache, PATH: stubBin(), STUB_LOG: log, STUB_MODE: "wrong" },
      }),
    );
    assert.equal(
      message,
      `kube-prometheus-stack ${CHARTS.kubePrometheusStack} holds kube-prometheus-stack-0.0.1.values.yaml ` +
        `at its root, not ${KPS}: the pinned chart and the conformance suite's file list disagree`,
    );
  });

  it("finds an executable on PATH and ignores plain files and empty entries", () => {
    const bin = stubBin();
    const plain = emptyBin();
    fs.writeFileSync(path.join(plain, "helm"), "", { mode: 0o644 });
    assert.equal(findOnPath("helm", ["", plain, bin].join(path.delimiter)), path.join(bin, "helm"));
    assert.equal(findOnPath("helm", plain), undefined);
    assert.equal(findOnPath("helm", undefined), undefined);
  });
});
