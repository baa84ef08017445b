/**
 * The layout rules of the source tree, checked on the files themselves: imports point one way
 * (catalog ← sizing ← settings ← content ← components ← index.ts; nothing outside test/ imports
 * test/), and no program file grows past 400 lines except the pure data tables.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT } from "./support/harness";

/** Program folders whose files are held to the line limit (plus index.ts at the root). */
const PROGRAM_DIRS = [
  "catalog",
  "sizing",
  "settings",
  "content",
  "components",
  "plan",
  "healthcheck",
];
const MAX_LINES = 400;
/** Pure data tables: long because they list data, not because they do two jobs. */
const LONG_DATA_TABLES = ["content/rules.ts"];

/**
 * Where a folder's files may import from (repository folders; packages are free). A folder that is
 * not listed may import anything but test/.
 */
const ALLOWED_IMPORTS: Readonly<Record<string, readonly string[]>> = {
  catalog: ["catalog"],
  sizing: ["catalog", "sizing"],
  settings: ["catalog", "sizing", "settings"],
};
/** Folders a folder must not import from, on top of the allow-lists above. */
const FORBIDDEN_IMPORTS: Readonly<Record<string, readonly string[]>> = {
  content: ["components", "plan", "test"],
  components: ["plan", "healthcheck", "test"],
};

/** The module specifiers of `import … from "x"`, `export … from "x"`, `import "x"`, `import("x")`, `require("x")`. */
function importSpecifiers(source: string): string[] {
  const patterns = [
    /\bfrom\s+["']([^"']+)["']/g,
    /^\s*import\s+["']([^"']+)["']/gm,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\(\s*["']([^"']+)["']\s*\)/g,
  ];
  return patterns.flatMap((re) => [...source.matchAll(re)].map((m) => m[1]));
}

/** The repository folder (or root file) a relative specifier in `file` points at; undefined for packages. */
function targetTop(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
  return resolved.split("/")[0];
}

/** Files given as repository-relative POSIX paths with their text. */
type SourceTree = Readonly<Record<string, string>>;

/** Every import that breaks the direction rules, as `file → specifier (why)`. */
function importProblems(tree: SourceTree): string[] {
  const problems: string[] = [];
  for (const [file, source] of Object.entries(tree)) {
    const top = file.includes("/") ? file.split("/")[0] : ".";
    if (top === "test") continue;
    for (const specifier of importSpecifiers(source)) {
      const target = targetTop(file, specifier);
      if (target === undefined || target === top) continue;
      const allowed = ALLOWED_IMPORTS[top];
      if (target === "test")
        problems.push(`${file} → ${specifier} (nothing outside test/ imports test/)`);
      else if (allowed !== undefined && !allowed.includes(target))
        problems.push(`${file} → ${specifier} (${top}/ imports only ${allowed.join("/, ")}/)`);
      else if (FORBIDDEN_IMPORTS[top]?.includes(target))
        problems.push(`${file} → ${specifier} (${top}/ imports nothing from ${target}/)`);
    }
  }
  return problems.sort();
}

/** Program files over the line limit that are not listed data tables, as `file: N lines`. */
function longFiles(tree: SourceTree): string[] {
  return Object.entries(tree)
    .filter(
      ([file]) =>
        file.endsWith(".ts") &&
        (file === "index.ts" || PROGRAM_DIRS.includes(file.split("/")[0])) &&
        !LONG_DATA_TABLES.includes(file),
    )
    .map(([file, source]) => [file, source.replace(/\n$/, "").split("\n").length] as const)
    .filter(([, lines]) => lines > MAX_LINES)
    .map(([file, lines]) => `${file}: ${lines} lines`)
    .sort();
}

/** Every source file of the repository (TypeScript and JavaScript), outside node_modules and .git. */
function readTree(root: string): Record<string, string> {
  const tree: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!["node_modules", ".git", "bin"].includes(entry.name)) walk(rel);
      } else if (/\.(ts|cjs|mjs|js)$/.test(entry.name)) {
        tree[rel] = fs.readFileSync(path.join(root, rel), "utf8");
      }
    }
  };
  walk("");
  return tree;
}

describe("layout rules of the source tree", () => {
  const tree = readTree(ROOT);

  it("the import parser finds static, dynamic, re-export, side-effect and require imports", () => {
    const source = [
      'import * as fs from "node:fs";',
      "import {",
      "  a,",
      '} from "../catalog/names";',
      'export { b } from "./b";',
      'import "./setup";',
      'const c = await import("../content/files");',
      'const d = require("../test/support/tools");',
      "// a sentence that says from nothing",
    ].join("\n");
    assert.deepEqual(importSpecifiers(source).sort(), [
      "../catalog/names",
      "../content/files",
      "../test/support/tools",
      "./b",
      "./setup",
      "node:fs",
    ]);
  });

  it("the direction check names each wrong import and lets the right ones pass", () => {
    assert.deepEqual(
      importProblems({
        "catalog/a.ts": 'import { x } from "../settings/settings";\nimport { y } from "./b";',
        "sizing/a.ts":
          'import { x } from "../catalog/names";\nimport { y } from "../content/rules";',
        "settings/a.ts":
          'import type { X } from "../sizing/sizing";\nimport { y } from "../content/slo";',
        "content/a.ts":
          'import { x } from "../settings/settings";\nimport { y } from "../components/aws/types";',
        "content/b.ts": 'import { x } from "../plan/plan";',
        "components/a.ts":
          'import { x } from "../content/files";\nimport { y } from "../test/support/harness";',
        "index.ts":
          'import { x } from "./components/contract";\nconst t = require("./test/support/tools");',
        "test/a.test.ts": 'import { x } from "../components/contract";',
      }),
      [
        "catalog/a.ts → ../settings/settings (catalog/ imports only catalog/)",
        "components/a.ts → ../test/support/harness (nothing outside test/ imports test/)",
        "content/a.ts → ../components/aws/types (content/ imports nothing from components/)",
        "content/b.ts → ../plan/plan (content/ imports nothing from plan/)",
        "index.ts → ./test/support/tools (nothing outside test/ imports test/)",
        "settings/a.ts → ../content/slo (settings/ imports only catalog/, sizing/, settings/)",
        "sizing/a.ts → ../content/rules (sizing/ imports only catalog/, sizing/)",
      ],
    );
  });

  it("the size check counts lines and spares only the listed data tables", () => {
    const lines = (n: number) => "x\n".repeat(n);
    assert.deepEqual(
      longFiles({
        "content/rules.ts": lines(900),
        "content/alertmanager.ts": lines(401),
        "components/prod/eksStack.ts": lines(400),
        "index.ts": lines(402),
        "test/big.test.ts": lines(2000),
        "policy/index.ts": lines(500),
      }),
      ["content/alertmanager.ts: 401 lines", "index.ts: 402 lines"],
    );
  });

  it("reads the program's files", () => {
    for (const file of ["index.ts", "catalog/versions.ts", "content/files.ts"])
      assert.ok(file in tree, `${file} was not read`);
  });

  it("imports point one way: catalog ← sizing ← settings ← content ← components; nothing imports test/", () => {
    assert.deepEqual(importProblems(tree), []);
  });

  it(`no program file is over ${MAX_LINES} lines except the data tables (${LONG_DATA_TABLES.join(", ")})`, () => {
    assert.deepEqual(longFiles(tree), []);
  });
});
